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
                    return new IrBinary(BinaryOp.Multiply, l, new IrConst(1 / divisor, r.Dimension.Pow(-1), r.Span), b.Dimension, b.Span);
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
