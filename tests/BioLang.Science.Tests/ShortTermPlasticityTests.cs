using BioLang.Runtime.Engine;
using BioLang.Science.Tests.Support;
using BioLang.Tests;

namespace BioLang.Science.Tests;

/// <summary>
/// Presynaptic dynamics (stdlib Plasticity): Tsodyks-Markram depression and facilitation against
/// the model's recursion and closed-form steady state, and stochastic quantal release against
/// the binomial distribution, with STDP of the release probability and of the quantal amplitude.
/// </summary>
public sealed class ShortTermPlasticityTests
{
    private static string Example(string file) => Path.Combine(Bnn.Examples, file);

    private static double Var(ProjectionRuntime projection, string name, int synapse = 0) =>
        projection.Arrays.Vars[projection.IR.Synapse.VarIndex(name)][synapse];

    // ---- Tsodyks-Markram ------------------------------------------------------------------------

    /// <summary>(U, tau_d, tau_f) of the stdlib variants.</summary>
    private static readonly (double U, double TauD, double TauF) Depressing = (0.5, 0.8, 1e-3), Facilitating = (0.15, 50e-3, 0.75);

    [Fact]
    public void Tsodyks_Markram_release_follows_the_model_spike_by_spike()
    {
        // examples/tsodyks_markram.bnn: one 20 Hz train, a depressing synapse (projection 0) and a facilitating one (1).
        var model = Bnn.CompileFile(Example("tsodyks_markram.bnn"));
        using var network = Bnn.Run(model, seconds: 0);
        var times = new List<double>();
        var depressing = new List<double>();
        var facilitating = new List<double>();
        while (network.Time < model.Duration)
        {
            network.StepOnce();
            if (network.Group("train").Spikes.Length == 0)
                continue;
            times.Add((network.Step - 1) * network.Dt);
            depressing.Add(Var(network.Projections[0], "release"));
            facilitating.Add(Var(network.Projections[1], "release"));
        }

        times.Count.ShouldBe(20);
        times.ToArray().Intervals().ShouldAllBe(x => Math.Abs(x - 50e-3) < 1e-9, "a regular 20 Hz train");
        var t = times.ToArray();
        depressing.ShouldBe(PlasticityReference.TsodyksMarkram(t, Depressing.U, Depressing.TauD, Depressing.TauF), 1e-12);
        facilitating.ShouldBe(PlasticityReference.TsodyksMarkram(t, Facilitating.U, Facilitating.TauD, Facilitating.TauF), 1e-12);

        // The first spikes by hand: the first releases U of full resources.
        depressing[0].ShouldBe(0.5, 1e-15);
        facilitating[0].ShouldBe(0.15, 1e-15);
        var gap = t[1] - t[0];
        var x2 = 1 - 0.5 * Math.Exp(-gap / 0.8);
        var u2 = 0.5 * Math.Exp(-gap / 1e-3);
        depressing[1].ShouldBe((u2 + 0.5 * (1 - u2)) * x2, 1e-12);
        x2 = 1 - 0.15 * Math.Exp(-gap / 50e-3);
        u2 = 0.15 * Math.Exp(-gap / 0.75);
        facilitating[1].ShouldBe((u2 + 0.15 * (1 - u2)) * x2, 1e-12);

        depressing.Zip(depressing.Skip(1)).ShouldAllBe(p => p.Second < p.First, "the depressing synapse releases less at every spike");
        facilitating[3].ShouldBeGreaterThan(1.5 * facilitating[0], "the facilitating synapse releases more");
    }

    /// <summary>Regular trains of 200 spikes with periods 20, 50 and 100 ms onto both stdlib variants.</summary>
    private static string SteadyStateFixture(double[] periods)
    {
        var spikes = periods.SelectMany((period, k) => Enumerable.Range(0, 200).Select(n => $"({k}, {(10 + n * period * 1e3).ToString(System.Globalization.CultureInfo.InvariantCulture)}<ms>)"));
        return $$"""
            open Plasticity

            neuron Sink =
                state I = 0<nA>

            synapse Released =
                parameters w = 1<nA>
                on pre
                    post.I += w * release

            let trains = spike_times {{periods.Length}} [{{string.Join("; ", spikes)}}]
            let sink = population 1 Sink
            connect trains -> sink with TsodyksMarkramDepressing + Released
            connect trains -> sink with TsodyksMarkramFacilitating + Released
            dt = 1<ms>
            """;
    }

    [Fact]
    public void Tsodyks_Markram_release_of_a_regular_train_converges_to_the_closed_form()
    {
        double[] periods = [20e-3, 50e-3, 100e-3];
        using var network = Bnn.Run(Bnn.Compile(SteadyStateFixture(periods)), seconds: 20.1);
        foreach (var (projection, (u, tauD, tauF)) in network.Projections.Zip(new[] { Depressing, Facilitating }))
        {
            projection.Events.ShouldBe(600);
            for (var k = 0; k < periods.Length; k++)
            {
                var expected = PlasticityReference.TsodyksMarkramSteadyState(periods[k], u, tauD, tauF);
                Var(projection, "release", k).ShouldBe(expected, 1e-9 * expected, $"U = {u}, T = {periods[k] * 1e3} ms");
            }
        }
    }

    // ---- quantal release ------------------------------------------------------------------------

    /// <summary>A neuron that only counts: QuantalRelease adds q·w_unit = 1 nS to g_e for each release.</summary>
    private const string Counter = """
        open Plasticity

        neuron Counter =
            state g_e = 0<nS>

        """;

    [Fact]
    public void Quantal_release_transmits_the_fraction_p_of_spikes()
    {
        double[] ps = [0.1, 0.5, 0.9];
        var source = Counter + "let src = poisson 200 50<Hz>\nlet sink = population 3 Counter\n"
            + string.Concat(ps.Select((p, k) => $"connect src -> sink[{k} .. {k}] with QuantalRelease (p = {p})\n"));
        using var network = Bnn.Run(Bnn.Compile(source), seconds: 2);
        var released = network.Var("sink", "g_e");
        for (var k = 0; k < ps.Length; k++)
        {
            var n = (double)network.Projections[k].Events;
            n.ShouldBeGreaterThan(15000);
            var sigma = Math.Sqrt(n * ps[k] * (1 - ps[k]));
            (released[k] / 1e-9).ShouldBe(n * ps[k], 5 * sigma, $"p = {ps[k]}");
        }
    }

    [Fact]
    public void Quantal_release_draws_each_synapse_independently()
    {
        // One presynaptic spike onto 2000 synapses: the number that release is binomial, not all or none.
        const double P = 0.3, N = 2000;
        using var network = Bnn.Run(Bnn.Compile(Counter + $"let src = spike_times 1 [(0, 1<ms>)]\nlet sink = population {N} Counter\nconnect src -> sink with QuantalRelease (p = {P})\n"), seconds: 0.005);
        network.Projections[0].Events.ShouldBe((long)N);
        var released = network.Var("sink", "g_e").Sum() / 1e-9;
        released.ShouldBe(N * P, 5 * Math.Sqrt(N * P * (1 - P)));
    }

    /// <summary>
    /// Ten pairings at 1 Hz, 10 ms apart: pair 0 pre before post, pair 1 post before pre. Release
    /// probability and quantal amplitude both learn; the two rules share their time constants.
    /// </summary>
    private const string Pairings = """
        neuron Clock =
            parameters T = 1<s>; n_max = 10
            state
                next = 1<s>
                n = 0
                g_e = 0<nS>
            spike when t >= next - dt / 2 && n < n_max
            reset
                next += T
                n += 1

        let pre = population 2 Clock (next = if i = 0 then 1<s> else 1.01<s>)
        let post = population 2 Clock (next = if i = 0 then 1.01<s> else 1<s>)
        connect pre -> post with QuantalRelease + PresynapticStdp + PostsynapticStdp (shared tau_pre, shared tau_post) one_to_one
        run 11<s>
        """;

    [Fact]
    public void Presynaptic_and_postsynaptic_STDP_move_p_and_q_in_the_direction_of_the_pairing()
    {
        using var network = Bnn.Run(Bnn.Compile("open Plasticity\n" + Pairings));
        var projection = network.Projections.Single();
        var trace = Math.Exp(-10.0 / 20);

        // Pre before post: p and q grow by ten pairings' worth of the stdlib amplitudes (dp_pre = 0.02, dq_pre = 0.05).
        Var(projection, "p", 0).ShouldBeGreaterThan(0.5);
        Var(projection, "q", 0).ShouldBeGreaterThan(1);
        Var(projection, "p", 0).ShouldBe(0.5 + 10 * 0.02 * trace, 1e-9);
        Var(projection, "q", 0).ShouldBe(1 + 10 * 0.05 * trace, 1e-9);

        // Post before pre: both shrink (dp_post = -0.021, dq_post = -0.0525).
        Var(projection, "p", 1).ShouldBeLessThan(0.5);
        Var(projection, "q", 1).ShouldBeLessThan(1);
        Var(projection, "p", 1).ShouldBe(0.5 - 10 * 0.021 * trace, 1e-9);
        Var(projection, "q", 1).ShouldBe(1 - 10 * 0.0525 * trace, 1e-9);
    }
}
