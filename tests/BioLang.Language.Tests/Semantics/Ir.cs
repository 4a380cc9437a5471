using System.Collections.Immutable;
using BioLang.Language.IR;
using BioLang.Language.Units;

namespace BioLang.Language.Tests.Semantics;

/// <summary>Builds IR by hand, and evaluates it with the same scalar semantics as the backends.</summary>
internal static class Ir
{
    public static readonly Dimension Volt = Dimension.Voltage;
    public static readonly Dimension Second = Dimension.Time;

    public static IrVar Var(int index, string name, Dimension dimension) => new(new VarRef(VarScope.Neuron, index, name), dimension);

    public static IrConst C(double value, Dimension dimension = default) => new(value, dimension);

    public static IrParam P(string name, double value, Dimension dimension = default) => new(name, value, dimension);

    public static IrBinary Add(IrExpr a, IrExpr b) => new(BinaryOp.Add, a, b, a.Dimension);

    public static IrBinary Sub(IrExpr a, IrExpr b) => new(BinaryOp.Subtract, a, b, a.Dimension);

    public static IrBinary Mul(IrExpr a, IrExpr b) => new(BinaryOp.Multiply, a, b, a.Dimension * b.Dimension);

    public static IrBinary Div(IrExpr a, IrExpr b) => new(BinaryOp.Divide, a, b, a.Dimension / b.Dimension);

    public static IrBinary Pow(IrExpr a, IrExpr b, Dimension dimension) => new(BinaryOp.Power, a, b, dimension);

    public static IrUnary Neg(IrExpr a) => new(UnaryOp.Negate, a, a.Dimension);

    public static IrCall Call(Builtin f, Dimension dimension, params IrExpr[] args) => new(f, [.. args], dimension);

    /// <summary>The folded value of a constant expression.</summary>
    public static double Value(IrExpr e) =>
        BioLang.Language.Semantics.Folder.Evaluate(e) ?? throw new Shouldly.ShouldAssertException($"{IrPrinter.Print(e)} is not a constant");

    /// <summary>The value of a real expression, variables taken from <paramref name="values"/> by name.</summary>
    public static double Eval(IrExpr e, IReadOnlyDictionary<string, double> values) => e switch
    {
        IrConst c => c.Value,
        IrParam p => p.Value,
        IrVar v => values[v.Ref.Name],
        IrUnary { Op: UnaryOp.Negate } u => -Eval(u.Operand, values),
        IrBinary b => IrMath.Arithmetic(b.Op, Eval(b.Left, values), Eval(b.Right, values)),
        IrCall c => IrMath.Call(c.Function, c.Arguments.Select(a => Eval(a, values)).ToArray()),
        _ => throw new ArgumentException($"cannot evaluate {e}"),
    };
}
