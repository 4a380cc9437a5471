using System.Collections.Immutable;
using BioLang.Language.Text;

namespace BioLang.Language.IR;

public abstract record IrStmt(Span? Span);

/// <summary><c>target = value</c>; compound assignments are desugared (<c>x += e</c> is <c>x = x + e</c>).</summary>
public sealed record IrAssign(VarRef Target, IrExpr Value, Span? Span = null) : IrStmt(Span);

public sealed record IrIf(IrExpr Condition, ImmutableArray<IrStmt> Then, ImmutableArray<IrStmt> Else, Span? Span = null) : IrStmt(Span);
