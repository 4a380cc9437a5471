using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Tests.Compilation;
using static BioLang.Language.Tests.Semantics.Ir;

namespace BioLang.Language.Tests.Semantics;

/// <summary>The linear system handed to the exact integrator, and the method the compiler picks.</summary>
public class IntegrationTests
{
    private const string TwoVariables = """
        neuron Linear =
            parameters tau = 10<ms>; R = 100<Mohm>; v_rest = -65<mV>
            state v = v_rest; I = 0<nA>; w = 0<mV>
            equations
                dv/dt = (v_rest - v + R * I - w) / tau
                dw/dt = (v - v_rest) / (2 * tau) - w / 100<ms>
        let P = population 1 Linear
        """;

    /// <summary>
    /// By hand, in SI units (tau = 0.01 s, R = 1e8 ohm, v_rest = -0.065 V), columns v, w, then the input I:
    /// dv/dt = -100 v - 100 w + 1e10 I - 6.5 and dw/dt = 50 v - 10 w + 3.25.
    /// </summary>
    [Fact]
    public void BuildsTheMatrixAndTheConstantTerm()
    {
        var model = Scripts.Neuron(TwoVariables, "P");

        model.Method.ShouldBe(IntegrationMethod.Exact);
        var linear = model.Linear.ShouldNotBeNull();
        linear.Vars.Select(i => model.State[i].Name).ShouldBe(["v", "w"]);
        linear.Inputs.Select(i => model.State[i].Name).ShouldBe(["I"]);
        double[,] a = { { -100, -100, 1e10 }, { 50, -10, 0 } };
        linear.A.GetLength(0).ShouldBe(2);
        linear.A.GetLength(1).ShouldBe(3);
        for (var r = 0; r < 2; r++)
        for (var c = 0; c < 3; c++)
            linear.A[r, c].ShouldBe(a[r, c], Math.Abs(a[r, c]) * 1e-12, $"A[{r},{c}]");
        linear.B[0].ShouldBe(-6.5, 1e-12);
        linear.B[1].ShouldBe(3.25, 1e-12);
    }

    [Fact]
    public void NamesTheFirstEquationThatIsNotLinear()
    {
        var v = Var(0, "v", Volt);
        var state = ImmutableArray.Create(new StateVarIR("v", Volt, C(0, Volt), null), new StateVarIR("u", Volt, C(0, Volt), null));
        var u = Var(1, "u", Volt);
        var linear = new OdeIR(1, Div(Neg(u), C(0.01, Second)), false, OdeTiming.Clock, null);
        var quadratic = new OdeIR(0, Div(Mul(v, v), C(1e-5, Volt * Second)), false, OdeTiming.Clock, null);

        Integration.TryLinear(state, [linear, quadratic], out var offender).ShouldBeNull();
        offender.ShouldBe(quadratic);
        Integration.TryLinear(state, [linear], out var none).ShouldNotBeNull();
        none.ShouldBeNull();
    }

    [Fact]
    public void ATimeDependentDriveIsNotExact()
    {
        var t = new IrSpecial(Special.Time, Second);
        var v = Var(0, "v", Volt);
        var state = ImmutableArray.Create(new StateVarIR("v", Volt, C(0, Volt), null));
        var ode = new OdeIR(0, Sub(Div(Neg(v), C(0.01, Second)), Mul(C(1, Volt / Second / Second), t)), false, OdeTiming.Clock, null);

        Integration.TryLinear(state, [ode], out _).ShouldBeNull();
        Integration.IsConditionallyLinear([ode], out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("dv/dt = -v / 10<ms>", IntegrationMethod.Exact, "exact (the equations are linear with constant coefficients)")]
    [InlineData("dv/dt = -g * v / 10<ms>", IntegrationMethod.ExponentialEuler, "exponential_euler (dv/dt is not linear with constant coefficients; each equation is linear in its own variable)")]
    [InlineData("dv/dt = -v * v / (1<mV> * 10<ms>)", IntegrationMethod.Rk4, "rk4 (dv/dt is not linear with constant coefficients, and dv/dt is not linear in v)")]
    [InlineData("dv/dt = -exp (v / 1<mV>) * 1<mV/ms>", IntegrationMethod.Rk4, "rk4 (dv/dt is not linear")]
    public void PicksTheMethodAndSaysWhy(string equation, IntegrationMethod method, string why)
    {
        var text = $"""
            neuron A =
                state v = 0<mV>; g = 1
                equations
                    {equation}
            let P = population 1 A
            """;

        var result = Scripts.Compile(text);

        result.Success.ShouldBeTrue(DiagnosticRenderer.Render(result.Diagnostics));
        result.Model!.Population("P").ShouldBeOfType<NeuronGroupIR>().Model.Method.ShouldBe(method);
        var info = result.Diagnostics.ShouldHaveSingleItem();
        info.Code.ShouldBe(DiagnosticCodes.MethodChosen);
        info.Severity.ShouldBe(Severity.Info);
        info.Span!.Value.Text.ShouldBe("A");
        info.Message.ShouldStartWith("population P (A): integrated with " + why);
    }

    [Theory]
    [InlineData("euler", IntegrationMethod.Euler)]
    [InlineData("rk2", IntegrationMethod.Rk2)]
    [InlineData("midpoint", IntegrationMethod.Rk2)]
    [InlineData("rk4", IntegrationMethod.Rk4)]
    [InlineData("exponential_euler", IntegrationMethod.ExponentialEuler)]
    [InlineData("exact", IntegrationMethod.Exact)]
    [InlineData("linear", IntegrationMethod.Exact)]
    public void AnApplicableMethodIsTakenAsWrittenWithoutAnInfo(string name, IntegrationMethod method)
    {
        var text = $"""
            neuron A =
                state v = 0<mV>
                equations dv/dt = -v / 10<ms>
                method {name}
            let P = population 1 A
            """;

        var result = Scripts.Compile(text);

        result.Diagnostics.ShouldBeEmpty();
        result.Model!.Population("P").ShouldBeOfType<NeuronGroupIR>().Model.Method.ShouldBe(method);
    }

    [Fact]
    public void ExactHandsOverTheLinearSystemEvenWhenAskedFor()
    {
        var model = Scripts.Neuron(TwoVariables.Replace("let P", "    method exact\nlet P"), "P");

        model.Method.ShouldBe(IntegrationMethod.Exact);
        model.Linear.ShouldNotBeNull();
    }
}
