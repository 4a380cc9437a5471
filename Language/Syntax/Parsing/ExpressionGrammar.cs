using System.Collections.Immutable;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using Sprache;
using static BioLang.Language.Syntax.Parsing.Lexical;

namespace BioLang.Language.Syntax.Parsing;

/// <summary>
/// Expressions, F# style. Precedence from loosest to tightest: <c>fun</c>/<c>if</c>, <c>|&gt;</c>,
/// <c>||</c>, <c>&amp;&amp;</c>, comparisons, <c>+ -</c>, <c>* / %</c>, unary <c>- not</c>, <c>** ^</c>, application.
/// </summary>
internal static class ExpressionGrammar
{
    public static readonly Parser<Expr> Expr = Parse.Ref(() => TopExpr).Expecting("expression");

    // ---- units inside <...> -------------------------------------------------------------

    private static readonly Parser<UnitExpr> UnitRef = Parse.Ref(() => UnitProduct);

    private static readonly Parser<UnitExpr> UnitAtom =
        Parse.Char('1').Then(_ => Parse.Not(Parse.Digit)).Spanned((_, span) => (UnitExpr)new UnitOneExpr(span))
            .Or(RawIdentifier.Spanned((name, span) => (UnitExpr)new UnitNameExpr(name, span)))
            .Or(from open in Symbol("(") from inner in UnitRef from close in Symbol(")") select inner)
            .Expecting("unit");

    private static readonly Parser<UnitExpr> UnitPower =
        from b in UnitAtom
        from exponent in (
            from caret in Symbol("^")
            from sign in Parse.Char('-').Optional()
            from digits in Parse.Digit.AtLeastOnce().Text().Tok()
            select (sign.IsDefined ? -1 : 1) * int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture)).Optional()
        select exponent.IsDefined ? new UnitPowerExpr(b, exponent.Get(), b.Span) : b;

    private static readonly Parser<UnitExpr> UnitProduct =
        Combinators.Chain(Symbol("*").Or(Symbol("/")), UnitPower,
            (op, l, r) => new UnitBinaryExpr(op[0], l, r, l.Span.To(r.Span)));

    private static readonly Parser<UnitExpr> UnitAnnotation =
        from open in Parse.Char('<')
        from unit in UnitProduct
        from close in Symbol(">")
        select unit;

    // ---- atoms -----------------------------------------------------------------------------

    private static readonly Parser<Expr> Number =
        (from text in NumberText
         from unit in UnitAnnotation.Optional()
         select (text, unit: unit.GetOrDefault()))
        .Spanned((n, span) => (Expr)new NumberExpr(ParseNumber(n.text), n.text, n.unit, span));

    private static readonly Parser<Expr> StringAtom =
        StringLiteral.Spanned((s, span) => (Expr)new StringExpr(s, span));

    private static readonly Parser<Expr> BoolAtom =
        RawIdentifier.Where(w => w is "true" or "false").Spanned((w, span) => (Expr)new BoolExpr(w == "true", span));

    private static readonly Parser<Expr> ParenOrTuple =
        (from open in Symbol("(")
         from items in Expr.SeparatedBy(Symbol(",")).OptionalValue()
         from close in Symbol(")").Expecting("')'")
         select items ?? [])
        // A parenthesised expression keeps its parentheses in its span, so carets and span texts cover them.
        .Spanned((items, span) => items.Length == 1 ? items[0] with { Span = span } : (Expr)new TupleExpr(items, span));

    private sealed record ListTail(bool IsRange, ImmutableArray<Expr> Items);

    private static readonly Parser<ListTail> RangeTail =
        from dots in Symbol("..")
        from last in Expr
        select new ListTail(true, [last]);

    /// <summary>A ';' just before ']' ends the list (F# allows it), so it must not commit to another item.</summary>
    private static readonly Parser<ListTail> ItemsTail =
        from more in Parse.Not(Symbol(";").Then(_ => Symbol("]"))).Then(_ => Symbol(";")).Then(_ => Expr).ManyCommit()
        from trailing in Symbol(";").Optional()
        select new ListTail(false, more);

    private static readonly Parser<Expr> ListOrRange =
        (from open in Symbol("[")
         from first in Expr.OptionalCommit()
         from tail in first is null ? Parse.Return(new ListTail(false, [])) : RangeTail.Or(ItemsTail)
         from close in Symbol("]").Expecting("']'")
         select (first, tail))
        .Spanned((body, span) =>
            body.first is null ? new ListExpr([], span)
            : body.tail.IsRange ? new RangeExpr(body.first, body.tail.Items[0], span)
            : (Expr)new ListExpr([body.first, .. body.tail.Items], span));

    private static readonly Parser<(Expr From, Expr To, Span End)> SliceBrackets =
        from open in Parse.Char('[')
        from a in Expr
        from dots in Symbol("..")
        from b in Expr
        from close in Symbol("]").Expecting("']'").Spanned((_, span) => span)
        select (a, b, close);

    /// <summary>A name, <c>a.b</c>, or a slice <c>P[a .. b]</c> (the bracket right after the name, as in F# 6).</summary>
    private static readonly Parser<Expr> NameAtom =
        input =>
        {
            var name = IdentifierWithSpan(input);
            if (!name.WasSuccessful)
                return Result.Failure<Expr>(name.Remainder, name.Message, name.Expectations);
            var (id, idSpan) = name.Value;
            Expr result = new NameExpr(id, idSpan);
            var rest = name.Remainder;
            var end = ((BoundedInput)input).End;
            var touching = rest.Position == idSpan.End && idSpan.End < end;
            if (touching && input.Source[idSpan.End] == '.')
            {
                var member = IdentifierWithSpan(rest.Advance());
                if (member.WasSuccessful && member.Value.Span.Start == idSpan.End + 1)
                    return Result.Success<Expr>(new MemberExpr(id, member.Value.Name, idSpan, idSpan.To(member.Value.Span)), member.Remainder);
            }
            else if (touching && input.Source[idSpan.End] == '[')
            {
                var slice = SliceBrackets(rest);
                if (!slice.WasSuccessful)
                    return Result.Failure<Expr>(slice.Remainder, slice.Message, slice.Expectations);
                var (from, to, close) = slice.Value;
                return Result.Success<Expr>(new SliceExpr(result, from, to, idSpan.To(close)), slice.Remainder);
            }
            return Result.Success(result, rest);
        };

    public static readonly Parser<Expr> Atom =
        Number.Or(StringAtom).Or(BoolAtom).Or(ParenOrTuple).Or(ListOrRange).Or(NameAtom).Expecting("expression");

    // ---- operators ------------------------------------------------------------------------

    /// <summary>An equation's trailing <c>(unless refractory)</c> is a flag, not an argument.</summary>
    private static readonly Parser<Expr> Argument =
        Parse.Not(Symbol("(").Then(_ => Keyword("unless"))).Then(_ => Atom);

    private static readonly Parser<Expr> Application =
        from head in Atom
        from args in Argument.ManyCommit()
        select args.Length > 0 ? new ApplyExpr(head, args, head.Span.To(args[^1].Span)) : head;

    private static readonly Parser<Expr> UnaryRef = Parse.Ref(() => Unary);

    private static readonly Parser<Expr> Power =
        from b in Application
        from exponent in (from op in Symbol("**").Or(Symbol("^")) from e in UnaryRef select e).OptionalCommit()
        select exponent is not null ? new BinaryExpr("**", b, exponent, b.Span.To(exponent.Span)) : b;

    private static readonly Parser<Expr> Conditional =
        (from kwIf in Keyword("if")
         from condition in Expr
         from kwThen in Keyword("then").Expecting("'then'")
         from then in Expr
         from kwElse in Keyword("else").Expecting("'else'")
         from otherwise in Expr
         select (condition, then, otherwise))
        .Spanned((x, span) => (Expr)new IfExpr(x.condition, x.then, x.otherwise, span));

    /// <summary>
    /// An <c>if</c> may also stand where an operand goes (<c>1 + if a then b else c</c>); as in F#, its
    /// <c>else</c> branch then extends as far right as possible, so it is the last operand.
    /// </summary>
    private static readonly Parser<Expr> Unary =
        (from op in Symbol("-", "->", "-=").Or(Keyword("not")).Spanned((op, span) => (op, span))
         from operand in UnaryRef
         select (Expr)new UnaryExpr(op.op, operand, op.span.To(operand.Span)))
        .Or(Power)
        .Or(Conditional)
        .Expecting("expression");

    private static Expr MakeBinary(string op, Expr l, Expr r) => new BinaryExpr(op, l, r, l.Span.To(r.Span));

    private static readonly Parser<Expr> Multiplicative =
        Combinators.Chain(Symbol("*", "**", "*=").Or(Symbol("/", "/=")).Or(Symbol("%")), Unary, MakeBinary);

    private static readonly Parser<Expr> Additive =
        Combinators.Chain(Symbol("+", "+=").Or(Symbol("-", "->", "-=")), Multiplicative, MakeBinary);

    private static readonly Parser<string> ComparisonOp =
        Symbol("<=").Or(Symbol(">=")).Or(Symbol("<>")).Or(Symbol("!=").Select(_ => "<>"))
            .Or(Symbol("==").Select(_ => "="))
            .Or(Symbol("=", "=>"))
            .Or(Symbol("<", "<-"))
            .Or(Symbol(">"));

    private sealed record ComparisonTail(string Op, Expr Right);

    private static readonly Parser<Expr> Comparison =
        from left in Additive
        from rest in (from op in ComparisonOp from right in Additive select new ComparisonTail(op, right)).OptionalCommit()
        select rest is not null ? MakeBinary(rest.Op, left, rest.Right) : left;

    private static readonly Parser<Expr> Conjunction =
        Combinators.Chain(Symbol("&&").Or(Keyword("and").Select(_ => "&&")), Comparison, MakeBinary);

    private static readonly Parser<Expr> Disjunction =
        Combinators.Chain(Symbol("||").Or(Keyword("or").Select(_ => "||")), Conjunction, MakeBinary);

    private static readonly Parser<Expr> Pipeline =
        Combinators.Chain(Symbol("|>"), Disjunction, (_, value, function) => function switch
        {
            ApplyExpr apply => new ApplyExpr(apply.Function, apply.Arguments.Add(value), value.Span.To(function.Span)),
            _ => new ApplyExpr(function, [value], value.Span.To(function.Span)),
        });

    private static readonly Parser<Expr> Lambda =
        (from fun in Keyword("fun")
         from parameters in Identifier.AtLeastOnce()
         from arrow in Symbol("->").Expecting("'->'")
         from body in Expr
         select (parameters, body))
        .Spanned((x, span) => (Expr)new LambdaExpr([.. x.parameters], x.body, span));

    private static readonly Parser<Expr> TopExpr = Lambda.Or(Pipeline);

    /// <summary><c>name = expr</c>, as in parameter overrides <c>(v_th = -52&lt;mV&gt;, tau = 10&lt;ms&gt;)</c>.</summary>
    public static readonly Parser<NamedArgExpr> NamedArg =
        (from name in IdentifierWithSpan
         from eq in Symbol("=", "==").Expecting("'='")
         from value in Expr
         select (name, value))
        .Spanned((x, span) => new NamedArgExpr(x.name.Name, x.value, x.name.Span, span));

    public static readonly Parser<ImmutableArray<NamedArgExpr>> NamedArgs =
        from open in Symbol("(")
        from args in NamedArg.SeparatedBy(Symbol(",")).OptionalValue()
        from close in Symbol(")").Expecting("')'")
        select args ?? [];
}
