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
}
