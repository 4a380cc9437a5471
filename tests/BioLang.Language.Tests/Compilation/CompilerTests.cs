using System.Runtime.CompilerServices;
using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Semantics;

namespace BioLang.Language.Tests.Compilation;

public class CompilerTests
{
    private static string Repository([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Repository(), "examples"), "*.bnn").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExampleCompiles(string file)
    {
        var result = BioCompiler.CompileFile(Path.Combine(Repository(), "examples", file));

        result.Diagnostics.Where(d => d.Severity != Severity.Info).ShouldBeEmpty(DiagnosticRenderer.Render(result.Diagnostics));
        result.Success.ShouldBeTrue();
    }

    /// <summary>The COBA benchmark as its header describes it: 4000 neurons, 3200 excitatory, p = 80/4000, Euler, 1 s.</summary>
    [Fact]
    public void CobaIsTheBenchmarkItSaysItIs()
    {
        var model = BioCompiler.CompileFile(Path.Combine(Repository(), "examples", "coba.bnn")).Model.ShouldNotBeNull();

        model.Dt.ShouldBe(1e-4, 1e-18);
        model.Duration.ShouldBe(1.0);
        var p = model.Populations.ShouldHaveSingleItem().ShouldBeOfType<NeuronGroupIR>();
        p.Size.ShouldBe(4000);
        p.Model.Method.ShouldBe(IntegrationMethod.Euler);
        p.Model.Refractory.ShouldNotBeNull();
        model.Projections.Select(x => (x.Pre.Start, x.Pre.Count, x.Post.Count)).ShouldBe([(0, 3200, 4000), (3200, 800, 4000)]);
        foreach (var projection in model.Projections)
            Folder.Evaluate(projection.Rule.ShouldBeOfType<ProbabilityRule>().P).ShouldBe(0.02);
        model.Monitors.Select(m => m.Name).ShouldBe(["spikes_P", "rate_P", "P.v"]);
    }

    [Fact]
    public void AFileThatCannotBeReadIsAnIoDiagnostic()
    {
        var result = BioCompiler.CompileFile(Path.Combine(Path.GetTempPath(), "biolang-no-such-dir", "none.bnn"));

        result.Model.ShouldBeNull();
        result.Success.ShouldBeFalse();
        var error = result.Diagnostics.ShouldHaveSingleItem();
        error.Code.ShouldBe(DiagnosticCodes.Io);
        error.Severity.ShouldBe(Severity.Error);
        error.Span.ShouldBeNull();
    }

    [Fact]
    public void SyntaxErrorsAreReportedBeforeAnythingIsBound()
    {
        var result = Scripts.Compile("let a = nowhere\nlet b = (1 +\n");

        result.Diagnostics.Select(d => d.Code).ShouldBe([DiagnosticCodes.Unterminated, DiagnosticCodes.Syntax]);
    }

    [Fact]
    public void AWarningDoesNotStopTheModel()
    {
        var result = Scripts.Compile("neuron A =\n    state v = 0<mV>\nlet P = population 1 A\nmonitor spikes P\nmonitor spikes P\n");

        result.Diagnostics.ShouldHaveSingleItem().Severity.ShouldBe(Severity.Warning);
        result.Success.ShouldBeTrue();
        result.Model!.Monitors.ShouldHaveSingleItem();
    }

    /// <summary>Two monitors of one variable that record it differently are both kept, the second named with a suffix.</summary>
    [Fact]
    public void MonitorsOfOneThingRecordedDifferentlyGetDistinctNames()
    {
        var result = Scripts.Compile("""
            neuron A =
                state v = 0<mV>
            let P = population 3 A
            monitor P.v [0] every 1<ms>
            monitor P.v [1; 2] every 0.1<ms>
            monitor P.v [0] every 2<ms>
            monitor rate P every 1<ms>
            monitor rate P every 5<ms>
            monitor P.v [1; 2] every 0.1<ms>
            """);

        result.Diagnostics.Where(d => d.Severity != Severity.Info).ShouldHaveSingleItem().Severity.ShouldBe(Severity.Warning);
        result.Model!.Monitors.Select(m => m.Name).ShouldBe(["P.v", "P.v#2", "P.v#3", "rate_P", "rate_P#2"]);
        result.Model.Monitors.OfType<StateMonitorIR>().Select(m => (m.Indices.Length, m.IntervalSteps)).ShouldBe([(1, 10), (2, 1), (1, 20)]);
    }

    [Fact]
    public void AnErrorStopsTheModel()
    {
        var result = Scripts.Compile("let a = 1<mV> + 1<nS>\n");

        result.Model.ShouldBeNull();
        result.Success.ShouldBeFalse();
    }

    /// <summary>A model used by three populations has one mistake, reported once.</summary>
    [Fact]
    public void AMistakeInAModelIsReportedOnceWhateverItsUse()
    {
        var result = Scripts.Compile("""
            let twice x = x + 1<mV>
            neuron A =
                state v = 0<mV>
                equations dv/dt = v
            let P = population 1 A
            let Q = population 2 A
            let R = population 3 A (v = 1<mV>)
            let a = twice 1
            let b = twice 2
            """);

        result.Errors().Select(d => d.Code).ShouldBe([DiagnosticCodes.DimensionMismatch, DiagnosticCodes.EquationDimension]);
    }

    [Fact]
    public void ModelsMayBeUsedBeforeTheyAreDeclared()
    {
        var model = Scripts.Model("let P = population 3 A\nneuron A =\n    state v = 0<mV>\n");

        model.Population("P").Size.ShouldBe(3);
    }

    [Fact]
    public void DefaultsWithoutSettings()
    {
        var model = Scripts.Model("run 10<ms>\n");

        model.Dt.ShouldBe(1e-4);
        model.Seed.ShouldBeNull();
        model.Precision.ShouldBe(Precision.Double);
        model.Duration.ShouldBe(0.01);
    }
}

/// <summary>Every code the language stage can emit has a golden case (NESTML: a fixture per check).</summary>
public class DiagnosticCoverageTests
{
    /// <summary>Emitted by later stages, or by none yet.</summary>
    private static readonly HashSet<string> NotLanguage = [DiagnosticCodes.IndexOutOfRange, DiagnosticCodes.NotFinite, DiagnosticCodes.OutOfMemory, DiagnosticCodes.Io];

    [Fact]
    public void EveryLanguageCodeHasAnErrorsCase()
    {
        var codes = typeof(DiagnosticCodes).GetFields().Select(f => (string)f.GetValue(null)!).Where(c => !NotLanguage.Contains(c)).ToList();
        var folder = Golden.GoldenFile.Folder("Errors");
        var covered = Directory.GetFiles(folder, "*.bnn").Select(f => File.ReadLines(f).First())
            .Concat(Directory.GetFiles(folder, "*.diag.txt").SelectMany(File.ReadLines))
            .SelectMany(line => line.Split(' ', ':'))
            .ToHashSet();

        codes.Count.ShouldBe(32);
        codes.Where(c => !covered.Contains(c)).ShouldBeEmpty();
    }
}
