using BioLang.Language.Diagnostics;
using BioLang.Language.Syntax;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;

namespace BioLang.Repl.Session;

/// <summary>One declaration of the session's script, with where it came from.</summary>
internal sealed record Chunk(string Key, string Name, string Text, string? File);

/// <summary>
/// The script a REPL session has built up: declarations typed at the prompt or read from a file,
/// in order. A declaration of a name that already exists replaces the old one in place (a model
/// redefined, a constant changed), which is what makes live editing work. Each declaration is
/// compiled as a file of its own (opened by a root script), so diagnostics point into what the
/// user typed, or at the right line of a loaded file.
/// </summary>
internal sealed class SessionScript
{
    private readonly List<Chunk> _chunks = [];
    private int _inputs;

    public IReadOnlyList<Chunk> Chunks => _chunks;

    public string NextInputName() => $"<in:{++_inputs}>";

    /// <summary>What makes two declarations the same thing: the name they define (or their text, for monitors and unnamed connections).</summary>
    public static string KeyOf(Decl decl) => decl switch
    {
        ModelDecl m => "name:" + m.Name,
        LetDecl l => "name:" + l.Name,
        PopulationDecl p => "name:" + p.Name,
        SubgroupDecl g => "name:" + g.Name,
        HostDecl h => "name:" + h.Name,
        ConnectDecl { Name: { } n } => "name:" + n,
        SettingDecl s => "setting:" + s.Name,
        OpenDecl o => "open:" + o.Target,
        _ => "text:" + string.Join(' ', decl.Span.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
    };

    /// <summary>The declarations of <paramref name="text"/> as chunks; a declaration keeps its line in a file, so messages point at it.</summary>
    public static (List<(Chunk Chunk, Decl Decl)> Declarations, IReadOnlyList<Diagnostic> Diagnostics) Split(string text, string name, string? file)
    {
        var bag = new DiagnosticBag();
        var source = new SourceText(name, text);
        var program = SyntaxParser.Parse(source, bag);
        var result = new List<(Chunk, Decl)>();
        var chunkIndex = 0;
        var declarations = program.Declarations;
        for (var k = 0; k < declarations.Length; k++)
        {
            var decl = declarations[k];
            // A declaration's text runs to the next one: its span can end early (the span of a
            // parenthesised expression leaves out the closing parenthesis).
            var end = k + 1 < declarations.Length ? declarations[k + 1].Span.Start : text.Length;
            var body = text[decl.Span.Start..Math.Max(end, decl.Span.End)].TrimEnd();
            // Pad with the lines before the declaration, so its line numbers stay those of the file.
            var padding = new string('\n', decl.Span.Line - 1) + new string(' ', decl.Span.Column - 1);
            var chunkName = file ?? (declarations.Length == 1 ? name : $"{name}#{++chunkIndex}");
            result.Add((new Chunk(KeyOf(decl), chunkName, padding + body, file), decl));
        }
        return (result, bag.Items);
    }

    /// <summary>The script with <paramref name="changes"/> applied: same key replaces, new key appends.</summary>
    public List<Chunk> With(IEnumerable<Chunk> changes)
    {
        var result = new List<Chunk>(_chunks);
        foreach (var change in changes)
        {
            var at = result.FindIndex(c => c.Key == change.Key);
            if (at >= 0)
                result[at] = change;
            else
                result.Add(change);
        }
        return result;
    }

    public void Commit(List<Chunk> chunks)
    {
        _chunks.Clear();
        _chunks.AddRange(chunks);
    }

    /// <summary>The chunks as sources for the compiler, each under its own name.</summary>
    public static IReadOnlyList<SourceText> Sources(IEnumerable<Chunk> chunks) =>
        [.. chunks.Select(c => new SourceText(c.Name, c.Text))];

    /// <summary>The script as one text, for <c>:script</c> and for checkpoints.</summary>
    public string Text => string.Join("\n\n", _chunks.Select(c => c.Text.TrimStart('\n', ' ')));
}
