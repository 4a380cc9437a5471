using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

/// <summary>Binds reset blocks and event handlers: assignments (compound ones desugared), handler locals, conditionals.</summary>
internal sealed class StatementBinder(ExpressionBinder expressions)
{
    private DiagnosticBag Diagnostics => expressions.Diagnostics;

    /// <param name="assignable">The scopes this block may write, with a phrase for the error when another is written.</param>
    public ImmutableArray<IrStmt> Bind(ImmutableArray<Stmt> statements, BindingContext ctx, IReadOnlySet<VarScope> assignable, string where)
    {
        var result = ImmutableArray.CreateBuilder<IrStmt>();
        foreach (var stmt in statements)
        {
            switch (stmt)
            {
                case LetStmt let:
                {
                    if (ctx.Locals.ContainsKey(let.Name) || ctx.Own?.Lookup(let.Name) is not null)
                        Diagnostics.Error(DiagnosticCodes.Duplicate, let.NameSpan, $"'{let.Name}' is already defined here; choose another name for the local");
                    var value = expressions.Bind(let.Value, ctx);
                    var slot = new VarRef(VarScope.Local, ctx.LocalSlots.Next(), let.Name);
                    result.Add(new IrAssign(slot, value, let.Span));
                    ctx = ctx with { Locals = ctx.Locals.SetItem(let.Name, new IrVar(slot, value.Dimension, let.NameSpan)) };
                    break;
                }
                case AssignStmt assign:
                    if (Assign(assign, ctx, assignable, where) is { } bound)
                        result.Add(bound);
                    break;
                case IfStmt cond:
                    result.Add(new IrIf(
                        expressions.BindCondition(cond.Condition, ctx, "the condition of 'if'"),
                        Bind(cond.Then, ctx, assignable, where),
                        Bind(cond.Else, ctx, assignable, where),
                        cond.Span));
                    break;
            }
        }
        return result.ToImmutable();
    }

    private IrStmt? Assign(AssignStmt assign, BindingContext ctx, IReadOnlySet<VarScope> assignable, string where)
    {
        var target = Target(assign.Target, ctx);
        var value = expressions.Bind(assign.Value, ctx);
        if (target is null || value is IrError)
            return null;
        if (!assignable.Contains(target.Ref.Scope))
        {
            Diagnostics.Error(DiagnosticCodes.NotAssignable, assign.Target.Span, $"'{assign.Target.Span.Text}' cannot be assigned in {where}");
            return null;
        }
        if (value.Type != IrType.Real)
        {
            Diagnostics.Error(DiagnosticCodes.NeedsNumber, assign.Value.Span, "a state variable holds a number; a condition cannot be assigned (write 'if c then 1 else 0')");
            return null;
        }
        var expected = assign.Op is "*=" or "/=" ? Dimension.None : target.Dimension;
        if (value.Dimension != expected && !ExpressionBinder.IsLiteralZero(assign.Value))
        {
            var what = assign.Op is "*=" or "/=" ? $"'{assign.Op}' scales by a dimensionless factor" : $"'{target.Ref}' has dimension {target.Dimension}";
            Diagnostics.Error(DiagnosticCodes.AssignmentDimension, assign.Span, $"{what}, but the value has {value.Dimension}");
            return null;
        }
        var combined = assign.Op switch
        {
            "+=" => new IrBinary(BinaryOp.Add, target, value, target.Dimension, assign.Span),
            "-=" => new IrBinary(BinaryOp.Subtract, target, value, target.Dimension, assign.Span),
            "*=" => new IrBinary(BinaryOp.Multiply, target, value, target.Dimension, assign.Span),
            "/=" => new IrBinary(BinaryOp.Divide, target, value, target.Dimension, assign.Span),
            _ => value,
        };
        return new IrAssign(target.Ref, combined, assign.Span);
    }

    private IrVar? Target(Expr target, BindingContext ctx)
    {
        switch (target)
        {
            case NameExpr n when ctx.Locals.ContainsKey(n.Name):
                Diagnostics.Error(DiagnosticCodes.NotAssignable, n.Span, $"'{n.Name}' is a local defined with 'let'; locals cannot be reassigned");
                return null;
            case NameExpr n:
                return Entry(ctx.Own, n.Name, n.Span, ctx, n);
            case MemberExpr { Qualifier: "pre" or "post" } m:
                var side = m.Qualifier == "pre" ? ctx.Pre : ctx.Post;
                if (side is null)
                {
                    Diagnostics.Error(DiagnosticCodes.NotAssignable, m.Span, $"'{m.Qualifier}.' is only meaningful in a synapse model");
                    return null;
                }
                return side.Unknown && side.Lookup(m.Name) is null ? null : Entry(side, m.Name, m.Span, ctx, m);
            default:
                expressions.Bind(target, ctx);
                Diagnostics.Error(DiagnosticCodes.NotAssignable, target.Span, $"'{target.Span.Text}' cannot be assigned");
                return null;
        }
    }

    private IrVar? Entry(ModelScope? scope, string name, Text.Span span, BindingContext ctx, Expr original)
    {
        var display = original.Span.Text;
        switch (scope?.Lookup(name))
        {
            case VarEntry v:
                return new IrVar(new VarRef(scope.VarScope, v.Index, v.Name), v.Dimension, span);
            case ParamEntry:
                Diagnostics.Error(DiagnosticCodes.NotAssignable, span, $"'{display}' is a parameter; parameters are constant (declare it under 'state' to change it)");
                return null;
            case AliasEntry:
                Diagnostics.Error(DiagnosticCodes.NotAssignable, span, $"'{display}' is defined by an equation and cannot be assigned");
                return null;
        }
        // An unknown name has been reported by now; a constant, 't' or 'dt' binds quietly and must not be dropped quietly.
        if (expressions.Bind(original, ctx) is not IrError)
            Diagnostics.Error(DiagnosticCodes.NotAssignable, span, $"'{display}' is not a state variable, so it cannot be assigned");
        return null;
    }
}
