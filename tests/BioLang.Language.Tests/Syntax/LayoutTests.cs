using BioLang.Language.Diagnostics;
using BioLang.Language.Syntax;
using BioLang.Language.Text;

namespace BioLang.Language.Tests.Syntax;

/// <summary>The layout pass: comments blanked in place, indentation turned into a tree, brackets continuing lines.</summary>
public class LayoutTests
{
    private static (Layout.Result Layout, DiagnosticBag Bag, SourceText Source) Run(string text)
    {
        var source = new SourceText("layout.bnn", text);
        var bag = new DiagnosticBag();
        return (Layout.Run(source, bag), bag, source);
    }

    private static string Line(SourceText source, LayoutNode node) => source.Text[node.Start..node.End];

    [Fact]
    public void BlanksCommentsWithoutMovingAnything()
    {
        const string text = "let a = 1 // one\n(* two\n   (* nested *) lines *)\nlet b = \"x // y (* z\"\n";

        var (layout, bag, _) = Run(text);

        bag.Items.ShouldBeEmpty();
        layout.Clean.Length.ShouldBe(text.Length);
        layout.Clean.ShouldBe("let a = 1       \n      \n                        \nlet b = \"x // y (* z\"\n");
    }

    [Fact]
    public void IndentationMakesATree()
    {
        var (layout, _, source) = Run("neuron A =\n    state\n        v = 0\n    spike when v > 1\nlet b = 2\n");

        layout.Roots.Select(r => Line(source, r)).ShouldBe(["neuron A =", "let b = 2"]);
        var model = layout.Roots[0];
        model.Children.Select(c => Line(source, c)).ShouldBe(["state", "spike when v > 1"]);
        model.Children[0].Children.ShouldHaveSingleItem().Indent.ShouldBe(8);
        model.FullEnd.ShouldBe(model.Children[1].End);
    }

    [Fact]
    public void AnOpenBracketContinuesTheLineWhateverTheIndentation()
    {
        var (layout, _, source) = Run("let a = [1;\n2;\n  3]\nlet b = 4\n");

        layout.Roots.Select(r => Line(source, r)).ShouldBe(["let a = [1;\n2;\n  3]", "let b = 4"]);
    }

    [Fact]
    public void BlankAndCommentOnlyLinesDoNotCount()
    {
        var (layout, _, _) = Run("neuron A =\n\n   // a comment at another indentation\n    state v = 0\n");

        layout.Roots.ShouldHaveSingleItem().Children.ShouldHaveSingleItem().Indent.ShouldBe(4);
    }

    [Fact]
    public void ABracketInACommentOrStringDoesNotOpen()
    {
        var (layout, bag, _) = Run("let a = 1 // (\nopen \"(\"\nlet b = 2\n");

        bag.Items.ShouldBeEmpty();
        layout.Roots.Count.ShouldBe(3);
    }

    [Fact]
    public void ATabInIndentationIsReportedWhereItIs()
    {
        var (_, bag, _) = Run("neuron A =\n  \tstate v = 0\n");

        var error = bag.Items.ShouldHaveSingleItem();
        error.Code.ShouldBe(DiagnosticCodes.TabIndent);
        error.Span!.Value.Start.ShouldBe(13);
    }
}
