using System.Globalization;
using System.Text;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Units;
using BioLang.Runtime.Engine;
using BioLang.Runtime.Output;

namespace BioLang.Repl.Session;

public sealed partial class ReplSession
{
    /// <summary><c>:inspect</c>: every population and connection; <c>:inspect NAME</c>: one of them in detail.</summary>
    private ReplOutcome Inspect(string name)
    {
        if (_model is null || _network is null)
            return new ReplOutcome("nothing declared yet\n");
        var sb = new StringBuilder();
        if (name.Length == 0)
        {
            sb.Append($"t = {UnitTable.Pretty(_network.Time, Dimension.Time)}, dt = {UnitTable.Pretty(_model.Dt, Dimension.Time)}, seed {_network.Options.Seed}\n");
            Table(sb, ["population", "size", "model", "method", "spikes", "rate (Hz)"], _network.Groups.Select(g => new[]
            {
                g.Name, g.Size.ToString(CultureInfo.InvariantCulture), ModelName(g), MethodName(g), g.TotalSpikes.ToString(CultureInfo.InvariantCulture),
                Rate(g, _network).ToString("0.###", CultureInfo.InvariantCulture),
            }));
            if (_network.Projections.Count > 0)
                Table(sb, ["connection", "synapse", "synapses", "events"], _network.Projections.Select(p => new[]
                {
                    p.Name, p.IR.Synapse.Name, p.SynapseCount.ToString(CultureInfo.InvariantCulture), p.Events.ToString(CultureInfo.InvariantCulture),
                }));
            if (_model.Constants.Count > 0)
                sb.Append("constants: ").Append(string.Join(", ", _model.Constants.Where(c => !c.Key.StartsWith("__", StringComparison.Ordinal)).Select(c => $"{c.Key} = {Format(c.Value)}"))).Append('\n');
            if (_network.Model.Hosts.Length > 0)
                sb.Append("host values: ").Append(string.Join(", ", _network.Model.Hosts.Select((h, k) => $"{h.Name} = {UnitTable.Pretty(_network.HostValues[k], h.Dimension)}"))).Append('\n');
            return new ReplOutcome(sb.ToString());
        }
        if (_network.Groups.FirstOrDefault(g => g.Name == name) is { } group)
        {
            sb.Append($"{group.Name}: {Count(group.Size, "neuron")} of {ModelName(group)}, {group.TotalSpikes} spikes\n");
            if (group is NeuronGroupRuntime n)
            {
                Table(sb, ["parameter", "value"], n.Model.Parameters.Select(p => new[] { p.Name, UnitTable.Pretty(p.Value, p.Dimension) }));
                Table(sb, ["state", "mean", "min", "max"], n.Model.State.Select((v, k) =>
                {
                    var values = n.Arrays.Vars[k];
                    return new[] { v.Name, UnitTable.Pretty(values.Average(), v.Dimension), UnitTable.Pretty(values.Min(), v.Dimension), UnitTable.Pretty(values.Max(), v.Dimension) };
                }));
            }
            return new ReplOutcome(sb.ToString());
        }
        if (_network.Projections.FirstOrDefault(p => p.Name == name) is { } projection)
        {
            sb.Append($"{projection.Name}: {Count(projection.SynapseCount, "synapse")} of {projection.IR.Synapse.Name}, rule {IrPrinter.Rule(projection.IR.Rule)}, {projection.Events} events\n");
            Table(sb, ["parameter", "value"], projection.IR.Synapse.Parameters.Select(p => new[] { p.Name, UnitTable.Pretty(p.Value, p.Dimension) }));
            Table(sb, ["state", "mean", "min", "max"], projection.IR.Synapse.State.Select((v, k) =>
            {
                var values = RunReport.FinalWeights(projection, k).W;
                return values.Length == 0
                    ? new[] { v.Name, "-", "-", "-" }
                    : new[] { v.Name, UnitTable.Pretty(values.Average(), v.Dimension), UnitTable.Pretty(values.Min(), v.Dimension), UnitTable.Pretty(values.Max(), v.Dimension) };
            }));
            return new ReplOutcome(sb.ToString());
        }
        if (_network.Model.Hosts.Select((h, k) => (h, k)).FirstOrDefault(x => x.h.Name == name) is { h: not null } host)
            return new ReplOutcome($"host {name} = {UnitTable.Pretty(_network.HostValues[host.k], host.h.Dimension)}\n");
        var known = _network.Groups.Select(g => g.Name).Concat(_network.Projections.Select(p => p.Name)).Concat(_network.Model.Hosts.Select(h => h.Name));
        return new ReplOutcome($"no population, connection or host value '{name}'{Language.Diagnostics.Suggestions.DidYouMean(name, known)}\n", IsError: true);
    }

    private static string Count(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString(CultureInfo.InvariantCulture)} {noun}s";

    private string ModelName(GroupRuntime g) => _model!.Populations.First(p => p.Name == g.Name) switch
    {
        NeuronGroupIR n => n.Model.Name,
        PoissonGroupIR => "poisson",
        _ => "spike_times",
    };

    private string MethodName(GroupRuntime g) =>
        _model!.Populations.First(p => p.Name == g.Name) is NeuronGroupIR n && !n.Model.Equations.IsEmpty ? Integration.NameOf(n.Model.Method) : "-";

    /// <summary>A plain-text table: fixed-width columns, a rule under the header.</summary>
    private static void Table(StringBuilder sb, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        if (all.Count == 0)
            return;
        var widths = header.Select((h, k) => Math.Max(h.Length, all.Max(r => r[k].Length))).ToArray();
        sb.Append("  ").Append(string.Join("  ", header.Select((h, k) => h.PadRight(widths[k])))).Append('\n');
        sb.Append("  ").Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var r in all)
            sb.Append("  ").Append(string.Join("  ", r.Select((c, k) => c.PadRight(widths[k])))).Append('\n');
    }
}
