using System.Globalization;
using System.Text;
using BioLang.Language.Semantics;
using BioLang.Language.Units;

namespace BioLang.Language.IR;

/// <summary>A stable text dump of the IR, for golden tests and <c>biolang check --ir</c>.</summary>
public static class IrPrinter
{
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string D(Dimension d) => d.IsDimensionless ? "1" : d.ToString();

    public static string Print(ModelIR model)
    {
        var sb = new StringBuilder();
        sb.Append($"dt {N(model.Dt)} s; seed {(model.Seed?.ToString(CultureInfo.InvariantCulture) ?? "default")}; precision {model.Precision.ToString().ToLowerInvariant()}\n");
        foreach (var p in model.Populations)
            Population(sb, p);
        foreach (var p in model.Projections)
            Projection(sb, p, model);
        foreach (var m in model.Monitors)
            sb.Append(Monitor(m)).Append('\n');
        foreach (var r in model.Runs)
            sb.Append($"run {N(r.Duration)} s\n");
        return sb.ToString();
    }

    private static void Population(StringBuilder sb, PopulationIR p)
    {
        switch (p)
        {
            case NeuronGroupIR g:
                var m = g.Model;
                sb.Append($"population {g.Name} [{g.Size}] {(m.IsRate ? "rate" : "neuron")} {m.Name} method {Integration.NameOf(m.Method)}\n");
                foreach (var param in m.Parameters)
                    sb.Append($"  param {param.Name} = {N(param.Value)} : {D(param.Dimension)}\n");
                foreach (var v in m.State)
                    sb.Append($"  state {v.Name} : {D(v.Dimension)} = {Print(v.Init)}\n");
                foreach (var e in m.Equations)
                    sb.Append($"  d{m.State[e.Var].Name}/dt = {Print(e.Rhs)}{(e.UnlessRefractory ? " unless refractory" : "")}\n");
                if (m.Linear is { } l)
                    sb.Append($"  linear vars [{string.Join(", ", l.Vars.Select(i => m.State[i].Name))}] inputs [{string.Join(", ", l.Inputs.Select(i => m.State[i].Name))}]\n");
                if (m.Threshold is not null)
                    sb.Append($"  spike when {Print(m.Threshold)}\n");
                foreach (var s in m.Reset)
                    sb.Append($"  reset {Print(s)}\n");
                if (m.Refractory is not null)
                    sb.Append($"  refractory {Print(m.Refractory)}\n");
                foreach (var periodic in m.Periodic)
                    sb.Append($"  every {N(periodic.Interval)} s {{ {string.Join("; ", periodic.Statements.Select(Print))} }}\n");
                break;
            case PoissonGroupIR pg:
                sb.Append($"population {pg.Name} [{pg.Size}] poisson rate {Print(pg.Rate)}\n");
                break;
            case SpikeTimesIR st:
                sb.Append($"population {st.Name} [{st.Size}] spike_times {string.Join(" ", st.Spikes.Select(s => $"({s.Neuron},{N(s.Time)})"))}\n");
                break;
        }
    }

    private static void Projection(StringBuilder sb, ProjectionIR p, ModelIR model)
    {
        sb.Append($"projection {p.Name} {Ref(p.Pre, model)} -> {Ref(p.Post, model)} with {p.Synapse.Name} rule {Rule(p.Rule)}");
        if (p.Delay is not null) sb.Append($" delay {Print(p.Delay)}");
        if (p.NoAutapses) sb.Append(" no_autapses");
        sb.Append('\n');
        foreach (var param in p.Synapse.Parameters)
            sb.Append($"  param {param.Name} = {N(param.Value)} : {D(param.Dimension)}\n");
        foreach (var v in p.Synapse.State)
            sb.Append($"  state {v.Name} : {D(v.Dimension)} = {Print(v.Init)}\n");
        foreach (var e in p.Synapse.Equations)
            sb.Append($"  d{p.Synapse.State[e.Var].Name}/dt = {Print(e.Rhs)}{(e.Timing == OdeTiming.Event ? " (event-driven)" : "")}\n");
        foreach (var s in p.Synapse.OnPre)
            sb.Append($"  on pre {Print(s)}\n");
        foreach (var s in p.Synapse.OnPost)
            sb.Append($"  on post {Print(s)}\n");
        foreach (var periodic in p.Synapse.Periodic)
            sb.Append($"  every {N(periodic.Interval)} s {{ {string.Join("; ", periodic.Statements.Select(Print))} }}\n");
        foreach (var s in p.Synapse.Summed)
            sb.Append($"  summed {s.Target} = {Print(s.Value)}\n");
    }

    private static string Ref(PopRefIR r, ModelIR model)
    {
        var p = model.Populations[r.Population];
        return r.Start == 0 && r.Count == p.Size ? p.Name : $"{p.Name}[{r.Start}..{r.Start + r.Count - 1}]";
    }

    public static string Rule(ConnectRuleIR r) => r switch
    {
        AllToAllRule => "all_to_all",
        OneToOneRule => "one_to_one",
        ProbabilityRule p => $"probability {Print(p.P)}",
        FixedIndegreeRule k => $"fixed_indegree {k.K}",
        FixedOutdegreeRule k => $"fixed_outdegree {k.K}",
        PredicateRule c => $"where {Print(c.Condition)}",
        PairsRule pairs => $"pairs {string.Join(" ", pairs.Pairs.Select(x => $"({x.Pre},{x.Post})"))}",
        _ => r.GetType().Name,
    };

    private static string Monitor(MonitorIR m) => m switch
    {
        SpikeMonitorIR s => $"monitor {s.Name}",
        StateMonitorIR s => $"monitor {s.Name} [{s.Indices.Length} neurons] every {s.IntervalSteps} steps",
        RateMonitorIR r => $"monitor {r.Name} bin {r.BinSteps} steps",
        WeightMonitorIR w => $"monitor {w.Name} var {w.Var} every {w.IntervalSteps} steps{(w.Synapses is { } s ? $" [{s.Length} synapses]" : "")}",
        _ => m.GetType().Name,
    };

    public static string Print(IrStmt s) => s switch
    {
        IrAssign a => $"{a.Target} <- {Print(a.Value)}",
        IrIf i => $"if {Print(i.Condition)} then {{ {string.Join("; ", i.Then.Select(Print))} }} else {{ {string.Join("; ", i.Else.Select(Print))} }}",
        _ => s.GetType().Name,
    };

    public static string Print(IrExpr e) => e switch
    {
        IrConst c => N(c.Value),
        IrBool b => b.Value ? "true" : "false",
        IrParam p => p.Name,
        IrVar v => v.Ref.ToString(),
        IrSpecial s => s.Kind switch { Special.Time => "t", Special.Dt => "dt", Special.I => "i", _ => "j" },
        IrUnary u => u.Op == UnaryOp.Negate ? $"(-{Print(u.Operand)})" : $"(not {Print(u.Operand)})",
        IrBinary b => $"({Print(b.Left)} {Op(b.Op)} {Print(b.Right)})",
        IrCall c => $"{c.Function.ToString().ToLowerInvariant()}({string.Join(", ", c.Arguments.Select(Print))})",
        IrCond c => $"(if {Print(c.Condition)} then {Print(c.Then)} else {Print(c.Else)})",
        IrRandom r => r.Kind == RandomKind.Uniform ? $"rand#{r.Site}" : $"randn#{r.Site}",
        IrHost h => "host." + h.Name,
        IrError => "<error>",
        _ => e.GetType().Name,
    };

    private static string Op(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Modulo => "%",
        BinaryOp.Power => "**",
        BinaryOp.Less => "<",
        BinaryOp.LessEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterEqual => ">=",
        BinaryOp.Equal => "=",
        BinaryOp.NotEqual => "<>",
        BinaryOp.And => "&&",
        _ => "||",
    };
}
