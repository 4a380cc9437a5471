using System.Collections.Immutable;
using BioLang.Language.Syntax.Ast;

namespace BioLang.Language.Syntax;

/// <summary>
/// Renames a model's own names (parameters, state, aliases, and every unqualified use of them),
/// so a block can be composed under other names: <c>with Exc + Stdp (apre as apre_fast)</c>.
/// Qualified names (<c>pre.x</c>, <c>post.x</c>) belong to the neurons and are left alone.
/// </summary>
public static class AstRename
{
    public static ModelDecl Apply(ModelDecl decl, IReadOnlyDictionary<string, string> map) =>
        map.Count == 0 ? decl : decl with { Sections = [.. decl.Sections.Select(s => Section(s, map))] };

    private static string N(string name, IReadOnlyDictionary<string, string> map) => map.GetValueOrDefault(name, name);

    private static Section Section(Section s, IReadOnlyDictionary<string, string> map) => s switch
    {
        ParametersSection p => p with { Items = [.. p.Items.Select(d => Definition(d, map))] },
        StateSection p => p with { Items = [.. p.Items.Select(d => Definition(d, map))] },
        EquationsSection e => e with
        {
            Items = [.. e.Items.Select(q => q switch
            {
                OdeEquation o => (Equation)(o with { Name = N(o.Name, map), Value = Expr(o.Value, map) }),
                AliasEquation a => a with { Name = N(a.Name, map), Value = Expr(a.Value, map) },
                _ => q,
            })],
        },
        ThresholdSection t => t with { Condition = Expr(t.Condition, map) },
        ResetSection r => r with { Statements = Stmts(r.Statements, map) },
        RefractorySection r => r with { Duration = Expr(r.Duration, map) },
        OnSection o => o with { Statements = Stmts(o.Statements, map) },
        DelaySection d => d with { Delay = Expr(d.Delay, map) },
        EverySection e => e with { Interval = Expr(e.Interval, map), Statements = Stmts(e.Statements, map) },
        SummedSection u => u with { Value = Expr(u.Value, map) },
        _ => s,
    };

    private static Definition Definition(Definition d, IReadOnlyDictionary<string, string> map) =>
        d with { Name = N(d.Name, map), Value = Expr(d.Value, map) };

    private static ImmutableArray<Stmt> Stmts(ImmutableArray<Stmt> statements, IReadOnlyDictionary<string, string> map) =>
        [.. statements.Select(s => Stmt(s, map))];

    private static Stmt Stmt(Stmt s, IReadOnlyDictionary<string, string> map) => s switch
    {
        AssignStmt a => a with { Target = Expr(a.Target, map), Value = Expr(a.Value, map) },
        IfStmt i => i with { Condition = Expr(i.Condition, map), Then = Stmts(i.Then, map), Else = Stmts(i.Else, map) },
        LetStmt l => l with { Value = Expr(l.Value, map) },
        _ => s,
    };

    public static Expr Expr(Expr e, IReadOnlyDictionary<string, string> map) => e switch
    {
        NameExpr n => n with { Name = N(n.Name, map) },
        UnaryExpr u => u with { Operand = Expr(u.Operand, map) },
        BinaryExpr b => b with { Left = Expr(b.Left, map), Right = Expr(b.Right, map) },
        ApplyExpr a => a with { Function = a.Function, Arguments = [.. a.Arguments.Select(x => Expr(x, map))] },
        IfExpr i => i with { Condition = Expr(i.Condition, map), Then = Expr(i.Then, map), Else = Expr(i.Else, map) },
        ListExpr l => l with { Items = [.. l.Items.Select(x => Expr(x, map))] },
        RangeExpr r => r with { From = Expr(r.From, map), To = Expr(r.To, map) },
        TupleExpr t => t with { Items = [.. t.Items.Select(x => Expr(x, map))] },
        NamedArgExpr n => n with { Value = Expr(n.Value, map) },
        _ => e,
    };
}
