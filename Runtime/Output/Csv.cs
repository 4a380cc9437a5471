using System.Globalization;
using System.Text;

namespace BioLang.Runtime.Output;

/// <summary>
/// Numeric CSV tables: a header line, then one line per row, '\n' line endings, UTF-8.
/// Numbers use the invariant culture and .NET's shortest round-trip format, so every value
/// parses back bit-identical and integral values print without a decimal point ("3", not "3.0").
/// Non-finite values print as "NaN", "Infinity" and "-Infinity", which Python's float() accepts.
/// </summary>
internal static class Csv
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="rows"/> rows whose cells are <c>cell(row, column)</c>.</summary>
    public static void Write(string path, IReadOnlyList<string> header, int rows, Func<int, int, double> cell)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        AtomicFile.Write(path, s => Write(s, header, rows, cell));
    }

    /// <summary>Writes equally long columns side by side, one header name per column.</summary>
    public static void WriteColumns(string path, IReadOnlyList<string> header, params IReadOnlyList<double>[] columns)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(columns);
        if (header.Count != columns.Length)
            throw new ArgumentException($"{header.Count} header names for {columns.Length} columns.", nameof(header));
        var rows = columns.Length == 0 ? 0 : columns[0].Count;
        if (columns.Any(c => c.Count != rows))
            throw new ArgumentException($"Columns differ in length ({string.Join(", ", columns.Select(c => c.Count))}).", nameof(columns));
        Write(path, header, rows, (row, col) => columns[col][row]);
    }

    /// <summary>Writes the table to a stream, which is left open.</summary>
    internal static void Write(Stream s, IReadOnlyList<string> header, int rows, Func<int, int, double> cell)
    {
        using var writer = new StreamWriter(s, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true);
        writer.Write(string.Join(',', header.Select(Quote)));
        writer.Write('\n');

        // Formatting into a reusable buffer avoids one string allocation per cell on large tables.
        Span<char> number = stackalloc char[32];
        for (var row = 0; row < rows; row++)
        {
            for (var col = 0; col < header.Count; col++)
            {
                if (col > 0)
                    writer.Write(',');
                // Cannot fail: the longest round-trip form is 24 chars ("-2.2250738585072014E-308").
                if (!cell(row, col).TryFormat(number, out var written, provider: CultureInfo.InvariantCulture))
                    throw new InvalidOperationException("Number buffer too small.");
                writer.Write(number[..written]);
            }
            writer.Write('\n');
        }
    }

    // RFC 4180 quoting, needed only if a column name contains a separator, quote or line break.
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";
}
