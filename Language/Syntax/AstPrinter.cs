using System.Globalization;
using System.Text;
using BioLang.Language.Syntax.Ast;

namespace BioLang.Language.Syntax;

/// <summary>A compact, stable S-expression rendering of syntax trees, for golden tests and <c>biolang check --ast</c>.</summary>
public static class AstPrinter
{
    public static string Print(ProgramSyntax program)
    {
        var sb = new StringBuilder();
        foreach (var decl in program.Declarations)
            sb.Append(Print(decl)).Append('\n');
        return sb.ToString();
    }

    private static string At(SyntaxNode node) => $"@{node.Span.Line}:{node.Span.Column}";

    public static string Print(Decl decl) => decl switch
    {
        OpenDecl o => $"(open {(o.IsFile ? Quote(o.Target) : o.Target)}) {At(o)}",
        LetDecl l => $"(let {l.Name}{string.Concat(l.Parameters.Select(p => " " + p))} {Print(l.Value)}) {At(l)}",
        SettingDecl s => $"(set {s.Name} {Print(s.Value)}) {At(s)}",
        PopulationDecl p => $"(population {p.Name} {p.Kind.ToString().ToLowerInvariant()} {Print(p.Size)}"
                            + (p.Model is null ? "" : " " + p.Model)
                            + string.Concat(p.Overrides.Select(o => " " + Print(o)))
                            + (p.Argument is null ? "" : " " + Print(p.Argument)) + $") {At(p)}",
        SubgroupDecl g => $"(subgroup {g.Name} {Print(g.Slice)}) {At(g)}",
        ConnectDecl c => $"(connect{(c.Name is null ? "" : " " + c.Name)} {Print(c.Pre)} {Print(c.Post)} (with"
                         + string.Concat(c.Synapse.Select(m => " " + m.Name + string.Concat(m.Overrides.Select(o => " " + Print(o)))))
                         + $") ({c.Rule.Keyword}{string.Concat(c.Rule.Arguments.Select(a => " " + Print(a)))})"
                         + (c.Delay is null ? "" : " (delay " + Print(c.Delay) + ")")
                         + (c.NoAutapses ? " no_autapses" : "") + $") {At(c)}",
        MonitorDecl m => $"(monitor {m.Kind.ToString().ToLowerInvariant()} {Print(m.Target)}"
                         + (m.PostTarget is null ? "" : " -> " + Print(m.PostTarget))
                         + (m.Indices is null ? "" : " " + Print(m.Indices))
                         + (m.Every is null ? "" : " (every " + Print(m.Every) + ")") + $") {At(m)}",
        RunDecl r => $"(run {Print(r.Duration)}) {At(r)}",
        HostDecl h => $"(host {h.Name} {Print(h.Value)}) {At(h)}",
        ModelDecl { Base: { } b } m => $"({m.Kind.ToString().ToLowerInvariant()} {m.Name} (variant-of {b.Name}{string.Concat(b.Overrides.Select(o => " " + Print(o)))}) {At(m)})",
        ModelDecl m => $"({m.Kind.ToString().ToLowerInvariant()} {m.Name} {At(m)}{string.Concat(m.Sections.Select(s => "\n  " + Print(s)))})",
        _ => decl.GetType().Name,
    };

    public static string Print(Section section) => section switch
    {
        ParametersSection p => "(parameters" + string.Concat(p.Items.Select(d => $" ({d.Name} {Print(d.Value)})")) + ")",
        StateSection s => "(state" + string.Concat(s.Items.Select(d => $" ({d.Name} {Print(d.Value)})")) + ")",
        EquationsSection e => "(equations" + (e.Timing == EquationTiming.Default ? "" : " " + e.Timing) + string.Concat(e.Items.Select(q => q switch
        {
            OdeEquation o => $" (d{o.Name}/dt {Print(o.Value)}{(o.UnlessRefractory ? " unless-refractory" : "")})",
            _ => $" ({q.Name} = {Print(q.Value)})",
        })) + ")",
        ThresholdSection t => $"(spike-when {Print(t.Condition)})",
        ResetSection r => "(reset" + string.Concat(r.Statements.Select(s => " " + Print(s))) + ")",
        RefractorySection r => $"(refractory {Print(r.Duration)})",
        MethodSection m => $"(method {m.Method})",
        OnSection o => $"(on {o.Event}" + string.Concat(o.Statements.Select(s => " " + Print(s))) + ")",
        DelaySection d => $"(delay {Print(d.Delay)})",
        EverySection e => $"(every {Print(e.Interval)}" + string.Concat(e.Statements.Select(s => " " + Print(s))) + ")",
        SummedSection s => $"(summed {Print(s.Target)} {Print(s.Value)})",
        _ => section.GetType().Name,
    };

    public static string Print(Stmt stmt) => stmt switch
    {
        AssignStmt a => $"({a.Op} {Print(a.Target)} {Print(a.Value)})",
        LetStmt l => $"(let {l.Name} {Print(l.Value)})",
        IfStmt i => $"(if {Print(i.Condition)} ({string.Join(" ", i.Then.Select(Print))}) ({string.Join(" ", i.Else.Select(Print))}))",
        _ => stmt.GetType().Name,
    };

    public static string Print(Expr expr) => expr switch
    {
        NumberExpr n => n.Unit is null ? n.Value.ToString("R", CultureInfo.InvariantCulture) : $"{n.Value.ToString("R", CultureInfo.InvariantCulture)}<{Print(n.Unit)}>",
        BoolExpr b => b.Value ? "true" : "false",
        StringExpr s => Quote(s.Value),
        NameExpr n => n.Name,
        MemberExpr m => $"{m.Qualifier}.{m.Name}",
        UnaryExpr u => $"({u.Op} {Print(u.Operand)})",
        BinaryExpr b => $"({b.Op} {Print(b.Left)} {Print(b.Right)})",
        ApplyExpr a => $"({Print(a.Function)}{string.Concat(a.Arguments.Select(x => " " + Print(x)))})",
        IfExpr i => $"(if {Print(i.Condition)} {Print(i.Then)} {Print(i.Else)})",
        LambdaExpr l => $"(fun ({string.Join(" ", l.Parameters)}) {Print(l.Body)})",
        ListExpr l => $"[{string.Join("; ", l.Items.Select(Print))}]",
        RangeExpr r => $"[{Print(r.From)} .. {Print(r.To)}]",
        TupleExpr t => $"(tuple{string.Concat(t.Items.Select(x => " " + Print(x)))})",
        NamedArgExpr n => $"({n.Name} = {Print(n.Value)})",
        SliceExpr s => $"(slice {Print(s.Target)} {Print(s.From)} {Print(s.To)})",
        _ => expr.GetType().Name,
    };

    public static string Print(UnitExpr unit) => unit switch
    {
        UnitNameExpr n => n.Symbol,
        UnitOneExpr => "1",
        // '*' and '/' associate to the left, so only a product on the right (or under a power) needs its parentheses back.
        UnitBinaryExpr b => $"{Print(b.Left)}{b.Op}{Grouped(b.Right)}",
        UnitPowerExpr p => $"{Grouped(p.Base)}^{p.Exponent}",
        _ => unit.GetType().Name,
    };

    private static string Grouped(UnitExpr unit) => unit is UnitBinaryExpr ? $"({Print(unit)})" : Print(unit);

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
