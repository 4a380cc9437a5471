using BioLang.Science.Tests.Support;

namespace BioLang.Science.Tests;

/// <summary>Conformance: every script in examples/ compiles and runs end to end for a short time.</summary>
public sealed class ExampleTests
{
    /// <summary>Smaller sizes for the short runs, so the whole corpus stays fast; examples not listed run as written.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Small = new()
    {
        ["cuba.bnn"] = new() { ["N"] = "1000" },
        ["brunel2000.bnn"] = new() { ["scale"] = "0.1" },
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Bnn.Examples, "*.bnn").Order())
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void The_examples_folder_is_found() =>
        Files().Count.ShouldBeGreaterThanOrEqualTo(5);

    [Theory]
    [MemberData(nameof(Files))]
    public void Compiles_as_written(string file)
    {
        var result = Bnn.TryCompile(File.ReadAllText(Path.Combine(Bnn.Examples, file)), path: file);
        result.Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
        result.Model!.Duration.ShouldBeGreaterThan(0, "an example runs something by itself");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Runs_for_50_ms(string file)
    {
        var model = Bnn.CompileFile(Path.Combine(Bnn.Examples, file), Small.GetValueOrDefault(file));
        using var network = Bnn.Run(model, seconds: 0.05);
        network.Time.ShouldBe(0.05, 1e-9);
        network.Monitors.ShouldNotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Starts_with_a_header_saying_what_it_reproduces_and_how_to_run_it(string file)
    {
        var header = string.Concat(File.ReadLines(Path.Combine(Bnn.Examples, file)).TakeWhile(l => l.StartsWith("//")));
        header.Length.ShouldBeGreaterThan(200, "a header comment: what it reproduces, the expected numbers, how to run it");
    }
}
