using BioLang.Tests;
using BioLang.Language.Diagnostics;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Engine;

namespace BioLang.Runtime.Tests.Engine;

/// <summary>A run that cannot go on stops with a diagnostic that says where and why, never with a stack trace or garbage.</summary>
public sealed class SafetyTests
{
    // Only neuron 'bad' has k = 1; with dt = 10 ms Euler multiplies its v by 11 every step, so it overflows
    // after about 300 steps while its neighbours stay finite.
    private const string Explosive = """
        neuron Unstable =
            state
                v = 1<mV>
                k = if i = bad then 1 else 0
            equations
                dv/dt = k * v / 1<ms>
            method euler

        dt = 10<ms>
        let N = 4
        let bad = 2
        let Runaway = population N Unstable
        run 10<s>
        """;

    /// <summary>Backend, threads, size, the neuron that blows up: 5000 neurons on two threads puts neuron 4000 in the second worker's range.</summary>
    public static TheoryData<string, int, int, int> Cases => new()
    {
        { "compiled", 1, 4, 2 },
        { "interpreter", 1, 4, 2 },
        { "compiled", 2, 5000, 4000 },
        { "compiled", 2, 5000, 7 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BlowUp_StopsWithBL0601_NamingPopulationVariableNeuronAndEquation(string backend, int threads, int size, int bad)
    {
        var model = Simulate.Compile(Explosive, new Dictionary<string, string> { ["N"] = $"{size}", ["bad"] = $"{bad}" }, "explosive.bnn");
        using var network = Simulate.Build(model, backend == "interpreter" ? new Interpreter() : null, threads: threads);

        var error = Should.Throw<SimulationException>(() => network.Run(1000));

        var d = error.Diagnostic;
        d.Code.ShouldBe("BL0601");
        d.Severity.ShouldBe(Severity.Error);
        d.Message.ShouldContain("'Runaway'");
        d.Message.ShouldContain($"v of neuron {bad} ");
        d.Message.ShouldContain("infinity");
        var span = d.Span.ShouldNotBeNull();
        span.Source.Path.ShouldBe("explosive.bnn");
        span.Line.ShouldBe(Explosive.Split('\n').ToList().FindIndex(l => l.Contains("dv/dt")) + 1);
        d.ToString().ShouldStartWith($"explosive.bnn({span.Line},");
        // The run stops in the step that overflowed: the one where the Euler step v + v·(dt / 1 ms) (dt folded into
        // the constant at compile time: v + 10·v, in volts) first is infinite.
        var step = 0;
        for (var v = 1e-3; double.IsFinite(v + v * 10); v += v * 10)
            step++;
        step.ShouldBeInRange(290, 300);
        network.Step.ShouldBe(step);
        d.Message.ShouldContain($"(step {step})");
    }

    [Fact]
    public void NaN_FromAnEquation_IsCaughtToo()
    {
        // sqrt of a negative number: NaN in the first step.
        var model = Simulate.Compile("""
            neuron Bad =
                state
                    x = -1
                equations
                    dx/dt = sqrt x / 1<ms>
                method euler
            let P = population 3 Bad
            run 1<ms>
            """);
        using var network = Simulate.Build(model);

        var error = Should.Throw<SimulationException>(() => network.Run(10));

        error.Diagnostic.Code.ShouldBe("BL0601");
        error.Diagnostic.Message.ShouldContain("x of neuron 0 in population 'P' became NaN");
    }

    private const string Huge = """
        neuron Dot =
            state
                x = 0
        synapse Syn =
            on pre
                post.x += 1
        let P = population 20000 Dot
        connect P -> P with Syn all_to_all
        run 1<ms>
        """;

    [Fact]
    public void TooBigForMemory_IsRefusedWithBL0602_BeforeAllocating()
    {
        var model = Simulate.Compile(Huge);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Should.Throw<SimulationException>(() =>
            Network.Build(model, new NetworkOptions { AvailableMemory = 64L << 20 }));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        error.Diagnostic.Code.ShouldBe("BL0602");
        error.Diagnostic.Message.ShouldContain("nothing was allocated");
        error.Diagnostic.Message.ShouldContain("64 MiB");
        // 4·10^8 synapses would take gigabytes; refusing took a few kilobytes.
        allocated.ShouldBeLessThan(1L << 20);
    }

    [Fact]
    public void MoreSynapsesThanOneProjectionCanIndex_IsRefusedWithBL0602_WhateverTheMemory()
    {
        // 50,000² = 2.5·10⁹ synapses: more than an int-indexed array holds, though a big machine has the 50 GB.
        var model = Simulate.Compile(Huge.Replace("20000", "50000"), path: "huge.bnn");

        var error = Should.Throw<SimulationException>(() => MemoryEstimate.Check(model, long.MaxValue));

        error.Diagnostic.Code.ShouldBe("BL0602");
        error.Diagnostic.Message.ShouldContain("P->P");
        error.Diagnostic.Message.ShouldContain("2,500,000,000 synapses");
        error.Diagnostic.Span.ShouldNotBeNull().Line.ShouldBe(Huge.Split('\n').ToList().FindIndex(l => l.StartsWith("connect")) + 1);
        // Just under the limit passes this check (and is then judged by memory alone).
        MemoryEstimate.Check(Simulate.Compile(Huge.Replace("20000", "46000")), long.MaxValue);
    }

    [Fact]
    public void FitsInMemory_IsNotRefused()
    {
        var model = Simulate.Compile(Huge.Replace("20000", "200"));
        using var network = Network.Build(model, new NetworkOptions { AvailableMemory = 64L << 20 });
        network.Projections[0].SynapseCount.ShouldBe(40000);
    }

    // ---- synapses ------------------------------------------------------------------------------

    // The synapses of presynaptic neuron 'bad' grow their weight a thousandfold at each of its spikes
    // and overflow after about a hundred.
    private const string Synaptic = """
        neuron Leaky =
            parameters tau = 10<ms>
            state
                v = 0
                I = 0
            equations
                dv/dt = (I - v) / tau
                dI/dt = -I / 5<ms>

        synapse Runaway =
            parameters growth = 1000
            state
                w = 1e-3
                gain = if i = bad then growth else 1
            on pre
                post.I += 1e-6
                w <- w * gain

        synapse Pump =
            on pre
                post.I <- post.I * 1e30 + 1

        synapse Slow =
            state w = if i = bad then 10 else 1
            every 1<ms>
                w <- w * w

        // Spikes at steps 9, 19, 29, ...: c reaches 10 in the tenth update after each reset.
        neuron Ticker =
            state c = 0
            every dt
                c <- c + 1
            spike when c >= 10
            reset
                c <- 0

        let bad = 3
        let inp = population 6 Ticker
        let P = population 4 Leaky
        connect inp -> P with Runaway all_to_all
        """;

    private static SimulationException Blow(string script, string backend, int threads = 1)
    {
        var model = Simulate.Compile(script, path: "synapses.bnn");
        using var network = Simulate.Build(model, backend == "interpreter" ? new Interpreter() : null, threads: threads);
        return Should.Throw<SimulationException>(() => network.Run(2000));
    }

    private static int LineOf(string script, string text) => script.Split('\n').ToList().FindIndex(l => l.Contains(text)) + 1;

    [Theory]
    [InlineData("compiled")]
    [InlineData("interpreter")]
    public void SynapseStateBlowUp_InOnPre_NamesTheVariableSynapseProjectionAndStatement(string backend)
    {
        var d = Blow(Synaptic, backend).Diagnostic;

        d.Code.ShouldBe("BL0601");
        d.Message.ShouldStartWith("w of synapse 3 -> ");
        d.Message.ShouldContain("+infinity");
        d.Message.ShouldContain("in on pre of projection 'inp->P'");
        d.Span.ShouldNotBeNull().Line.ShouldBe(LineOf(Synaptic, "w <- w * gain"));
        // 1e-3 · 1000^k first overflows at the k-th spike, which falls in step 10k - 1.
        var k = 0;
        for (var w = 1e-3; double.IsFinite(w); w *= 1000)
            k++;
        d.Message.ShouldContain($"(step {10 * k - 1})");
    }

    [Theory]
    [InlineData("compiled")]
    [InlineData("interpreter")]
    public void PostsynapticBlowUp_InOnPre_NamesTheNeuronAndTheHandlersStatement(string backend)
    {
        var script = Synaptic.Replace("with Runaway all_to_all", "with Pump all_to_all");
        var d = Blow(script, backend).Diagnostic;

        d.Message.ShouldStartWith("post.I of neuron ");
        d.Message.ShouldContain("in population 'P'");
        d.Message.ShouldContain("in on pre of projection 'inp->P'");
        d.Span.ShouldNotBeNull().Line.ShouldBe(LineOf(script, "post.I <- post.I * 1e30 + 1"));
    }

    /// <summary>A periodic block over a projection large enough for the vector kernel and for two workers.</summary>
    [Theory]
    [InlineData("compiled", 1)]
    [InlineData("compiled", 2)]
    [InlineData("interpreter", 1)]
    public void SynapseStateBlowUp_InAPeriodicBlock_IsCaughtOnEveryKernelPath(string backend, int threads)
    {
        var script = Synaptic
            .Replace("let P = population 4 Leaky", "let P = population 20000 Leaky")
            .Replace("with Runaway all_to_all", "with Slow fixed_indegree 3");
        var d = Blow(script, backend, threads).Diagnostic;

        d.Message.ShouldContain("w of synapse 3 -> ");
        d.Message.ShouldContain("in every 1 ms of projection 'inp->P'");
        // 10^(2^k) overflows at k = 9 (10^512): the ninth block, at the end of step 80.
        d.Message.ShouldContain("(step 80)");
        d.Span.ShouldNotBeNull().Line.ShouldBe(LineOf(script, "w <- w * w"));
    }

    /// <summary>Finite values whose sum overflows raise the kernel's flag; the look that follows finds nothing and the run goes on.</summary>
    [Fact]
    public void HugeButFiniteSynapseValues_DoNotStopTheRun()
    {
        var script = Synaptic.Replace("w = 1e-3", "w = 1e308").Replace("gain = if i = bad then growth else 1", "gain = 1");
        var model = Simulate.Compile(script);
        using var network = Simulate.Build(model);
        network.Run(500);
        network.Projections[0].Arrays.NotFinite.ShouldBeFalse();
        network.Projections[0].Arrays.Get(0, 0).ShouldBe(1e308);
    }

    /// <summary>A reset that overflows is named as the reset, not as the equation that would meet the value a step later.</summary>
    [Theory]
    [InlineData("compiled")]
    [InlineData("interpreter")]
    public void ResetBlowUp_NamesTheResetStatement(string backend)
    {
        const string script = """
            neuron Growing =
                state
                    c = 0
                    k = 1
                every dt
                    c <- c + 1
                spike when c >= 10
                reset
                    c <- 0
                    if c = 0 then
                        k <- k * 1e200
            let P = population 3 Growing
            """;
        var d = Blow(script, backend).Diagnostic;

        // k = 1e200, then 1e400: the second spike, in step 19.
        d.Message.ShouldBe("k of neuron 0 in population 'P' became +infinity at t = 2 ms (step 19), in its reset");
        d.Span.ShouldNotBeNull().Line.ShouldBe(LineOf(script, "k <- k * 1e200"));
    }
}
