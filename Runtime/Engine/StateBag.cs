using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace BioLang.Runtime.Engine;

/// <summary>
/// The state of a network as named arrays and values ("pop/P/var/v", "proj/exc->P/post", ...).
/// A running network is captured into a bag and a new network built from a bag: that is how a
/// live edit carries the state of everything whose shape did not change, and how a checkpoint is
/// restored. Entries a component does not recognise (or whose shape changed) are ignored, and
/// that part starts from its initial values.
/// </summary>
internal sealed class StateBag
{
    private readonly Dictionary<string, object> _entries = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, object> Entries => _entries;

    public void Put(string key, object value) => _entries[key] = value;

    public void Remove(string key) => _entries.Remove(key);

    public bool TryGet<T>(string key, out T value)
    {
        if (_entries.TryGetValue(key, out var v) && v is T t)
        {
            value = t;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>An array entry of exactly <paramref name="length"/> elements, or null.</summary>
    public T[]? Array<T>(string key, int length) => TryGet<T[]>(key, out var a) && a.Length == length ? a : null;

    public T[]? Array<T>(string key) => TryGet<T[]>(key, out var a) ? a : null;

    public string? String(string key) => TryGet<string>(key, out var s) ? s : null;

    public long? Long(string key) => TryGet<long>(key, out var l) ? l : null;
}

/// <summary>
/// The checkpoint file: a versioned binary image of a <see cref="StateBag"/> with the script that
/// made it, closed by a SHA-256 of everything before it so a corrupt or truncated file is refused.
/// </summary>
internal static class Checkpoint
{
    private static readonly byte[] Magic = "BIOLANG-CHECKPOINT"u8.ToArray();

    /// <summary>Parameter settings (<c>P.tau &lt;- 12&lt;ms&gt;</c>, <c>SetParameter</c>) travel among the header's constants under this prefix.</summary>
    public const string SettingPrefix = "population:";

    public static IReadOnlyDictionary<string, string> WithSettings(IReadOnlyDictionary<string, string> constants, IEnumerable<Language.Compilation.PopulationSetting> settings)
    {
        var all = new Dictionary<string, string>(constants);
        foreach (var s in settings)
            all[$"{SettingPrefix}{s.Population}.{s.Name}"] = s.Value;
        return all;
    }

    /// <summary>The parameter settings a checkpoint's header carries.</summary>
    public static List<Language.Compilation.PopulationSetting> Settings(Header header) =>
        [.. header.Constants.Where(kv => kv.Key.StartsWith(SettingPrefix, StringComparison.Ordinal))
            .Select(kv => (Key: kv.Key[SettingPrefix.Length..].Split('.', 2), kv.Value))
            .Where(x => x.Key.Length == 2)
            .Select(x => new Language.Compilation.PopulationSetting(x.Key[0], x.Key[1], x.Value))];

    /// <summary>The header's constants without the parameter settings: the script's own <c>--set</c> values.</summary>
    public static Dictionary<string, string> ScriptConstants(Header header) =>
        header.Constants.Where(kv => !kv.Key.StartsWith(SettingPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Version 1: header (script, constants, seed), then the bag's entries, then the digest.</summary>
    public const int Version = 1;

    private enum Tag : byte
    {
        Doubles = 1,
        Longs = 2,
        Ints = 3,
        Text = 4,
        Scalar = 5,
    }

    public sealed record Header(string Script, string ScriptPath, IReadOnlyDictionary<string, string> Constants, ulong Seed);

    public static void Write(Stream output, Header header, StateBag bag)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(header.Script);
            w.Write(header.ScriptPath);
            w.Write(header.Constants.Count);
            foreach (var (k, v) in header.Constants.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.Write(k);
                w.Write(v);
            }
            w.Write(header.Seed);
            w.Write(bag.Entries.Count);
            foreach (var (key, value) in bag.Entries.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.Write(key);
                switch (value)
                {
                    // Arrays go out as their little-endian bytes in one write (BinaryWriter's byte order).
                    case double[] d:
                        w.Write((byte)Tag.Doubles);
                        w.Write(d.Length);
                        w.Write(MemoryMarshal.AsBytes(d.AsSpan()));
                        break;
                    case long[] l:
                        w.Write((byte)Tag.Longs);
                        w.Write(l.Length);
                        w.Write(MemoryMarshal.AsBytes(l.AsSpan()));
                        break;
                    case int[] i:
                        w.Write((byte)Tag.Ints);
                        w.Write(i.Length);
                        w.Write(MemoryMarshal.AsBytes(i.AsSpan()));
                        break;
                    case string s:
                        w.Write((byte)Tag.Text);
                        w.Write(s);
                        break;
                    case long s:
                        w.Write((byte)Tag.Scalar);
                        w.Write(s);
                        break;
                    default:
                        throw new InvalidOperationException($"cannot write state entry {key} of type {value.GetType().Name}");
                }
            }
        }
        var payload = buffer.ToArray();
        output.Write(payload);
        output.Write(SHA256.HashData(payload));
    }

    /// <summary>Reads a checkpoint; a wrong magic, a newer version, a truncated file or a wrong digest is an <see cref="InvalidDataException"/> saying which.</summary>
    public static (Header Header, StateBag Bag) Read(Stream input)
    {
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        var bytes = copy.ToArray();
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("not a BioLang checkpoint (the file does not start with the checkpoint marker)");
        if (bytes.Length < Magic.Length + 4 + 32)
            throw new InvalidDataException("the checkpoint is truncated");
        var version = BitConverter.ToInt32(bytes, Magic.Length);
        if (version != Version)
            throw new InvalidDataException($"the checkpoint has format version {version}; this BioLang reads version {Version}");
        var payload = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new InvalidDataException("the checkpoint is corrupt or truncated (its checksum does not match)");
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 32), Encoding.UTF8);
            r.ReadBytes(Magic.Length);
            r.ReadInt32();
            var script = r.ReadString();
            var path = r.ReadString();
            var constants = new Dictionary<string, string>();
            for (var n = r.ReadInt32(); n > 0; n--)
                constants[r.ReadString()] = r.ReadString();
            var seed = r.ReadUInt64();
            var bag = new StateBag();
            for (var n = r.ReadInt32(); n > 0; n--)
            {
                var key = r.ReadString();
                object value = (Tag)r.ReadByte() switch
                {
                    Tag.Doubles => ReadArray<double>(r),
                    Tag.Longs => ReadArray<long>(r),
                    Tag.Ints => ReadArray<int>(r),
                    Tag.Text => r.ReadString(),
                    Tag.Scalar => r.ReadInt64(),
                    var t => throw new InvalidDataException($"unknown entry type {(int)t} for '{key}'"),
                };
                bag.Put(key, value);
            }
            return (new Header(script, path, constants, seed), bag);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the checkpoint is truncated");
        }
    }

    private static T[] ReadArray<T>(BinaryReader r) where T : unmanaged
    {
        var n = r.ReadInt32();
        var size = Marshal.SizeOf<T>();
        if (n < 0 || (long)n * size > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException("the checkpoint is truncated (an array runs past its end)");
        return MemoryMarshal.Cast<byte, T>(r.ReadBytes(n * size)).ToArray();
    }
}
