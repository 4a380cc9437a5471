using BioLang.Tests;
using System.Globalization;

namespace BioLang.Science.Tests;

/// <summary>Single-neuron dynamics against closed forms and against independently written loops.</summary>
public sealed class NeuronDynamicsTests
{
    private const double Dt = 1e-5; // 0.01 ms

    // tau_m = 10 ms, R = 100 Mohm, reset = rest = -70 mV, threshold -50 mV: rheobase R·I = 20 mV, I = 0.2 nA.
    private const double TauM = 10e-3, R = 100e6, VTh = -50e-3, VReset = -70e-3, TRef = 2e-3;

    private const string Lif = """
        neuron Lif =
            parameters
                tau_m = 10<ms>; R = 100<Mohm>; v_rest = -70<mV>; v_reset = -70<mV>; v_th = -50<mV>
                I_e = I_drive
            state
                v = -70<mV>
            equations
                dv/dt = (v_rest - v + R * I_e) / tau_m  (unless refractory)
            spike when v > v_th
            reset
                v <- v_reset
            refractory 2<ms>

        dt = 0.01<ms>
        let I_drive = 0<nA>
        let P = population 1 Lif
        monitor spikes P
        run 1<s>
        """;

    private static Dictionary<string, string> Drive(double nanoamps) =>
        new() { ["I_drive"] = nanoamps.ToString("R", CultureInfo.InvariantCulture) + "<nA>" };

    /// <summary>Time from reset to threshold for constant current: v(t) = v_reset + R I (1 − e^{−t/τ}).</summary>
    private static double TimeToThreshold(double current) => TauM * Math.Log(R * current / (R * current - (VTh - VReset)));

    [Theory]
    [InlineData(0.21)]
    [InlineData(0.25)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Lif_FiringRateAboveRheobase_MatchesTheAnalyticFICurve(double nanoamps)
    {
        var current = nanoamps * 1e-9;
        var model = Simulate.Compile(Lif, Drive(nanoamps));
        using var network = Simulate.Run(model);

        var steps = network.Spikes("P").Select(s => s.Step).ToArray();
        steps.Length.ShouldBeGreaterThan(10);
        var isis = steps.Zip(steps.Skip(1), (a, b) => (b - a) * Dt).ToArray();
        var period = TRef + TimeToThreshold(current);
        var rate = 1 / isis.Average();

        rate.ShouldBe(1 / period, 0.01 / period, $"measured {rate:0.###} Hz");
        // Exact integration leaves only the threshold crossing on the step grid: every interval is within one step of the analytic one.
        foreach (var isi in isis)
            Math.Abs(isi - period).ShouldBeLessThanOrEqualTo(Dt * (1 + 1e-9));
        // The first spike has no refractory period before it.
        (steps[0] * Dt).ShouldBe(TimeToThreshold(current), Dt * (1 + 1e-9));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.199)]
    public void Lif_BelowRheobase_NeverFires(double nanoamps)
    {
        var current = nanoamps * 1e-9;
        var model = Simulate.Compile(Lif, Drive(nanoamps));
        using var network = Simulate.Run(model);

        network.Spikes("P").ShouldBeEmpty();
        // ...and relaxes to v_rest + R I, below threshold.
        network.Var("P", "v")[0].ShouldBe(VReset + R * current, 1e-9);
    }

    private const string Izhikevich = """
        // Izhikevich (2003), regular spiking: v in mV, t in ms, written without units as in the paper.
        neuron Izhikevich =
            parameters
                a = 0.02; b = 0.2; c = -65; d = 8; I = 10
            state
                v = -65
                u = 0.2 * -65
            equations
                dv/dt = (0.04 * v * v + 5 * v + 140 - u + I) / 1<ms>
                du/dt = a * (b * v - u) / 1<ms>
            spike when v >= 30
            reset
                v <- c
                u += d
            method euler

        dt = 0.1<ms>
        let P = population 1 Izhikevich
        monitor spikes P
        run 1<s>
        """;

    /// <summary>
    /// The same scheme by hand: forward Euler with both derivatives taken at the start of the step (as
    /// BioLang's Euler and Brian2's do), then threshold, then reset.
    /// </summary>
    private static List<long> IzhikevichByHand()
    {
        const double dt = 0.1, a = 0.02, b = 0.2, c = -65, d = 8, current = 10;
        double v = -65, u = b * v;
        var spikes = new List<long>();
        for (long step = 0; step < 10_000; step++)
        {
            var dv = 0.04 * v * v + 5 * v + 140 - u + current;
            var du = a * (b * v - u);
            v += dt * dv;
            u += dt * du;
            if (v >= 30)
            {
                spikes.Add(step);
                v = c;
                u += d;
            }
        }
        return spikes;
    }

    [Fact]
    public void Izhikevich_RegularSpiking_Fires23AdaptingSpikesInOneSecond()
    {
        using var network = Simulate.Run(Izhikevich);

        var steps = network.Spikes("P").Select(s => s.Step).ToArray();
        steps.Length.ShouldBe(23);
        steps.ShouldBe(IzhikevichByHand());
        var isis = steps.Zip(steps.Skip(1), (x, y) => y - x).ToArray();
        // Spike-frequency adaptation: intervals never shrink, and the second is much longer than the first.
        for (var k = 1; k < isis.Length; k++)
            isis[k].ShouldBeGreaterThanOrEqualTo(isis[k - 1]);
        isis[1].ShouldBeGreaterThan(isis[0] * 3 / 2);
    }

    private const string Hammered = """
        neuron Driven =
            parameters
                tau_m = 10<ms>; v_reset = -70<mV>; v_th = -50<mV>
            state
                v = -70<mV>
            equations
                dv/dt = (-70<mV> - v + 10<V>) / tau_m  (unless refractory)
            spike when v > v_th
            reset
                v <- v_reset
            refractory 5<ms>
            method METHOD

        dt = 0.1<ms>
        let P = population 1 Driven
        monitor spikes P
        monitor P.v every 0.1<ms>
        run 200<ms>
        """;

    [Theory]
    [InlineData("exact")]
    [InlineData("exponential_euler")]
    [InlineData("euler")]
    [InlineData("rk2")]
    [InlineData("rk4")]
    public void Refractoriness_HardDrivenNeuron_FiresOncePerPeriodAndStaysAtReset(string method)
    {
        using var network = Simulate.Run(Hammered.Replace("METHOD", method));
        const int refractorySteps = 50;

        var spikes = network.Spikes("P").Select(s => s.Step).ToArray();
        // The drive crosses threshold within one step of integration, so the refractory period alone sets the rhythm.
        spikes[0].ShouldBe(0);
        spikes.Zip(spikes.Skip(1), (a, b) => b - a).ShouldAllBe(isi => isi == refractorySteps);
        spikes.Length.ShouldBe(2000 / refractorySteps);

        var monitor = network.Monitors.OfType<BioLang.Runtime.Engine.StateMonitorRuntime>().Single();
        var v = monitor.Values.ToArray();
        monitor.Steps.ToArray().ShouldBe(Enumerable.Range(0, 2000).Select(s => (long)s));
        foreach (var s in spikes)
        {
            // Samples are taken at the start of a step: from the step after the spike to the step where
            // integration resumes, v is exactly the reset value.
            for (var k = s + 1; k <= Math.Min(s + refractorySteps, 1999); k++)
                v[k].ShouldBe(-70e-3, $"v at step {k}, {k - s} steps after the spike at {s}");
        }
    }
}
