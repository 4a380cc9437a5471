using BioLang.Language.Diagnostics;
using BioLang.Language.Text;

namespace BioLang.Language.Tests.Diagnostics;

public class DiagnosticBagTests
{
    private static readonly SourceText A = new("a.bnn", "0123456789");
    private static readonly SourceText B = new("b.bnn", "0123456789");

    [Fact]
    public void SortsByFileThenPositionKeepingTheOrderWithinAPosition()
    {
        var bag = new DiagnosticBag();
        bag.Error("BL0002", new Span(B, 1, 2), "b1");
        bag.Error("BL0003", new Span(A, 5, 6), "a5 first");
        bag.Error("BL0005", new Span(A, 5, 7), "a5 second");
        bag.Info("BL0006", new Span(A, 2, 3), "a2");

        bag.Sorted().Select(d => d.Message).ShouldBe(["a2", "a5 first", "a5 second", "b1"]);
        bag.HasErrors.ShouldBeTrue();
    }

    [Fact]
    public void KeepsOneOfIdenticalDiagnostics()
    {
        var bag = new DiagnosticBag();
        bag.Error("BL0201", new Span(A, 1, 2), "cannot add V and S");
        bag.Error("BL0201", new Span(A, 1, 2), "cannot add V and S");
        bag.AddRange([new Diagnostic("BL0201", Severity.Error, new Span(A, 1, 2), "cannot add V and S")]);
        bag.Error("BL0201", new Span(A, 1, 2), "cannot add V and A");
        bag.Error("BL0201", new Span(A, 1, 3), "cannot add V and S");

        bag.Items.Count.ShouldBe(3);
    }

    [Fact]
    public void InfosAndWarningsAreNotErrors()
    {
        var bag = new DiagnosticBag();
        bag.Info("BL0402", null, "exact");
        bag.Warning("BL0102", null, "twice");

        bag.HasErrors.ShouldBeFalse();
    }
}
