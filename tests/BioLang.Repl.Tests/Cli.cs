using System.Diagnostics;
using BioLang.Repl.Cli;

namespace BioLang.Repl.Tests;

/// <summary>Tests that swap Console.Out and Console.Error run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>What a <c>biolang</c> invocation returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs the real <c>biolang</c> command line: in this process (fast), or as a child process (real exit codes, real crashes).</summary>
internal static class Cli
{
    public static string Root { get; } = FindRoot();

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    private static string FindRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "BioLang.sln")))
                return dir;
        throw new DirectoryNotFoundException("BioLang.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary><c>Commands.Build().Parse(args).Invoke()</c> with the console captured. Callers must be in <see cref="ConsoleCollection"/>.</summary>
    public static CliResult InProcess(params string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = Commands.Build().Parse(args).Invoke();
            return new CliResult(code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    /// <summary>Runs <c>dotnet biolang.dll args</c> from the repository root.</summary>
    public static CliResult Process(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "biolang.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment.Remove("BIOLANG_DEBUG");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("biolang " + string.Join(' ', args) + " did not finish");
        }
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>A .NET stack trace or an unhandled exception report.</summary>
    public static void ShouldHaveNoStackTrace(this CliResult r)
    {
        foreach (var text in new[] { r.Out, r.Error })
        {
            text.ShouldNotContain("   at ", Case.Sensitive, r.ToString());
            text.ShouldNotContain("Unhandled exception", Case.Insensitive, r.ToString());
            text.ShouldNotMatch(@"\w+Exception\b", r.ToString());
        }
    }
}

/// <summary>A fresh directory, deleted with its contents on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "biolang-cli-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        System.IO.File.WriteAllText(File(name), text);
        return File(name);
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
