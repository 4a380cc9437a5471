using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Syntax;
using BioLang.Language.Text;

namespace BioLang.Language.Tests.Golden;

/// <summary>
/// One [Theory] per folder of cases: a .bnn file and the text it must produce next to it
/// (<c>.ast.txt</c>, <c>.ir.txt</c>, <c>.diag.txt</c>). See the README for re-blessing.
/// </summary>
public class GoldenTests
{
    public static TheoryData<string> ParseCases => GoldenFile.Cases("Parse");

    public static TheoryData<string> CompileCases => GoldenFile.Cases("Compile");

    public static TheoryData<string> ErrorCases => GoldenFile.Cases("Errors");

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void ParsesToTheExpectedSyntaxTree(string file)
    {
        var bag = new DiagnosticBag();

        var program = SyntaxParser.Parse(new SourceText(file, GoldenFile.ReadInput("Parse", file)), bag);

        bag.Items.ShouldBeEmpty(DiagnosticRenderer.Render(bag.Items));
        GoldenFile.Verify("Parse", file, ".ast.txt", AstPrinter.Print(program));
    }

    [Theory]
    [MemberData(nameof(CompileCases))]
    public void CompilesToTheExpectedIr(string file)
    {
        var result = Compile("Compile", file);

        var problems = result.Diagnostics.Where(d => d.Severity != Severity.Info).ToList();
        problems.ShouldBeEmpty(DiagnosticRenderer.Render(problems));
        result.Success.ShouldBeTrue();
        GoldenFile.Verify("Compile", file, ".ir.txt", IrPrinter.Print(result.Model!));
    }

    /// <summary>
    /// The first line of each case names, by hand, the codes of the errors and warnings it must
    /// give in order (<c>// expect: BL0201 BL0101</c>), or <c>// expect: ok</c> for the valid twin
    /// of an invalid case; the golden file then pins positions and wording.
    /// </summary>
    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void ReportsTheExpectedDiagnostics(string file)
    {
        var expected = ExpectedCodes(GoldenFile.ReadInput("Errors", file), file);

        var result = Compile("Errors", file);

        var codes = result.Diagnostics.Where(d => d.Severity != Severity.Info).Select(d => d.Code).ToList();
        string.Join(" ", codes).ShouldBe(string.Join(" ", expected), DiagnosticRenderer.Render(result.Diagnostics));
        result.Success.ShouldBe(!result.Diagnostics.Any(d => d.IsError));
        (result.Model is null).ShouldBe(result.Diagnostics.Any(d => d.IsError));
        // An open cycle is reported with full paths, which start at the test's working directory.
        var rendered = DiagnosticRenderer.Render(result.Diagnostics).Replace(Directory.GetCurrentDirectory() + Path.DirectorySeparatorChar, "");
        GoldenFile.Verify("Errors", file, ".diag.txt", rendered);
    }

    private static IReadOnlyList<string> ExpectedCodes(string text, string file)
    {
        const string marker = "// expect:";
        var first = text.Split('\n')[0];
        first.ShouldStartWith(marker, customMessage: $"{file} must start with '{marker} CODE ...' or '{marker} ok'");
        var words = first[marker.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is ["ok"] ? [] : words;
    }

    /// <summary>Compiles a case; <c>open "lib/x.bnn"</c> reads from the case's folder, nothing else on disk.</summary>
    private static CompilationResult Compile(string folder, string file)
    {
        var root = GoldenFile.Folder(folder);
        var options = new CompileOptions
        {
            ReadFile = path =>
            {
                var full = Path.GetFullPath(Path.Combine(root, path));
                return full.StartsWith(root, StringComparison.Ordinal) && File.Exists(full) ? File.ReadAllText(full).Replace("\r\n", "\n") : null;
            },
        };
        return BioCompiler.CompileText(GoldenFile.ReadInput(folder, file), file, options);
    }
}
