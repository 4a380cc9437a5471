using System.Globalization;
using BioLang.Runtime.Output;

namespace BioLang.Runtime.Tests.Output;

public sealed class CsvTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_EmitsHeaderThenRowsWithUnixLineEndings()
    {
        var path = _dir.File("t.csv");

        Csv.Write(path, ["a", "b", "c"], rows: 2, (row, col) => row * 10 + col + 0.5);

        File.ReadAllBytes(path).ShouldBe("a,b,c\n0.5,1.5,2.5\n10.5,11.5,12.5\n"u8.ToArray());
    }

    [Fact]
    public void WriteColumns_PrintsIntegersWithoutDecimalPoint()
    {
        var path = _dir.File("t.csv");

        Csv.WriteColumns(path, ["i", "t"], [0, 1, -5, 1e6], [0.25, 2, 3.0, 1e21]);

        File.ReadAllText(path).ShouldBe("i,t\n0,0.25\n1,2\n-5,3\n1000000,1E+21\n");
    }

    [Fact]
    public void Doubles_ParseBackBitIdentical()
    {
        var random = new Random(1234);
        var values = new List<double>
        {
            0.1, 1.0 / 3, -0.0, double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014E-308,
            1e-300, 123456789.123456789, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
        };
        for (var i = 0; i < 1000; i++)
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64()));
        var path = _dir.File("t.csv");

        Csv.WriteColumns(path, ["x"], values);

        var parsed = File.ReadAllLines(path).Skip(1).Select(l => double.Parse(l, CultureInfo.InvariantCulture));
        parsed.Select(BitConverter.DoubleToInt64Bits).ShouldBe(values.Select(Canonical));
    }

    [Fact]
    public void ZeroRows_WritesHeaderOnly()
    {
        var path = _dir.File("t.csv");

        Csv.WriteColumns(path, ["t", "v"], [], []);

        File.ReadAllText(path).ShouldBe("t,v\n");
    }

    [Fact]
    public void HeaderNamesWithSeparatorsAreQuoted()
    {
        var path = _dir.File("t.csv");

        Csv.Write(path, ["v, mV", "say \"hi\"", "plain"], rows: 0, (_, _) => 0);

        File.ReadAllText(path).ShouldBe("\"v, mV\",\"say \"\"hi\"\"\",plain\n");
    }

    [Fact]
    public void MismatchedColumns_Throw()
    {
        var path = _dir.File("t.csv");

        Should.Throw<ArgumentException>(() => Csv.WriteColumns(path, ["a", "b"], [1.0, 2.0], [1.0]));
        Should.Throw<ArgumentException>(() => Csv.WriteColumns(path, ["a"], [1.0], [1.0]));
        _dir.Entries().ShouldBeEmpty();
    }

    [Fact]
    public void ThrowingCell_LeavesNoFile()
    {
        var path = _dir.File("t.csv");

        Should.Throw<InvalidOperationException>(() =>
            Csv.Write(path, ["a"], rows: 10, (row, _) => row < 5 ? row : throw new InvalidOperationException()));

        _dir.Entries().ShouldBeEmpty();
    }

    // Any NaN parses back as the one NaN that double.Parse produces; payload bits are not kept.
    private static long Canonical(double v) => BitConverter.DoubleToInt64Bits(double.IsNaN(v) ? double.NaN : v);
}
