using System.Runtime.CompilerServices;

namespace BioLang.Language.Tests.Golden;

/// <summary>
/// Expected-output files next to their inputs, in this folder of the source tree. With
/// BIOLANG_BLESS=1 a test writes what it produced instead of comparing; the diff is the review.
/// </summary>
internal static class GoldenFile
{
    public static bool Blessing => Environment.GetEnvironmentVariable("BIOLANG_BLESS") == "1";

    /// <summary>This folder in the source tree (not the build output), so blessing rewrites the checked-in files.</summary>
    public static string Root { get; } = Path.GetDirectoryName(ThisFile())!;

    private static string ThisFile([CallerFilePath] string path = "") => path;

    public static string Folder(string name) => Path.Combine(Root, name);

    /// <summary>The .bnn cases of a folder, by file name, for a [Theory].</summary>
    public static TheoryData<string> Cases(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder(folder), "*.bnn").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    public static string ReadInput(string folder, string file) => Normalize(File.ReadAllText(Path.Combine(Folder(folder), file)));

    /// <summary>Compares <paramref name="actual"/> with the expected file (or, when blessing, writes it).</summary>
    public static void Verify(string folder, string file, string extension, string actual)
    {
        var expectedPath = Path.Combine(Folder(folder), Path.ChangeExtension(file, extension));
        actual = Normalize(actual);
        if (Blessing)
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }
        File.Exists(expectedPath).ShouldBeTrue($"{expectedPath} is missing; run the tests with BIOLANG_BLESS=1 to create it, then read it");
        var expected = Normalize(File.ReadAllText(expectedPath));
        if (expected != actual)
            throw new Xunit.Sdk.XunitException($"{Path.GetFileName(expectedPath)} differs from the output:\n{FirstDifference(expected, actual)}\n--- actual ---\n{actual}");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var x = i < e.Length ? e[i] : "<end of file>";
            var y = i < a.Length ? a[i] : "<end of file>";
            if (x != y)
                return $"line {i + 1}\n  expected: {x}\n  actual:   {y}";
        }
        return "(no line differs)";
    }
}
