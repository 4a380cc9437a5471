using BioLang.Language.IR;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

/// <summary>
/// An expression written as Σ coefficient·x + rest over a chosen set of variables x, where neither
/// the coefficients nor the rest contain those variables. This is what linearity means for the
/// integration methods: exact needs it over all state with constant coefficients, exponential
/// Euler over each equation's own variable (Brian2's "conditionally linear").
/// </summary>
public sealed class Affine
{
    private Affine(Dictionary<VarRef, IrExpr> coefficients, IrExpr rest)
    {
        Coefficients = coefficients;
        Rest = rest;
    }

    public IReadOnlyDictionary<VarRef, IrExpr> Coefficients { get; }

    public IrExpr Rest { get; }

    /// <summary>The affine form over the variables <paramref name="isVar"/> selects, or null if the expression is not affine in them.</summary>
    public static Affine? Extract(IrExpr e, Func<VarRef, bool> isVar)
    {
        if (!Contains(e, isVar))
            return new Affine([], e);
        switch (e)
        {
            case IrVar v:
                return new Affine(new() { [v.Ref] = new IrConst(1, Dimension.None) }, new IrConst(0, e.Dimension));
            case IrUnary { Op: UnaryOp.Negate } u:
                return Extract(u.Operand, isVar) is { } a ? a.Scale(x => Negate(x)) : null;
            case IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract } b:
            {
                var l = Extract(b.Left, isVar);
                var r = Extract(b.Right, isVar);
                if (l is null || r is null)
                    return null;
                var sign = b.Op == BinaryOp.Add ? 1 : -1;
                var coefficients = new Dictionary<VarRef, IrExpr>(l.Coefficients);
                foreach (var (v, c) in r.Coefficients)
                    coefficients[v] = coefficients.TryGetValue(v, out var existing) ? Combine(existing, c, sign) : sign > 0 ? c : Negate(c);
                return new Affine(coefficients, Combine(l.Rest, r.Rest, sign));
            }
            case IrBinary { Op: BinaryOp.Multiply } b:
            {
                if (!Contains(b.Left, isVar))
                    return Extract(b.Right, isVar)?.Scale(x => Multiply(b.Left, x));
                if (!Contains(b.Right, isVar))
                    return Extract(b.Left, isVar)?.Scale(x => Multiply(x, b.Right));
                return null;
            }
            case IrBinary { Op: BinaryOp.Divide } b when !Contains(b.Right, isVar):
                return Extract(b.Left, isVar)?.Scale(x => Divide(x, b.Right));
            default:
                return null;
        }
    }

    private Affine Scale(Func<IrExpr, IrExpr> f) =>
        new(Coefficients.ToDictionary(kv => kv.Key, kv => f(kv.Value)), f(Rest));

    public static bool Contains(IrExpr e, Func<VarRef, bool> isVar) => e switch
    {
        IrVar v => isVar(v.Ref),
        IrUnary u => Contains(u.Operand, isVar),
        IrBinary b => Contains(b.Left, isVar) || Contains(b.Right, isVar),
        IrCall c => c.Arguments.Any(a => Contains(a, isVar)),
        IrCond c => Contains(c.Condition, isVar) || Contains(c.Then, isVar) || Contains(c.Else, isVar),
        _ => false,
    };

    private static bool IsZero(IrExpr e) => Folder.TryValue(e, out var v) && v == 0;

    private static bool IsOne(IrExpr e) => Folder.TryValue(e, out var v) && v == 1;

    private static IrExpr Negate(IrExpr e) =>
        Folder.TryValue(e, out var v) ? new IrConst(-v, e.Dimension) : new IrUnary(UnaryOp.Negate, e, e.Dimension);

    private static IrExpr Combine(IrExpr a, IrExpr b, int sign)
    {
        if (IsZero(b)) return a;
        if (IsZero(a)) return sign > 0 ? b : Negate(b);
        return Folder.Fold(new IrBinary(sign > 0 ? BinaryOp.Add : BinaryOp.Subtract, a, b, a.Dimension));
    }

    private static IrExpr Multiply(IrExpr a, IrExpr b)
    {
        var dimension = a.Dimension * b.Dimension;
        if (IsZero(a) || IsZero(b)) return new IrConst(0, dimension);
        if (IsOne(a)) return b;
        if (IsOne(b)) return a;
        return Folder.Fold(new IrBinary(BinaryOp.Multiply, a, b, dimension));
    }

    private static IrExpr Divide(IrExpr a, IrExpr b)
    {
        var dimension = a.Dimension / b.Dimension;
        if (IsZero(a)) return new IrConst(0, dimension);
        return Folder.Fold(new IrBinary(BinaryOp.Divide, a, b, dimension));
    }
}
