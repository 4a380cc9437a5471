using BioLang.Runtime.Engine;
using BioLang.Runtime.Output;
using BioLang.Science.Tests.Support;

namespace BioLang.Science.Tests;

/// <summary>
/// What the plasticity examples learn: Song et al.'s competition through STDP, Oja's principal
/// component, BCM selectivity. Each outcome is checked against the analysis of the rule or against
/// Brian2 running the same model.
/// </summary>
public sealed class PlasticityTests
{
    private static string Example(string file) => Path.Combine(Bnn.Examples, file);

    // ---- Song, Miller & Abbott (2000) -----------------------------------------------------------

    /// <summary>
    /// Brian2 2.5.1 running the same model (Peers/song2000_brian2.py: bench.py's build_stdp with a
    /// spike monitor, 100 s; numpy target with seed 12345, cpp_standalone with seeds 1 to 12):
    /// the mean over the 13 runs of the output rate in the last 10 s, in Hz (sd 1.0 between runs).
    /// </summary>
    private const double Brian2SongLastTenSecondsHz = 21.3;

    private static readonly ulong[] SongSeeds = [1, 2, 3];

    private static readonly Lazy<(double[] Counts, double[] W)[]> SongRuns = new(() =>
    {
        var model = Bnn.CompileFile(Example("song2000.bnn"));
        return SongSeeds.Select(seed =>
        {
            using var network = Bnn.Run(model, seed: seed);
            var counts = new double[100];
            foreach (var t in network.SpikeTimes("neuron"))
                counts[Math.Min(99, (int)t)]++;
            return (counts, RunReport.FinalWeights(network.Projections[0]).W);
        }).ToArray();
    });

    [Fact]
    public void Song_output_rate_falls_and_settles_between_15_and_30_Hz()
    {
        foreach (var (counts, _) in SongRuns.Value)
        {
            var first = counts[0];
            var previous = counts[80..90].Average();
            var last = counts[90..].Average();
            last.ShouldBeInRange(15, 30);
            last.ShouldBeLessThan(first, "the rate falls from its first second");
            Math.Abs(last - previous).ShouldBeLessThan(0.25 * previous, "and has settled");
        }
    }

    /// <summary>
    /// Both simulators settle near 21 Hz. The fall is to about half the start, not below 40% of it:
    /// the first second holds 42.7 spikes on average in Brian2 (53 runs: the 13 above and numpy
    /// seeds 101-140 run for 1 s; sd 8.4) and 43.7 in BioLang (seeds 101-300, sd 8.5), so the
    /// settled rate is 0.50 of the mean start. Per run, last 10 s over first second is 0.34 to 0.67
    /// in Brian2 (mean 0.50) and 0.43 to 0.87 in BioLang (seeds 1-12, mean 0.61).
    /// </summary>
    [Fact]
    public void Song_settled_rate_is_within_10_percent_of_Brian2()
    {
        var runs = SongRuns.Value;
        var last = runs.Select(r => r.Counts[90..].Average()).Average();
        last.ShouldBe(Brian2SongLastTenSecondsHz, 0.1 * Brian2SongLastTenSecondsHz);
        runs.Select(r => r.Counts[90..].Average() / r.Counts[0]).Average().ShouldBeLessThan(0.75, "falls by more than a quarter on average");
    }

    [Fact]
    public void Song_final_weights_are_bimodal()
    {
        const double Gmax = 0.01;
        foreach (var (_, w) in SongRuns.Value)
        {
            w.Length.ShouldBe(1000);
            w.ShouldAllBe(x => x >= 0 && x <= Gmax);
            var bins = new int[10];
            foreach (var x in w)
                bins[Math.Min(9, (int)(x / Gmax * 10))]++;
            var interior = bins[1..9].Max();
            foreach (var edge in new[] { bins[0], bins[9] })
            {
                edge.ShouldBeGreaterThan(120, $"an edge bin holds more than 12% (bins {string.Join(", ", bins)})");
                edge.ShouldBeGreaterThan(interior);
            }
        }
    }

    // ---- Oja (1982) -----------------------------------------------------------------------------

    /// <summary>
    /// The principal eigenvector of the input covariance of examples/oja_pca.bnn,
    /// C = A·diag(σ²)·Aᵀ with A = [[1, 0.6], [0.6, 1]] and σ = (1, 0.4) Hz, as a 2×2 symmetric
    /// eigenproblem: λ = (a + d)/2 + √(((a − d)/2)² + b²), v ∝ (b, λ − a).
    /// </summary>
    private static (double X, double Y) PrincipalComponent()
    {
        double[,] mix = { { 1, 0.6 }, { 0.6, 1 } };
        double[] variance = [1, 0.16];
        var c = new double[2, 2];
        for (var r = 0; r < 2; r++)
            for (var s = 0; s < 2; s++)
                for (var k = 0; k < 2; k++)
                    c[r, s] += mix[r, k] * variance[k] * mix[s, k];
        double a = c[0, 0], b = c[0, 1], d = c[1, 1];
        var lambda = (a + d) / 2 + Math.Sqrt((a - d) * (a - d) / 4 + b * b);
        var norm = Math.Sqrt(b * b + (lambda - a) * (lambda - a));
        return (b / norm, (lambda - a) / norm);
    }

    private static double Cosine((double X, double Y) u, double[] w) =>
        (u.X * w[0] + u.Y * w[1]) / Math.Sqrt(w[0] * w[0] + w[1] * w[1]);

    [Fact]
    public void Oja_weight_vector_converges_to_the_unit_principal_component()
    {
        var pc = PrincipalComponent();
        pc.X.ShouldBe(0.8247, 1e-4, "the example's header");
        pc.Y.ShouldBe(0.5656, 1e-4);
        using var network = Bnn.Run(Bnn.CompileFile(Example("oja_pca.bnn")));
        var w = RunReport.FinalWeights(network.Projections[1]).W;
        Math.Sqrt(w[0] * w[0] + w[1] * w[1]).ShouldBe(1, 0.05);
        Math.Abs(Cosine(pc, w)).ShouldBeGreaterThan(0.98);
    }

    [Fact]
    public void Oja_rule_turns_a_weight_vector_far_from_the_principal_component_onto_it()
    {
        // The example's initial weights happen to point near the component already, so start far from it.
        var pc = PrincipalComponent();
        var model = Bnn.CompileFile(Example("oja_pca.bnn"));
        using var network = Network.Build(model, new NetworkOptions());
        var projection = network.Projections[1];
        var w = projection.Arrays.Vars[projection.IR.Synapse.VarIndex("w")];
        w[0] = -0.3;
        w[1] = 0.6;
        Math.Abs(Cosine(pc, w)).ShouldBeLessThan(0.2);
        network.Run((long)Math.Round(model.Duration / model.Dt));
        Math.Sqrt(w[0] * w[0] + w[1] * w[1]).ShouldBe(1, 0.05);
        Math.Abs(Cosine(pc, w)).ShouldBeGreaterThan(0.98);
    }

    // ---- BCM (Bienenstock, Cooper & Munro 1982) -------------------------------------------------

    [Fact]
    public void Bcm_neuron_becomes_selective_to_one_pattern()
    {
        // Converged after about 25 s; the patterns alternate every 100 ms (inputs 0-9, then 10-19).
        const double Seconds = 50, Period = 0.1;
        using var network = Bnn.Run(Bnn.CompileFile(Example("bcm_selectivity.bnn")), seconds: Seconds);
        var r = network.Trace("out.r");
        r.Length.ShouldBe((int)(Seconds * 1000));

        // The response in each pattern over the last 10 s, skipping 5 ms after each switch: the
        // output answers the inputs of the step before, and the monitor records at the start of a step.
        double[] sum = [0, 0];
        int[] count = [0, 0];
        for (var k = (int)((Seconds - 10) * 1000); k < r.Length; k++)
        {
            var t = k * 1e-3;
            var phase = t % Period;
            if (phase < 5e-3 - 1e-9)
                continue;
            var pattern = (int)Math.Floor(t / Period + 1e-9) % 2;
            sum[pattern] += r[k];
            count[pattern]++;
        }
        var responses = new[] { sum[0] / count[0], sum[1] / count[1] };
        var strong = responses.Max();
        var weak = responses.Min();
        (1 - weak / strong).ShouldBeGreaterThan(0.9, $"responses {responses[0]:0.###} and {responses[1]:0.###} Hz");
        // With two patterns, the threshold <y²>/r_target settles where y_strong = 2·r_target = 20 Hz.
        strong.ShouldBe(20, 2);
    }
}
