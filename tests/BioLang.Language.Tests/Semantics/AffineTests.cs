using BioLang.Language.IR;
using BioLang.Language.Semantics;
using static BioLang.Language.Tests.Semantics.Ir;

namespace BioLang.Language.Tests.Semantics;

/// <summary>
/// Affine.Extract against the definition of an affine form: Σ coefficient·x + rest must equal the
/// expression for any values, with no chosen variable left in the coefficients or the rest.
/// </summary>
public class AffineTests
{
    private static readonly IrVar V = Var(0, "v", Volt);
    private static readonly IrVar W = Var(1, "w", Volt);
    private static readonly IrVar G = Var(2, "g", default);
    private static readonly IrParam Tau = P("tau", 0.01, Second);
    private static readonly IrParam E = P("E", -0.065, Volt);

    private static bool Any(VarRef _) => true;

    private static bool OnlyV(VarRef r) => r.Name == "v";

    private static readonly Dictionary<string, double>[] Samples =
    [
        new() { ["v"] = -0.07, ["w"] = 0.002, ["g"] = 3.5 },
        new() { ["v"] = 0.01, ["w"] = -0.04, ["g"] = 0.25 },
        new() { ["v"] = 0, ["w"] = 1, ["g"] = -2 },
    ];

    private static void ShouldReproduce(Affine form, IrExpr original, Func<VarRef, bool> isVar)
    {
        foreach (var (_, c) in form.Coefficients)
            Affine.Contains(c, isVar).ShouldBeFalse();
        Affine.Contains(form.Rest, isVar).ShouldBeFalse();
        foreach (var values in Samples)
        {
            var sum = Eval(form.Rest, values) + form.Coefficients.Sum(kv => Eval(kv.Value, values) * values[kv.Key.Name]);
            sum.ShouldBe(Eval(original, values), 1e-12 * Math.Max(1, Math.Abs(Eval(original, values))));
        }
    }

    [Fact]
    public void ALeakIsLinearWithConstantCoefficients()
    {
        var rhs = Div(Sub(E, V), Tau);

        var form = Affine.Extract(rhs, Any).ShouldNotBeNull();

        form.Coefficients.Keys.ShouldBe([V.Ref]);
        Value(form.Coefficients[V.Ref]).ShouldBe(-100.0, 1e-12);
        Value(form.Rest).ShouldBe(-6.5, 1e-12);
        ShouldReproduce(form, rhs, Any);
    }

    [Fact]
    public void CollectsEachVariableOnce()
    {
        // 2v + 3w - 5v - (w - 1 mV) / 4  =  -3v + 2.75w + 0.25 mV
        var rhs = Sub(Sub(Add(Mul(C(2), V), Mul(C(3), W)), Mul(C(5), V)), Div(Sub(W, C(0.001, Volt)), C(4)));

        var form = Affine.Extract(rhs, Any).ShouldNotBeNull();

        form.Coefficients.Count.ShouldBe(2);
        Value(form.Coefficients[V.Ref]).ShouldBe(-3.0, 1e-12);
        Value(form.Coefficients[W.Ref]).ShouldBe(2.75, 1e-12);
        Value(form.Rest).ShouldBe(0.00025, 1e-15);
        ShouldReproduce(form, rhs, Any);
    }

    [Fact]
    public void AConductanceTimesADrivingForceIsLinearInTheVoltageOnly()
    {
        var rhs = Div(Mul(G, Sub(E, V)), Tau);

        var inV = Affine.Extract(rhs, OnlyV).ShouldNotBeNull();

        inV.Coefficients.Keys.ShouldBe([V.Ref]);
        Affine.Contains(inV.Coefficients[V.Ref], r => r.Name == "g").ShouldBeTrue();
        Folder.Evaluate(inV.Coefficients[V.Ref]).ShouldBeNull();
        ShouldReproduce(inV, rhs, OnlyV);
        Affine.Extract(rhs, Any).ShouldBeNull();
    }

    [Fact]
    public void DividingByAnExpressionFreeOfTheVariableIsLinear()
    {
        var rhs = Div(V, Add(C(1), G));

        ShouldReproduce(Affine.Extract(rhs, OnlyV).ShouldNotBeNull(), rhs, OnlyV);
        Affine.Extract(rhs, Any).ShouldBeNull();
    }

    [Fact]
    public void NonlinearFormsHaveNoAffineForm()
    {
        Affine.Extract(Mul(V, V), OnlyV).ShouldBeNull();
        Affine.Extract(Pow(V, C(2), Volt.Pow(2)), OnlyV).ShouldBeNull();
        Affine.Extract(Call(Builtin.Exp, default, Div(V, C(1, Volt))), OnlyV).ShouldBeNull();
        Affine.Extract(Div(C(1), V), OnlyV).ShouldBeNull();
        Affine.Extract(new IrCond(new IrBinary(BinaryOp.Greater, V, C(0, Volt), default), V, C(0, Volt), Volt), OnlyV).ShouldBeNull();
    }

    [Fact]
    public void AnExpressionWithoutTheVariablesIsAllRest()
    {
        var rhs = Mul(G, E);

        var form = Affine.Extract(rhs, OnlyV).ShouldNotBeNull();

        form.Coefficients.ShouldBeEmpty();
        form.Rest.ShouldBeSameAs(rhs);
    }

    [Fact]
    public void NegationFlipsEveryCoefficient()
    {
        var rhs = Neg(Sub(Mul(C(2), V), E));

        var form = Affine.Extract(rhs, Any).ShouldNotBeNull();

        Value(form.Coefficients[V.Ref]).ShouldBe(-2.0);
        Value(form.Rest).ShouldBe(-0.065, 1e-15);
        ShouldReproduce(form, rhs, Any);
    }
}
