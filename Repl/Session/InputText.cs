using System.Text;
using System.Text.RegularExpressions;

namespace BioLang.Repl.Session;

/// <summary>
/// What typed text looks like before it is parsed: whether an input is whole, whether a line
/// starts a new input, and the text with its comments blanked out. Comments and strings are
/// read the way the layout pass reads them (Language/Syntax/Layout.cs): <c>//</c> to the end of
/// the line, nesting <c>(* *)</c> (but not <c>(*)</c>), strings to their closing quote or the
/// line's end; a bracket stays open until its own closing bracket (a stray one closes nothing).
/// </summary>
internal static partial class InputText
{
    /// <summary>True when <paramref name="text"/> is a whole input: brackets closed, and a block header (a line ending in '=') followed by its block.</summary>
    public static bool IsComplete(string text)
    {
        var clean = WithoutComments(text, out var commentOpen);
        if (commentOpen || OpenBracket(clean) is not null)
            return false;
        var lines = clean.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0)
            return true;
        // 'neuron X =' alone, or a section header, wants more lines; an empty line ends a block.
        var last = lines[^1];
        return !(last.EndsWith('=') || last.EndsWith("then") || IsSectionHeader(last) || (lines.Count > 1 && !text.EndsWith("\n\n") && char.IsWhiteSpace(last[0]) && IsBlock(lines[0])));
    }

    /// <summary>
    /// True when <paramref name="line"/>, read where an input could continue, rather starts a new
    /// one: a declaration, a setting or a command at the very start of the line. None of these can
    /// continue an expression or an indented block, so a reader that sees such a line coming (a
    /// pipe, which can look ahead) ends the input before it, whole or not: an unclosed bracket then
    /// costs its own input, not the lines after it.
    /// </summary>
    public static bool StartsInput(string line) => line.Length > 0 && !char.IsWhiteSpace(line[0]) && InputStart().IsMatch(line);

    /// <summary>
    /// True when the incomplete input <paramref name="text"/> ends before the line <paramref name="next"/>:
    /// that line starts a new input, and is not inside a block comment the input left open.
    /// </summary>
    public static bool EndsBefore(string text, string next)
    {
        WithoutComments(text, out var commentOpen);
        return !commentOpen && StartsInput(next);
    }

    [GeneratedRegex(@"^(:[A-Za-z?]|(let|open|run|monitor|connect)\s+\S|(neuron|rate|synapse|plasticity|host)\s+[A-Za-z_]\w*\s*=|(dt|seed|precision)\s*=(?!=)|[A-Za-z_]\w*\.[A-Za-z_]\w*\s*<-)")]
    private static partial Regex InputStart();

    private static bool IsBlock(string first) => Regex.IsMatch(first, @"^(neuron|rate|synapse|plasticity)\s+\w+\s*=\s*$");

    private static bool IsSectionHeader(string line) =>
        Regex.IsMatch(line.Trim(), @"^(parameters|state|equations(\s*\((event|clock)-driven\))?|reset|on\s+(pre|post)|every\s+.+)$");

    /// <summary>The offset of the innermost bracket left open in comment-free text, or null when every bracket is closed.</summary>
    public static int? OpenBracket(string clean)
    {
        var opens = new Stack<(char Bracket, int Offset)>();
        for (var i = 0; i < clean.Length; i++)
        {
            var c = clean[i];
            if (c == '"')
                i = StringEnd(clean, i) - 1;
            else if (c is '(' or '[' or '{')
                opens.Push((c, i));
            else if (opens.Count > 0 && (opens.Peek().Bracket, c) is ('(', ')') or ('[', ']') or ('{', '}'))
                opens.Pop();
        }
        return opens.Count > 0 ? opens.Peek().Offset : null;
    }

    /// <summary>
    /// <paramref name="text"/> with every comment replaced by spaces (line breaks kept), so offsets
    /// stay those of the text; <paramref name="commentOpen"/> says whether a block comment runs to its end.
    /// </summary>
    public static string WithoutComments(string text, out bool commentOpen)
    {
        var clean = new StringBuilder(text);
        commentOpen = false;
        bool At(int k, char a, char b) => k + 1 < text.Length && text[k] == a && text[k + 1] == b;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i = StringEnd(text, i);
            }
            else if (At(i, '/', '/'))
            {
                while (i < text.Length && text[i] != '\n')
                    clean[i++] = ' ';
            }
            else if (At(i, '(', '*') && !At(i + 1, '*', ')'))
            {
                var depth = 0;
                do
                {
                    var step = At(i, '(', '*') ? 2 : At(i, '*', ')') ? 2 : 1;
                    depth += At(i, '(', '*') ? 1 : At(i, '*', ')') ? -1 : 0;
                    for (var k = i; k < i + step; k++)
                        if (text[k] != '\n')
                            clean[k] = ' ';
                    i += step;
                } while (depth > 0 && i < text.Length);
                commentOpen |= depth > 0;
            }
            else
            {
                i++;
            }
        }
        return clean.ToString();
    }

    /// <summary>Just past the string that starts at <paramref name="quote"/>: after its closing quote, or at its line's end.</summary>
    private static int StringEnd(string text, int quote)
    {
        var i = quote + 1;
        while (i < text.Length && text[i] != '"' && text[i] != '\n')
            i += text[i] == '\\' ? 2 : 1;
        return Math.Min(i + 1, text.Length);
    }
}
