using BioLang.Science.Tests.Support;

namespace BioLang.Science.Tests;

/// <summary>
/// The standard library's neuron and synapse models against independent truths: closed-form
/// results where they exist, else Brian2 2.5.1 simulating the same equations with the same method
/// and dt (numbers from /tmp scripts described next to each; the commands are in the comments).
/// </summary>
public sealed class NeuronModelTests
{
    private const double Dt = 1e-4;

    // ---- LIF ----------------------------------------------------------------------------------

    /// <summary>
    /// The interspike interval of a LIF neuron under a constant current, tau_ref + tau_m ln((R I +
    /// v_rest - v_reset) / (R I + v_rest - v_thresh)). On a grid the spike lands in the step after
    /// the crossing and refractoriness counts whole steps, so the simulated interval is within one
    /// step of it.
    /// </summary>
    [Theory]
    [InlineData(0.1)]
    [InlineData(2.0)]
    public void Lif_interval_matches_the_f_I_formula(double tauRefMs)
    {
        var currents = new[] { 0.8, 1.0, 1.5, 2.0, 3.0, 5.0 };
        var perNeuron = string.Concat(currents.Select((c, k) => $"if i = {k} then {c}<nA> else ")) + "0<nA>";
        using var network = Bnn.Run($"""
            open Neurons
            let P = population {currents.Length} Lif (tau_refrac = {tauRefMs}<ms>, I = {perNeuron})
            monitor spikes P
            run 1<s>
            """);
        for (var k = 0; k < currents.Length; k++)
        {
            double tauM = 20e-3, r = 20e6, vRest = -65e-3, vReset = -65e-3, vThresh = -50e-3;
            var ri = r * currents[k] * 1e-9;
            var expected = tauRefMs * 1e-3 + tauM * Math.Log((ri + vRest - vReset) / (ri + vRest - vThresh));
            var isi = network.SpikeTimes("P", k).Intervals();
            isi.Length.ShouldBeGreaterThan(10);
            isi.Average().ShouldBe(expected, Dt + 1e-9, $"I = {currents[k]} nA");
        }
    }

    [Fact]
    public void Lif_below_rheobase_stays_silent()
    {
        // R I = 14.9 mV < v_thresh - v_rest = 15 mV.
        using var network = Bnn.Run("open Neurons\nlet P = population 1 Lif (I = 0.745<nA>)\nmonitor spikes P\nmonitor P.v every 1<ms>\nrun 1<s>\n");
        network.SpikeTimes("P").ShouldBeEmpty();
        network.Trace("P.v")[^1].ShouldBe(-65e-3 + 20e6 * 0.745e-9, 1e-6);
    }

    // ---- Synapse shapes ---------------------------------------------------------------------

    /// <summary>
    /// PyNN/NEST normalisation: an exponential synapse jumps by w and decays with tau_syn; an alpha
    /// synapse of weight w peaks at w, tau_syn after the spike. A spike at 10 ms is delivered after
    /// that step's update, so its effect shows in the state at 10.1 ms.
    /// </summary>
    [Theory]
    [InlineData("LifCurrExp", "CurrExpExc", "I_e", 0.5e-9, "0.5<nA>", 5e-3, false)]
    [InlineData("LifCurrExp", "CurrExpInh", "I_i", -0.5e-9, "-0.5<nA>", 5e-3, false)]
    [InlineData("LifCondExp", "CondExpExc", "g_e", 10e-9, "10<nS>", 5e-3, false)]
    [InlineData("LifCondExp", "CondExpInh", "g_i", 10e-9, "10<nS>", 5e-3, false)]
    [InlineData("LifCurrAlpha", "CurrAlphaExc", "I_e", 0.5e-9, "0.5<nA>", 0.5e-3, true)]
    [InlineData("LifCurrAlpha", "CurrAlphaInh", "I_i", -0.5e-9, "-0.5<nA>", 0.5e-3, true)]
    [InlineData("LifCondAlpha", "CondAlphaExc", "g_e", 10e-9, "10<nS>", 0.3e-3, true)]
    [InlineData("LifCondAlpha", "CondAlphaInh", "g_i", 10e-9, "10<nS>", 0.5e-3, true)]
    public void Synapse_shape_follows_the_PyNN_convention(string neuron, string synapse, string variable, double w, string wText, double tau, bool alpha)
    {
        using var network = Bnn.Run($"""
            open Neurons
            open Synapses
            let src = spike_times 1 [(0, 10<ms>)]
            let P = population 1 {neuron} (v_thresh = 100<mV>)
            connect src -> P with {synapse} (w = {wText})
            monitor P.{variable} every 0.1<ms>
            run 20<ms>
            """);
        var trace = network.Trace($"P.{variable}");
        var arrival = 101;
        trace[arrival - 1].ShouldBe(0);
        if (alpha)
        {
            var peak = Enumerable.Range(0, trace.Length).MaxBy(k => Math.Abs(trace[k]));
            (peak - arrival).ShouldBe((int)Math.Round(tau / Dt));
            trace[peak].ShouldBe(w, Math.Abs(w) * 1e-3);
        }
        else
        {
            trace[arrival].ShouldBe(w, Math.Abs(w) * 1e-12);
            trace[arrival + 50].ShouldBe(w * Math.Exp(-5e-3 / tau), Math.Abs(w) * 1e-7);
        }
    }

    /// <summary>The PSP of a 10 nS conductance from rest, against a tight-tolerance ODE solution (scipy solve_ivp, rtol 1e-11).</summary>
    [Theory]
    [InlineData("LifCondExp", "CondExpExc", 2.0078761e-3)]
    [InlineData("LifCondAlpha", "CondAlphaExc", 0.4880344e-3)]
    public void Conductance_psp_is_accurate(string neuron, string synapse, double expectedPeak)
    {
        using var network = Bnn.Run($"""
            open Neurons
            open Synapses
            let src = spike_times 1 [(0, 10<ms>)]
            let P = population 1 {neuron} (v_thresh = 100<mV>)
            connect src -> P with {synapse} (w = 10<nS>)
            monitor P.v every 0.1<ms>
            run 40<ms>
            """);
        (network.Trace("P.v").Max() + 65e-3).ShouldBe(expectedPeak, expectedPeak * 2e-3);
    }

    // ---- Izhikevich -------------------------------------------------------------------------

    /// <summary>
    /// Regular spiking at I = 10 from t = 0, 1 s, Euler at 0.1 ms. Brian2 2.5.1 (numpy) with
    /// dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I)/ms, du/dt = a/ms*(b*v - u), v = -65 mV,
    /// u = b v, threshold v >= 30 mV: 23 spikes, the first at 3.3, 27.0, 72.1, 117.2 ms.
    /// </summary>
    [Fact]
    public void Izhikevich_RS_at_I_10_fires_as_in_Brian2()
    {
        using var network = Bnn.Run("open Neurons\nlet P = population 1 IzhikevichRS (I = 10<mV>)\nmonitor spikes P\nrun 1<s>\n");
        var times = network.SpikeTimes("P");
        times.Length.ShouldBe(23);
        times.Take(4).ShouldBe([3.3e-3, 27.0e-3, 72.1e-3, 117.2e-3], 1e-7);
        // Tonic with adaptation: the steady interval (45.1 ms) is twice the first (23.7 ms).
        times.Intervals()[^1].ShouldBe(45.1e-3, 0.11e-3);
    }

    // ---- AdEx -------------------------------------------------------------------------------

    /// <summary>
    /// Rheobase of AdExTonic (a saddle-node case: a / g_L = 0.2 &lt; tau_m / tau_w = 0.67): the
    /// largest steady current the I-V curve can balance, (g_L + a)(V_T - E_L - Delta_T +
    /// Delta_T ln(1 + a / g_L)) = 12 nS x 18.365 mV = 220.4 pA (Touboul and Brette 2008).
    /// </summary>
    [Fact]
    public void AdEx_rheobase_matches_the_closed_form()
    {
        var rheobase = 12e-9 * (20e-3 - 2e-3 + 2e-3 * Math.Log(1.2));
        rheobase.ShouldBe(220.4e-12, 0.1e-12);
        using var network = Bnn.Run("""
            open Neurons
            let below = population 1 AdExTonic (I = 216<pA>)
            let above = population 1 AdExTonic (I = 225<pA>)
            monitor spikes below
            monitor spikes above
            run 2<s>
            """);
        network.SpikeTimes("below").ShouldBeEmpty();
        network.SpikeTimes("above").Length.ShouldBeGreaterThan(5);
    }

    // ---- Hodgkin-Huxley ---------------------------------------------------------------------

    /// <summary>
    /// The COBAHH membrane under a constant current, 1 s, exponential Euler at 0.1 ms, gates from
    /// their steady state at -60 mV. Brian2 2.5.1 (numpy) with COBAHH's equations (rate functions
    /// through exprel), threshold v > -20 mV, refractory 3 ms: 30, 43, 76, 120 spikes at 0.1, 0.2,
    /// 0.5, 1 nA, peaks 48.82, 48.87, 49.01, 49.14 mV, troughs -87.61, -87.45, -87.02, -86.38 mV.
    /// </summary>
    [Fact]
    public void HodgkinHuxley_matches_Brian2()
    {
        using var network = Bnn.Run("""
            open Neurons
            let P = population 4 HodgkinHuxley (I = if i = 0 then 0.1<nA> else if i = 1 then 0.2<nA> else if i = 2 then 0.5<nA> else 1<nA>)
            monitor spikes P
            monitor P.v every 0.1<ms>
            run 1<s>
            """);
        int[] counts = [30, 43, 76, 120];
        double[] peaks = [48.819, 48.871, 49.006, 49.140];
        double[] troughs = [-87.613, -87.452, -87.024, -86.382];
        for (var k = 0; k < 4; k++)
        {
            network.SpikeTimes("P", k).Length.ShouldBe(counts[k]);
            var v = network.Trace("P.v", k);
            (v.Max() * 1e3).ShouldBe(peaks[k], 0.002);
            (v.Skip(v.Length / 2).Min() * 1e3).ShouldBe(troughs[k], 0.002);
        }
    }

    /// <summary>
    /// This membrane (V_T = -63 mV) is not at rest without input: it fires on its own every
    /// 74.7 ms, which is why COBAHH needs no external drive. Brian2 (as above): spikes at 11.6,
    /// 86.3, 161.1, 235.8 ms at I = 0 (14 in 1 s); silent at -0.05 nA, settling at -64.76 mV.
    /// </summary>
    [Fact]
    public void HodgkinHuxley_fires_alone_at_zero_current_as_in_Brian2()
    {
        using var network = Bnn.Run("""
            open Neurons
            let P = population 2 HodgkinHuxley (I = if i = 0 then 0<nA> else -0.05<nA>)
            monitor spikes P
            monitor P.v every 0.1<ms>
            run 1<s>
            """);
        var times = network.SpikeTimes("P", 0);
        times.Length.ShouldBe(14);
        times.Take(4).ShouldBe([11.6e-3, 86.3e-3, 161.1e-3, 235.8e-3], 1e-7);
        network.SpikeTimes("P", 1).ShouldBeEmpty();
        network.Trace("P.v", 1).Skip(5000).Min().ShouldBe(-64.7646e-3, 0.002e-3);
    }

    // ---- Inputs -----------------------------------------------------------------------------

    [Fact]
    public void RegularNeuron_spikes_on_its_period()
    {
        using var network = Bnn.Run("""
            open Inputs
            let R = population 2 RegularNeuron (rate = if i = 0 then 100<Hz> else 300<Hz>, t_next = i * 2<ms>)
            monitor spikes R
            run 1<s>
            """);
        var slow = network.SpikeTimes("R", 0);
        slow.Length.ShouldBe(100);
        slow.ShouldBe(Enumerable.Range(0, 100).Select(k => k * 10e-3).ToArray(), 1e-9);
        var fast = network.SpikeTimes("R", 1);
        fast.Length.ShouldBe(300);
        for (var k = 0; k < fast.Length; k++)
            fast[k].ShouldBe(2e-3 + k / 300.0, Dt / 2 + 1e-9);
    }

    [Fact]
    public void PoissonNeuron_has_its_rate_and_Poisson_counts()
    {
        using var network = Bnn.Run("""
            open Inputs
            let P = population 2000 PoissonNeuron (rate = 20<Hz>)
            monitor spikes P
            run 1<s>
            """);
        var counts = new double[2000];
        foreach (var (_, n) in network.Spikes("P"))
            counts[n]++;
        var mean = counts.Average();
        var variance = counts.Select(c => (c - mean) * (c - mean)).Average();
        mean.ShouldBe(20, 0.5);                  // 5 standard errors
        (variance / mean).ShouldBe(1.0, 0.1);    // Fano factor of a Poisson count (Bernoulli per step: 0.998)
    }

    /// <summary>poisson_count lam (rand ()) per step: mean, variance and P(0) of a Poisson(lam) count.</summary>
    [Theory]
    [InlineData(0.3)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    public void Poisson_count_is_Poisson(double lam)
    {
        using var network = Bnn.Run($"""
            open Inputs
            neuron Counter =
                parameters lam = {lam}
                state
                    n = 0
                equations
                    dn/dt = (poisson_count lam (rand ()) - n) / dt
                method euler
            let P = population 500 Counter
            monitor P.n every 0.1<ms>
            run 40<ms>
            """);
        var samples = Enumerable.Range(0, 500).SelectMany(k => network.Trace("P.n", k).Skip(1)).ToArray();
        samples.ShouldAllBe(x => x == Math.Round(x) && x >= 0 && x <= 16);
        var mean = samples.Average();
        var variance = samples.Select(x => (x - mean) * (x - mean)).Average();
        var se = Math.Sqrt(lam / samples.Length);
        mean.ShouldBe(lam, 5 * se);
        variance.ShouldBe(lam, 0.03 * lam + 5 * se);
        (samples.Count(x => x == 0) / (double)samples.Length).ShouldBe(Math.Exp(-lam), 0.01);
    }
}
