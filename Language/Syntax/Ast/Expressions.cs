using System.Collections.Immutable;
using BioLang.Language.Text;

namespace BioLang.Language.Syntax.Ast;

/// <summary>Every syntax node keeps the span it was parsed from.</summary>
public abstract record SyntaxNode(Span Span);

public abstract record Expr(Span Span) : SyntaxNode(Span);

/// <summary>A number literal, with the unit written right after it (<c>10&lt;ms&gt;</c>), if any.</summary>
public sealed record NumberExpr(double Value, string Text, UnitExpr? Unit, Span Span) : Expr(Span);

public sealed record BoolExpr(bool Value, Span Span) : Expr(Span);

public sealed record StringExpr(string Value, Span Span) : Expr(Span);

public sealed record NameExpr(string Name, Span Span) : Expr(Span);

/// <summary><c>post.ge</c>, <c>exc.v</c>: a name qualified by another.</summary>
public sealed record MemberExpr(string Qualifier, string Name, Span QualifierSpan, Span Span) : Expr(Span);

public sealed record UnaryExpr(string Op, Expr Operand, Span Span) : Expr(Span);

public sealed record BinaryExpr(string Op, Expr Left, Expr Right, Span Span) : Expr(Span);

/// <summary>Application by juxtaposition, F# style: <c>clip x 0 wmax</c>.</summary>
public sealed record ApplyExpr(Expr Function, ImmutableArray<Expr> Arguments, Span Span) : Expr(Span);

public sealed record IfExpr(Expr Condition, Expr Then, Expr Else, Span Span) : Expr(Span);

public sealed record LambdaExpr(ImmutableArray<string> Parameters, Expr Body, Span Span) : Expr(Span);

/// <summary><c>[a; b; c]</c>.</summary>
public sealed record ListExpr(ImmutableArray<Expr> Items, Span Span) : Expr(Span);

/// <summary><c>[a .. b]</c>, inclusive as in F#.</summary>
public sealed record RangeExpr(Expr From, Expr To, Span Span) : Expr(Span);

/// <summary><c>(a, b)</c>; the empty tuple <c>()</c> is F#'s unit value, as in <c>rand ()</c>.</summary>
public sealed record TupleExpr(ImmutableArray<Expr> Items, Span Span) : Expr(Span);

/// <summary><c>name = expr</c> inside an argument list: a named argument or a parameter override.</summary>
public sealed record NamedArgExpr(string Name, Expr Value, Span NameSpan, Span Span) : Expr(Span);

/// <summary><c>P[a .. b]</c>: the neurons a to b (inclusive) of a population.</summary>
public sealed record SliceExpr(Expr Target, Expr From, Expr To, Span Span) : Expr(Span);

/// <summary>A unit annotation as written between angle brackets.</summary>
public abstract record UnitExpr(Span Span) : SyntaxNode(Span);

public sealed record UnitNameExpr(string Symbol, Span Span) : UnitExpr(Span);

public sealed record UnitOneExpr(Span Span) : UnitExpr(Span);

public sealed record UnitBinaryExpr(char Op, UnitExpr Left, UnitExpr Right, Span Span) : UnitExpr(Span);

public sealed record UnitPowerExpr(UnitExpr Base, int Exponent, Span Span) : UnitExpr(Span);
