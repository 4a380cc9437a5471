using System.Text;
using BioLang.Language.Diagnostics;
using BioLang.Language.Text;

namespace BioLang.Language.Syntax;

/// <summary>
/// One logical line of source and the lines indented under it. A logical line runs on over
/// physical lines while a bracket is open, as in Python and F#.
/// </summary>
internal sealed class LayoutNode
{
    public required int Start { get; init; }

    /// <summary>Offset just past the last non-blank character of this logical line.</summary>
    public required int End { get; init; }

    /// <summary>0-based column of the first character.</summary>
    public required int Indent { get; init; }

    public List<LayoutNode> Children { get; } = [];

    /// <summary>End of this line including everything indented under it.</summary>
    public int FullEnd => Children.Count == 0 ? End : Children[^1].FullEnd;
}

/// <summary>
/// The layout pass: blanks out comments (keeping every offset, so spans stay exact) and
/// turns indentation into a tree of <see cref="LayoutNode"/>s, F#'s offside rule in its simple form.
/// </summary>
internal static class Layout
{
    public sealed record Result(string Clean, IReadOnlyList<LayoutNode> Roots);

    public static Result Run(SourceText source, DiagnosticBag diagnostics)
    {
        var clean = StripComments(source, diagnostics);
        var lines = LogicalLines(source, clean, diagnostics);
        var roots = new List<LayoutNode>();
        var stack = new Stack<LayoutNode>();
        foreach (var line in lines)
        {
            while (stack.Count > 0 && stack.Peek().Indent >= line.Indent)
                stack.Pop();
            if (stack.Count == 0)
                roots.Add(line);
            else
                stack.Peek().Children.Add(line);
            stack.Push(line);
        }
        return new Result(clean, roots);
    }

    /// <summary>Replaces <c>//</c> and nestable <c>(* *)</c> comments by spaces; string literals are left alone.</summary>
    private static string StripComments(SourceText source, DiagnosticBag diagnostics)
    {
        var text = source.Text;
        var sb = new StringBuilder(text);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                var start = i++;
                while (i < text.Length && text[i] != '"' && text[i] != '\n')
                    i += text[i] == '\\' && i + 1 < text.Length ? 2 : 1;
                if (i >= text.Length || text[i] != '"')
                    diagnostics.Error(DiagnosticCodes.Unterminated, new Span(source, start, start + 1), "unterminated string literal");
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                    sb[i++] = ' ';
            }
            else if (c == '(' && i + 1 < text.Length && text[i + 1] == '*' && !(i + 2 < text.Length && text[i + 2] == ')'))
            {
                var start = i;
                var depth = 0;
                do
                {
                    if (text[i] == '(' && i + 1 < text.Length && text[i + 1] == '*')
                    {
                        depth++;
                        sb[i] = sb[i + 1] = ' ';
                        i += 2;
                    }
                    else if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == ')')
                    {
                        depth--;
                        sb[i] = sb[i + 1] = ' ';
                        i += 2;
                    }
                    else
                    {
                        if (text[i] != '\n' && text[i] != '\r') sb[i] = ' ';
                        i++;
                    }
                } while (depth > 0 && i < text.Length);
                if (depth > 0)
                    diagnostics.Error(DiagnosticCodes.Unterminated, new Span(source, start, start + 2), "unterminated comment: '(*' has no matching '*)'");
            }
            else
            {
                i++;
            }
        }
        return sb.ToString();
    }

    private static List<LayoutNode> LogicalLines(SourceText source, string clean, DiagnosticBag diagnostics)
    {
        var result = new List<LayoutNode>();
        var pos = 0;
        while (pos < clean.Length)
        {
            var lineEnd = NextLineEnd(clean, pos);
            var first = pos;
            while (first < lineEnd && (clean[first] == ' ' || clean[first] == '\t' || clean[first] == '\r'))
                first++;
            if (first == lineEnd)
            {
                pos = lineEnd + 1;
                continue;
            }
            for (var k = pos; k < first; k++)
                if (clean[k] == '\t')
                {
                    diagnostics.Error(DiagnosticCodes.TabIndent, new Span(source, k, k + 1), "tabs are not allowed in indentation; indent with spaces");
                    break;
                }
            var indent = first - pos;
            // Run on while brackets are open.
            var opens = new Stack<(char Bracket, int Offset)>();
            var end = lineEnd;
            var scan = first;
            while (true)
            {
                for (; scan < end; scan++)
                {
                    var c = clean[scan];
                    if (c == '"')
                    {
                        scan++;
                        while (scan < end && clean[scan] != '"')
                            scan += clean[scan] == '\\' ? 2 : 1;
                    }
                    else if (c is '(' or '[' or '{')
                        opens.Push((c, scan));
                    else if (c is ')' or ']' or '}' && opens.Count > 0 && Matches(opens.Peek().Bracket, c))
                        opens.Pop();
                }
                if (opens.Count == 0 || end >= clean.Length)
                    break;
                end = NextLineEnd(clean, end + 1);
            }
            if (opens.Count > 0)
            {
                var (bracket, at) = opens.Peek();
                diagnostics.Error(DiagnosticCodes.Unterminated, new Span(source, at, at + 1), $"'{bracket}' is never closed");
            }
            var last = end;
            while (last > first && char.IsWhiteSpace(clean[last - 1]))
                last--;
            result.Add(new LayoutNode { Start = first, End = last, Indent = indent });
            pos = end + 1;
        }
        return result;
    }

    private static bool Matches(char open, char close) =>
        (open, close) is ('(', ')') or ('[', ']') or ('{', '}');

    private static int NextLineEnd(string text, int from)
    {
        var i = text.IndexOf('\n', from);
        return i < 0 ? text.Length : i;
    }
}
