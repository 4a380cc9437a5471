using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BioLang.Repl.Tests;

/// <summary>Independent readers of what <c>biolang run --out</c> writes, following the published formats.</summary>
internal static class OutputFiles
{
    /// <summary>
    /// Reads a little-endian float64 C-order .npy file (NEP 1: magic "\x93NUMPY", version, header length,
    /// a Python dict literal padded so the data starts on a 16-byte boundary).
    /// </summary>
    public static (int[] Shape, double[] Data) ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(0, 6).ToArray().ShouldBe(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' });
        var major = bytes[6];
        major.ShouldBeInRange((byte)1, (byte)3);
        var (headerLength, headerStart) = major == 1
            ? (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10)
            : ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12);
        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        var dataStart = headerStart + headerLength;
        (dataStart % 16).ShouldBe(0, "the data must start on a 16-byte boundary");
        header.ShouldEndWith("\n");
        Regex.IsMatch(header, @"'descr':\s*'<f8'").ShouldBeTrue(header);
        Regex.IsMatch(header, @"'fortran_order':\s*False").ShouldBeTrue(header);
        var shapeText = Regex.Match(header, @"'shape':\s*\(([^)]*)\)").Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        ((long)bytes.Length - dataStart).ShouldBe(count * 8, "data length must match the shape");
        var data = new double[count];
        for (var k = 0; k < count; k++)
            data[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(dataStart + 8 * k));
        return (shape, data);
    }

    /// <summary>Header and numeric rows of a CSV file with a header line.</summary>
    public static (string[] Header, double[][] Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        lines.Length.ShouldBeGreaterThan(0);
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (lines[0].Split(','), rows);
    }

    /// <summary>Width and height from a PNG's signature and IHDR chunk (RFC 2083).</summary>
    public static (int Width, int Height) ReadPngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(0, 8).ToArray().ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        Encoding.ASCII.GetString(bytes, 12, 4).ShouldBe("IHDR");
        // The last chunk is IEND: the file is complete.
        Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4).ShouldBe("IEND");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
