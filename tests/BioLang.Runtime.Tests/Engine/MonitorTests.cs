using BioLang.Tests;
using BioLang.Runtime.Engine;

namespace BioLang.Runtime.Tests.Engine;

/// <summary>Monitors record what the schedule says: state at the start of a step, spikes after thresholds, rates per bin.</summary>
public sealed class MonitorTests
{
    [Fact]
    public void StateMonitor_SamplesEveryIntervalAtTheStartOfTheStep()
    {
        // v_i(t) = (1 + i) mV · e^{−t/τ}, integrated exactly, so each sample can be checked against the closed form.
        using var network = Simulate.Run("""
            neuron Decay =
                parameters tau = 4<ms>
                state
                    v = (1 + i) * 1<mV>
                equations
                    dv/dt = -v / tau
            dt = 0.1<ms>
            let P = population 6 Decay
            let Q = population 6 Decay
            monitor P.v [1; 4] every 0.5<ms>
            monitor Q.v every 2<ms>
            run 10.3<ms>
            """);

        var monitors = network.Monitors.OfType<StateMonitorRuntime>().ToArray();
        monitors.Length.ShouldBe(2);
        var sparse = monitors.Single(m => m.Indices.Count == 2);
        sparse.Indices.ShouldBe([1, 4]);
        // 103 steps (0 .. 102): samples at steps 0, 5, ..., 100.
        sparse.Steps.ToArray().ShouldBe(Enumerable.Range(0, 21).Select(k => 5L * k));
        sparse.Values.Count.ShouldBe(21 * 2);
        for (var k = 0; k < 21; k++)
        for (var n = 0; n < 2; n++)
        {
            var expected = (1 + sparse.Indices[n]) * 1e-3 * Math.Exp(-k * 5 * 1e-4 / 4e-3);
            sparse.Values.Buffer[k * 2 + n].ShouldBe(expected, 1e-12 * expected, $"sample {k}, neuron {sparse.Indices[n]}");
        }

        var all = monitors.Single(m => m.Indices.Count == 6);
        all.Indices.ShouldBe([0, 1, 2, 3, 4, 5]);
        all.Steps.ToArray().ShouldBe([0L, 20, 40, 60, 80, 100]);
        all.Values.Count.ShouldBe(36);
        all.Values.Buffer[5 * 6 + 5].ShouldBe(6e-3 * Math.Exp(-100 * 1e-4 / 4e-3), 1e-15);
    }

    [Fact]
    public void StateMonitor_OfASlice_RecordsTheSliceNeurons()
    {
        using var network = Simulate.Run("""
            neuron Tag =
                state
                    x = 100 + i
            dt = 1<ms>
            let P = population 10 Tag
            let Q = P[3 .. 7]
            monitor Q.x [0; 4]
            run 3<ms>
            """);

        var m = network.Monitors.OfType<StateMonitorRuntime>().Single();
        m.Indices.ShouldBe([3, 7]);
        m.Values.ToArray().ShouldBe([103.0, 107, 103, 107, 103, 107]);
    }

    private const string Inputs = """
        dt = 0.1<ms>
        let P = poisson 200 50<Hz>
        monitor spikes P
        monitor spikes P[20 .. 59]
        monitor rate P every 1<ms>
        monitor rate P[20 .. 59] every 2.5<ms>
        run 101.7<ms>
        """;

    [Fact]
    public void RateMonitor_EqualsSpikeCountsPerNeuronPerBin()
    {
        using var network = Simulate.Run(Inputs);
        var spikes = network.Spikes("P");
        spikes.Length.ShouldBeGreaterThan(500);

        var rates = network.Monitors.OfType<RateMonitorRuntime>().ToArray();
        var whole = rates.Single(r => r.Name == "rate_P");
        // 1017 steps in bins of 10: 101 complete bins, and 7 steps of a bin in progress.
        whole.Steps.ToArray().ShouldBe(Enumerable.Range(0, 101).Select(b => 10L * b));
        for (var b = 0; b < 101; b++)
        {
            var count = spikes.Count(s => s.Step / 10 == b);
            whole.RatesHz.Buffer[b].ShouldBe(count / (200 * 10 * 1e-4), 1e-9);
        }

        var slice = rates.Single(r => r.Name == "rate_P[20..59]");
        slice.Steps.ToArray().ShouldBe(Enumerable.Range(0, 40).Select(b => 25L * b));
        for (var b = 0; b < 40; b++)
        {
            var count = spikes.Count(s => s.Step / 25 == b && s.Neuron >= 20 && s.Neuron <= 59);
            slice.RatesHz.Buffer[b].ShouldBe(count / (40 * 25 * 1e-4), 1e-9);
        }

        // What outputs show: the completed bins, then the last 7 steps (1010 .. 1016) as a bin of their own.
        var (steps, hz) = whole.Bins();
        steps.ShouldBe(Enumerable.Range(0, 102).Select(b => 10L * b));
        hz[..101].ShouldBe(whole.RatesHz.ToArray());
        hz[101].ShouldBe(spikes.Count(s => s.Step >= 1010) / (200 * 7 * 1e-4), 1e-9);
        var (sliceSteps, sliceHz) = slice.Bins();
        sliceSteps[^1].ShouldBe(1000);
        sliceHz[^1].ShouldBe(spikes.Count(s => s.Step >= 1000 && s.Neuron >= 20 && s.Neuron <= 59) / (40 * 17 * 1e-4), 1e-9);
    }

    [Fact]
    public void RateMonitor_BinsEndingExactlyAtTheEndOfTheRun_HaveNoPartialBin()
    {
        using var network = Simulate.Run(Inputs.Replace("run 101.7<ms>", "run 100<ms>"));
        var whole = network.Monitors.OfType<RateMonitorRuntime>().Single(r => r.Name == "rate_P");
        whole.Bins().Steps.ShouldBe(whole.Steps.ToArray());
        whole.Bins().Steps.Length.ShouldBe(100);
    }

    [Fact]
    public void SpikeMonitor_OfASlice_RecordsOnlyItsNeurons_RelativeToTheSlice()
    {
        using var network = Simulate.Run(Inputs);
        var all = network.Spikes("P");
        var slice = network.Spikes("P[20..59]");

        network.SpikeMonitor("P[20..59]").Size.ShouldBe(40);
        slice.ShouldBe(all.Where(s => s.Neuron >= 20 && s.Neuron <= 59).Select(s => (s.Step, s.Neuron - 20)));
    }
}
