using System.Text;
using BioLang.Runtime.Output;

namespace BioLang.Runtime.Tests.Output;

public sealed class NpyTests
{
    // Files written by numpy 1.24 (np.save / np.lib.format.write_array), base64-encoded.
    private const string NumpyF8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAADAAAAAAAAACEA=";
    private const string NumpyI4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAAIAAAADAAAABAAAAAUAAAA=";
    private const string NumpyF4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACAvwAAAEAAAIBA";
    private const string NumpyI8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//////////wAAAAAAAAAAAAAAAAABAAAHAAAAAAAAAA==";
    private const string NumpyV2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAABA";
    private const string NumpyV3 = "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAABA";

    [Fact]
    public void Header_MatchesSpecByteForByte()
    {
        // Spec: "\x93NUMPY", version 1 0, uint16 LE HEADER_LEN, then the dict padded with spaces
        // and ended by '\n' so that 10 + HEADER_LEN is a multiple of 64. This dict has 57 chars:
        // 10 + 57 + 1 = 68 > 64, so the total is 128, HEADER_LEN = 118 = 0x76, with 60 spaces.
        const string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
        dict.Length.ShouldBe(57);
        byte[] expected =
        [
            0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0x76, 0,
            .. Encoding.ASCII.GetBytes(dict), .. Enumerable.Repeat((byte)' ', 60), (byte)'\n',
            .. BitConverter.GetBytes(1.0), .. BitConverter.GetBytes(2.0), .. BitConverter.GetBytes(3.0),
        ];

        Bytes(s => Npy.Write(s, [1.0, 2.0, 3.0], 3)).ShouldBe(expected);
    }

    [Fact]
    public void Header_For2DShapeUsesPythonTupleSyntax()
    {
        var header = Encoding.ASCII.GetString(Npy.BuildHeader("<i4", [2, 3]));

        header[10..].ShouldStartWith("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }  ");
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 12345678, 9 })]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })]
    public void Header_IsPaddedTo64ByteMultipleAndEndsWithNewline(int[] shape)
    {
        var header = Npy.BuildHeader("<f8", shape);

        (header.Length % 64).ShouldBe(0);
        header[^1].ShouldBe((byte)'\n');
        BitConverter.ToUInt16(header, 8).ShouldBe((ushort)(header.Length - 10));
    }

    [Fact]
    public void Writer_ProducesTheSameBytesAsNumpy()
    {
        Bytes(s => Npy.Write(s, [1.5, -2.0, 3.0])).ShouldBe(Convert.FromBase64String(NumpyF8));
        Bytes(s => Npy.Write(s, [0, 1, 2, 3, 4, 5], 2, 3)).ShouldBe(Convert.FromBase64String(NumpyI4));
        Bytes(s => Npy.Write(s, [0.5f, -1f, 2f, 4f], 2, 2)).ShouldBe(Convert.FromBase64String(NumpyF4));
        Bytes(s => Npy.Write(s, [-1L, 0L, 1L << 40, 7L])).ShouldBe(Convert.FromBase64String(NumpyI8));
    }

    [Theory]
    [InlineData(NumpyF8, "<f8", new[] { 3 }, new[] { 1.5, -2.0, 3.0 })]
    [InlineData(NumpyI4, "<i4", new[] { 2, 3 }, new[] { 0.0, 1, 2, 3, 4, 5 })]
    [InlineData(NumpyF4, "<f4", new[] { 2, 2 }, new[] { 0.5, -1, 2, 4 })]
    [InlineData(NumpyI8, "<i8", new[] { 4 }, new[] { -1.0, 0, 1099511627776, 7 })]
    [InlineData(NumpyV2, "<f8", new[] { 2 }, new[] { 1.0, 2.0 })]
    [InlineData(NumpyV3, "<f8", new[] { 2 }, new[] { 1.0, 2.0 })]
    public void Reader_LoadsNumpyFiles(string base64, string descr, int[] shape, double[] data)
    {
        var array = Npy.Read(new MemoryStream(Convert.FromBase64String(base64)));

        array.Descr.ShouldBe(descr);
        array.Shape.ShouldBe(shape);
        array.Data.ShouldBe(data);
    }

    public static TheoryData<int[]> Shapes => new() { new[] { 6 }, new[] { 2, 3 }, new[] { 0 }, new[] { 3, 0 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RoundTrip_Float64_IsBitExact(int[] shape)
    {
        double[] pool = [0.1, -0.0, double.NaN, double.PositiveInfinity, double.Epsilon, double.MaxValue];
        var data = pool[..Count(shape)];

        var array = RoundTrip(s => Npy.Write(s, data, shape));

        array.Descr.ShouldBe("<f8");
        array.Shape.ShouldBe(shape);
        array.Data.Select(BitConverter.DoubleToInt64Bits).ShouldBe(data.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RoundTrip_Float32(int[] shape)
    {
        float[] pool = [0.1f, -0.0f, float.NegativeInfinity, float.Epsilon, float.MaxValue, 3f];
        var data = pool[..Count(shape)];

        var array = RoundTrip(s => Npy.Write(s, data, shape));

        array.Descr.ShouldBe("<f4");
        array.Shape.ShouldBe(shape);
        array.Data.ShouldBe(data.Select(v => (double)v));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RoundTrip_Int32(int[] shape)
    {
        int[] pool = [int.MinValue, -1, 0, 1, 42, int.MaxValue];
        var data = pool[..Count(shape)];

        var array = RoundTrip(s => Npy.Write(s, data, shape));

        array.Descr.ShouldBe("<i4");
        array.Shape.ShouldBe(shape);
        array.Data.ShouldBe(data.Select(v => (double)v));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RoundTrip_Int64(int[] shape)
    {
        long[] pool = [long.MinValue, -1, 0, 1L << 53, 42, -(1L << 40)];
        var data = pool[..Count(shape)];

        var array = RoundTrip(s => Npy.Write(s, data, shape));

        array.Descr.ShouldBe("<i8");
        array.Shape.ShouldBe(shape);
        array.Data.ShouldBe(data.Select(v => (double)v));
    }

    [Fact]
    public void OmittedShape_MeansOneDimensional()
    {
        RoundTrip(s => Npy.Write(s, [1, 2, 3, 4])).Shape.ShouldBe([4]);
    }

    [Theory]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 2, 3 })]
    [InlineData(new[] { -2, -2 })]
    public void ShapeNotMatchingData_Throws(int[] shape)
    {
        Should.Throw<ArgumentException>(() => Npy.Write(new MemoryStream(), [1.0, 2.0, 3.0, 4.0], shape));
    }

    [Fact]
    public void WriteToPath_RoundTripsAndLeavesNoTempFile()
    {
        using var dir = new TempDir();
        var path = dir.File("v.npy");

        Npy.Write(path, [1.0, 2.5], 2, 1);

        using (var s = File.OpenRead(path))
            Npy.Read(s).ShouldSatisfyAllConditions(
                a => a.Shape.ShouldBe([2, 1]),
                a => a.Data.ShouldBe([1.0, 2.5]));
        dir.Entries().ShouldBe(["v.npy"]);
    }

    [Fact]
    public void Reader_RejectsNonNpyData()
    {
        Should.Throw<InvalidDataException>(() => Npy.Read(new MemoryStream("not an npy file"u8.ToArray())));
    }

    [Fact]
    public void Reader_RejectsTruncatedData()
    {
        var bytes = Bytes(s => Npy.Write(s, [1.0, 2.0, 3.0]));

        Should.Throw<EndOfStreamException>(() => Npy.Read(new MemoryStream(bytes[..^1])));
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    private static byte[] Bytes(Action<Stream> write)
    {
        var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    private static NpyArray RoundTrip(Action<Stream> write) => Npy.Read(new MemoryStream(Bytes(write)));
}
