using BioLang.Language.IR;

namespace BioLang.Language.Semantics;

/// <summary>How a built-in function treats the dimensions of its arguments.</summary>
internal enum DimensionRule
{
    /// <summary>Arguments and result dimensionless: exp, log, sin, ...</summary>
    Dimensionless,
    /// <summary>All arguments share one dimension, the result has it: abs, min, max, clip, floor.</summary>
    Same,
    /// <summary>All arguments share one dimension, the result is dimensionless: atan2, sign, heaviside.</summary>
    SameToNone,
    /// <summary>The square root of the argument's dimension.</summary>
    Root,
}

internal sealed record BuiltinFunction(string Name, Builtin Function, int Arity, DimensionRule Rule, string Description);

/// <summary>The built-in functions a script can call, and the random draws, which are not functions but streams.</summary>
internal static class Builtins
{
    public static readonly IReadOnlyDictionary<string, BuiltinFunction> Functions = new[]
    {
        new BuiltinFunction("exp", Builtin.Exp, 1, DimensionRule.Dimensionless, "e to the power x"),
        new BuiltinFunction("log", Builtin.Log, 1, DimensionRule.Dimensionless, "natural logarithm"),
        new BuiltinFunction("log10", Builtin.Log10, 1, DimensionRule.Dimensionless, "base-10 logarithm"),
        new BuiltinFunction("sqrt", Builtin.Sqrt, 1, DimensionRule.Root, "square root; halves the dimension"),
        new BuiltinFunction("abs", Builtin.Abs, 1, DimensionRule.Same, "absolute value"),
        new BuiltinFunction("min", Builtin.Min, 2, DimensionRule.Same, "smaller of two values"),
        new BuiltinFunction("max", Builtin.Max, 2, DimensionRule.Same, "larger of two values"),
        new BuiltinFunction("clip", Builtin.Clip, 3, DimensionRule.Same, "clip x lo hi: x limited to [lo, hi]"),
        new BuiltinFunction("sin", Builtin.Sin, 1, DimensionRule.Dimensionless, "sine"),
        new BuiltinFunction("cos", Builtin.Cos, 1, DimensionRule.Dimensionless, "cosine"),
        new BuiltinFunction("tan", Builtin.Tan, 1, DimensionRule.Dimensionless, "tangent"),
        new BuiltinFunction("tanh", Builtin.Tanh, 1, DimensionRule.Dimensionless, "hyperbolic tangent"),
        new BuiltinFunction("sinh", Builtin.Sinh, 1, DimensionRule.Dimensionless, "hyperbolic sine"),
        new BuiltinFunction("cosh", Builtin.Cosh, 1, DimensionRule.Dimensionless, "hyperbolic cosine"),
        new BuiltinFunction("atan", Builtin.Atan, 1, DimensionRule.Dimensionless, "arc tangent"),
        new BuiltinFunction("atan2", Builtin.Atan2, 2, DimensionRule.SameToNone, "atan2 y x"),
        new BuiltinFunction("floor", Builtin.Floor, 1, DimensionRule.Same, "round down"),
        new BuiltinFunction("ceil", Builtin.Ceil, 1, DimensionRule.Same, "round up"),
        new BuiltinFunction("round", Builtin.Round, 1, DimensionRule.Same, "round to nearest, halves away from zero"),
        new BuiltinFunction("sign", Builtin.Sign, 1, DimensionRule.SameToNone, "-1, 0 or 1"),
        new BuiltinFunction("heaviside", Builtin.Heaviside, 1, DimensionRule.SameToNone, "1 where x > 0, else 0"),
        new BuiltinFunction("exprel", Builtin.Exprel, 1, DimensionRule.Dimensionless, "(exp x - 1) / x, and 1 at x = 0"),
    }.ToDictionary(f => f.Name);

    /// <summary>Random draws: name → (arity). <c>rand ()</c>, <c>randn ()</c>, <c>uniform a b</c>, <c>normal mu sigma</c>.</summary>
    public static readonly IReadOnlyDictionary<string, int> Random = new Dictionary<string, int>
    {
        ["rand"] = 0,
        ["randn"] = 0,
        ["uniform"] = 2,
        ["normal"] = 2,
    };

    /// <summary>Named constants.</summary>
    public static readonly IReadOnlyDictionary<string, double> Constants = new Dictionary<string, double>
    {
        ["pi"] = Math.PI,
        ["e"] = Math.E,
        ["inf"] = double.PositiveInfinity,
    };

    public static IEnumerable<string> AllNames => Functions.Keys.Concat(Random.Keys).Concat(Constants.Keys);
}
