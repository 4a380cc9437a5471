using System.Collections.Immutable;
using BioLang.Language.Text;

namespace BioLang.Language.Syntax.Ast;

/// <summary>A statement inside an event handler or a reset block.</summary>
public abstract record Stmt(Span Span) : SyntaxNode(Span);

/// <summary><c>target &lt;- value</c>, or a compound form: <c>+=</c>, <c>-=</c>, <c>*=</c>, <c>/=</c>.</summary>
public sealed record AssignStmt(Expr Target, string Op, Expr Value, Span Span) : Stmt(Span);

public sealed record IfStmt(Expr Condition, ImmutableArray<Stmt> Then, ImmutableArray<Stmt> Else, Span Span) : Stmt(Span);

/// <summary><c>let x = value</c>: a local in a handler.</summary>
public sealed record LetStmt(string Name, Expr Value, Span NameSpan, Span Span) : Stmt(Span);
