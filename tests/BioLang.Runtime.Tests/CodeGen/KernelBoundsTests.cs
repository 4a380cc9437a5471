using System.Collections.Immutable;
using BioLang.Language.IR;
using BioLang.Runtime.CodeGen;

namespace BioLang.Runtime.Tests.CodeGen;

/// <summary>
/// The vector neuron kernels load and store without per-access bounds checks; each checks once, before its loop,
/// that every array holds the range it was given. A range past the arrays must throw, never touch other memory.
/// </summary>
public sealed class KernelBoundsTests
{
    private static readonly VarRef V = new(VarScope.Neuron, 0, "v");

    /// <summary>v ← v·0.5 + 1, threshold v > 100 (never), refractory 2 steps.</summary>
    private static NeuronUpdateSpec Spec => new("bounds",
        [new IrAssign(V, new IrBinary(BinaryOp.Add, new IrBinary(BinaryOp.Multiply, new IrVar(V, default), new IrConst(0.5, default), default), new IrConst(1, default), default))],
        new IrBinary(BinaryOp.Greater, new IrVar(V, default), new IrConst(100, default), default),
        new IrConst(2, default),
        1);

    private static NeuronArrays Arrays(int n) => new()
    {
        Vars = [new double[n]],
        LastSpike = Enumerable.Repeat(-1000L, n).ToArray(),
        Spikes = new int[n],
        Sentinel = new double[1],
        Seed = 1,
    };

    public static TheoryData<string> Shapes
    {
        get
        {
            var data = new TheoryData<string> { "numerics" };
            if (SimdShape.Wide is not null)
                data.Add("wide");
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AKernel_GivenTheWholeRange_UpdatesEveryNeuron(string shape)
    {
        var kernel = NeuronUpdateCompiler.Compile(Spec, 1e-4, vectorize: true, shape == "wide" ? SimdShape.Wide : SimdShape.Numerics);
        var g = Arrays(37);

        kernel(g, 0, 37, 0, 0).ShouldBe(0);

        g.Vars[0].ShouldAllBe(v => v == 1);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AKernel_GivenARangePastItsArrays_ThrowsAndWritesNothing(string shape)
    {
        var kernel = NeuronUpdateCompiler.Compile(Spec, 1e-4, vectorize: true, shape == "wide" ? SimdShape.Wide : SimdShape.Numerics);
        // 40 neurons' worth of range over arrays of 32 (an exact number of vectors, so the vector loop gets all of it).
        var g = Arrays(32);

        Should.Throw<IndexOutOfRangeException>(() => kernel(g, 0, 40, 0, 0));

        g.Vars[0].ShouldAllBe(v => v == 0);
    }
}
