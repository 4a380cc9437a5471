using BioLang.Runtime.Engine;

namespace BioLang.Tests;

/// <summary>Comparisons of captured network state, bit for bit.</summary>
internal static class StateBags
{
    /// <summary>The same entries with the same values, doubles compared by their bits.</summary>
    public static void ShouldBeIdenticalTo(this StateBag actual, StateBag expected, params string[] ignoring)
    {
        var keys = expected.Entries.Keys.Where(k => !ignoring.Any(k.StartsWith)).Order(StringComparer.Ordinal).ToList();
        actual.Entries.Keys.Where(k => !ignoring.Any(k.StartsWith)).Order(StringComparer.Ordinal).ToList().ShouldBe(keys);
        foreach (var key in keys)
            if (Difference(actual.Entries[key], expected.Entries[key]) is { } difference)
                throw new Xunit.Sdk.XunitException($"state entry '{key}' differs: {difference}");
    }

    private static string? Difference(object actual, object expected) => (actual, expected) switch
    {
        (double[] a, double[] e) => FirstDifference(a.Select(BitConverter.DoubleToInt64Bits).ToArray(), e.Select(BitConverter.DoubleToInt64Bits).ToArray(), k => $"{a[k]:R} instead of {e[k]:R}"),
        (long[] a, long[] e) => FirstDifference(a, e, k => $"{a[k]} instead of {e[k]}"),
        (int[] a, int[] e) => FirstDifference(a, e, k => $"{a[k]} instead of {e[k]}"),
        (long a, long e) => a == e ? null : $"{a} instead of {e}",
        (string a, string e) => a == e ? null : $"'{a}' instead of '{e}'",
        _ => $"{actual.GetType().Name} instead of {expected.GetType().Name}",
    };

    private static string? FirstDifference<T>(T[] actual, T[] expected, Func<int, string> describe) where T : IEquatable<T>
    {
        if (actual.Length != expected.Length)
            return $"{actual.Length} elements instead of {expected.Length}";
        for (var k = 0; k < actual.Length; k++)
            if (!actual[k].Equals(expected[k]))
                return $"element {k}: {describe(k)}";
        return null;
    }

    /// <summary>Every array in the bag, copied: a capture shares the network's arrays, which go on changing.</summary>
    public static StateBag Copy(this StateBag bag)
    {
        var copy = new StateBag();
        foreach (var (key, value) in bag.Entries)
            copy.Put(key, value is Array a ? a.Clone() : value);
        return copy;
    }
}
