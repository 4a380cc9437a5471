using BioLang.Tests;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Engine;

namespace BioLang.Runtime.Tests.Engine;

/// <summary>
/// Synaptic delays: a spike emitted in step s through a synapse with delay d runs its <c>on pre</c>
/// handler in step s + round(d/dt), so its effect shows in the state sampled at the start of step s + round(d/dt) + 1.
/// </summary>
public sealed class DelayTests
{
    private const string Models = """
        neuron Counter =
            state
                x = 0
        synapse Kick =
            parameters w = 1
            on pre
                post.x += w
        dt = 0.1<ms>

        """;

    public static TheoryData<string> Backends => new() { "compiled", "interpreter" };

    private static IBackend Backend(string name) => name == "interpreter" ? new Interpreter() : new ExpressionTreeBackend();

    /// <summary>x of each monitored neuron at the start of every step: [neuron][step].</summary>
    private static double[][] Trace(Network network)
    {
        var m = network.Monitors.OfType<StateMonitorRuntime>().Single();
        var width = m.Indices.Count;
        m.Steps.ToArray().ShouldBe(Enumerable.Range(0, m.Steps.Count).Select(s => (long)s));
        return Enumerable.Range(0, width).Select(n => Enumerable.Range(0, m.Steps.Count).Select(k => m.Values.Buffer[k * width + n]).ToArray()).ToArray();
    }

    /// <summary>The trace of a counter that receives weight w at each of the given delivery steps.</summary>
    private static double[] Expected(int steps, params (long Step, double W)[] deliveries) =>
        Enumerable.Range(0, steps).Select(k => deliveries.Where(d => d.Step < k).Sum(d => d.W)).ToArray();

    [Theory]
    [MemberData(nameof(Backends))]
    public void ConstantDelay_ArrivesRoundDOverDtStepsLater(string backend)
    {
        using var network = Simulate.Run(Models + """
            let S = spike_times 1 [(0, 1<ms>)]
            let B = population 3 Counter
            connect S -> B with Kick delay 2.34<ms>
            monitor B.x every 0.1<ms>
            run 5<ms>
            """, Backend(backend));

        foreach (var trace in Trace(network))
            trace.ShouldBe(Expected(50, (10 + 23, 1)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void NoDelay_DeliversInTheSpikingStep(string backend)
    {
        using var network = Simulate.Run(Models + """
            let S = spike_times 1 [(0, 1<ms>)]
            let B = population 1 Counter
            connect S -> B with Kick
            monitor B.x every 0.1<ms>
            run 2<ms>
            """, Backend(backend));

        Trace(network)[0].ShouldBe(Expected(20, (10, 1)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void SynapseModelDelay_IsUsed_AndConnectDelayWins(string backend)
    {
        using var network = Simulate.Run("""
            neuron Counter =
                state
                    x = 0
            synapse Slow =
                on pre
                    post.x += 1
                delay 1.5<ms>
            dt = 0.1<ms>
            let S = spike_times 1 [(0, 1<ms>)]
            let B = population 2 Counter
            connect S -> B[0 .. 0] with Slow
            connect S -> B[1 .. 1] with Slow delay 0.7<ms>
            monitor B.x every 0.1<ms>
            run 4<ms>
            """, Backend(backend));

        var trace = Trace(network);
        trace[0].ShouldBe(Expected(40, (10 + 15, 1)));
        trace[1].ShouldBe(Expected(40, (10 + 7, 1)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void SpikesInFlight_LongerDelayThanInterval_EachArrivesOnTime(string backend)
    {
        // Ten spikes 1 ms apart through a 5.47 ms delay (55 steps): several wait in the ring at once.
        var times = string.Join("; ", Enumerable.Range(1, 10).Select(k => $"(0, {k}<ms>)"));
        using var network = Simulate.Run(Models + $"""
            let S = spike_times 1 [{times}]
            let B = population 1 Counter
            connect S -> B with Kick delay 5.47<ms>
            monitor B.x every 0.1<ms>
            run 20<ms>
            """, Backend(backend));

        Trace(network)[0].ShouldBe(Expected(200, Enumerable.Range(1, 10).Select(k => ((long)(10 * k + 55), 1.0)).ToArray()));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void PerSynapseDelay_EachSynapseArrivesAfterItsOwnRoundedDelay(string backend)
    {
        // d(i, j) = (i + 0.33 j) ms: round(10 i + 3.3 j) steps; the weight tells the two presynaptic neurons apart.
        using var network = Simulate.Run("""
            neuron Counter =
                state
                    x = 0
            synapse Tagged =
                on pre
                    post.x += 1 + 10 * i
            dt = 0.1<ms>
            let S = spike_times 2 [(0, 1<ms>); (1, 2<ms>); (0, 6<ms>)]
            let B = population 6 Counter
            connect S -> B with Tagged delay ((i + 0.33 * j) * 1<ms>)
            monitor B.x every 0.1<ms>
            run 12<ms>
            """, Backend(backend));

        var trace = Trace(network);
        for (var j = 0; j < 6; j++)
        {
            var d0 = (long)Math.Round(3.3 * j, MidpointRounding.AwayFromZero);
            var d1 = (long)Math.Round(10 + 3.3 * j, MidpointRounding.AwayFromZero);
            trace[j].ShouldBe(Expected(120, (10 + d0, 1), (20 + d1, 11), (60 + d0, 1)), $"post {j}");
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void RandomPerSynapseDelay_StaysInItsRangeAndVaries(string backend)
    {
        using var network = Simulate.Run(Models + """
            let S = spike_times 1 [(0, 1<ms>)]
            let B = population 200 Counter
            connect S -> B with Kick delay (uniform 1<ms> 3<ms>)
            monitor B.x every 0.1<ms>
            run 5<ms>
            """, Backend(backend));

        var arrivals = Trace(network).Select(t => Array.FindIndex(t, x => x == 1) - 1).ToArray();
        arrivals.ShouldAllBe(step => step >= 10 + 10 && step <= 10 + 30);
        // Delays round to 10 .. 30 steps; each of the 19 inner values has probability 1/20 per synapse, so 200
        // synapses miss one of them with probability below 19·(19/20)^200 ≈ 7e-4. The two ends are half as likely.
        arrivals.Distinct().Count().ShouldBeGreaterThanOrEqualTo(19);
        arrivals.Average().ShouldBe(30, 5 * 5.8 / Math.Sqrt(200));
    }
}
