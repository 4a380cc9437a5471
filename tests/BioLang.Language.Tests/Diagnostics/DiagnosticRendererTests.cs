using BioLang.Language.Diagnostics;
using BioLang.Language.Text;

namespace BioLang.Language.Tests.Diagnostics;

public class DiagnosticRendererTests
{
    private static readonly SourceText Source = new("net.bnn", "let a = 1\nlet bb = 1<mV> + 1<nS>\n\tlet c = 2\n");

    private static Span At(int line, int column, int length)
    {
        var start = Source.LineStart(line) + column - 1;
        return new Span(Source, start, start + length);
    }

    [Fact]
    public void PrintsLocationCodeMessageLineAndCaret()
    {
        var diagnostic = new Diagnostic("BL0201", Severity.Error, At(2, 10, 13), "cannot add V and S");

        DiagnosticRenderer.Render(diagnostic).ShouldBe(
            "net.bnn(2,10): error BL0201: cannot add V and S\n" +
            " 2 | let bb = 1<mV> + 1<nS>\n" +
            "   |          ^~~~~~~~~~~~~\n");
    }

    [Fact]
    public void ClipsTheCaretAtTheEndOfTheLine()
    {
        var diagnostic = new Diagnostic("BL0003", Severity.Error, new Span(Source, Source.LineStart(2) + 4, Source.Text.Length), "never closed");

        DiagnosticRenderer.Render(diagnostic).Split('\n')[2].ShouldBe("   |     ^~~~~~~~~~~~~~~~~~");
    }

    [Fact]
    public void AnEmptySpanStillGetsACaret()
    {
        var diagnostic = new Diagnostic("BL0001", Severity.Error, At(1, 10, 0), "expected expression, found end of line");

        DiagnosticRenderer.Render(diagnostic).Split('\n')[2].ShouldBe("   |          ^");
    }

    [Fact]
    public void ShowsATabAsOneBlankSoTheCaretLinesUp()
    {
        var diagnostic = new Diagnostic("BL0002", Severity.Error, At(3, 1, 1), "tabs are not allowed");

        var lines = DiagnosticRenderer.Render(diagnostic).Split('\n');

        lines[1].ShouldBe(" 3 |  let c = 2");
        lines[2].ShouldBe("   | ^");
    }

    [Fact]
    public void WidensTheGutterForLongLineNumbers()
    {
        var source = new SourceText("long.bnn", string.Concat(Enumerable.Repeat("\n", 11)) + "x\n");
        var diagnostic = new Diagnostic("BL0101", Severity.Warning, new Span(source, 11, 12), "w");

        DiagnosticRenderer.Render(diagnostic).ShouldBe("long.bnn(12,1): warning BL0101: w\n 12 | x\n    | ^\n");
    }

    [Fact]
    public void WithoutASpanPrintsOnlyTheMessage()
    {
        var diagnostic = new Diagnostic("BL0603", Severity.Error, null, "cannot read 'x.bnn'");

        DiagnosticRenderer.Render(diagnostic).ShouldBe("error BL0603: cannot read 'x.bnn'\n");
        diagnostic.ToString().ShouldBe("error BL0603: cannot read 'x.bnn'");
    }

    [Fact]
    public void SourcePositionsAreOneBased()
    {
        Source.Position(0).ShouldBe((1, 1));
        Source.Position(10).ShouldBe((2, 1));
        Source.Position(13).ShouldBe((2, 4));
        Source.LineText(2).ShouldBe("let bb = 1<mV> + 1<nS>");
        new SourceText("crlf.bnn", "a\r\nb").LineText(1).ShouldBe("a");
    }
}
