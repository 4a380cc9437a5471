using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace BioLang.Runtime.Output;

/// <summary>An array read from a .npy file; <see cref="Data"/> is in C (row-major) order.</summary>
internal sealed record NpyArray(string Descr, int[] Shape, double[] Data);

/// <summary>
/// NumPy .npy files (format version 1.0, C order, little-endian), so that results load with
/// <c>numpy.load</c> without any BioLang-specific reader.
/// Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
/// </summary>
/// <remarks>
/// A missing or empty <c>shape</c> means a 1-D array of the data's length; otherwise the
/// product of the dimensions must equal the data length.
/// </remarks>
internal static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // The header is padded so that the data starts on this boundary (required by the spec).
    private const int Alignment = 64;

    // Magic string, major and minor version, uint16 header length.
    private const int PreambleLength = 10;

    public static void Write(Stream s, ReadOnlySpan<double> data, params int[] shape) => WriteArray(s, "<f8", data, shape);
    public static void Write(Stream s, ReadOnlySpan<float> data, params int[] shape) => WriteArray(s, "<f4", data, shape);
    public static void Write(Stream s, ReadOnlySpan<int> data, params int[] shape) => WriteArray(s, "<i4", data, shape);
    public static void Write(Stream s, ReadOnlySpan<long> data, params int[] shape) => WriteArray(s, "<i8", data, shape);

    // Spans cannot be captured by AtomicFile.Write's lambda, hence the explicit Begin/Commit.
    public static void Write(string path, ReadOnlySpan<double> data, params int[] shape)
    {
        using var file = AtomicFile.Begin(path);
        Write(file.Stream, data, shape);
        file.Commit();
    }

    public static void Write(string path, ReadOnlySpan<float> data, params int[] shape)
    {
        using var file = AtomicFile.Begin(path);
        Write(file.Stream, data, shape);
        file.Commit();
    }

    public static void Write(string path, ReadOnlySpan<int> data, params int[] shape)
    {
        using var file = AtomicFile.Begin(path);
        Write(file.Stream, data, shape);
        file.Commit();
    }

    public static void Write(string path, ReadOnlySpan<long> data, params int[] shape)
    {
        using var file = AtomicFile.Begin(path);
        Write(file.Stream, data, shape);
        file.Commit();
    }

    /// <summary>
    /// Reads a C-order, little-endian .npy file of dtype f8, f4, i4 or i8 (versions 1.0–3.0),
    /// converting the values to double (64-bit integers beyond 2^53 lose precision).
    /// </summary>
    public static NpyArray Read(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        Span<byte> preamble = stackalloc byte[8];
        s.ReadExactly(preamble);
        if (!preamble[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException("Not a .npy file: bad magic string.");

        var major = preamble[6];
        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        s.ReadExactly(lengthBytes);
        var headerLength = major switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes),
            2 or 3 => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes)),
            _ => throw new NotSupportedException($".npy format version {major}.{preamble[7]} is not supported."),
        };
        var headerBytes = new byte[headerLength];
        s.ReadExactly(headerBytes);
        // Versions 1 and 2 store the header as latin-1, version 3 as UTF-8.
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        var descr = Field(DescrPattern(), header, "descr");
        if (Field(FortranPattern(), header, "fortran_order") == "True")
            throw new NotSupportedException("Fortran-order .npy arrays are not supported.");
        var shape = ParseShape(Field(ShapePattern(), header, "shape"));
        var count = checked((int)ElementCount(shape));

        var data = descr switch
        {
            "<f8" => ReadData<double>(s, count),
            "<f4" => ReadData<float>(s, count),
            "<i4" => ReadData<int>(s, count),
            "<i8" => ReadData<long>(s, count),
            _ => throw new NotSupportedException($".npy dtype '{descr}' is not supported."),
        };
        return new NpyArray(descr, shape, data);
    }

    /// <summary>The complete header (preamble, dictionary, padding) that precedes the data.</summary>
    internal static byte[] BuildHeader(string descr, ReadOnlySpan<int> shape)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {FormatShape(shape)}, }}";
        var unpadded = PreambleLength + dict.Length + 1; // + the terminating '\n'
        var total = (unpadded + Alignment - 1) / Alignment * Alignment;
        var headerLength = total - PreambleLength;
        if (headerLength > ushort.MaxValue)
            throw new ArgumentException("Shape too long for .npy format version 1.0.", nameof(shape));

        var bytes = new byte[total];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        var text = bytes.AsSpan(PreambleLength);
        text.Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, text);
        text[^1] = (byte)'\n';
        return bytes;
    }

    private static void WriteArray<T>(Stream s, string descr, ReadOnlySpan<T> data, int[]? shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(s);
        // The data is written as the in-memory bytes, which match '<' only on little-endian hosts.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException(".npy output requires a little-endian host.");
        s.Write(BuildHeader(descr, ResolveShape(data.Length, shape)));
        s.Write(MemoryMarshal.AsBytes(data));
    }

    private static int[] ResolveShape(int length, int[]? shape)
    {
        if (shape is null || shape.Length == 0)
            return [length];
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"Negative dimension in shape ({string.Join(", ", shape)}).", nameof(shape));
        if (ElementCount(shape) != length)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not match data length {length}.", nameof(shape));
        return shape;
    }

    private static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var d in shape)
            count = checked(count * d);
        return count;
    }

    // Python's tuple repr: a 1-tuple needs the trailing comma, "(3,)"; otherwise "(2, 3)" or "()".
    private static string FormatShape(ReadOnlySpan<int> shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape.ToArray())})";

    private static int[] ParseShape(string tuple) =>
        tuple.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
             .Select(d => int.Parse(d, System.Globalization.CultureInfo.InvariantCulture))
             .ToArray();

    private static string Field(Regex pattern, string header, string name)
    {
        var match = pattern.Match(header);
        return match.Success ? match.Groups[1].Value : throw new InvalidDataException($".npy header has no '{name}': {header}");
    }

    private static double[] ReadData<T>(Stream s, int count) where T : unmanaged, INumberBase<T>
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException(".npy input requires a little-endian host.");
        var raw = new byte[checked(count * Unsafe.SizeOf<T>())];
        s.ReadExactly(raw);
        var values = MemoryMarshal.Cast<byte, T>(raw);
        var result = new double[count];
        for (var i = 0; i < values.Length; i++)
            result[i] = double.CreateTruncating(values[i]);
        return result;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
