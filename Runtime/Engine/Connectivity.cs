using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Randomness;

namespace BioLang.Runtime.Engine;

/// <summary>
/// Synapses in compressed sparse rows by presynaptic neuron. A row has a capacity (RowStart[r+1] −
/// RowStart[r]) and a count, so synapses can be removed and, up to the capacity, added during a
/// run without rebuilding; posts within a row are ascending after a build.
/// </summary>
internal sealed class Connectivity
{
    public required int[] RowStart { get; init; }

    public required int[] RowCount { get; init; }

    /// <summary>Postsynaptic index of each synapse, relative to the projection's post range.</summary>
    public required int[] Post { get; init; }

    public int Rows => RowCount.Length;

    public int Synapses => RowCount.Sum();

    /// <summary>Presynaptic row of each synapse slot (a slot beyond its row's count holds its row too).</summary>
    public int[] PreOfSynapse()
    {
        var pre = new int[Post.Length];
        for (var r = 0; r < Rows; r++)
            Array.Fill(pre, r, RowStart[r], RowStart[r + 1] - RowStart[r]);
        return pre;
    }

    public static Connectivity FromRows(List<int>[] rows)
    {
        var start = new int[rows.Length + 1];
        for (var r = 0; r < rows.Length; r++)
            start[r + 1] = checked(start[r] + rows[r].Count);
        var post = new int[start[^1]];
        var count = new int[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r].Sort();
            rows[r].CopyTo(post, start[r]);
            count[r] = rows[r].Count;
        }
        return new Connectivity { RowStart = start, RowCount = count, Post = post };
    }
}

/// <summary>Draws the synapses of a projection from its rule with the counter-based generator, so the result does not depend on threads.</summary>
internal static class ConnectivityBuilder
{
    public static Connectivity Build(ProjectionIR p, bool samePopulation, IBackend backend, ulong seed)
    {
        var nPre = p.Pre.Count;
        var nPost = p.Post.Count;
        var stream = CounterRng.StreamId($"{p.Name}/connect");
        var rng = new CounterRng(seed);
        // With no_autapses, pre row r and post column c are the same neuron when their absolute indices match.
        bool Self(int r, int c) => p.NoAutapses && samePopulation && p.Pre.Start + r == p.Post.Start + c;
        var rows = new List<int>[nPre];
        for (var r = 0; r < nPre; r++)
            rows[r] = [];

        switch (p.Rule)
        {
            case AllToAllRule:
                for (var r = 0; r < nPre; r++)
                for (var c = 0; c < nPost; c++)
                    if (!Self(r, c))
                        rows[r].Add(c);
                break;
            case OneToOneRule:
                for (var r = 0; r < nPre; r++)
                    if (!Self(r, r))
                        rows[r].Add(r);
                break;
            case ProbabilityRule { P: var expr } when Folder.Evaluate(expr) is { } probability:
                for (var r = 0; r < nPre; r++)
                {
                    // Skip ahead geometrically: one draw per synapse instead of one per pair.
                    long c = -1;
                    ulong draw = 0;
                    while (probability > 0)
                    {
                        var gap = rng.Geometric(stream, (uint)r, draw++, probability);
                        if (gap >= nPost - c) break;
                        c += gap;
                        if (!Self(r, (int)c))
                            rows[r].Add((int)c);
                    }
                }
                break;
            case ProbabilityRule { P: var expr }:
            {
                var f = backend.Pair(expr, seed, CounterRng.StreamId($"{p.Name}/connect-expr"), $"{p.Name}_p");
                for (var r = 0; r < nPre; r++)
                for (var c = 0; c < nPost; c++)
                    if (!Self(r, c) && rng.Uniform(stream, (uint)r, (ulong)c) < f(r, c))
                        rows[r].Add(c);
                break;
            }
            case PredicateRule { Condition: var condition }:
            {
                var f = backend.Pair(condition, seed, stream, $"{p.Name}_where");
                for (var r = 0; r < nPre; r++)
                for (var c = 0; c < nPost; c++)
                    if (!Self(r, c) && f(r, c) != 0)
                        rows[r].Add(c);
                break;
            }
            case FixedIndegreeRule { K: var k }:
                for (var c = 0; c < nPost; c++)
                    foreach (var r in Sample(rng, stream, (uint)c, nPre, k, excluded: samePopulation && p.NoAutapses ? p.Post.Start + c - p.Pre.Start : -1))
                        rows[r].Add(c);
                break;
            case FixedOutdegreeRule { K: var k }:
                for (var r = 0; r < nPre; r++)
                    rows[r].AddRange(Sample(rng, stream, (uint)r, nPost, k, excluded: samePopulation && p.NoAutapses ? p.Pre.Start + r - p.Post.Start : -1));
                break;
            case PairsRule { Pairs: var pairs }:
                foreach (var (r, c) in pairs)
                    rows[r].Add(c);
                break;
        }
        return Connectivity.FromRows(rows);
    }

    /// <summary>
    /// k distinct values from [0, n) without <paramref name="excluded"/>, uniformly: Floyd's algorithm
    /// (Bentley &amp; Floyd 1987), k draws whatever n is.
    /// </summary>
    private static IEnumerable<int> Sample(CounterRng rng, uint stream, uint entity, int n, int k, int excluded)
    {
        var hasExcluded = excluded >= 0 && excluded < n;
        var m = hasExcluded ? n - 1 : n;
        k = Math.Min(k, m);
        var chosen = new HashSet<int>();
        ulong draw = 0;
        for (var t = m - k; t < m; t++)
        {
            var r = (int)Math.Min(t, Math.Floor(rng.Uniform(stream, entity, draw++) * (t + 1)));
            chosen.Add(chosen.Contains(r) ? t : r);
        }
        return chosen.Select(x => hasExcluded && x >= excluded ? x + 1 : x).Order();
    }
}
