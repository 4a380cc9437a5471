using BioLang.Tests;
using BioLang.Runtime.Engine;

namespace BioLang.Runtime.Tests.Engine;

/// <summary>Every connection rule against its definition: exact sets where the rule is deterministic, binomial bounds where it is random.</summary>
public sealed class ConnectivityTests
{
    private const string Models = """
        neuron Dot =
            state
                x = 0
        synapse Syn =
            on pre
                post.x += 1

        """;

    private static ProjectionRuntime Projection(string network, ulong seed = 1)
    {
        using var built = Simulate.Build(Simulate.Compile(Models + network), seed: seed);
        return built.Projections.ShouldHaveSingleItem();
    }

    /// <summary>(pre, post) of every synapse, relative to the projection's ranges, in CSR order.</summary>
    private static List<(int Pre, int Post)> Pairs(ProjectionRuntime p)
    {
        var c = p.Connectivity;
        var pairs = new List<(int, int)>();
        for (var r = 0; r < c.Rows; r++)
            for (var s = c.RowStart[r]; s < c.RowStart[r] + c.RowCount[r]; s++)
                pairs.Add((r, c.Post[s]));
        return pairs;
    }

    private static IEnumerable<(int, int)> Grid(int nPre, int nPost) =>
        from i in Enumerable.Range(0, nPre) from j in Enumerable.Range(0, nPost) select (i, j);

    [Fact]
    public void AllToAll_ConnectsEveryPair()
    {
        var p = Projection("""
            let A = population 7 Dot
            let B = population 5 Dot
            connect A -> B with Syn all_to_all
            """);
        Pairs(p).ShouldBe(Grid(7, 5));
        p.SynapseCount.ShouldBe(35);
    }

    [Fact]
    public void NoRule_MeansAllToAll()
    {
        var p = Projection("""
            let A = population 4 Dot
            let B = population 3 Dot
            connect A -> B with Syn
            """);
        Pairs(p).ShouldBe(Grid(4, 3));
    }

    [Fact]
    public void AllToAll_NoAutapses_LeavesOutExactlyTheDiagonal()
    {
        var p = Projection("""
            let A = population 9 Dot
            connect A -> A with Syn all_to_all no_autapses
            """);
        Pairs(p).ShouldBe(Grid(9, 9).Where(x => x.Item1 != x.Item2));
    }

    [Fact]
    public void AllToAll_AutapsesAllowedByDefault()
    {
        var p = Projection("""
            let A = population 6 Dot
            connect A -> A with Syn all_to_all
            """);
        Pairs(p).Count(x => x.Pre == x.Post).ShouldBe(6);
    }

    [Fact]
    public void NoAutapses_BetweenOverlappingSlices_RemovesSameNeuronPairsOnly()
    {
        // pre = P[0..9], post = P[5..14]: pre row r and post column c are one neuron when r == c + 5.
        var p = Projection("""
            let P = population 15 Dot
            connect P[0 .. 9] -> P[5 .. 14] with Syn all_to_all no_autapses
            """);
        Pairs(p).ShouldBe(Grid(10, 10).Where(x => x.Item1 != x.Item2 + 5));
    }

    [Fact]
    public void NoAutapses_BetweenDifferentPopulations_RemovesNothing()
    {
        var p = Projection("""
            let A = population 6 Dot
            let B = population 6 Dot
            connect A -> B with Syn all_to_all no_autapses
            """);
        p.SynapseCount.ShouldBe(36);
    }

    [Fact]
    public void OneToOne_ConnectsIToI()
    {
        var p = Projection("""
            let A = population 11 Dot
            let B = population 11 Dot
            connect A -> B with Syn one_to_one
            """);
        Pairs(p).ShouldBe(Enumerable.Range(0, 11).Select(i => (i, i)));
    }

    [Fact]
    public void Where_SelectsExactlyThePairsThatSatisfyTheCondition()
    {
        var p = Projection("""
            let A = population 23 Dot
            let B = population 17 Dot
            connect A -> B with Syn where (fun i j -> (i + 2 * j) % 5 = 1 && i > j)
            """);
        var expected = Grid(23, 17).Where(x => (x.Item1 + 2 * x.Item2) % 5 == 1 && x.Item1 > x.Item2).ToList();
        expected.Count.ShouldBeGreaterThan(20);
        Pairs(p).ShouldBe(expected);
    }

    [Fact]
    public void Pairs_ConnectsExactlyTheListedPairs()
    {
        var p = Projection("""
            let A = population 5 Dot
            let B = population 4 Dot
            connect A -> B with Syn pairs [(0, 1); (4, 3); (2, 0); (0, 3)]
            """);
        Pairs(p).ShouldBe([(0, 1), (0, 3), (2, 0), (4, 3)]);
    }

    [Fact]
    public void Probability_SynapseCountIsWithinTheBinomialBound()
    {
        const int n = 1000;
        const double prob = 0.05;
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            var p = Projection($"""
                let A = population {n} Dot
                connect A -> A with Syn probability {prob} no_autapses
                """, seed);
            var pairs = Pairs(p);
            var trials = (double)n * (n - 1);
            ((double)pairs.Count).ShouldBe(trials * prob, 5 * Math.Sqrt(trials * prob * (1 - prob)), $"seed {seed}");
            pairs.ShouldNotContain(x => x.Pre == x.Post);
            pairs.Distinct().Count().ShouldBe(pairs.Count);
            // Every row is itself Binomial(n − 1, p): its in-row count must not be correlated with the row.
            var perRow = pairs.GroupBy(x => x.Pre).ToDictionary(g => g.Key, g => g.Count());
            var mean = (n - 1) * prob;
            var chi2 = Enumerable.Range(0, n).Sum(r => Math.Pow(perRow.GetValueOrDefault(r) - mean, 2) / (mean * (1 - prob)));
            chi2.ShouldBe(n, 5 * Math.Sqrt(2.0 * n), "dispersion of row counts");
        }
    }

    [Fact]
    public void Probability_DependingOnIAndJ_FollowsTheFunction()
    {
        // p = 1 inside a band, 0 outside: the sampled set must be the band exactly.
        var band = Projection("""
            let A = population 40 Dot
            let B = population 30 Dot
            connect A -> B with Syn probability (fun i j -> if abs (i - j) <= 3 then 1 else 0)
            """);
        Pairs(band).ShouldBe(Grid(40, 30).Where(x => Math.Abs(x.Item1 - x.Item2) <= 3));

        // p = j / N_post: column c is Binomial(N_pre, c / N_post).
        const int nPre = 2000, nPost = 20;
        var ramp = Projection($"""
            let A = population {nPre} Dot
            let B = population {nPost} Dot
            connect A -> B with Syn probability (fun i j -> j / N_post)
            """);
        var perColumn = Pairs(ramp).GroupBy(x => x.Post).ToDictionary(g => g.Key, g => g.Count());
        perColumn.ContainsKey(0).ShouldBeFalse();
        for (var c = 1; c < nPost; c++)
        {
            var q = (double)c / nPost;
            ((double)perColumn[c]).ShouldBe(nPre * q, 5 * Math.Sqrt(nPre * q * (1 - q)), $"column {c}");
        }
    }

    [Theory]
    [InlineData("", 300, 200, 25)]
    [InlineData("no_autapses", 300, 300, 299)]
    [InlineData("no_autapses", 300, 300, 17)]
    public void FixedIndegree_GivesEveryPostNeuronExactlyKDistinctPartners(string autapses, int nPre, int nPost, int k)
    {
        var network = nPre == nPost && autapses != ""
            ? $"""
              let A = population {nPre} Dot
              connect A -> A with Syn fixed_indegree {k} {autapses}
              """
            : $"""
              let A = population {nPre} Dot
              let B = population {nPost} Dot
              connect A -> B with Syn fixed_indegree {k}
              """;
        var pairs = Pairs(Projection(network));

        pairs.Distinct().Count().ShouldBe(pairs.Count);
        var perPost = pairs.GroupBy(x => x.Post).ToDictionary(g => g.Key, g => g.Count());
        Enumerable.Range(0, nPost).ShouldAllBe(c => perPost.GetValueOrDefault(c) == k);
        if (autapses != "")
            pairs.ShouldNotContain(x => x.Pre == x.Post);
        // Partners are drawn uniformly: each pre neuron's out-degree is Binomial(N_post, k / m).
        var m = autapses != "" ? nPre - 1 : nPre;
        var q = (double)k / m;
        if (q < 1)
        {
            var perPre = pairs.GroupBy(x => x.Pre).ToDictionary(g => g.Key, g => g.Count());
            var mean = nPost * q;
            var chi2 = Enumerable.Range(0, nPre).Sum(r => Math.Pow(perPre.GetValueOrDefault(r) - mean, 2) / (mean * (1 - q)));
            chi2.ShouldBe(nPre, 5 * Math.Sqrt(2.0 * nPre), "dispersion of out-degrees");
        }
    }

    [Theory]
    [InlineData("", 40)]
    [InlineData("no_autapses", 40)]
    [InlineData("no_autapses", 249)]
    public void FixedOutdegree_GivesEveryPreNeuronExactlyKDistinctPartners(string autapses, int k)
    {
        const int n = 250;
        var pairs = Pairs(Projection($"""
            let A = population {n} Dot
            connect A -> A with Syn fixed_outdegree {k} {autapses}
            """));

        pairs.Distinct().Count().ShouldBe(pairs.Count);
        var perPre = pairs.GroupBy(x => x.Pre).ToDictionary(g => g.Key, g => g.Count());
        Enumerable.Range(0, n).ShouldAllBe(r => perPre.GetValueOrDefault(r) == k);
        if (autapses != "")
            pairs.ShouldNotContain(x => x.Pre == x.Post);
        var m = autapses != "" ? n - 1 : n;
        var q = (double)k / m;
        if (q < 1)
        {
            var perPost = pairs.GroupBy(x => x.Post).ToDictionary(g => g.Key, g => g.Count());
            var mean = n * q;
            var chi2 = Enumerable.Range(0, n).Sum(c => Math.Pow(perPost.GetValueOrDefault(c) - mean, 2) / (mean * (1 - q)));
            chi2.ShouldBe(n, 5 * Math.Sqrt(2.0 * n), "dispersion of in-degrees");
        }
    }

    [Fact]
    public void FixedIndegree_PartnerFrequenciesAreUniform()
    {
        // Floyd's sampler with k close to n is where a biased implementation shows: with n = 10 and k = 7
        // over 4000 posts, every pre neuron must be chosen 4000 · 7/10 times on average.
        var pairs = Pairs(Projection("""
            let A = population 10 Dot
            let B = population 4000 Dot
            connect A -> B with Syn fixed_indegree 7
            """));
        var perPre = pairs.GroupBy(x => x.Pre).ToDictionary(g => g.Key, g => g.Count());
        for (var r = 0; r < 10; r++)
            ((double)perPre[r]).ShouldBe(2800, 5 * Math.Sqrt(4000 * 0.7 * 0.3), $"pre {r}");
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentRandomConnectivity_AndEqualSeedsTheSame()
    {
        const string net = """
            let A = population 200 Dot
            connect A -> A with Syn probability 0.1
            """;
        Pairs(Projection(net, 7)).ShouldBe(Pairs(Projection(net, 7)));
        Pairs(Projection(net, 7)).ShouldNotBe(Pairs(Projection(net, 8)));
    }
}
