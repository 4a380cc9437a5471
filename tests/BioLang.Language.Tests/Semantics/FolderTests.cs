using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Units;
using static BioLang.Language.Tests.Semantics.Ir;

namespace BioLang.Language.Tests.Semantics;

public class FolderTests
{
    private static readonly IrVar V = Var(0, "v", Volt);

    [Fact]
    public void EvaluatesConstantArithmetic()
    {
        // 1 + 2 * 3 - 8 / 4 = 5
        var e = Sub(Add(C(1), Mul(C(2), C(3))), Div(C(8), C(4)));

        Folder.Fold(e).ShouldBe(new IrConst(5, Dimension.None));
    }

    [Fact]
    public void KeepsTheDimension()
    {
        var folded = Folder.Fold(Mul(C(2, Volt), C(3, Dimension.Current))).ShouldBeOfType<IrConst>();

        folded.Value.ShouldBe(6);
        folded.Dimension.ShouldBe(Volt * Dimension.Current);
    }

    [Fact]
    public void ParametersBecomeNumbers() =>
        Folder.Fold(Div(P("tau", 0.02, Second), C(2))).ShouldBe(new IrConst(0.01, Second));

    [Fact]
    public void ModuloIsFlooredWhenFolded() =>
        Value(new IrBinary(BinaryOp.Modulo, C(-7), C(3), default)).ShouldBe(2);

    [Fact]
    public void ComparisonsAndLogicFoldToBooleans()
    {
        var less = new IrBinary(BinaryOp.Less, C(1, Volt), C(2, Volt), default);
        var greater = new IrBinary(BinaryOp.Greater, C(1), C(2), default);

        Folder.Fold(less).ShouldBe(new IrBool(true));
        Folder.Fold(new IrBinary(BinaryOp.And, less, greater, default)).ShouldBe(new IrBool(false));
        Folder.Fold(new IrBinary(BinaryOp.Or, less, greater, default)).ShouldBe(new IrBool(true));
        Folder.Fold(new IrUnary(UnaryOp.Not, greater, default)).ShouldBe(new IrBool(true));
    }

    [Fact]
    public void AConstantConditionPicksItsBranch()
    {
        var pick = new IrCond(new IrBinary(BinaryOp.Greater, C(2), C(1), default), V, C(0, Volt), Volt);

        Folder.Fold(pick).ShouldBeSameAs(V);
    }

    [Fact]
    public void CallsOfConstantsAreEvaluated()
    {
        Value(Call(Builtin.Exp, default, C(0))).ShouldBe(1);
        Value(Call(Builtin.Clip, Volt, C(5, Volt), C(0, Volt), C(1, Volt))).ShouldBe(1);
        Value(Call(Builtin.Exprel, default, C(0))).ShouldBe(1);
    }

    /// <summary>Math.Pow costs tens of nanoseconds, a multiply one: x**2 and x**3 become products.</summary>
    [Fact]
    public void SmallIntegerPowersBecomeProducts()
    {
        var square = Folder.Fold(Pow(V, C(2), Volt.Pow(2))).ShouldBeOfType<IrBinary>();
        square.Op.ShouldBe(BinaryOp.Multiply);
        square.Left.ShouldBe(V);
        square.Right.ShouldBe(V);
        square.Dimension.ShouldBe(Volt.Pow(2));

        var cube = Folder.Fold(Pow(V, C(3), Volt.Pow(3))).ShouldBeOfType<IrBinary>();
        cube.Op.ShouldBe(BinaryOp.Multiply);
        cube.Left.ShouldBe(square);
        cube.Dimension.ShouldBe(Volt.Pow(3));

        Folder.Fold(Pow(V, C(4), Volt.Pow(4))).ShouldBeOfType<IrBinary>().Op.ShouldBe(BinaryOp.Power);
        Value(Pow(C(2), C(3), default)).ShouldBe(8);
    }

    [Fact]
    public void LeavesWhatDependsOnStateButFoldsInsideIt()
    {
        var e = Add(V, Mul(C(2, Volt), C(3)));

        var folded = Folder.Fold(e).ShouldBeOfType<IrBinary>();

        folded.Left.ShouldBe(V);
        folded.Right.ShouldBe(new IrConst(6, Volt));
        Folder.Evaluate(e).ShouldBeNull();
    }

    [Fact]
    public void FoldsStatements()
    {
        var assign = new IrAssign(V.Ref, Add(C(1, Volt), C(2, Volt)));
        var branch = new IrIf(new IrBinary(BinaryOp.Less, V, C(0, Volt), default), [assign], []);

        var folded = Folder.Fold(branch).ShouldBeOfType<IrIf>();

        folded.Then.ShouldHaveSingleItem().ShouldBeOfType<IrAssign>().Value.ShouldBe(new IrConst(3, Volt));
    }

    // ---- gathering constants ----------------------------------------------------------------------

    private static int Multiplies(IrExpr e) => e switch
    {
        IrBinary b => (b.Op == BinaryOp.Multiply ? 1 : 0) + Multiplies(b.Left) + Multiplies(b.Right),
        IrUnary u => 1 + Multiplies(u.Operand),
        IrCond c => Multiplies(c.Then) + Multiplies(c.Else),
        _ => 0,
    };

    private static readonly double[] Samples = [-0.065, -1e-9, 0, 3.7e-3, 12.5, 1e300];

    /// <summary>(-x)/tau is x · (-1/tau): the sign moves into the constant, which is exact, so the value is identical.</summary>
    [Fact]
    public void ANegationMovesIntoTheConstantExactly()
    {
        var e = Div(Neg(V), C(0.005, Second));

        var folded = Folder.Fold(e);

        Multiplies(folded).ShouldBe(1);
        foreach (var v in Samples)
            Eval(folded, new Dictionary<string, double> { ["v"] = v }).ShouldBe(-v * (1 / 0.005));
    }

    /// <summary>dt · ((-x)/tau) is one multiply by -dt/tau, equal to the step-by-step value within two ulps.</summary>
    [Fact]
    public void AChainOfConstantFactorsBecomesOneMultiply()
    {
        var e = Mul(C(1e-4, Second), Mul(C(3), Div(Neg(V), C(0.005, Second))));

        var folded = Folder.Fold(e);

        Multiplies(folded).ShouldBe(1);
        folded.Dimension.ShouldBe(Volt);
        foreach (var v in Samples)
        {
            var stepwise = 1e-4 * (3 * (-v / 0.005));
            Eval(folded, new Dictionary<string, double> { ["v"] = v }).ShouldBe(stepwise, Math.Abs(stepwise) * 4.5e-16);
        }
    }

    /// <summary>Forward Euler's decay x + x·c is x·(1 + c): one multiply, within two ulps of the two-operation form.</summary>
    [Fact]
    public void AnEulerDecayIsOneMultiply()
    {
        var e = Add(V, Mul(V, C(-0.02)));

        var folded = Folder.Fold(e).ShouldBeOfType<IrBinary>();

        folded.Op.ShouldBe(BinaryOp.Multiply);
        folded.Right.ShouldBe(new IrConst(0.98, Dimension.None));
        foreach (var v in Samples)
            Eval(folded, new Dictionary<string, double> { ["v"] = v }).ShouldBe(v + v * -0.02, Math.Abs(v) * 4.5e-16);
    }

    /// <summary>A factor reaches the constants inside a gated derivative: dt · (if v > -50 mV then v/tau else 0).</summary>
    [Fact]
    public void AFactorEntersTheBranchesOfAGatedDerivative()
    {
        var gated = new IrCond(new IrBinary(BinaryOp.Greater, V, C(-0.05, Volt), default), Div(V, C(0.02, Second)), C(0, Volt / Second), Volt / Second);

        var folded = Folder.Fold(Mul(C(1e-4, Second), gated)).ShouldBeOfType<IrCond>();

        Multiplies(folded).ShouldBe(1);
        folded.Else.ShouldBe(new IrConst(0, Volt));
        folded.Dimension.ShouldBe(Volt);
        var then = folded.Then.ShouldBeOfType<IrBinary>();
        then.Left.ShouldBe(V);
        Eval(then, new Dictionary<string, double> { ["v"] = -0.07 }).ShouldBe(1e-4 * (-0.07 * (1 / 0.02)), 1e-20);
    }
}
