namespace BioLang.Tests;

/// <summary>Where the repository is, found from the test assembly by walking up to BioLang.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "BioLang.sln")))
                return dir;
        throw new DirectoryNotFoundException("BioLang.sln not found above " + AppContext.BaseDirectory);
    }
}
