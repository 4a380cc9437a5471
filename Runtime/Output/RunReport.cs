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
        foreach (var monitor in network.Monitors)
        {
            var stem = FileName(monitor.Name);
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
                        var raster = "raster_" + stem["spikes_".Length..] + ".png";
                        Plots.Raster(Path.Combine(dir, raster), times, neurons, $"{s.Name}: {count:N0} spikes");
                        files.Add(raster);
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
                case RateMonitorRuntime r:
                {
                    var times = r.Steps.Span.ToArray().Select(toMs).ToArray();
                    var rates = r.RatesHz.ToArray();
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
