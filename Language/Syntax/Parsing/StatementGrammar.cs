using BioLang.Language.Syntax.Ast;
using Sprache;
using static BioLang.Language.Syntax.Parsing.Lexical;

namespace BioLang.Language.Syntax.Parsing;

/// <summary>Statements of event handlers and reset blocks, and the items of model sections.</summary>
internal static class StatementGrammar
{
    private static readonly Parser<Expr> Target =
        ExpressionGrammar.Atom.Where(e => e is NameExpr or MemberExpr).Expecting("variable to assign");

    /// <summary><c>&lt;-</c> and the compound forms; a bare <c>=</c> is accepted here so the parser can say "use &lt;-".</summary>
    private static readonly Parser<string> AssignOp =
        Symbol("<-").Or(Symbol("+=")).Or(Symbol("-=")).Or(Symbol("*=")).Or(Symbol("/=")).Or(Symbol("=", "==")).Expecting("'<-'");

    private static readonly Parser<Stmt> StmtRef = Parse.Ref(() => Statement);

    private static readonly Parser<Stmt> Assign =
        (from target in Target
         from op in AssignOp
         from value in ExpressionGrammar.Expr
         select (target, op, value))
        .Spanned((x, span) => (Stmt)new AssignStmt(x.target, x.op, x.value, span));

    private static readonly Parser<Stmt> Let =
        (from kw in Keyword("let")
         from name in IdentifierWithSpan
         from eq in Symbol("=").Expecting("'='")
         from value in ExpressionGrammar.Expr
         select (name, value))
        .Spanned((x, span) => (Stmt)new LetStmt(x.name.Name, x.value, x.name.Span, span));

    private static readonly Parser<Stmt> InlineIf =
        (from kw in Keyword("if")
         from condition in ExpressionGrammar.Expr
         from then in Keyword("then").Expecting("'then'")
         from body in StmtRef
         from otherwise in Keyword("else").Then(_ => StmtRef).OptionalCommit()
         select (condition, body, otherwise))
        .Spanned((x, span) => (Stmt)new IfStmt(x.condition, [x.body], x.otherwise is null ? [] : [x.otherwise], span));

    public static readonly Parser<Stmt> Statement = InlineIf.Or(Let).Or(Assign);

    /// <summary><c>if cond then</c> at the end of a line, its block indented below.</summary>
    public static readonly Parser<Expr> IfHeader =
        from kw in Keyword("if")
        from condition in ExpressionGrammar.Expr
        from then in Keyword("then").Expecting("'then'")
        select condition;

    /// <summary><c>name = expr</c> in parameters and state sections.</summary>
    public static readonly Parser<Definition> Definition =
        (from name in IdentifierWithSpan
         from eq in Symbol("=", "==").Expecting("'='")
         from value in ExpressionGrammar.Expr
         select (name, value))
        .Spanned((x, span) => new Definition(x.name.Name, x.value, x.name.Span, span));

    private static readonly Parser<bool> UnlessRefractory =
        from open in Symbol("(")
        from kw in Keyword("unless")
        from word in Keyword("refractory").Expecting("'refractory'")
        from close in Symbol(")").Expecting("')'")
        select true;

    /// <summary><c>dx/dt = expr [(unless refractory)]</c> or an alias <c>name = expr</c>.</summary>
    public static readonly Parser<Equation> Equation =
        (from lhs in IdentifierWithSpan
         from slash in Symbol("/")
         from dt in Keyword("dt").Expecting("'dt'")
         from eq in Symbol("=", "==").Expecting("'='")
         from value in ExpressionGrammar.Expr
         from unless in UnlessRefractory.Optional()
         select (lhs, value, unless: unless.IsDefined))
        .Spanned((x, span) => (Equation)new OdeEquation(x.lhs.Name.Length > 1 && x.lhs.Name[0] == 'd' ? x.lhs.Name[1..] : "", x.value, x.unless,
            new Text.Span(x.lhs.Span.Source, x.lhs.Span.Start + 1, x.lhs.Span.End), span))
        .Or(Definition.Select(d => (Equation)new AliasEquation(d.Name, d.Value, d.NameSpan, d.Span)));
}
