using BioLang.Runtime.Engine;

namespace BioLang.Hosting;

/// <summary>What a spike monitor recorded: spike k is neuron <c>Neurons[k]</c> (within the monitored slice) at <c>Times[k]</c> seconds.</summary>
public sealed record SpikeRecord(double[] Times, int[] Neurons);

/// <summary>
/// What a state or weight monitor recorded, in SI units: <c>Values[k, n]</c> is item <c>Indices[n]</c>
/// (a neuron of the population, or a synapse of the connection) at <c>Times[k]</c> seconds.
/// </summary>
public sealed record TraceRecord(string Variable, double[] Times, int[] Indices, double[,] Values);

/// <summary>What a rate monitor recorded: the population rate <c>RatesHz[k]</c> in the bin that starts at <c>Times[k]</c> seconds.</summary>
public sealed record RateRecord(double[] Times, double[] RatesHz);

public sealed partial class Simulation
{
    /// <summary>The names of the script's monitors: <c>spikes_P</c>, <c>P.v</c>, <c>rate_P</c>, <c>weights_C</c>, and <c>P.v#2</c> for a second monitor of P.v that records other neurons or at another interval (the result files add <c>state_</c> to a state monitor's name).</summary>
    public IReadOnlyList<string> Monitors => Network.Monitors.Select(m => m.Name).ToList();

    /// <summary>Everything a spike monitor has recorded so far (a copy).</summary>
    public SpikeRecord Spikes(string monitor)
    {
        var m = Monitor<SpikeMonitorRuntime>(monitor, "spike");
        return new SpikeRecord(Seconds(m.Steps.Span), m.Neurons.ToArray());
    }

    /// <summary>Everything a state monitor (<c>monitor P.v</c>) or weight monitor (<c>monitor weights</c>) has recorded so far (a copy).</summary>
    public TraceRecord Trace(string monitor)
    {
        var m = Network.Monitors.FirstOrDefault(x => x.Name == monitor) ?? throw UnknownMonitor(monitor);
        return m switch
        {
            StateMonitorRuntime s => new TraceRecord(s.Variable, Seconds(s.Steps.Span), [.. s.Indices], Matrix(s.Values.Span, s.Steps.Count, s.Indices.Count)),
            WeightMonitorRuntime w => new TraceRecord(w.Projection.IR.Synapse.State[((Language.IR.WeightMonitorIR)w.IR).Var].Name,
                Seconds(w.Steps.Span), [.. w.Synapses], Matrix(w.Values.Span, w.Steps.Count, w.Synapses.Length)),
            _ => throw new ArgumentException($"'{monitor}' is not a state or weight monitor", nameof(monitor)),
        };
    }

    /// <summary>Every completed bin of a rate monitor so far (a copy).</summary>
    public RateRecord Rates(string monitor)
    {
        var m = Monitor<RateMonitorRuntime>(monitor, "rate");
        return new RateRecord(Seconds(m.Steps.Span), m.RatesHz.ToArray());
    }

    private T Monitor<T>(string name, string kind) where T : MonitorRuntime =>
        Network.Monitors.FirstOrDefault(x => x.Name == name) switch
        {
            T m => m,
            null => throw UnknownMonitor(name),
            _ => throw new ArgumentException($"'{name}' is not a {kind} monitor", nameof(name)),
        };

    private ArgumentException UnknownMonitor(string name) =>
        new($"there is no monitor '{name}'{Language.Diagnostics.Suggestions.DidYouMean(name, Monitors)}", nameof(name));

    private double[] Seconds(ReadOnlySpan<long> steps)
    {
        var times = new double[steps.Length];
        for (var k = 0; k < steps.Length; k++)
            times[k] = steps[k] * Network.Dt;
        return times;
    }

    private static double[,] Matrix(ReadOnlySpan<double> samples, int rows, int columns)
    {
        var m = new double[rows, columns];
        for (var k = 0; k < rows; k++)
            for (var n = 0; n < columns; n++)
                m[k, n] = samples[k * columns + n];
        return m;
    }
}
