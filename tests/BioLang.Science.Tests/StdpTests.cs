using BioLang.Runtime.Engine;
using BioLang.Runtime.Output;
using BioLang.Science.Tests.Support;

namespace BioLang.Science.Tests;

/// <summary>
/// Spike-timing-dependent plasticity (stdlib Plasticity): each rule's weight change for given
/// spike trains against the rule's definition, computed here from its parameters.
/// </summary>
public sealed class StdpTests
{
    private static string Example(string file) => Path.Combine(Bnn.Examples, file);

    /// <summary>
    /// An experimenter's stimulus: fires at 'next', then every T, n_max times. Half a step of slack
    /// keeps rounding in 'next += T' from moving a spike by a step. The synapse only learns.
    /// </summary>
    private const string Fixture = """
        open Plasticity

        neuron Clock =
            parameters T = 1<s>; n_max = 1
            state
                next = 1<s>
                n = 0
            spike when t >= next - dt / 2 && n < n_max
            reset
                next += T
                n += 1

        synapse Silent =
            state w = 1

        """;

    private static double[] Weights(Network network, int projection = 0) => RunReport.FinalWeights(network.Projections[projection]).W;

    // ---- pair rule: the window ------------------------------------------------------------------

    [Fact]
    public void Window_of_the_pair_rule_is_its_analytic_form()
    {
        // examples/stdp_window.bnn: StdpAdditive (A_pre = 0.001, A_post = -0.00105, wmax = 10),
        // stdlib tau_pre = tau_post = 20 ms; pair k is paired 60 times at dt_k = (k - 50) ms.
        const double APre = 0.001, APost = -0.00105, Wmax = 10, Tau = 20e-3;
        using var network = Bnn.Run(Bnn.CompileFile(Example("stdp_window.bnn")));
        var (pre, post, w) = RunReport.FinalWeights(network.Projections[0]);

        w.Length.ShouldBe(101);
        for (var k = 0; k < 101; k++)
        {
            (pre[k], post[k]).ShouldBe((k, k));
            network.SpikeTimes("pre", k).Length.ShouldBe(60);
            network.SpikeTimes("post", k).Length.ShouldBe(60);
            var dt = (k - 50) * 1e-3;
            var expected = dt >= 0 ? 60 * APre * Wmax * Math.Exp(-dt / Tau) : 60 * APost * Wmax * Math.Exp(dt / Tau);
            (w[k] - 1).ShouldBe(expected, 1e-9, $"dt = {dt * 1e3} ms");
        }
    }

    // ---- pair rule variants ---------------------------------------------------------------------

    /// <summary>
    /// Synapse 0 sees one spike of the first side at 100 ms, synapse 1 a burst at 90 and 100 ms;
    /// the other side fires once at 110 ms. <paramref name="prePotentiates"/>: the burst is
    /// presynaptic (pre before post), else postsynaptic (post before pre).
    /// </summary>
    private static double[] BurstThenOne(string rule, bool prePotentiates)
    {
        var source = prePotentiates
            ? """
              let pre = population 2 Clock (next = if i = 0 then 100<ms> else 90<ms>, n_max = 1 + i, T = 10<ms>)
              let post = population 2 Clock (next = 110<ms>)
              """
            : """
              let pre = population 2 Clock (next = 110<ms>)
              let post = population 2 Clock (next = if i = 0 then 100<ms> else 90<ms>, n_max = 1 + i, T = 10<ms>)
              """;
        using var network = Bnn.Run(Fixture + source + $"\nconnect pre -> post with Silent + {rule} (wmax = 10) one_to_one\nrun 200<ms>\n");
        return Weights(network).Select(w => w - 1).ToArray();
    }

    [Fact]
    public void Nearest_spike_rule_counts_only_the_nearest_spike_of_a_burst()
    {
        // stdlib defaults: A_pre = 0.01, A_post = -0.0105, tau = 20 ms, here wmax = 10.
        var ltp = 0.01 * 10 * Math.Exp(-10.0 / 20);
        var ltd = -0.0105 * 10 * Math.Exp(-10.0 / 20);

        var pre = BurstThenOne("StdpNearest", prePotentiates: true);
        pre[0].ShouldBe(ltp, 1e-12);
        pre[1].ShouldBe(ltp, 1e-12, "a burst of two pre spikes before one post counts as one");
        var post = BurstThenOne("StdpNearest", prePotentiates: false);
        post[0].ShouldBe(ltd, 1e-12);
        post[1].ShouldBe(ltd, 1e-12, "a burst of two post spikes before one pre counts as one");

        // The all-to-all rule counts both spikes of the burst, so the fixture tells the two apart.
        var additive = BurstThenOne("StdpAdditive", prePotentiates: true);
        additive[0].ShouldBe(ltp, 1e-12);
        additive[1].ShouldBe(ltp * (1 + Math.Exp(-10.0 / 20)), 1e-12);
    }

    [Fact]
    public void Multiplicative_rule_scales_potentiation_with_the_room_left_and_depression_with_the_weight()
    {
        // Synapses 0, 1: pre at 100 ms, post at 110 ms; 2, 3: the reverse. Even synapses start at 0.2, odd at 0.7.
        const string Source = """
            let pre = population 4 Clock (next = if i < 2 then 100<ms> else 110<ms>)
            let post = population 4 Clock (next = if i < 2 then 110<ms> else 100<ms>)
            connect pre -> post with Silent (w = if i % 2 = 0 then 0.2 else 0.7) + StdpMultiplicative one_to_one
            run 200<ms>
            """;
        using var network = Bnn.Run(Fixture + Source);
        var w = Weights(network);

        // stdlib defaults: A_pre = 0.01, A_post = 0.0105, wmax = 1, tau = 20 ms; the trace of one spike 10 ms on.
        var trace = Math.Exp(-10.0 / 20);
        double[] w0 = [0.2, 0.7];
        for (var k = 0; k < 2; k++)
        {
            w[k].ShouldBe(w0[k] + 0.01 * trace * (1 - w0[k]), 1e-12, $"potentiation from w = {w0[k]}");
            w[2 + k].ShouldBe(w0[k] - 0.0105 * trace * w0[k], 1e-12, $"depression from w = {w0[k]}");
        }
    }

    // ---- triplet rule ---------------------------------------------------------------------------

    /// <summary>examples/triplet_frequency.bnn: the stdlib TripletStdp time constants with the example's amplitudes.</summary>
    private static readonly TripletParameters TripletExample = new(
        TauPlus: 16.8e-3, TauMinus: 33.7e-3, TauX: 101e-3, TauY: 125e-3,
        A2p: 5e-11, A3p: 6.2e-4, A2m: 7e-4, A3m: 2.3e-5, Wmax: 10);

    /// <summary>The triplet example with 15 pairings instead of 60 (the 0.1 Hz protocol then lasts 150 s).</summary>
    private static readonly Lazy<SharedRun> TripletRun = new(() => new(Example("triplet_frequency.bnn"), new Dictionary<string, string> { ["pairings"] = "15" }, seconds: 153));

    [Fact]
    public void Triplet_rule_equals_the_all_to_all_triplet_model_spike_by_spike()
    {
        var network = TripletRun.Value.Network;
        var w = Weights(network);
        w.Length.ShouldBe(10);
        for (var k = 0; k < 10; k++)
        {
            var pre = network.SpikeTimes("pre", k);
            var post = network.SpikeTimes("post", k);
            pre.Length.ShouldBe(15);
            post.Length.ShouldBe(15);
            post.Zip(pre, (b, a) => b - a).ShouldAllBe(lag => Math.Abs(lag - (k < 5 ? 10e-3 : -10e-3)) < 1e-9, "the pairing's order and lag");
            var expected = PlasticityReference.Triplet(pre, post, TripletExample, w0: 1, nearest: false);
            if (k != 0)
                Math.Abs(expected - 1).ShouldBeGreaterThan(1e-4, "the protocol changes the weight (pair 0, pre first at 0.1 Hz, hardly: A2p is 5e-11)");
            w[k].ShouldBe(expected, 1e-9, $"pair {k}");
        }
    }

    [Fact]
    public void Triplet_rule_depends_on_frequency_as_in_Sjostrom_2001()
    {
        // Pairs 0-4: pre 10 ms before post at 0.1, 10, 20, 40, 50 Hz; pairs 5-9: post 10 ms before pre.
        var dw = Weights(TripletRun.Value.Network).Select(w => w - 1).ToArray();
        dw[5].ShouldBeLessThan(0, "post before pre depresses at 0.1 Hz");
        Math.Abs(dw[0]).ShouldBeLessThan(0.01 * Math.Abs(dw[5]), "pre before post does not potentiate at 0.1 Hz");
        dw[4].ShouldBeGreaterThan(0, "pre before post potentiates at 50 Hz");
        dw[9].ShouldBeGreaterThan(0, "post before pre potentiates at 50 Hz too");
        dw[9].ShouldBeGreaterThan(dw[6], "post-before-pre potentiates more as the frequency rises");
    }

    /// <summary>Pre/post pairs 10 ms apart, 15 times at 1, 10, 20 and 50 Hz: pairs 0-3 pre first, 4-7 post first.</summary>
    private const string NearestTriplet = """
        let period k = if k = 0 then 1<s> else if k = 1 then 100<ms> else if k = 2 then 50<ms> else 20<ms>
        let pre = population 8 Clock (T = period (i % 4), n_max = 15, next = 100<ms> + (if i < 4 then 0<ms> else 10<ms>))
        let post = population 8 Clock (T = period (i % 4), n_max = 15, next = 100<ms> + (if i < 4 then 10<ms> else 0<ms>))
        connect pre -> post with Silent + TripletStdpNearest (wmax = 10, A2p = 8.8e-12, A3p = 5.3e-3, A2m = 6.6e-4, A3m = 3.1e-4) one_to_one
        monitor spikes pre
        monitor spikes post
        run 15.2<s>
        """;

    [Fact]
    public void Nearest_spike_triplet_rule_equals_its_model_spike_by_spike()
    {
        // stdlib TripletStdpNearest time constants; amplitudes a tenth of the defaults, with wmax = 10.
        var parameters = new TripletParameters(
            TauPlus: 16.8e-3, TauMinus: 33.7e-3, TauX: 714e-3, TauY: 40e-3,
            A2p: 8.8e-12, A3p: 5.3e-3, A2m: 6.6e-4, A3m: 3.1e-4, Wmax: 10);
        using var network = Bnn.Run(Fixture + NearestTriplet);
        var w = Weights(network);
        w.Length.ShouldBe(8);
        for (var k = 0; k < 8; k++)
        {
            var pre = network.SpikeTimes("pre", k);
            var post = network.SpikeTimes("post", k);
            pre.Length.ShouldBe(15);
            post.Length.ShouldBe(15);
            var expected = PlasticityReference.Triplet(pre, post, parameters, w0: 1, nearest: true);
            w[k].ShouldBe(expected, 1e-9, $"pair {k}");
            if (k % 4 == 3)
            {
                var allToAll = PlasticityReference.Triplet(pre, post, parameters, w0: 1, nearest: false);
                Math.Abs(allToAll - expected).ShouldBeGreaterThan(1e-3, "at 50 Hz the nearest-spike and all-to-all models differ");
            }
        }
    }

    // ---- event-driven traces --------------------------------------------------------------------

    /// <summary>
    /// Three event-driven variables of one synapse: a decaying trace, one relaxing to 1 and one that
    /// only drifts. Presynaptic spikes at 10, 25, 31.7 and 80 ms change them; a postsynaptic spike
    /// at 50 ms copies the trace into w, so the trace is also read at an event of the other side.
    /// </summary>
    private const string Traces = """
        synapse Traced =
            parameters tau = 20<ms>; tau_c = 7<ms>
            state
                a = 0; c = 0; d = 0; w = 0
            equations (event-driven)
                da/dt = -a / tau
                dc/dt = (1 - c) / tau_c
                dd/dt = 1 / tau
            on pre
                a += 1
                c *= 0.5
            on post
                w <- a

        let pre = spike_times 1 [(0, 10<ms>); (0, 25<ms>); (0, 31.7<ms>); (0, 80<ms>)]
        let post = population 1 Clock (next = 50<ms>)
        connect pre -> post with Traced
        run 100<ms>
        """;

    [Fact]
    public void Event_driven_variables_advanced_lazily_equal_their_closed_form()
    {
        const double Tau = 20e-3, TauC = 7e-3;
        double[] preTimes = [10e-3, 25e-3, 31.7e-3, 80e-3];
        using var network = Bnn.Run(Bnn.Compile(Fixture + Traces), seconds: 0);
        var projection = network.Projections[0];
        var vars = projection.Arrays.Vars;
        int a = projection.IR.Synapse.VarIndex("a"), c = projection.IR.Synapse.VarIndex("c"),
            d = projection.IR.Synapse.VarIndex("d"), w = projection.IR.Synapse.VarIndex("w");

        double expectA = 0, expectC = 0, last = 0;
        var seen = 0;
        while (network.Step < 1000)
        {
            network.StepOnce();
            if (network.Group("pre").Spikes.Length == 0)
                continue;
            var now = (network.Step - 1) * network.Dt;
            now.ShouldBe(preTimes[seen++], 1e-12);
            expectA = expectA * Math.Exp(-(now - last) / Tau) + 1;
            expectC = 0.5 * (1 - (1 - expectC) * Math.Exp(-(now - last) / TauC));
            last = now;
            vars[a][0].ShouldBe(expectA, 1e-12, $"a right after the spike at {now * 1e3} ms");
            vars[c][0].ShouldBe(expectC, 1e-12, $"c right after the spike at {now * 1e3} ms");
            vars[d][0].ShouldBe(now / Tau, 1e-12, $"d right after the spike at {now * 1e3} ms");
        }
        seen.ShouldBe(4);
        // At 50 ms the trace is the sum of the decayed contributions of the three earlier spikes.
        var atPost = preTimes.Where(t => t < 50e-3).Sum(t => Math.Exp(-(50e-3 - t) / Tau));
        vars[w][0].ShouldBe(atPost, 1e-12, "the trace as the postsynaptic spike at 50 ms reads it");
    }
}
