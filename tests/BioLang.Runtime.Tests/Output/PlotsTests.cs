using System.Buffers.Binary;
using BioLang.Runtime.Output;

namespace BioLang.Runtime.Tests.Output;

public sealed class PlotsTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Raster_HasDefaultSize()
    {
        var path = _dir.File("raster.png");

        Plots.Raster(path, [1.0, 2.5, 7.0], [0, 3, 1], "spikes");

        AssertPng(path, 1000, 600);
        _dir.Entries().ShouldBe(["raster.png"]);
    }

    [Fact]
    public void Raster_SubsampledStillRenders()
    {
        var times = Enumerable.Range(0, 1000).Select(i => i * 0.1).ToArray();
        var neurons = Enumerable.Range(0, 1000).Select(i => i % 17).ToArray();
        var path = _dir.File("raster.png");

        Plots.Raster(path, times, neurons, "spikes", maxPoints: 100, width: 320, height: 200);

        AssertPng(path, 320, 200);
    }

    [Fact]
    public void Rate_WithSmoothing()
    {
        var times = Enumerable.Range(0, 500).Select(i => i * 0.1).ToArray();
        var rate = times.Select(t => 10 + 5 * Math.Sin(t)).ToArray();
        var path = _dir.File("rate.png");

        Plots.Rate(path, times, rate, "rate", smoothMs: 2, width: 400, height: 300);

        AssertPng(path, 400, 300);
    }

    [Fact]
    public void Traces_WithLegendAndUnsortedTimes()
    {
        double[] times = [0, 2, 1, 3];
        var path = _dir.File("traces.png");

        Plots.Traces(path, times, [("v[0]", [1, 2, 3, 4]), ("v[1]", [4, double.PositiveInfinity, double.NaN, 1])], "v (mV)", "traces", 401, 301);

        AssertPng(path, 401, 301);
    }

    [Fact]
    public void Histogram_IgnoresNonFiniteAndHandlesConstantData()
    {
        var path = _dir.File("hist.png");

        Plots.Histogram(path, [3.0, 3.0, double.NaN, double.PositiveInfinity], bins: 10, "w", "weights", 300, 200);

        AssertPng(path, 300, 200);
    }

    [Fact]
    public void Lines_Generic()
    {
        var path = _dir.File("lines.png");

        Plots.Lines(path, [1, 2, 3], [("f", [1, 4, 9])], "x", "y", "lines", 350, 250);

        AssertPng(path, 350, 250);
    }

    [Fact]
    public void EmptyInputs_GiveValidPngs()
    {
        Plots.Raster(_dir.File("1.png"), [], [], "empty", width: 200, height: 150);
        Plots.Rate(_dir.File("2.png"), [], [], "empty", smoothMs: 5, width: 200, height: 150);
        Plots.Traces(_dir.File("3.png"), [], [], "v", "empty", 200, 150);
        Plots.Traces(_dir.File("4.png"), [], [("a", []), ("b", [])], "v", "empty", 200, 150);
        Plots.Histogram(_dir.File("5.png"), [], bins: 20, "x", "empty", 200, 150);
        Plots.Lines(_dir.File("6.png"), [], [], "x", "y", "empty", 200, 150);

        foreach (var name in new[] { "1.png", "2.png", "3.png", "4.png", "5.png", "6.png" })
            AssertPng(_dir.File(name), 200, 150);
    }

    [Fact]
    public void MismatchedLengths_Throw()
    {
        Should.Throw<ArgumentException>(() => Plots.Raster(_dir.File("r.png"), [1.0, 2.0], [1], "x"));
        Should.Throw<ArgumentException>(() => Plots.Rate(_dir.File("r.png"), [1.0, 2.0], [1.0], "x"));
        Should.Throw<ArgumentException>(() => Plots.Lines(_dir.File("r.png"), [1.0], [("a", [1.0, 2.0])], "x", "y", "t"));
        _dir.Entries().ShouldBeEmpty();
    }

    [Fact]
    public void Subsample_TakesEvenlySpacedIndices()
    {
        double[] times = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        int[] neurons = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

        var (xs, ys) = Plots.Subsample(times, neurons, maxPoints: 4);

        // Index k * 10 / 4 (integer division) for k = 0..3.
        xs.ShouldBe([0, 2, 5, 7]);
        ys.ShouldBe([10, 12, 15, 17]);
        Plots.Subsample(times, neurons, maxPoints: null).Xs.ShouldBe(times);
        Plots.Subsample(times, neurons, maxPoints: 50).Xs.ShouldBe(times);
    }

    [Fact]
    public void BoxSmooth_AveragesCentredWindowAndShrinksAtEdges()
    {
        Plots.BoxSmooth([0, 0, 3, 0, 0], window: 3).ShouldBe([0, 1, 1, 1, 0]);
        Plots.BoxSmooth([3, 0, 0, 0, 6], window: 3).ShouldBe([1.5, 1, 0, 2, 3]);
        Plots.BoxSmooth([1, 2, 3], window: 1).ShouldBe([1, 2, 3]);
        Plots.BoxSmooth([1, 2, 3], window: 99).ShouldBe([2, 2, 2]);
    }

    [Theory]
    [InlineData(0.4, 5)] // 4 samples, made odd
    [InlineData(0.3, 3)]
    [InlineData(0.01, 1)]
    public void WindowSamples_RoundsToOddSampleCount(double smoothMs, int expected)
    {
        double[] times = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

        Plots.WindowSamples(times, smoothMs).ShouldBe(expected);
    }

    private static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[..8].ShouldBe(PngSignature);
        // The first chunk is IHDR: 4-byte length, "IHDR", then big-endian width and height.
        System.Text.Encoding.ASCII.GetString(bytes, 12, 4).ShouldBe("IHDR");
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)).ShouldBe(width);
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)).ShouldBe(height);
    }
}
