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
}
