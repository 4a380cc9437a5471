using System.Collections.Immutable;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Units;
using static BioLang.Runtime.CodeGen.IrRewrite;

namespace BioLang.Runtime.CodeGen;

/// <summary>
/// Lowers the parts of a synapse model that are not plain statements: event-driven variables are
/// advanced in closed form at the start of every handler from the synapse's last event (as Brian2
/// does for "(event-driven)" equations), and the handler then marks the synapse as current.
/// </summary>
internal static class SynapseLowering
{
    public static bool HasEventDriven(SynapseIR synapse) => synapse.Equations.Any(e => e.Timing == OdeTiming.Event);

    /// <summary>The handler with the event-driven advance before it and the lastupdate mark after it.</summary>
    public static ImmutableArray<IrStmt> Handler(SynapseIR synapse, ImmutableArray<IrStmt> handler)
    {
        if (handler.IsEmpty || !HasEventDriven(synapse))
            return handler;
        return Advance(synapse, LocalCount(handler)).AddRange(handler).Add(new IrMarkUpdated());
    }

    /// <summary>
    /// x ← x·e^{aΔ} + (b/a)(e^{aΔ} − 1) for dx/dt = a·x + b, Δ the time since the last event (x + bΔ when a = 0).
    /// Variables with the same rate a (pre- and postsynaptic traces with one time constant) share one decay factor,
    /// held in a local numbered from <paramref name="firstLocal"/>.
    /// </summary>
    private static ImmutableArray<IrStmt> Advance(SynapseIR synapse, int firstLocal)
    {
        var statements = ImmutableArray.CreateBuilder<IrStmt>();
        var since = new IrSinceLastUpdate();
        var decays = new Dictionary<double, IrVar>();
        IrVar Decay(double rate)
        {
            if (!decays.TryGetValue(rate, out var local))
            {
                local = new IrVar(new VarRef(VarScope.Local, firstLocal + decays.Count, $"decay{decays.Count}"), Dimension.None);
                decays[rate] = local;
                statements.Add(new IrAssign(local.Ref, new IrDecay(rate)));
            }
            return local;
        }
        foreach (var eq in synapse.Equations.Where(e => e.Timing == OdeTiming.Event))
        {
            var variable = synapse.State[eq.Var];
            var x = new IrVar(new VarRef(VarScope.Synapse, eq.Var, variable.Name), variable.Dimension);
            var form = Affine.Extract(eq.Rhs, v => v == x.Ref) ?? throw new InvalidOperationException("event-driven equation is not linear");
            var coefficientExpr = form.Coefficients.TryGetValue(x.Ref, out var coefficient) ? Folder.Fold(coefficient) : new IrConst(0, Dimension.Frequency);
            var restExpr = Folder.Fold(form.Rest);
            if (!Folder.TryValue(coefficientExpr, out var a) || !Folder.TryValue(restExpr, out var b))
            {
                // Per-synapse coefficients (constant between events): x·e^{aΔ} + b·Δ·exprel(aΔ), which holds for a = 0 too.
                var aDelta = Mul(coefficientExpr, since);
                var general = Add(Mul(x, new IrCall(Builtin.Exp, [aDelta], Dimension.None)),
                    Mul(Mul(restExpr, since), new IrCall(Builtin.Exprel, [aDelta], Dimension.None)));
                statements.Add(new IrAssign(x.Ref, general with { Dimension = variable.Dimension }, eq.Span));
                continue;
            }
            IrExpr value;
            if (a == 0)
            {
                if (b == 0)
                    continue;
                value = Add(x, Mul(new IrConst(b, variable.Dimension / Dimension.Time), since));
            }
            else
            {
                var decay = Decay(a);
                value = Mul(x, decay);
                if (b != 0)
                    value = Add(value, Mul(new IrConst(b / a, variable.Dimension), new IrBinary(BinaryOp.Subtract, decay, Const(1), Dimension.None)));
            }
            statements.Add(new IrAssign(x.Ref, value with { Dimension = variable.Dimension }, eq.Span));
        }
        return statements.ToImmutable();
    }

    /// <summary>True when a handler reads the presynaptic neuron's variables or index, so kernels need each synapse's presynaptic index.</summary>
    public static bool NeedsPreIndex(IEnumerable<IrStmt> statements)
    {
        var list = statements.ToList();
        var vars = new HashSet<VarRef>();
        Reads(list, vars);
        Writes(list, vars);
        return vars.Any(v => v.Scope == VarScope.Pre) || list.Any(MentionsI);
    }

    private static bool MentionsI(IrStmt s) => s switch
    {
        IrAssign a => Mentions(a.Value, e => e is IrSpecial { Kind: Special.I }),
        IrIf i => Mentions(i.Condition, e => e is IrSpecial { Kind: Special.I }) || i.Then.Any(MentionsI) || i.Else.Any(MentionsI),
        _ => false,
    };
}
