using BioLang.Language.IR;
using BioLang.Language.Units;

namespace BioLang.Runtime.CodeGen;

/// <summary>True while the neuron is not refractory: steps since its last spike ≥ its refractory period in steps.</summary>
internal sealed record IrNotRefractory() : IrExpr(Dimension.None, null)
{
    public override IrType Type => IrType.Bool;
}

/// <summary>Seconds since the synapse's last event, for advancing event-driven variables in closed form.</summary>
internal sealed record IrSinceLastUpdate() : IrExpr(Dimension.Time, null);

/// <summary>
/// e^{Rate·Δ}, Δ the seconds since the synapse's last event: the decay factor of its event-driven variables.
/// Kernels read it from a table indexed by the whole steps since the last event (computed with the same
/// expression, so the value is the same bit for bit) and call exp only past the table's end.
/// </summary>
internal sealed record IrDecay(double Rate) : IrExpr(Dimension.None, null);

/// <summary>Records that the synapse's event-driven variables are now current (lastupdate ← t).</summary>
internal sealed record IrMarkUpdated() : IrStmt((BioLang.Language.Text.Span?)null);

/// <summary>Rewrites of IR used while lowering: substitution of variables and of time.</summary>
internal static class IrRewrite
{
    /// <summary>Replaces variables for which <paramref name="map"/> answers, and t by t + <paramref name="timeOffset"/>.</summary>
    public static IrExpr Substitute(IrExpr e, Func<VarRef, IrExpr?> map, double timeOffset = 0) => e switch
    {
        IrVar v => map(v.Ref) ?? v,
        IrSpecial { Kind: Special.Time } s when timeOffset != 0 =>
            new IrBinary(BinaryOp.Add, s, new IrConst(timeOffset, Dimension.Time), Dimension.Time, s.Span),
        IrUnary u => u with { Operand = Substitute(u.Operand, map, timeOffset) },
        IrBinary b => b with { Left = Substitute(b.Left, map, timeOffset), Right = Substitute(b.Right, map, timeOffset) },
        IrCall c => c with { Arguments = [.. c.Arguments.Select(a => Substitute(a, map, timeOffset))] },
        IrCond c => c with { Condition = Substitute(c.Condition, map, timeOffset), Then = Substitute(c.Then, map, timeOffset), Else = Substitute(c.Else, map, timeOffset) },
        _ => e,
    };

    public static IrExpr Add(IrExpr a, IrExpr b) => new IrBinary(BinaryOp.Add, a, b, a.Dimension);

    public static IrExpr Mul(IrExpr a, IrExpr b) => new IrBinary(BinaryOp.Multiply, a, b, a.Dimension * b.Dimension);

    public static IrConst Const(double v) => new(v, Dimension.None);

    /// <summary>Every variable an expression or statement list reads.</summary>
    public static void Reads(IrExpr e, ISet<VarRef> into)
    {
        switch (e)
        {
            case IrVar v: into.Add(v.Ref); break;
            case IrUnary u: Reads(u.Operand, into); break;
            case IrBinary b: Reads(b.Left, into); Reads(b.Right, into); break;
            case IrCall c: foreach (var a in c.Arguments) Reads(a, into); break;
            case IrCond c: Reads(c.Condition, into); Reads(c.Then, into); Reads(c.Else, into); break;
        }
    }

    public static void Reads(IEnumerable<IrStmt> statements, ISet<VarRef> into)
    {
        foreach (var s in statements)
        {
            switch (s)
            {
                case IrAssign a: Reads(a.Value, into); break;
                case IrIf i: Reads(i.Condition, into); Reads(i.Then, into); Reads(i.Else, into); break;
            }
        }
    }

    /// <summary>Where the first statement that assigns the variable is.</summary>
    public static BioLang.Language.Text.Span? SpanOfWrite(IEnumerable<IrStmt> statements, VarScope scope, int index)
    {
        foreach (var statement in statements)
        {
            var span = statement switch
            {
                IrAssign a when a.Target.Scope == scope && a.Target.Index == index => a.Span,
                IrIf i => SpanOfWrite(i.Then, scope, index) ?? SpanOfWrite(i.Else, scope, index),
                _ => null,
            };
            if (span is not null)
                return span;
        }
        return null;
    }

    public static void Writes(IEnumerable<IrStmt> statements, ISet<VarRef> into)
    {
        foreach (var s in statements)
        {
            switch (s)
            {
                case IrAssign a: into.Add(a.Target); break;
                case IrIf i: Writes(i.Then, into); Writes(i.Else, into); break;
            }
        }
    }

    public static bool UsesRandom(IrExpr e) => e switch
    {
        IrRandom => true,
        IrUnary u => UsesRandom(u.Operand),
        IrBinary b => UsesRandom(b.Left) || UsesRandom(b.Right),
        IrCall c => c.Arguments.Any(UsesRandom),
        IrCond c => UsesRandom(c.Condition) || UsesRandom(c.Then) || UsesRandom(c.Else),
        _ => false,
    };

    public static bool UsesRandom(IEnumerable<IrStmt> statements) => statements.Any(s => s switch
    {
        IrAssign a => UsesRandom(a.Value),
        IrIf i => UsesRandom(i.Condition) || UsesRandom(i.Then) || UsesRandom(i.Else),
        _ => false,
    });

    public static int LocalCount(IEnumerable<IrStmt> statements)
    {
        var set = new HashSet<VarRef>();
        Reads(statements, set);
        Writes(statements, set);
        return set.Where(v => v.Scope == VarScope.Local).Select(v => v.Index + 1).DefaultIfEmpty(0).Max();
    }

    public static bool Mentions(IrExpr e, Func<IrExpr, bool> predicate) => predicate(e) || e switch
    {
        IrUnary u => Mentions(u.Operand, predicate),
        IrBinary b => Mentions(b.Left, predicate) || Mentions(b.Right, predicate),
        IrCall c => c.Arguments.Any(a => Mentions(a, predicate)),
        IrCond c => Mentions(c.Condition, predicate) || Mentions(c.Then, predicate) || Mentions(c.Else, predicate),
        _ => false,
    };
}
