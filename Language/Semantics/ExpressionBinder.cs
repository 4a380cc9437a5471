using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

/// <summary>
/// Binds expressions: resolves names, applies units, checks dimensions and types, expands calls to
/// script functions, numbers random draws. Reports every problem and goes on with an <see cref="IrError"/>.
/// </summary>
internal sealed class ExpressionBinder(Globals globals, DiagnosticBag diagnostics)
{
    private const int MaxCallDepth = 64;

    public DiagnosticBag Diagnostics => diagnostics;

    public IrExpr Bind(Expr expr, BindingContext ctx) => expr switch
    {
        NumberExpr n => Number(n),
        BoolExpr b => new IrBool(b.Value, b.Span),
        NameExpr n => Name(n, ctx),
        MemberExpr m => Member(m, ctx),
        UnaryExpr u => Unary(u, ctx),
        BinaryExpr b => Binary(b, ctx),
        ApplyExpr a => Apply(a, ctx),
        IfExpr i => Conditional(i, ctx),
        TupleExpr { Items.Length: 0 } t => Error(t.Span, DiagnosticCodes.NeedsNumber, "'()' is only an argument, as in 'rand ()'"),
        StringExpr s => Error(s.Span, DiagnosticCodes.NeedsNumber, "expected a number, found a string"),
        LambdaExpr l => Error(l.Span, DiagnosticCodes.NeedsNumber, "a 'fun' is only allowed where a rule or rate takes one"),
        ListExpr or RangeExpr or TupleExpr => Error(expr.Span, DiagnosticCodes.NeedsNumber, "expected a single value, found a list"),
        SliceExpr s => Error(s.Span, DiagnosticCodes.NeedsNumber, "a slice of a population is only allowed in 'connect', 'monitor' and 'let'"),
        _ => Error(expr.Span, DiagnosticCodes.NeedsNumber, "expected a value"),
    };

    /// <summary>Binds and requires a real number of the given dimension.</summary>
    public IrExpr BindExpecting(Expr expr, BindingContext ctx, Dimension dimension, string what)
    {
        var bound = Bind(expr, ctx);
        if (bound is IrError)
            return bound;
        if (bound.Type != IrType.Real)
            return Error(expr.Span, DiagnosticCodes.NeedsNumber, $"{what} must be a number, not a condition");
        if (bound.Dimension != dimension && !IsLiteralZero(expr))
            return Error(expr.Span, DiagnosticCodes.DimensionMismatch, $"{what} must have dimension {dimension}, but this has {bound.Dimension}");
        return bound;
    }

    public IrExpr BindCondition(Expr expr, BindingContext ctx, string what)
    {
        var bound = Bind(expr, ctx);
        if (bound is IrError || bound.Type == IrType.Bool)
            return bound;
        return Error(expr.Span, DiagnosticCodes.NeedsBoolean, $"{what} must be a condition such as 'v > v_th', but this is a number of dimension {bound.Dimension}");
    }

    public IrError Error(Span span, string code, string message)
    {
        diagnostics.Error(code, span, message);
        return new IrError(span);
    }

    public static bool IsLiteralZero(Expr e) => e is NumberExpr { Value: 0, Unit: null } || e is UnaryExpr { Op: "-", Operand: NumberExpr { Value: 0, Unit: null } };

    // ---- literals and units -----------------------------------------------------------------

    private IrExpr Number(NumberExpr n)
    {
        if (n.Unit is null)
            return new IrConst(n.Value, Dimension.None, n.Span);
        var unit = EvaluateUnit(n.Unit);
        return unit is { } u ? new IrConst(n.Value * u.Scale, u.Dimension, n.Span) : new IrError(n.Span);
    }

    public Unit? EvaluateUnit(UnitExpr unit)
    {
        switch (unit)
        {
            case UnitOneExpr:
                return Units.Unit.One;
            case UnitNameExpr name:
                if (UnitTable.TryLookup(name.Symbol, out var u))
                    return u;
                diagnostics.Error(DiagnosticCodes.UnknownUnit, name.Span,
                    $"unknown unit '{name.Symbol}'" + Suggestions.DidYouMean(name.Symbol, UnitTable.Symbols));
                return null;
            case UnitPowerExpr power:
                return EvaluateUnit(power.Base)?.Pow(power.Exponent);
            case UnitBinaryExpr binary:
                var l = EvaluateUnit(binary.Left);
                var r = EvaluateUnit(binary.Right);
                if (l is null || r is null)
                    return null;
                return binary.Op == '*' ? l.Value * r.Value : l.Value / r.Value;
            default:
                return null;
        }
    }

    // ---- names ------------------------------------------------------------------------------

    private IrExpr Name(NameExpr n, BindingContext ctx)
    {
        if (ctx.Locals.TryGetValue(n.Name, out var local))
            return local;
        if (ctx.Own?.Lookup(n.Name) is { } entry)
            return Entry(entry, ctx.Own, n.Span, ctx);
        if (Special(n.Name, n.Span, ctx) is { } special)
            return special;
        switch (globals.Lookup(n.Name))
        {
            case ConstantSymbol c:
                return c.Value with { Span = n.Span };
            case HostSymbol h when ctx.Kind is ContextKind.Synapse or ContextKind.Rule:
                return Error(n.Span, DiagnosticCodes.NonLocalRead,
                    $"a synapse may not read the host value '{h.Name}': it is the same everywhere, not local to the synapse; let a neuron read it and the synapse read that neuron (pre.x or post.x)");
            case HostSymbol h when ctx.Kind == ContextKind.Constant:
                return Error(n.Span, DiagnosticCodes.NotConstant, $"the host value '{h.Name}' changes while the network runs, but this value must be known at compile time");
            case HostSymbol h:
                return new IrHost(h.Index, h.Name, h.Dimension, n.Span);
            case FunctionSymbol f:
                return Error(n.Span, DiagnosticCodes.WrongKind, $"'{f.Name}' is a function; apply it to {f.Declaration.Parameters.Length} argument(s)");
            case { } other:
                return Error(n.Span, DiagnosticCodes.WrongKind, $"'{other.Name}' is a {other.Kind}, not a value");
        }
        if (Builtins.Constants.TryGetValue(n.Name, out var k))
            return new IrConst(k, Dimension.None, n.Span);
        if (Builtins.Functions.ContainsKey(n.Name) || Builtins.Random.ContainsKey(n.Name))
            return Error(n.Span, DiagnosticCodes.WrongKind, $"'{n.Name}' is a built-in function; apply it, e.g. '{n.Name} {(Builtins.Random.ContainsKey(n.Name) ? "()" : "x")}'");
        return UnknownName(n.Name, n.Span, ctx);
    }

    private IrExpr UnknownName(string name, Span span, BindingContext ctx)
    {
        if (ctx.Own is { Unknown: true })
            return new IrError(span);
        if (UnitTable.TryLookup(name, out _))
            return Error(span, DiagnosticCodes.UnknownName, $"unknown name '{name}'; '{name}' is a unit: write it right after a number, as in 1<{name}>");
        if (ctx.Kind == ContextKind.Synapse && ctx.Post?.Lookup(name) is not null)
            return Error(span, DiagnosticCodes.UnknownName, $"unknown name '{name}' in a synapse; the postsynaptic neuron's variable is 'post.{name}'");
        if (ctx.Kind == ContextKind.Synapse && ctx.Pre?.Lookup(name) is not null)
            return Error(span, DiagnosticCodes.UnknownName, $"unknown name '{name}' in a synapse; the presynaptic neuron's variable is 'pre.{name}'");
        return Error(span, DiagnosticCodes.UnknownName, $"unknown name '{name}'" + Suggestions.DidYouMean(name, VisibleNames(ctx)));
    }

    private IEnumerable<string> VisibleNames(BindingContext ctx)
    {
        var names = ctx.Locals.Keys.Concat(globals.Symbols.Keys).Concat(Builtins.AllNames).Concat(SpecialNames(ctx));
        if (ctx.Own is not null)
            names = names.Concat(ctx.Own.Entries.Keys);
        return names;
    }

    private static IEnumerable<string> SpecialNames(BindingContext ctx)
    {
        if (ctx.AllowTime) yield return "t";
        yield return "dt";
        if (ctx.Kind != ContextKind.Constant) yield return "i";
        if (ctx.Kind is ContextKind.Synapse or ContextKind.Rule) yield return "j";
        foreach (var size in ctx.Sizes.Keys) yield return size;
    }

    private IrExpr? Special(string name, Span span, BindingContext ctx)
    {
        if (ctx.CallDepth > 0)
            return null;
        switch (name)
        {
            case "t" when ctx.AllowTime:
                return new IrSpecial(IR.Special.Time, Dimension.Time, span);
            case "dt":
                return new IrSpecial(IR.Special.Dt, Dimension.Time, span);
            case "i" when ctx.Kind != ContextKind.Constant:
                return new IrSpecial(IR.Special.I, Dimension.None, span);
            case "j" when ctx.Kind is ContextKind.Synapse or ContextKind.Rule:
                return new IrSpecial(IR.Special.J, Dimension.None, span);
        }
        return ctx.Sizes.TryGetValue(name, out var size) ? new IrConst(size, Dimension.None, span) : null;
    }

    private IrExpr Entry(ScopeEntry entry, ModelScope scope, Span span, BindingContext ctx)
    {
        switch (entry)
        {
            case ParamEntry p:
                return new IrParam(p.Param.Name, p.Param.Value, p.Param.Dimension, span);
            case VarEntry v:
                return new IrVar(new VarRef(scope.VarScope, v.Index, v.Name), v.Dimension, span);
            case AliasEntry a:
                if (a.Bound is not null)
                    return a.Bound;
                if (a.Binding)
                    return Error(span, DiagnosticCodes.AliasCycle, $"'{a.Name}' is defined in terms of itself");
                a.Binding = true;
                // An alias of the postsynaptic model read from a synapse is bound in that model's own scope.
                var aliasCtx = ReferenceEquals(scope, ctx.Own)
                    ? ctx with { Locals = ImmutableDictionary<string, IrExpr>.Empty }
                    : new BindingContext(ContextKind.Neuron) { Own = scope, Sites = ctx.Sites };
                a.Bound = Bind(a.Syntax, aliasCtx);
                a.Binding = false;
                return a.Bound;
            case PendingEntry:
                return Error(span, DiagnosticCodes.UnknownName, $"'{entry.Name}' is used in its own definition or before it is defined");
            default:
                return Error(span, DiagnosticCodes.WrongKind, $"'{entry.Name}' is not a value");
        }
    }

    private IrExpr Member(MemberExpr m, BindingContext ctx)
    {
        var side = m.Qualifier switch
        {
            "pre" => ctx.Pre,
            "post" => ctx.Post,
            _ => null,
        };
        if (m.Qualifier is "pre" or "post")
        {
            if (side is null)
                return Error(m.QualifierSpan, DiagnosticCodes.NonLocalRead, $"'{m.Qualifier}.' names a synapse's {m.Qualifier}synaptic neuron, so it is only allowed in a synapse model");
            if (side.Lookup(m.Name) is { } entry)
                return Entry(entry, side, m.Span, ctx);
            if (side.Unknown)
                return new IrError(m.Span);
            return Error(m.Span, DiagnosticCodes.UnknownName,
                $"the {m.Qualifier}synaptic neuron model '{side.ModelName}' has no variable or parameter '{m.Name}'" + Suggestions.DidYouMean(m.Name, side.Entries.Keys));
        }
        if (globals.Lookup(m.Qualifier) is PopulationSymbol)
            return Error(m.Span, DiagnosticCodes.NonLocalRead,
                $"'{m.Span.Text}' reads another population's variable; a model may read only its own state (and a synapse its pre- and postsynaptic neuron)");
        return Error(m.QualifierSpan, DiagnosticCodes.UnknownName, $"unknown name '{m.Qualifier}'" + Suggestions.DidYouMean(m.Qualifier, VisibleNames(ctx).Append("pre").Append("post")));
    }

    // ---- operators -------------------------------------------------------------------------

    private IrExpr Unary(UnaryExpr u, BindingContext ctx)
    {
        var operand = Bind(u.Operand, ctx);
        if (operand is IrError)
            return operand;
        if (u.Op == "not")
            return operand.Type == IrType.Bool
                ? new IrUnary(UnaryOp.Not, operand, Dimension.None, u.Span)
                : Error(u.Operand.Span, DiagnosticCodes.NeedsBoolean, "'not' needs a condition");
        if (operand.Type != IrType.Real)
            return Error(u.Operand.Span, DiagnosticCodes.NeedsNumber, "'-' needs a number, not a condition");
        return operand is IrConst c ? c with { Value = -c.Value, Span = u.Span } : new IrUnary(UnaryOp.Negate, operand, operand.Dimension, u.Span);
    }

    private static BinaryOp OpOf(string op) => op switch
    {
        "+" => BinaryOp.Add,
        "-" => BinaryOp.Subtract,
        "*" => BinaryOp.Multiply,
        "/" => BinaryOp.Divide,
        "%" => BinaryOp.Modulo,
        "**" => BinaryOp.Power,
        "<" => BinaryOp.Less,
        "<=" => BinaryOp.LessEqual,
        ">" => BinaryOp.Greater,
        ">=" => BinaryOp.GreaterEqual,
        "=" => BinaryOp.Equal,
        "<>" => BinaryOp.NotEqual,
        "&&" => BinaryOp.And,
        "||" => BinaryOp.Or,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
    };

    private static string Verb(BinaryOp op) => op switch
    {
        BinaryOp.Add => "add",
        BinaryOp.Subtract => "subtract",
        BinaryOp.Modulo => "take the remainder of",
        _ => "compare",
    };

    private IrExpr Binary(BinaryExpr b, BindingContext ctx)
    {
        var op = OpOf(b.Op);
        var l = Bind(b.Left, ctx);
        var r = Bind(b.Right, ctx);
        if (l is IrError || r is IrError)
            return new IrError(b.Span);
        if (op is BinaryOp.And or BinaryOp.Or)
        {
            if (l.Type != IrType.Bool || r.Type != IrType.Bool)
                return Error((l.Type != IrType.Bool ? b.Left : b.Right).Span, DiagnosticCodes.NeedsBoolean, $"'{b.Op}' joins conditions, such as 'v > v_th'");
            return new IrBinary(op, l, r, Dimension.None, b.Span);
        }
        if (l.Type != IrType.Real || r.Type != IrType.Real)
            return Error((l.Type != IrType.Real ? b.Left : b.Right).Span, DiagnosticCodes.NeedsNumber, $"'{b.Op}' needs numbers; a condition is not a number (write 'if c then 1 else 0')");
        switch (op)
        {
            case BinaryOp.Multiply:
                return new IrBinary(op, l, r, l.Dimension * r.Dimension, b.Span);
            case BinaryOp.Divide:
                return new IrBinary(op, l, r, l.Dimension / r.Dimension, b.Span);
            case BinaryOp.Power:
                return Power(b, l, r);
        }
        if (l.Dimension != r.Dimension && !IsLiteralZero(b.Left) && !IsLiteralZero(b.Right))
            return Error(b.Span, DiagnosticCodes.DimensionMismatch,
                $"cannot {Verb(op)} {l.Dimension} and {r.Dimension}: both sides of '{b.Op}' must have the same dimension");
        var dimension = IsLiteralZero(b.Left) ? r.Dimension : l.Dimension;
        return new IrBinary(op, l, r, op >= BinaryOp.Less ? Dimension.None : dimension, b.Span);
    }

    private IrExpr Power(BinaryExpr b, IrExpr l, IrExpr r)
    {
        if (!r.Dimension.IsDimensionless)
            return Error(b.Right.Span, DiagnosticCodes.BadExponent, $"an exponent must be dimensionless, but this has {r.Dimension}");
        if (l.Dimension.IsDimensionless)
            return new IrBinary(BinaryOp.Power, l, r, Dimension.None, b.Span);
        if (Folder.Evaluate(r) is not { } n)
            return Error(b.Right.Span, DiagnosticCodes.BadExponent, $"a quantity with dimension {l.Dimension} can only be raised to a constant power");
        if (n == Math.Round(n))
            return new IrBinary(BinaryOp.Power, l, r, l.Dimension.Pow((int)n), b.Span);
        if (Math.Abs(n * 2 - Math.Round(n * 2)) < 1e-12 && l.Dimension.TryRoot(2, out var root))
            return new IrBinary(BinaryOp.Power, l, r, root.Pow((int)Math.Round(n * 2)), b.Span);
        return Error(b.Right.Span, DiagnosticCodes.BadExponent, $"{l.Dimension} raised to {n} has no dimension; use an integer power");
    }

    private IrExpr Conditional(IfExpr i, BindingContext ctx)
    {
        var condition = BindCondition(i.Condition, ctx, "the condition of 'if'");
        var then = Bind(i.Then, ctx);
        var otherwise = Bind(i.Else, ctx);
        if (condition is IrError || then is IrError || otherwise is IrError)
            return new IrError(i.Span);
        if (then.Type != otherwise.Type)
            return Error(i.Span, DiagnosticCodes.NeedsNumber, "both branches of 'if' must be numbers, or both conditions");
        if (then.Dimension != otherwise.Dimension && !IsLiteralZero(i.Then) && !IsLiteralZero(i.Else))
            return Error(i.Span, DiagnosticCodes.DimensionMismatch, $"the branches of 'if' have different dimensions: {then.Dimension} and {otherwise.Dimension}");
        return new IrCond(condition, then, otherwise, IsLiteralZero(i.Then) ? otherwise.Dimension : then.Dimension, i.Span);
    }

    // ---- application --------------------------------------------------------------------------

    /// <summary>F# passes arguments by juxtaposition; a single tuple <c>f (a, b)</c> is accepted as Brian writes calls.</summary>
    private static ImmutableArray<Expr> Arguments(ApplyExpr a)
    {
        if (a.Arguments is [TupleExpr { Items.Length: 0 }])
            return [];
        if (a.Arguments is [TupleExpr { Items.Length: > 1 } tuple])
            return tuple.Items;
        return a.Arguments;
    }

    /// <summary>
    /// A hint when the argument is an unknown name close to a connection rule: in <c>delay 1&lt;ms&gt; probabilty 0.1</c>
    /// the misspelt rule reads as an argument the delay is applied to.
    /// </summary>
    private static string MisspeltRule(Expr argument, BindingContext ctx) =>
        argument is NameExpr { Name: var word } && !ctx.Locals.ContainsKey(word) && ctx.Own?.Lookup(word) is null
        && Suggestions.Closest(word, RuleSyntax.Keywords) is { } rule
            ? $"; did you mean the connection rule '{rule}' (after the delay)?"
            : "";

    private IrExpr Apply(ApplyExpr a, BindingContext ctx)
    {
        if (a.Function is not NameExpr head)
            return Error(a.Function.Span, DiagnosticCodes.WrongKind, $"'{a.Function.Span.Text}' is not a function, so it cannot be applied to '{a.Arguments[0].Span.Text}'" + MisspeltRule(a.Arguments[0], ctx));
        var args = Arguments(a);
        if (ctx.Locals.ContainsKey(head.Name) || ctx.Own?.Lookup(head.Name) is not null)
            return Error(head.Span, DiagnosticCodes.WrongKind, $"'{head.Name}' is a value, not a function; did you forget an operator before '{a.Arguments[0].Span.Text}'?");
        if (Builtins.Functions.TryGetValue(head.Name, out var builtin))
            return CallBuiltin(a, builtin, args, ctx);
        if (Builtins.Random.TryGetValue(head.Name, out var arity))
            return Random(a, head.Name, arity, args, ctx);
        return globals.Lookup(head.Name) switch
        {
            FunctionSymbol f => CallFunction(a, f, args, ctx),
            ConstantSymbol c => Error(a.Span, DiagnosticCodes.WrongKind, $"'{c.Name}' is a constant, not a function; did you forget an operator before '{a.Arguments[0].Span.Text}'?"),
            { } other => Error(head.Span, DiagnosticCodes.WrongKind, $"'{other.Name}' is a {other.Kind}, not a function"),
            null => UnknownName(head.Name, head.Span, ctx),
        };
    }

    private IrExpr CallBuiltin(ApplyExpr a, BuiltinFunction f, ImmutableArray<Expr> args, BindingContext ctx)
    {
        if (args.Length != f.Arity)
            return Error(a.Span, DiagnosticCodes.Arity, $"'{f.Name}' takes {f.Arity} argument(s) ({f.Description}), but was given {args.Length}");
        var bound = args.Select(x => Bind(x, ctx)).ToImmutableArray();
        if (bound.Any(x => x is IrError))
            return new IrError(a.Span);
        for (var k = 0; k < bound.Length; k++)
            if (bound[k].Type != IrType.Real)
                return Error(args[k].Span, DiagnosticCodes.NeedsNumber, $"'{f.Name}' needs numbers, not conditions");
        Dimension result;
        switch (f.Rule)
        {
            case DimensionRule.Dimensionless:
                for (var k = 0; k < bound.Length; k++)
                    if (!bound[k].Dimension.IsDimensionless)
                        return Error(args[k].Span, DiagnosticCodes.NeedsDimensionless,
                            $"the argument of '{f.Name}' must be dimensionless, but this has {bound[k].Dimension}");
                result = Dimension.None;
                break;
            case DimensionRule.Root:
                if (!bound[0].Dimension.TryRoot(2, out result))
                    return Error(args[0].Span, DiagnosticCodes.BadExponent, $"the square root of {bound[0].Dimension} has no dimension");
                break;
            default:
                var first = Enumerable.Range(0, bound.Length).FirstOrDefault(k => !IsLiteralZero(args[k]));
                var dimension = bound[first].Dimension;
                for (var k = 0; k < bound.Length; k++)
                    if (bound[k].Dimension != dimension && !IsLiteralZero(args[k]))
                        return Error(args[k].Span, DiagnosticCodes.DimensionMismatch,
                            $"the arguments of '{f.Name}' must have the same dimension: {dimension} and {bound[k].Dimension}");
                result = f.Rule == DimensionRule.Same ? dimension : Dimension.None;
                break;
        }
        return new IrCall(f.Function, bound, result, a.Span);
    }

    private IrExpr Random(ApplyExpr a, string name, int arity, ImmutableArray<Expr> args, BindingContext ctx)
    {
        if (!ctx.AllowRandom)
            return Error(a.Span, DiagnosticCodes.NotConstant, $"'{name}' draws a random number, but this value must be known at compile time");
        if (args.Length != arity)
            return Error(a.Span, DiagnosticCodes.Arity, arity == 0 ? $"'{name}' takes no argument: write '{name} ()'" : $"'{name}' takes {arity} arguments, but was given {args.Length}");
        if (arity == 0)
            return new IrRandom(name == "rand" ? RandomKind.Uniform : RandomKind.Normal, ctx.Sites.Next(), a.Span);
        var p = Bind(args[0], ctx);
        var q = Bind(args[1], ctx);
        if (p is IrError || q is IrError)
            return new IrError(a.Span);
        var dimension = IsLiteralZero(args[0]) ? q.Dimension : p.Dimension;
        if (p.Dimension != q.Dimension && !IsLiteralZero(args[0]) && !IsLiteralZero(args[1]))
            return Error(a.Span, DiagnosticCodes.DimensionMismatch, $"the arguments of '{name}' must have the same dimension: {p.Dimension} and {q.Dimension}");
        if (name == "uniform")
        {
            // uniform a b = a + (b - a) * rand ()
            var width = new IrBinary(BinaryOp.Subtract, q, p, dimension, a.Span);
            var draw = new IrRandom(RandomKind.Uniform, ctx.Sites.Next(), a.Span);
            return new IrBinary(BinaryOp.Add, p, new IrBinary(BinaryOp.Multiply, width, draw, dimension, a.Span), dimension, a.Span);
        }
        // normal mu sigma = mu + sigma * randn ()
        var normal = new IrRandom(RandomKind.Normal, ctx.Sites.Next(), a.Span);
        return new IrBinary(BinaryOp.Add, p, new IrBinary(BinaryOp.Multiply, q, normal, dimension, a.Span), dimension, a.Span);
    }

    private IrExpr CallFunction(ApplyExpr a, FunctionSymbol f, ImmutableArray<Expr> args, BindingContext ctx)
    {
        var parameters = f.Declaration.Parameters;
        if (args.Length != parameters.Length)
            return Error(a.Span, DiagnosticCodes.Arity, $"'{f.Name}' takes {parameters.Length} argument(s), but was given {args.Length}");
        if (ctx.CallDepth >= MaxCallDepth)
            return Error(a.Span, DiagnosticCodes.AliasCycle, $"'{f.Name}' calls itself too deeply; functions may not be recursive");
        var locals = ImmutableDictionary<string, IrExpr>.Empty;
        for (var k = 0; k < args.Length; k++)
        {
            var value = Bind(args[k], ctx);
            if (value is IrError)
                return new IrError(a.Span);
            locals = locals.SetItem(parameters[k], value);
        }
        // A function sees its parameters and the top level, not the caller's variables: lexical scope.
        var body = ctx with { Own = null, Pre = null, Post = null, Locals = locals, CallDepth = ctx.CallDepth + 1 };
        return Bind(f.Declaration.Value, body);
    }
}
