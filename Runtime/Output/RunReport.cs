using System.Globalization;
using System.Text;
using System.Text.Json;
using BioLang.Runtime.Engine;

namespace BioLang.Runtime.Output;

/// <summary>Wall-clock phases of a run, in seconds, as reported in summary.json.</summary>
public sealed record RunTiming(double ParseSeconds, double CompileSeconds, double BuildSeconds, double RunSeconds, double WriteSeconds, double TotalSeconds);

/// <summary>
/// Writes a finished run into a folder: summary.json, each monitor as CSV and .npy, and PNG plots.
/// Every file goes through <see cref="AtomicFile"/>, so a failure leaves no half-written file.
/// </summary>
internal static class RunReport
{
    private static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A file name from a monitor or projection name: "P[0..99]" becomes "P_0..99_".</summary>
    public static string FileName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : c == '>' ? '_' : '_');
        return sb.ToString().Replace("-_", "-");
    }

    /// <summary>
    /// The time of a step in milliseconds as the nearest double to the decimal k·dt: with dt = p/q ms
    /// (q a power of ten), k·p/q is one exact product and one correctly rounded division, so step 3 at
    /// 0.1 ms is written 0.3, where k·0.1 would give 0.30000000000000004.
    /// </summary>
    internal static Func<long, double> StepToMs(double dt)
    {
        var dtMs = dt * 1e3;
        for (var q = 1.0; q <= 1e9; q *= 10)
        {
            var p = Math.Round(dtMs * q);
            if (p >= 1 && Math.Abs(dtMs * q - p) <= 1e-9 * p)
                return step => step * p / q;
        }
        return step => step * dtMs;
    }

    /// <summary>Writes every monitor's data and plots; returns the files written, relative to <paramref name="dir"/>.</summary>
    public static IReadOnlyList<string> WriteMonitors(Network network, string dir, bool plots)
    {
        var files = new List<string>();
        var dtMs = network.Dt * 1e3;
        var toMs = StepToMs(network.Dt);
        // The final weights keep their documented names; a monitor whose files would take a name
        // already given (two names that differ only in characters a file name cannot hold, or in
        // case on a case-insensitive file system) gets a suffix instead of overwriting them.
        var taken = new HashSet<string>(PlasticWithWeights(network).SelectMany(p => WeightFiles(WeightsStem(network, p))), StringComparer.OrdinalIgnoreCase);
        foreach (var monitor in network.Monitors)
        {
            var stem = FileName(monitor.Name);
            for (var k = 2; MonitorFiles(network, monitor, stem).Any(taken.Contains); k++)
                stem = FileName(monitor.Name) + "-" + k.ToString(CultureInfo.InvariantCulture);
            taken.UnionWith(MonitorFiles(network, monitor, stem));
            switch (monitor)
            {
                case SpikeMonitorRuntime s:
                {
                    var count = s.Steps.Count;
                    var times = new double[count];
                    var neurons = s.Neurons.ToArray();
                    for (var k = 0; k < count; k++)
                        times[k] = toMs(s.Steps.Buffer[k]);
                    Csv.WriteColumns(Path.Combine(dir, stem + ".csv"), ["t_ms", "neuron"], times, neurons.Select(n => (double)n).ToArray());
                    var table = new double[count * 2];
                    for (var k = 0; k < count; k++)
                    {
                        table[2 * k] = times[k];
                        table[2 * k + 1] = neurons[k];
                    }
                    Npy.Write(Path.Combine(dir, stem + ".npy"), table, count, 2);
                    files.AddRange([stem + ".csv", stem + ".npy"]);
                    if (plots)
                    {
                        var target = stem["spikes_".Length..];
                        var raster = "raster_" + target + ".png";
                        Plots.Raster(Path.Combine(dir, raster), times, neurons, $"{s.Name}: {count:N0} spikes");
                        files.Add(raster);
                        // Without a rate monitor of its own, the population rate is drawn from the spikes, in 1 ms bins.
                        if (RateFromSpikes(network, s))
                        {
                            var (binTimes, rates) = BinnedRate(s, network.Step, network.Dt, 1e-3);
                            Plots.Rate(Path.Combine(dir, "rate_" + target + ".png"), binTimes, rates, $"rate of {s.Name["spikes_".Length..]} (Hz), from its spikes in 1 ms bins", smoothMs: 5);
                            files.Add("rate_" + target + ".png");
                        }
                    }
                    break;
                }
                case StateMonitorRuntime m:
                {
                    var samples = m.Steps.Count;
                    var width = m.Indices.Count;
                    var header = new List<string> { "t_ms" };
                    header.AddRange(m.Indices.Select(i => $"{m.Variable}_{i}"));
                    var table = new double[samples * (width + 1)];
                    for (var k = 0; k < samples; k++)
                    {
                        table[k * (width + 1)] = toMs(m.Steps.Buffer[k]);
                        m.Values.Span.Slice(k * width, width).CopyTo(table.AsSpan(k * (width + 1) + 1));
                    }
                    Csv.Write(Path.Combine(dir, "state_" + stem + ".csv"), header, samples, (r, c) => table[r * (width + 1) + c]);
                    Npy.Write(Path.Combine(dir, "state_" + stem + ".npy"), table, samples, width + 1);
                    files.AddRange(["state_" + stem + ".csv", "state_" + stem + ".npy"]);
                    if (plots)
                    {
                        var times = Enumerable.Range(0, samples).Select(k => table[k * (width + 1)]).ToArray();
                        var shown = Math.Min(width, 10);
                        var series = Enumerable.Range(0, shown)
                            .Select(n => ($"{m.Variable}[{m.Indices[n]}]", Enumerable.Range(0, samples).Select(k => table[k * (width + 1) + 1 + n]).ToArray()))
                            .ToList();
                        var unit = m.Dimension.IsDimensionless ? "" : $" ({Language.Units.UnitTable.NameOf(m.Dimension) ?? m.Dimension.ToBaseString()})";
                        var trace = "trace_" + stem + ".png";
                        Plots.Traces(Path.Combine(dir, trace), times, series, m.Variable + unit, m.Name + (shown < width ? $" (first {shown} of {width})" : ""));
                        files.Add(trace);
                    }
                    break;
                }
                case WeightMonitorRuntime w:
                {
                    var samples = w.Steps.Count;
                    var width = w.Synapses.Length;
                    var times = w.Steps.Span.ToArray().Select(step => step * dtMs).ToArray();
                    var table = new double[samples * (width + 1)];
                    for (var k = 0; k < samples; k++)
                    {
                        table[k * (width + 1)] = times[k];
                        w.Values.Span.Slice(k * width, width).CopyTo(table.AsSpan(k * (width + 1) + 1));
                    }
                    Npy.Write(Path.Combine(dir, stem + OverTime + ".npy"), table, samples, width + 1);
                    files.Add(stem + OverTime + ".npy");
                    if (plots)
                    {
                        // Quantiles over time summarise thousands of weights better than thousands of lines.
                        var quantiles = new[] { 0.1, 0.5, 0.9 };
                        var series = quantiles.Select(q => ($"{q * 100:0}th percentile", Enumerable.Range(0, samples)
                            .Select(k => Quantile(w.Values.Span.Slice(k * width, width), q)).ToArray())).ToList();
                        series.Add(("mean", Enumerable.Range(0, samples).Select(k => Mean(w.Values.Span.Slice(k * width, width))).ToArray()));
                        Plots.Lines(Path.Combine(dir, stem + OverTime + ".png"), times, series, "time (ms)", "w", $"{w.Name}: {width:N0} synapses");
                        files.Add(stem + OverTime + ".png");
                    }
                    break;
                }
                case RateMonitorRuntime r:
                {
                    var (steps, rates) = r.Bins();
                    var times = steps.Select(toMs).ToArray();
                    Csv.WriteColumns(Path.Combine(dir, stem + ".csv"), ["t_ms", "rate_hz"], times, rates);
                    var table = new double[times.Length * 2];
                    for (var k = 0; k < times.Length; k++)
                    {
                        table[2 * k] = times[k];
                        table[2 * k + 1] = rates[k];
                    }
                    Npy.Write(Path.Combine(dir, stem + ".npy"), table, times.Length, 2);
                    files.AddRange([stem + ".csv", stem + ".npy"]);
                    if (plots)
                    {
                        Plots.Rate(Path.Combine(dir, stem + ".png"), times, rates, $"{r.Name} (Hz)", smoothMs: Math.Max(1, dtMs));
                        files.Add(stem + ".png");
                    }
                    break;
                }
            }
        }
        return files;
    }

    /// <summary>A weight monitor's files end in this, so they never take the names of the final weights of the same connection.</summary>
    private const string OverTime = "_over_time";

    /// <summary>Every file a monitor may write (plots included), from its file stem.</summary>
    private static string[] MonitorFiles(Network network, MonitorRuntime monitor, string stem) => monitor switch
    {
        SpikeMonitorRuntime s when RateFromSpikes(network, s) => [stem + ".csv", stem + ".npy", "raster_" + stem["spikes_".Length..] + ".png", "rate_" + stem["spikes_".Length..] + ".png"],
        SpikeMonitorRuntime => [stem + ".csv", stem + ".npy", "raster_" + stem["spikes_".Length..] + ".png"],
        StateMonitorRuntime => ["state_" + stem + ".csv", "state_" + stem + ".npy", "trace_" + stem + ".png"],
        WeightMonitorRuntime => [stem + OverTime + ".npy", stem + OverTime + ".png"],
        _ => [stem + ".csv", stem + ".npy", stem + ".png"],
    };

    /// <summary>Without a rate monitor of its own, a spike monitor's group gets a rate plot drawn from its spikes.</summary>
    private static bool RateFromSpikes(Network network, SpikeMonitorRuntime s) =>
        !network.Monitors.OfType<RateMonitorRuntime>().Any(r => r.Name == "rate_" + s.Name["spikes_".Length..]);

    private static string[] WeightFiles(string stem) => [stem + ".csv", stem + ".npy", stem + "_hist.png"];

    /// <summary><c>weights_pre-post</c>, or the connection's own name when two connect the same groups.</summary>
    private static string WeightsStem(Network network, ProjectionRuntime p) =>
        network.Projections.Count(x => x.IR.Pre.Display == p.IR.Pre.Display && x.IR.Post.Display == p.IR.Post.Display) > 1
            ? "weights_" + FileName(p.Name)
            : "weights_" + FileName(p.IR.Pre.Display) + "-" + FileName(p.IR.Post.Display);

    /// <summary>Spikes per neuron per second in bins of <paramref name="bin"/> seconds (at least one step), bin start times in ms.</summary>
    internal static (double[] TimesMs, double[] RatesHz) BinnedRate(SpikeMonitorRuntime s, long steps, double dt, double bin)
    {
        var stepsPerBin = Math.Max(1, (long)Math.Round(bin / dt));
        var bins = (int)((steps + stepsPerBin - 1) / stepsPerBin);
        var counts = new double[bins];
        foreach (var step in s.Steps.Span)
            counts[Math.Min(bins - 1, (int)(step / stepsPerBin))]++;
        var times = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            times[k] = k * stepsPerBin * dt * 1e3;
            var width = Math.Min(stepsPerBin, steps - k * stepsPerBin) * dt;
            counts[k] = width > 0 ? counts[k] / (s.Size * width) : 0;
        }
        return (times, counts);
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return values.Length == 0 ? double.NaN : sum / values.Length;
    }

    private static double Quantile(ReadOnlySpan<double> values, double q)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The weights w of a projection's synapses, with their pre and post indices (relative to the connected ranges).</summary>
    public static (int[] Pre, int[] Post, double[] W) FinalWeights(ProjectionRuntime p) => FinalWeights(p, p.IR.Synapse.VarIndex("w"));

    /// <summary>A synaptic variable (none: zeros) with each synapse's pre and post index, in row order.</summary>
    public static (int[] Pre, int[] Post, double[] W) FinalWeights(ProjectionRuntime p, int? var)
    {
        var c = p.Connectivity;
        var pre = new int[c.Synapses];
        var post = new int[c.Synapses];
        var w = new double[c.Synapses];
        var n = 0;
        for (var r = 0; r < c.Rows; r++)
            for (var s = c.RowStart[r]; s < c.RowStart[r] + c.RowCount[r]; s++)
            {
                pre[n] = r;
                post[n] = c.Post[s];
                w[n] = var is { } v ? p.Arrays.Get(v, s) : 0;
                n++;
            }
        return (pre, post, w);
    }

    /// <summary>Projections whose weights change and are reported: plastic, with a state variable w.</summary>
    public static IEnumerable<ProjectionRuntime> PlasticWithWeights(Network network) =>
        network.Projections.Where(p => p.IsPlastic && p.IR.Synapse.VarIndex("w") >= 0);

    /// <summary>Writes the final weights of every plastic projection (CSV pre,post,w and .npy) and their histogram.</summary>
    public static IReadOnlyList<string> WriteWeights(Network network, string dir, bool plots)
    {
        var files = new List<string>();
        foreach (var p in PlasticWithWeights(network))
        {
            var stem = WeightsStem(network, p);
            var (pre, post, w) = FinalWeights(p);
            Csv.WriteColumns(Path.Combine(dir, stem + ".csv"), ["pre", "post", "w"], pre.Select(x => (double)x).ToArray(), post.Select(x => (double)x).ToArray(), w);
            var table = new double[w.Length * 3];
            for (var k = 0; k < w.Length; k++)
            {
                table[3 * k] = pre[k];
                table[3 * k + 1] = post[k];
                table[3 * k + 2] = w[k];
            }
            Npy.Write(Path.Combine(dir, stem + ".npy"), table, w.Length, 3);
            files.AddRange([stem + ".csv", stem + ".npy"]);
            if (plots)
            {
                Plots.Histogram(Path.Combine(dir, stem + "_hist.png"), w, 50, "w", $"{p.Name}: final weights of {w.Length:N0} synapses");
                files.Add(stem + "_hist.png");
            }
        }
        return files;
    }

    /// <summary>Statistics of a weight vector for summary.json: mean, std, min, max and a 10-bin histogram over [min, max].</summary>
    private static void WeightStats(Utf8JsonWriter json, double[] w)
    {
        json.WriteStartObject("w");
        if (w.Length == 0)
        {
            json.WriteEndObject();
            return;
        }
        var mean = w.Average();
        var std = Math.Sqrt(w.Sum(x => (x - mean) * (x - mean)) / w.Length);
        var min = w.Min();
        var max = w.Max();
        json.WriteNumber("mean", mean);
        json.WriteNumber("std", std);
        json.WriteNumber("min", min);
        json.WriteNumber("max", max);
        json.WriteStartObject("histogram");
        json.WriteNumber("min", min);
        json.WriteNumber("max", max);
        json.WriteStartArray("counts");
        var counts = new int[10];
        foreach (var x in w)
            counts[max > min ? Math.Min(9, (int)((x - min) / (max - min) * 10)) : 0]++;
        foreach (var c in counts)
            json.WriteNumberValue(c);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The machine-readable summary of a run.</summary>
    public static string Summary(Network network, RunTiming timing, IReadOnlyList<string> files, string? script)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var bio = network.Time;
            json.WriteStartObject();
            if (script is not null)
                json.WriteString("script", script);
            json.WriteNumber("bio_time_s", bio);
            json.WriteNumber("dt_s", network.Dt);
            json.WriteNumber("steps", network.Step);
            json.WriteNumber("seed", network.Options.Seed);
            json.WriteNumber("threads", network.Options.Threads);
            json.WriteString("backend", network.Options.Backend.Name);
            json.WriteStartObject("timing");
            json.WriteNumber("parse_s", Math.Round(timing.ParseSeconds, 6));
            json.WriteNumber("compile_s", Math.Round(timing.CompileSeconds, 6));
            json.WriteNumber("build_s", Math.Round(timing.BuildSeconds, 6));
            json.WriteNumber("run_s", Math.Round(timing.RunSeconds, 6));
            json.WriteNumber("write_s", Math.Round(timing.WriteSeconds, 6));
            json.WriteNumber("total_s", Math.Round(timing.TotalSeconds, 6));
            json.WriteEndObject();
            json.WriteStartObject("populations");
            foreach (var g in network.Groups)
            {
                json.WriteStartObject(g.Name);
                json.WriteNumber("size", g.Size);
                json.WriteNumber("spikes", g.TotalSpikes);
                json.WriteNumber("rate_hz", bio > 0 ? g.TotalSpikes / (g.Size * bio) : 0);
                json.WriteNumber("bytes", g.Bytes);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("projections");
            foreach (var p in network.Projections)
            {
                json.WriteStartObject(p.Name);
                json.WriteNumber("synapses", p.SynapseCount);
                json.WriteNumber("events", p.Events);
                json.WriteNumber("bytes", p.Bytes);
                json.WriteNumber("synapse_bytes", p.SynapseBytes);
                if (p.IsPlastic && p.IR.Synapse.VarIndex("w") >= 0)
                    WeightStats(json, FinalWeights(p).W);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartArray("files");
            foreach (var f in files)
                json.WriteStringValue(f);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
