using System.Text;
using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.Syntax;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;

namespace BioLang.Repl.Session;

/// <summary>
/// The session as a program (<c>:script</c>) that, run afresh, builds the session's model. The
/// declarations are written as typed; a parameter set at the prompt (<c>P.tau_m &lt;- 12&lt;ms&gt;</c>)
/// is written into its population's declaration as an override, which is exactly how the
/// compiler applies it (NetworkBinder.WithSettings: it joins the declaration's overrides and takes
/// precedence over them); and the seed the network runs with is written as a setting when the
/// script would otherwise run with another (<c>biolang repl --seed 5</c>, a restored checkpoint).
/// </summary>
internal static class ScriptWriter
{
    public static string Write(IReadOnlyList<Chunk> chunks, IReadOnlyList<PopulationSetting> parameters, ulong? seed)
    {
        var texts = new List<string>();
        var written = new HashSet<PopulationSetting>();
        var seedWritten = false;
        foreach (var chunk in chunks)
        {
            var text = chunk.Text;
            if (chunk.Key == "setting:seed" && seed is { } s)
            {
                text = $"seed = {s}";
                seedWritten = true;
            }
            else if (chunk.Key.StartsWith("name:", StringComparison.Ordinal)
                     && parameters.Where(p => "name:" + p.Population == chunk.Key).ToList() is { Count: > 0 } mine
                     && WithOverrides(chunk, mine) is { } edited)
            {
                text = edited;
                written.UnionWith(mine);
            }
            texts.Add(text.TrimStart('\n', ' '));
        }
        if (seed is { } first && !seedWritten)
            texts.Insert(0, $"seed = {first}");
        // A population declared in an opened file has no declaration here to carry its settings.
        foreach (var p in parameters.Where(p => !written.Contains(p)))
            texts.Add($"// {p.Population} is not declared in this script, so its setting is not in it: {p.Population}.{p.Name} <- {Value(p)}");
        return string.Join("\n\n", texts);
    }

    /// <summary>
    /// The declaration of a population of neurons with <paramref name="settings"/> among its
    /// overrides: a setting replaces the value of an override of the same name, or joins the
    /// list; a declaration without a list gets one after its model's name. Comments and line
    /// breaks stay where they were. Null when the chunk does not declare a population of neurons.
    /// </summary>
    private static string? WithOverrides(Chunk chunk, IReadOnlyList<PopulationSetting> settings)
    {
        var program = SyntaxParser.Parse(new SourceText(chunk.Name, chunk.Text), new DiagnosticBag());
        if (program.Declarations is not [PopulationDecl { Kind: PopulationKind.Neurons, ModelSpan: { } model }])
            return null;
        var text = chunk.Text;
        var clean = InputText.WithoutComments(text, out _);
        var at = SkipBlanks(clean, model.End);
        if (at >= clean.Length || clean[at] != '(')
            return text.Insert(model.End, $" ({string.Join(", ", settings.Select(s => $"{s.Name} = {Value(s)}"))})");
        var arguments = Arguments(clean, at);
        var edits = new List<(int Start, int End, string Text)>();
        var added = new List<string>();
        foreach (var setting in settings)
        {
            if (arguments.Items.FirstOrDefault(a => a.Name == setting.Name) is { Name: not null } same)
                edits.Add((same.ValueStart, same.ValueEnd, Value(setting)));
            else
                added.Add($"{setting.Name} = {Value(setting)}");
        }
        if (added.Count > 0)
        {
            var insertAt = arguments.Items.Count == 0 ? at + 1 : arguments.Items[^1].ValueEnd;
            edits.Add((insertAt, insertAt, (arguments.Items.Count == 0 ? "" : ", ") + string.Join(", ", added)));
        }
        var result = new StringBuilder(text);
        foreach (var (start, end, replacement) in edits.OrderByDescending(e => e.Start))
            result.Remove(start, end - start).Insert(start, replacement);
        return result.ToString();
    }

    /// <summary>The arguments of the list that opens at <paramref name="open"/>: each one's name and where its value's text starts and ends (blanks and comments around it left out).</summary>
    private static (List<(string? Name, int ValueStart, int ValueEnd)> Items, int Close) Arguments(string clean, int open)
    {
        var items = new List<(string?, int, int)>();
        var depth = 0;
        var start = open + 1;
        for (var i = open + 1; i < clean.Length; i++)
        {
            var c = clean[i];
            if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}' && depth > 0)
                depth--;
            else if (c == '"')
                while (++i < clean.Length && clean[i] is not ('"' or '\n'))
                    i += clean[i] == '\\' ? 1 : 0;
            else if (depth == 0 && c is ',' or ')')
            {
                if (clean[start..i].Trim().Length > 0)
                    items.Add(Argument(clean, start, i));
                if (c == ')')
                    return (items, i);
                start = i + 1;
            }
        }
        return (items, clean.Length);
    }

    private static (string? Name, int ValueStart, int ValueEnd) Argument(string clean, int start, int end)
    {
        var equals = clean.IndexOf('=', start, end - start);
        var valueStart = SkipBlanks(clean, equals < 0 ? start : equals + 1);
        var valueEnd = end;
        while (valueEnd > valueStart && char.IsWhiteSpace(clean[valueEnd - 1]))
            valueEnd--;
        var name = equals < 0 ? null : clean[start..equals].Trim();
        return (name, valueStart, valueEnd);
    }

    private static int SkipBlanks(string clean, int at)
    {
        while (at < clean.Length && char.IsWhiteSpace(clean[at]))
            at++;
        return at;
    }

    /// <summary>The value as typed, without a comment after it (it would swallow the closing bracket).</summary>
    private static string Value(PopulationSetting setting) => InputText.WithoutComments(setting.Value, out _).Trim();
}
