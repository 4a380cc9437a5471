using System.Collections.Immutable;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Units;
using BioLang.Runtime.Numerics;
using static BioLang.Runtime.CodeGen.IrRewrite;

namespace BioLang.Runtime.CodeGen;

/// <summary>
/// Lowers a system of ODEs to the statements of one integration step (Brian2's "abstract code"):
/// every derivative is evaluated from the values at the start of the step, then all variables are
/// assigned. Equations marked <c>(unless refractory)</c> have their derivative gated by
/// <see cref="IrNotRefractory"/>, which holds those variables fixed while refractory.
/// </summary>
internal sealed class StateUpdater(VarScope scope, int firstLocal, double dt)
{
    private int _nextLocal = firstLocal;

    public int LocalCount => _nextLocal;

    private IrVar NewLocal(string name, Dimension dimension) =>
        new(new VarRef(VarScope.Local, _nextLocal++, name), dimension);

    private static readonly IrExpr NotRefractory = new IrNotRefractory();

    public ImmutableArray<IrStmt> Lower(IntegrationMethod method, ImmutableArray<OdeIR> equations, IReadOnlyList<StateVarIR> state, LinearSystemIR? linear, bool hasRefractory)
    {
        if (equations.IsEmpty)
            return [];
        return method switch
        {
            IntegrationMethod.Exact => Exact(equations, state, linear ?? throw new InvalidOperationException("exact integration without a linear system"), hasRefractory),
            IntegrationMethod.ExponentialEuler => ExponentialEuler(equations, state, hasRefractory),
            IntegrationMethod.Euler => Euler(equations, state, hasRefractory),
            IntegrationMethod.Rk2 => RungeKutta(equations, state, hasRefractory, [0.5], [0.0, 1.0]),
            _ => RungeKutta(equations, state, hasRefractory, [0.5, 0.5, 1.0], [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6]),
        };
    }

    private IrVar Var(OdeIR eq, IReadOnlyList<StateVarIR> state) => new(new VarRef(scope, eq.Var, state[eq.Var].Name), state[eq.Var].Dimension);

    private static IrExpr Gated(OdeIR eq, IrExpr rhs, bool hasRefractory) =>
        eq.UnlessRefractory && hasRefractory ? new IrCond(NotRefractory, rhs, new IrConst(0, rhs.Dimension), rhs.Dimension) : rhs;

    /// <summary>
    /// Forward Euler, x ← x + dt·f(x), with dt folded into f's constants (ge + dt·(-ge/tau_e) is one multiply,
    /// ge·(1 - dt/tau_e)). An increment is computed into a local before any update only when its equation reads a
    /// variable updated before it; otherwise it is written straight into the update.
    /// </summary>
    private ImmutableArray<IrStmt> Euler(ImmutableArray<OdeIR> eqs, IReadOnlyList<StateVarIR> state, bool hasRefractory)
    {
        var statements = ImmutableArray.CreateBuilder<IrStmt>();
        var updates = new List<IrStmt>();
        var updatedBefore = new HashSet<VarRef>();
        foreach (var eq in eqs)
        {
            var x = Var(eq, state);
            var rhs = Substitute(eq.Rhs, _ => null);
            var increment = Folder.Fold(Mul(Const(dt), Gated(eq, rhs, hasRefractory)));
            var reads = new HashSet<VarRef>();
            Reads(rhs, reads);
            if (reads.Overlaps(updatedBefore))
            {
                var k = NewLocal($"dx_{x.Ref.Name}", x.Dimension);
                statements.Add(new IrAssign(k.Ref, increment));
                increment = k;
            }
            updates.Add(new IrAssign(x.Ref, Folder.Fold(Add(x, increment))));
            updatedBefore.Add(x.Ref);
        }
        statements.AddRange(updates);
        return statements.ToImmutable();
    }

    /// <summary>
    /// Explicit Runge–Kutta with a diagonal tableau: stage s evaluates f at x + c_s·dt·k_{s-1} (and t + c_s·dt);
    /// x ← x + dt Σ b_s k_s. Euler is (b = [1]), midpoint (c = [1/2], b = [0, 1]), classical RK4 (c = [1/2, 1/2, 1], b = [1/6, 1/3, 1/3, 1/6]).
    /// </summary>
    private ImmutableArray<IrStmt> RungeKutta(ImmutableArray<OdeIR> eqs, IReadOnlyList<StateVarIR> state, bool hasRefractory, double[] c, double[] b)
    {
        var statements = ImmutableArray.CreateBuilder<IrStmt>();
        var vars = eqs.Select(e => Var(e, state)).ToArray();
        var stages = new List<IrVar[]>();
        Dictionary<VarRef, IrExpr>? point = null;
        for (var s = 0; s < b.Length; s++)
        {
            var offset = s == 0 ? 0 : c[s - 1] * dt;
            var k = new IrVar[eqs.Length];
            for (var e = 0; e < eqs.Length; e++)
            {
                var at = point;
                var rhs = Substitute(eqs[e].Rhs, v => at is not null && at.TryGetValue(v, out var x) ? x : null, offset);
                k[e] = NewLocal($"k{s + 1}_{vars[e].Ref.Name}", rhs.Dimension);
                statements.Add(new IrAssign(k[e].Ref, Folder.Fold(Gated(eqs[e], rhs, hasRefractory))));
            }
            stages.Add(k);
            if (s + 1 < b.Length)
            {
                point = new Dictionary<VarRef, IrExpr>();
                for (var e = 0; e < eqs.Length; e++)
                {
                    var x = NewLocal($"x{s + 2}_{vars[e].Ref.Name}", vars[e].Dimension);
                    statements.Add(new IrAssign(x.Ref, Add(vars[e], Mul(Const(c[s] * dt), k[e]))));
                    point[vars[e].Ref] = x;
                }
            }
        }
        for (var e = 0; e < eqs.Length; e++)
        {
            IrExpr? sum = null;
            for (var s = 0; s < b.Length; s++)
            {
                if (b[s] == 0) continue;
                var term = b[s] == 1 ? (IrExpr)stages[s][e] : Mul(Const(b[s]), stages[s][e]);
                sum = sum is null ? term : Add(sum, term);
            }
            statements.Add(new IrAssign(vars[e].Ref, Add(vars[e], Mul(Const(dt), sum!))));
        }
        return statements.ToImmutable();
    }

    /// <summary>
    /// Exponential Euler for dx/dt = A x + B with A, B evaluated at the start of the step:
    /// x ← x + (A x + B)·dt·exprel(A dt), which is Brian2's −B/A + (x + B/A)e^{A dt} without the division by A.
    /// </summary>
    private ImmutableArray<IrStmt> ExponentialEuler(ImmutableArray<OdeIR> eqs, IReadOnlyList<StateVarIR> state, bool hasRefractory)
    {
        var statements = ImmutableArray.CreateBuilder<IrStmt>();
        var updated = new List<(IrVar Var, IrVar New)>();
        foreach (var eq in eqs)
        {
            var x = Var(eq, state);
            var form = Affine.Extract(eq.Rhs, v => v == x.Ref) ?? throw new InvalidOperationException("not conditionally linear");
            var a = form.Coefficients.TryGetValue(x.Ref, out var coefficient) ? Folder.Fold(coefficient) : new IrConst(0, Dimension.Frequency);
            var rhs = Folder.Fold(Add(Mul(a, x), form.Rest));
            IrExpr increment = Folder.TryValue(a, out var av) && av == 0
                ? Mul(Const(dt), rhs)
                : Mul(rhs, Mul(Const(dt), new IrCall(Builtin.Exprel, [Mul(a, Const(dt))], Dimension.None)));
            var next = NewLocal($"new_{x.Ref.Name}", x.Dimension);
            var value = Folder.Fold(Add(x, increment));
            if (eq.UnlessRefractory && hasRefractory)
                value = new IrCond(NotRefractory, value, x, x.Dimension);
            statements.Add(new IrAssign(next.Ref, value));
            updated.Add((x, next));
        }
        foreach (var (x, next) in updated)
            statements.Add(new IrAssign(x.Ref, next));
        return statements.ToImmutable();
    }

    /// <summary>
    /// Exact integration of dX/dt = A X + b: X ← Φ X + Γ, with Φ = e^{A dt} and Γ from the augmented
    /// matrix (Van Loan 1978), inputs (state without equations) held constant over the step. With
    /// refractoriness a second propagator holds the gated variables fixed, chosen per neuron.
    /// </summary>
    private ImmutableArray<IrStmt> Exact(ImmutableArray<OdeIR> eqs, IReadOnlyList<StateVarIR> state, LinearSystemIR system, bool hasRefractory)
    {
        var columns = system.Vars.AddRange(system.Inputs);
        var rows = system.Vars.Length;
        var size = columns.Length;
        var free = Propagate(system, held: null);
        var gated = eqs.Where(e => e.UnlessRefractory && hasRefractory).Select(e => system.Vars.IndexOf(e.Var)).ToHashSet();
        var clamped = gated.Count > 0 ? Propagate(system, gated) : null;

        IrExpr Row(LinearPropagator p, int row)
        {
            IrExpr? sum = null;
            for (var col = 0; col < size; col++)
            {
                var phi = p.Phi[row, col];
                if (phi == 0) continue;
                var x = new IrVar(new VarRef(scope, columns[col], state[columns[col]].Name), state[columns[col]].Dimension);
                IrExpr term = phi == 1 ? x : Mul(Const(phi), x);
                sum = sum is null ? term : Add(sum, term);
            }
            var gamma = p.Gamma[row];
            var dimension = state[system.Vars[row]].Dimension;
            if (gamma != 0 || sum is null)
                sum = sum is null ? new IrConst(gamma, dimension) : Add(sum, new IrConst(gamma, dimension));
            return sum with { Dimension = dimension };
        }

        var statements = ImmutableArray.CreateBuilder<IrStmt>();
        var news = new IrVar[rows];
        for (var r = 0; r < rows; r++)
        {
            var name = state[system.Vars[r]].Name;
            news[r] = NewLocal("new_" + name, state[system.Vars[r]].Dimension);
            var value = Row(free, r);
            // Rows that do not depend on a held variable are the same in both propagators: no choice to make.
            if (clamped is not null && Row(clamped, r) is var held && IrPrinter.Print(held) != IrPrinter.Print(value))
                value = new IrCond(NotRefractory, value, held, value.Dimension);
            statements.Add(new IrAssign(news[r].Ref, value));
        }
        for (var r = 0; r < rows; r++)
            statements.Add(new IrAssign(new VarRef(scope, system.Vars[r], state[system.Vars[r]].Name), news[r]));
        return statements.ToImmutable();
    }

    private LinearPropagator Propagate(LinearSystemIR system, HashSet<int>? held)
    {
        var rows = system.Vars.Length;
        var size = rows + system.Inputs.Length;
        var a = new double[size, size];
        var b = new double[size];
        for (var r = 0; r < rows; r++)
        {
            if (held?.Contains(r) == true) continue;
            for (var col = 0; col < size; col++)
                a[r, col] = system.A[r, col];
            b[r] = system.B[r];
        }
        return LinearPropagator.For(a, b, dt);
    }
}
