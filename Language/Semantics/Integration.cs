using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Text;

namespace BioLang.Language.Semantics;

/// <summary>
/// Chooses how a model's equations are integrated: exact when they are linear with constant
/// coefficients, else exponential Euler when each is linear in its own variable, else RK4.
/// An explicit <c>method</c> is checked for applicability.
/// </summary>
internal static class Integration
{
    public static readonly IReadOnlyDictionary<string, IntegrationMethod> Names = new Dictionary<string, IntegrationMethod>
    {
        ["exact"] = IntegrationMethod.Exact,
        ["linear"] = IntegrationMethod.Exact,
        ["exponential_euler"] = IntegrationMethod.ExponentialEuler,
        ["euler"] = IntegrationMethod.Euler,
        ["rk2"] = IntegrationMethod.Rk2,
        ["midpoint"] = IntegrationMethod.Rk2,
        ["rk4"] = IntegrationMethod.Rk4,
    };

    public static string NameOf(IntegrationMethod m) => m switch
    {
        IntegrationMethod.Exact => "exact",
        IntegrationMethod.ExponentialEuler => "exponential_euler",
        IntegrationMethod.Euler => "euler",
        IntegrationMethod.Rk2 => "rk2",
        _ => "rk4",
    };

    /// <summary>The linear system of the equations, if every coefficient is a compile-time constant.</summary>
    public static LinearSystemIR? TryLinear(ImmutableArray<StateVarIR> state, ImmutableArray<OdeIR> equations, out OdeIR? offender, VarScope scope = VarScope.Neuron)
    {
        offender = null;
        var odeVars = equations.Select(e => e.Var).ToImmutableArray();
        var forms = new List<Affine>();
        foreach (var eq in equations)
        {
            var form = Affine.Extract(eq.Rhs, v => v.Scope == scope);
            if (form is null || !Folder.IsConstant(Folder.Fold(form.Rest)) || form.Coefficients.Values.Any(c => !Folder.IsConstant(Folder.Fold(c))))
            {
                offender = eq;
                return null;
            }
            forms.Add(form);
        }
        var inputs = forms.SelectMany(f => f.Coefficients.Keys.Select(k => k.Index)).Where(i => !odeVars.Contains(i)).Distinct().Order().ToImmutableArray();
        var columns = odeVars.AddRange(inputs);
        var a = new double[odeVars.Length, columns.Length];
        var b = new double[odeVars.Length];
        for (var row = 0; row < forms.Count; row++)
        {
            foreach (var (v, c) in forms[row].Coefficients)
                a[row, columns.IndexOf(v.Index)] = Folder.Evaluate(c)!.Value;
            b[row] = Folder.Evaluate(forms[row].Rest)!.Value;
        }
        return new LinearSystemIR(odeVars, inputs, a, b);
    }

    public static bool IsConditionallyLinear(ImmutableArray<OdeIR> equations, out OdeIR? offender, VarScope scope = VarScope.Neuron)
    {
        foreach (var eq in equations)
            if (Affine.Extract(eq.Rhs, v => v.Scope == scope && v.Index == eq.Var) is null)
            {
                offender = eq;
                return false;
            }
        offender = null;
        return true;
    }

    public static (IntegrationMethod Method, LinearSystemIR? Linear) Choose(
        string owner, ImmutableArray<StateVarIR> state, ImmutableArray<OdeIR> equations, IntegrationMethod? requested, Span? requestSpan, Span? ownerSpan, DiagnosticBag diagnostics,
        VarScope scope = VarScope.Neuron)
    {
        var clock = equations.Where(e => e.Timing == OdeTiming.Clock).ToImmutableArray();
        if (clock.IsEmpty)
            return (requested ?? IntegrationMethod.Exact, null);
        var linear = TryLinear(state, clock, out var nonlinear, scope);
        switch (requested)
        {
            case IntegrationMethod.Exact when linear is null:
                diagnostics.Error(DiagnosticCodes.MethodNotApplicable, requestSpan,
                    $"method exact needs equations that are linear with constant coefficients, but d{state[nonlinear!.Var].Name}/dt is not; use exponential_euler, euler, rk2 or rk4");
                return (IntegrationMethod.Exact, null);
            case IntegrationMethod.Exact:
                return (IntegrationMethod.Exact, linear);
            case IntegrationMethod.ExponentialEuler when !IsConditionallyLinear(clock, out var bad, scope):
                diagnostics.Error(DiagnosticCodes.MethodNotApplicable, requestSpan,
                    $"method exponential_euler needs each equation to be linear in its own variable, but d{state[bad!.Var].Name}/dt is not linear in {state[bad.Var].Name}; use euler, rk2 or rk4");
                return (IntegrationMethod.ExponentialEuler, null);
            case { } m:
                return (m, null);
        }
        if (linear is not null)
        {
            diagnostics.Info(DiagnosticCodes.MethodChosen, ownerSpan, $"{owner}: integrated with exact (the equations are linear with constant coefficients)");
            return (IntegrationMethod.Exact, linear);
        }
        var why = $"d{state[nonlinear!.Var].Name}/dt is not linear with constant coefficients";
        if (IsConditionallyLinear(clock, out var notCond, scope))
        {
            diagnostics.Info(DiagnosticCodes.MethodChosen, ownerSpan, $"{owner}: integrated with exponential_euler ({why}; each equation is linear in its own variable)");
            return (IntegrationMethod.ExponentialEuler, null);
        }
        diagnostics.Info(DiagnosticCodes.MethodChosen, ownerSpan, $"{owner}: integrated with rk4 ({why}, and d{state[notCond!.Var].Name}/dt is not linear in {state[notCond.Var].Name}); write 'method euler' to match Brian2's choice");
        return (IntegrationMethod.Rk4, null);
    }
}
