using System.Text;

namespace BioLang.Language.Diagnostics;

/// <summary>Renders diagnostics the way compilers do: location, code, message, the source line and a caret under the span.</summary>
public static class DiagnosticRenderer
{
    public static string Render(Diagnostic diagnostic)
    {
        var sb = new StringBuilder();
        sb.Append(diagnostic.ToString()).Append('\n');
        if (diagnostic.Span is not { } span)
            return sb.ToString();
        var (line, column) = span.Source.Position(span.Start);
        var text = span.Source.LineText(line);
        var gutter = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        sb.Append(' ').Append(gutter).Append(" | ").Append(text.Replace('\t', ' ')).Append('\n');
        var lineEndOffset = span.Source.LineStart(line) + text.Length;
        var width = Math.Max(1, Math.Min(span.End, lineEndOffset) - span.Start);
        sb.Append(' ').Append(' ', gutter.Length).Append(" | ")
          .Append(' ', Math.Max(0, column - 1)).Append('^').Append('~', width - 1).Append('\n');
        return sb.ToString();
    }

    public static string Render(IEnumerable<Diagnostic> diagnostics) =>
        string.Concat(diagnostics.Select(Render));
}
