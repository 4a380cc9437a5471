using System.Collections.Immutable;
using BioLang.Language.IR;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

/// <summary>
/// Constant folding and the few exact rewrites every backend should see: parameters become
/// numbers, constant subtrees are evaluated with <see cref="IrMath"/>, small integer powers become
/// products (Math.Pow costs tens of nanoseconds, a multiply one).
/// </summary>
public static class Folder
{
    public static bool IsConstant(IrExpr e) => e is IrConst or IrParam or IrBool;

    public static bool TryValue(IrExpr e, out double value)
    {
        switch (e)
        {
            case IrConst c:
                value = c.Value;
                return true;
            case IrParam p:
                value = p.Value;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    public static IrExpr Fold(IrExpr e)
    {
        switch (e)
        {
            case IrUnary u:
            {
                var operand = Fold(u.Operand);
                if (u.Op == UnaryOp.Negate && TryValue(operand, out var v))
                    return new IrConst(-v, u.Dimension, u.Span);
                if (u.Op == UnaryOp.Not && operand is IrBool b)
                    return new IrBool(!b.Value, u.Span);
                return u with { Operand = operand };
            }
            case IrBinary b:
            {
                var l = Fold(b.Left);
                var r = Fold(b.Right);
                if (TryValue(l, out var x) && TryValue(r, out var y))
                {
                    if (b.Op < BinaryOp.Less)
                        return new IrConst(IrMath.Arithmetic(b.Op, x, y), b.Dimension, b.Span);
                    if (b.Op < BinaryOp.And)
                        return new IrBool(IrMath.Compare(b.Op, x, y), b.Span);
                }
                if (b.Op is BinaryOp.And or BinaryOp.Or && l is IrBool lb && r is IrBool rb)
                    return new IrBool(b.Op == BinaryOp.And ? lb.Value && rb.Value : lb.Value || rb.Value, b.Span);
                // x / c becomes x · (1/c): a division costs ten times a multiplication, and time constants
                // divide nearly every equation. The result differs by at most an ulp; every backend sees the same IR.
                if (b.Op == BinaryOp.Divide && TryValue(r, out var divisor) && divisor != 0 && double.IsFinite(1 / divisor) && !IsConstant(l))
                    return Scale(l, new IrConst(1 / divisor, r.Dimension.Pow(-1), r.Span), b);
                if (b.Op == BinaryOp.Multiply && IsNumber(r) && !IsConstant(l))
                    return Scale(l, r, b);
                if (b.Op == BinaryOp.Multiply && IsNumber(l) && !IsConstant(r))
                    return Scale(r, l, b);
                // x + x·c becomes x·(1 + c): the form a forward-Euler decay takes (ge + dt·(-ge/tau_e)).
                if (b.Op is BinaryOp.Add && l is IrVar lv && r is IrBinary { Op: BinaryOp.Multiply, Left: IrVar rv, Right: IrConst rc } && lv.Ref == rv.Ref)
                    return new IrBinary(BinaryOp.Multiply, l, new IrConst(1 + rc.Value, Dimension.None, rc.Span), b.Dimension, b.Span);
                if (b.Op == BinaryOp.Power && TryValue(r, out var n) && n is 2 or 3 && !IsConstant(l))
                {
                    var square = new IrBinary(BinaryOp.Multiply, l, l, l.Dimension * l.Dimension, b.Span);
                    return n == 2 ? square : new IrBinary(BinaryOp.Multiply, square, l, b.Dimension, b.Span);
                }
                return b with { Left = l, Right = r };
            }
            case IrCall c:
            {
                var args = c.Arguments.Select(Fold).ToImmutableArray();
                if (args.All(a => TryValue(a, out _)))
                {
                    Span<double> values = stackalloc double[args.Length];
                    for (var i = 0; i < args.Length; i++)
                        TryValue(args[i], out values[i]);
                    return new IrConst(IrMath.Call(c.Function, values), c.Dimension, c.Span);
                }
                return c with { Arguments = args };
            }
            case IrCond c:
            {
                var condition = Fold(c.Condition);
                var then = Fold(c.Then);
                var otherwise = Fold(c.Else);
                if (condition is IrBool cb)
                    return cb.Value ? then : otherwise;
                return c with { Condition = condition, Then = then, Else = otherwise };
            }
            case IrParam p:
                return new IrConst(p.Value, p.Dimension, p.Span);
            default:
                return e;
        }
    }

    private static bool IsNumber(IrExpr e) => e is IrConst or IrParam;

    /// <summary>
    /// x · c with c a number (x already folded), with constants gathered so a chain of them costs one multiply:
    /// (-y)·c is y·(-c) (exact), (y·c1)·c is y·(c1·c) (reassociated: within an ulp or two), and
    /// (if m then y else k)·c is (if m then y·c else k·c), so a factor reaches the constants inside a gated equation.
    /// </summary>
    private static IrExpr Scale(IrExpr x, IrExpr constant, IrBinary at)
    {
        TryValue(constant, out var c);
        var dimension = constant.Dimension;
        switch (x)
        {
            case IrUnary { Op: UnaryOp.Negate } n:
                return Scale(n.Operand, new IrConst(-c, dimension, constant.Span), at);
            case IrBinary { Op: BinaryOp.Multiply } m when TryValue(m.Right, out var c1) && !IsConstant(m.Left):
                return Scale(m.Left, new IrConst(c1 * c, m.Right.Dimension * dimension, constant.Span), at);
            case IrBinary { Op: BinaryOp.Multiply } m when TryValue(m.Left, out var c1) && !IsConstant(m.Right):
                return Scale(m.Right, new IrConst(c1 * c, m.Left.Dimension * dimension, constant.Span), at);
            case IrCond cond when cond.Then.Type != IrType.Bool && (IsNumber(cond.Then) || IsNumber(cond.Else)):
            {
                var dim = cond.Dimension * dimension;
                IrExpr Branch(IrExpr e) => Fold(new IrBinary(BinaryOp.Multiply, e, new IrConst(c, dimension, constant.Span), dim, e.Span));
                return new IrCond(cond.Condition, Branch(cond.Then), Branch(cond.Else), dim, cond.Span);
            }
            default:
                return c == 1 && dimension.IsDimensionless
                    ? x
                    : new IrBinary(BinaryOp.Multiply, x, new IrConst(c, dimension, constant.Span), x.Dimension * dimension, at.Span);
        }
    }

    public static ImmutableArray<IrStmt> Fold(ImmutableArray<IrStmt> statements) =>
        statements.Select(Fold).ToImmutableArray();

    public static IrStmt Fold(IrStmt s) => s switch
    {
        IrAssign a => a with { Value = Fold(a.Value) },
        IrIf i => i with { Condition = Fold(i.Condition), Then = Fold(i.Then), Else = Fold(i.Else) },
        _ => s,
    };

    /// <summary>A dimensionless constant expression's value, for sizes, counts and probabilities known at compile time.</summary>
    public static double? Evaluate(IrExpr e) => Fold(e) is IrConst c ? c.Value : null;

    public static IrConst Const(double value, Dimension dimension) => new(value, dimension);
}
