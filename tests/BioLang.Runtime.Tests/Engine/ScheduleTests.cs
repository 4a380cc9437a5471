using BioLang.Tests;
using BioLang.Runtime.CodeGen;

namespace BioLang.Runtime.Tests.Engine;

/// <summary>Resets and the order of a step (Brian2's schedule: state monitors, update and threshold, spike monitors, synapses, resets).</summary>
public sealed class ScheduleTests
{
    public static TheoryData<string> Backends => new() { "compiled", "interpreter" };

    private static IBackend Backend(string name) => name == "interpreter" ? new Interpreter() : new ExpressionTreeBackend();

    /// <summary>
    /// v ramps at 0.7 mV per step (exact for dv/dt = const) and resets to minus its overshoot; every third
    /// spike takes the 'then' block, the others the 'else' line. The same scheme written by hand below.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void Reset_WithLetAndIfBlocks_MatchesTheSchemeByHand(string backend)
    {
        using var network = Simulate.Run("""
            neuron Ramp =
                state
                    v = 0<mV>
                    n = 0
                    big = 0
                    small = 0
                    last = 0<mV>
                equations
                    dv/dt = 7<mV/ms>
                spike when v > 1<mV>
                reset
                    let over = v - 1<mV>
                    v <- -over
                    last <- over
                    n += 1
                    if n >= 3 then
                        n <- 0
                        big += 1
                    else
                        small += 1
                    if over > 0.3<mV> then v -= 0.1<mV>
            dt = 0.1<ms>
            let P = population 1 Ramp
            monitor spikes P
            run 20<ms>
            """, Backend(backend));

        double v = 0, n = 0, big = 0, small = 0, last = 0;
        var spikes = new List<long>();
        for (long step = 0; step < 200; step++)
        {
            v += 0.7e-3;
            if (!(v > 1e-3))
                continue;
            spikes.Add(step);
            var over = v - 1e-3;
            v = -over;
            last = over;
            n += 1;
            if (n >= 3)
            {
                n = 0;
                big += 1;
            }
            else
                small += 1;
            if (over > 0.3e-3)
                v -= 0.1e-3;
        }

        spikes.Count.ShouldBeGreaterThan(30);
        network.Spikes("P").Select(s => s.Step).ShouldBe(spikes);
        big.ShouldBeGreaterThan(5);
        network.Var("P", "big")[0].ShouldBe(big);
        network.Var("P", "small")[0].ShouldBe(small);
        network.Var("P", "n")[0].ShouldBe(n);
        network.Var("P", "v")[0].ShouldBe(v, 1e-15);
        network.Var("P", "last")[0].ShouldBe(last, 1e-15);
    }

    /// <summary>
    /// 'else if' chains in a reset, an 'every' block and an 'on pre' handler: each spike takes the
    /// branch its count selects, so the counters after 20 ms follow from the spike count by hand.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void ElseIfChains_TakeTheFirstBranchWhoseConditionHolds(string backend)
    {
        using var network = Simulate.Run("""
            neuron Ramp =
                state
                    v = 0<mV>
                    n = 0
                    first = 0
                    second = 0
                    rest = 0
                    ticks = 0
                equations
                    dv/dt = 7<mV/ms>
                spike when v > 1<mV>
                reset
                    v <- 0<mV>
                    n += 1
                    if n <= 1 then
                        first += 1
                    else if n <= 3 then
                        second += 1
                    else
                        rest += 1
                every 1<ms>
                    if t < 5<ms> then ticks += 1
                    else if t < 10<ms> then ticks += 10
                    else ticks += 100
            neuron Probe =
                state
                    low = 0
                    mid = 0
                    high = 0
            synapse Sort =
                on pre
                    if pre.n <= 1 then
                        post.low += 1
                    else if pre.n <= 3 then
                        post.mid += 1
                    else
                        post.high += 1
            dt = 0.1<ms>
            let P = population 1 Ramp
            let Q = population 1 Probe
            connect P -> Q with Sort
            monitor spikes P
            run 20<ms>
            """, Backend(backend));

        // 0.7 mV per step: v > 1 mV at the end of every second step. The handler runs before the reset, so it sees n - 1.
        var count = network.Spikes("P").Length;
        count.ShouldBe(100);
        network.Var("P", "first")[0].ShouldBe(1);
        network.Var("P", "second")[0].ShouldBe(2);
        network.Var("P", "rest")[0].ShouldBe(count - 3);
        network.Var("Q", "low")[0].ShouldBe(2);
        network.Var("Q", "mid")[0].ShouldBe(2);
        network.Var("Q", "high")[0].ShouldBe(count - 4);
        // 'every 1 ms' runs at t = 0, 1, .., 19 ms: five ticks of each of the first two branches, ten of the last.
        network.Var("P", "ticks")[0].ShouldBe(5 + 50 + 1000);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Synapses_SeeThePresynapticStateBeforeTheReset(string backend)
    {
        // The pre neuron crosses 1 mV by a known overshoot; on pre copies pre.v, which the reset then sets to 0.
        using var network = Simulate.Run("""
            neuron Ramp =
                state
                    v = 0<mV>
                equations
                    dv/dt = 3<mV/ms>
                spike when v > 1<mV>
                reset
                    v <- 0<mV>
            neuron Probe =
                state
                    seen = 0<mV>
            synapse Copy =
                on pre
                    post.seen += pre.v
            dt = 0.1<ms>
            let A = population 1 Ramp
            let B = population 1 Probe
            connect A -> B with Copy
            monitor spikes A
            run 1<ms>
            """, Backend(backend));

        // 0.3 mV per step: v > 1 mV first at the end of step 3 (1.2 mV); reset, again at step 7, and steps 8 and 9 do not reach it.
        network.Spikes("A").Select(s => s.Step).ShouldBe([3L, 7L]);
        network.Var("B", "seen")[0].ShouldBe(2 * 1.2e-3, 1e-15);
    }

    [Fact]
    public void SpikingPostNeuron_ReceivesInputBeforeItsReset()
    {
        // A and B spike in the same step; A -> B adds 5 mV to B's v before B's reset sets it to 0: the reset wins.
        using var network = Simulate.Run("""
            neuron Fire =
                state
                    v = 2<mV>
                spike when v > 1<mV>
                reset
                    v <- 0<mV>
            synapse Push =
                on pre
                    post.v += 5<mV>
            dt = 0.1<ms>
            let A = population 1 Fire
            let B = population 1 Fire
            connect A -> B with Push
            monitor spikes B
            run 0.3<ms>
            """);

        network.Spikes("B").Select(s => s.Step).ShouldBe([0L]);
        network.Var("B", "v")[0].ShouldBe(0);
    }
}
