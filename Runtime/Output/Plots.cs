using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace BioLang.Runtime.Output;

/// <summary>
/// Headless PNG plots of simulation results (ScottPlot 5). Each plot is rendered to memory
/// first and then written through <see cref="AtomicFile"/>, so a failure never leaves a
/// partial image. Empty inputs give an empty, titled plot rather than an error; mismatched
/// array lengths are caller bugs and throw.
/// </summary>
internal static class Plots
{
    public const int DefaultWidth = 1000;
    public const int DefaultHeight = 600;

    // Beyond this a legend hides the data it is meant to explain.
    private const int MaxLegendEntries = 20;

    // Without fontconfig, Skia's default typeface is simply the first font it finds
    // (DejaVu Serif on Debian); labels read better in a sans face when one is installed.
    private static readonly string? SansFont =
        new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" }
            .FirstOrDefault(f => SKFontManager.Default.FontFamilies.Contains(f, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// Spike raster: one dot per spike. Above <paramref name="maxPoints"/> spikes an evenly
    /// strided subset is drawn (deterministic, so reruns give identical images) and the title
    /// says so; <c>null</c> draws every spike.
    /// </summary>
    public static void Raster(string path, ReadOnlySpan<double> timesMs, ReadOnlySpan<int> neurons, string title,
        int? maxPoints = 200_000, int width = DefaultWidth, int height = DefaultHeight)
    {
        RequireSameLength(timesMs.Length, neurons.Length, nameof(neurons));
        if (maxPoints is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "Must be positive or null.");

        var (xs, ys) = Subsample(timesMs, neurons, maxPoints);
        if (xs.Length < timesMs.Length)
            title += string.Create(CultureInfo.InvariantCulture, $" ({xs.Length:N0} of {timesMs.Length:N0} spikes shown)");

        using var plot = NewPlot(title, "time (ms)", "neuron");
        plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, size: 2);
        Save(plot, path, width, height);
    }

    /// <summary>
    /// Population rate over time; <paramref name="smoothMs"/> &gt; 0 draws a centred box
    /// (moving-average) smoothing of that width instead of the raw rate.
    /// </summary>
    public static void Rate(string path, ReadOnlySpan<double> timesMs, ReadOnlySpan<double> rateHz, string title,
        double smoothMs = 0, int width = DefaultWidth, int height = DefaultHeight)
    {
        RequireSameLength(timesMs.Length, rateHz.Length, nameof(rateHz));
        if (!(smoothMs >= 0))
            throw new ArgumentOutOfRangeException(nameof(smoothMs), smoothMs, "Must be zero or positive.");

        var values = smoothMs > 0 ? BoxSmooth(rateHz, WindowSamples(timesMs, smoothMs)) : rateHz.ToArray();
        using var plot = NewPlot(title, "time (ms)", "rate (Hz)");
        AddLine(plot, timesMs.ToArray(), values, label: null);
        Save(plot, path, width, height);
    }

    /// <summary>State-variable traces against time, one line per series.</summary>
    public static void Traces(string path, ReadOnlySpan<double> timesMs, IReadOnlyList<(string Label, double[] Values)> series,
        string yLabel, string title, int width = DefaultWidth, int height = DefaultHeight) =>
        Lines(path, timesMs, series, "time (ms)", yLabel, title, width, height);

    /// <summary>Histogram of the finite <paramref name="values"/> in <paramref name="bins"/> equal bins over their range.</summary>
    public static void Histogram(string path, ReadOnlySpan<double> values, int bins, string xLabel, string title,
        int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        using var plot = NewPlot(title, xLabel, "count");

        var finite = values.ToArray().Where(double.IsFinite).ToArray();
        if (finite.Length > 0)
        {
            var (min, max) = (finite.Min(), finite.Max());
            if (min == max)
            {
                // ScottPlot rejects an empty range, so centre one around the constant value.
                var pad = Math.Max(0.5, Math.Abs(min) * 1e-6);
                (min, max) = (min - pad, max + pad);
            }
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, min, max);
            histogram.AddRange(finite);

            // Plain bars rather than Add.Histogram: in ScottPlot 5.1.59 the histogram plottable's
            // axis limits stop at the left edge of the last bin, cutting that bin off.
            var edges = histogram.Edges;
            var centres = Enumerable.Range(0, bins).Select(i => (edges[i] + edges[i + 1]) / 2);
            var bars = plot.Add.Bars(centres, histogram.Counts.Select(c => (double)c));
            for (var i = 0; i < bins; i++)
                bars.Bars[i].Size = edges[i + 1] - edges[i];
            plot.Axes.Margins(bottom: 0);
        }
        Save(plot, path, width, height);
    }

    /// <summary>Line plot of several series against a shared x; a legend appears for more than one series.</summary>
    public static void Lines(string path, ReadOnlySpan<double> x, IReadOnlyList<(string Label, double[] Values)> series,
        string xLabel, string yLabel, string title, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(series);
        foreach (var (_, values) in series)
            RequireSameLength(x.Length, values.Length, nameof(series));

        using var plot = NewPlot(title, xLabel, yLabel);
        var xs = x.ToArray();
        foreach (var (label, values) in series)
            AddLine(plot, xs, values, label);
        if (series.Count is > 1 and <= MaxLegendEntries)
            plot.ShowLegend();
        Save(plot, path, width, height);
    }

    /// <summary>
    /// At most <paramref name="maxPoints"/> spikes, taken at evenly spaced indices
    /// (<c>k * total / maxPoints</c>); as spikes arrive in time order this thins the raster
    /// uniformly over time instead of truncating it.
    /// </summary>
    internal static (double[] Xs, double[] Ys) Subsample(ReadOnlySpan<double> timesMs, ReadOnlySpan<int> neurons, int? maxPoints)
    {
        var total = timesMs.Length;
        var shown = Math.Min(total, maxPoints ?? total);
        var xs = new double[shown];
        var ys = new double[shown];
        for (var k = 0; k < shown; k++)
        {
            var i = (int)((long)k * total / shown);
            xs[k] = timesMs[i];
            ys[k] = neurons[i];
        }
        return (xs, ys);
    }

    /// <summary>
    /// Samples in a smoothing window of <paramref name="smoothMs"/>, assuming evenly spaced
    /// times. As in Brian2's <c>smooth_rate(window='flat')</c>, the width is rounded to whole
    /// samples and made odd so the window is centred on its sample.
    /// </summary>
    internal static int WindowSamples(ReadOnlySpan<double> timesMs, double smoothMs)
    {
        if (timesMs.Length < 2)
            return 1;
        var dt = (timesMs[^1] - timesMs[0]) / (timesMs.Length - 1);
        if (!(dt > 0))
            return 1;
        // A window wider than twice the series already averages everything; the cap avoids int overflow.
        var samples = (int)Math.Min(Math.Round(smoothMs / dt), 2.0 * timesMs.Length + 1);
        return samples % 2 == 0 ? samples + 1 : samples;
    }

    /// <summary>
    /// Centred moving average over <paramref name="window"/> (odd) samples. Near the ends the
    /// average covers only the samples that exist, so the curve does not sag towards zero
    /// there as it would with zero padding.
    /// </summary>
    internal static double[] BoxSmooth(ReadOnlySpan<double> values, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var prefix = new double[values.Length + 1];
        for (var i = 0; i < values.Length; i++)
            prefix[i + 1] = prefix[i] + values[i];

        var half = window / 2;
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var lo = Math.Max(0, i - half);
            var hi = Math.Min(values.Length, i + half + 1);
            result[i] = (prefix[hi] - prefix[lo]) / (hi - lo);
        }
        return result;
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont is not null)
            plot.Font.Set(SansFont);
        plot.Title(title ?? "");
        plot.XLabel(xLabel ?? "");
        plot.YLabel(yLabel ?? "");
        return plot;
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string? label)
    {
        if (!Array.TrueForAll(ys, double.IsFinite))
        {
            // Autoscaling skips NaN only in scatter plots and never skips infinities, so a
            // diverged simulation would otherwise get useless axis limits; draw such samples as gaps.
            var gapped = Array.ConvertAll(ys, y => double.IsFinite(y) ? y : double.NaN);
            plot.Add.ScatterLine(xs, gapped).LegendText = label ?? "";
        }
        else if (IsAscending(xs))
        {
            // One min/max segment per pixel column: about ten times faster than a scatter line
            // on a million samples, but it needs ascending x.
            plot.Add.SignalXY(xs, ys).LegendText = label ?? "";
        }
        else
        {
            plot.Add.ScatterLine(xs, ys).LegendText = label ?? "";
        }
    }

    // NaN compares false, so any NaN in x also counts as not ascending.
    private static bool IsAscending(double[] xs)
    {
        for (var i = 1; i < xs.Length; i++)
        {
            if (!(xs[i] >= xs[i - 1]))
                return false;
        }
        return xs.Length == 0 || !double.IsNaN(xs[0]);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }

    private static void RequireSameLength(int expected, int actual, string paramName)
    {
        if (actual != expected)
            throw new ArgumentException($"Expected {expected} values to match the x/time axis, got {actual}.", paramName);
    }
}
