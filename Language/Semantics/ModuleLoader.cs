using System.Collections.Concurrent;
using BioLang.Language.Diagnostics;
using BioLang.Language.Syntax;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;

namespace BioLang.Language.Semantics;

/// <summary>
/// Expands <c>open</c>: a stdlib module (<c>open Neurons</c>, shipped inside this assembly) or a file
/// relative to the one that opens it (<c>open "models.bnn"</c>). Each is included once; cycles are errors.
/// </summary>
internal sealed class ModuleLoader(DiagnosticBag diagnostics, Func<string, string?> readFile)
{
    private static readonly ConcurrentDictionary<string, (ProgramSyntax Program, IReadOnlyList<Diagnostic> Diagnostics)?> StdlibCache = new();

    private readonly HashSet<string> _included = new(StringComparer.Ordinal);
    private readonly Stack<string> _opening = new();

    public static IReadOnlyList<string> StdlibModules { get; } =
        typeof(ModuleLoader).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("stdlib/", StringComparison.Ordinal) && n.EndsWith(".bnn", StringComparison.Ordinal))
            .Select(n => n["stdlib/".Length..^".bnn".Length])
            .Order(StringComparer.Ordinal)
            .ToList();

    private static readonly Lazy<Dictionary<string, string>> StdlibModels = new(() =>
    {
        var defined = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var module in StdlibModules)
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(StdlibSource(module) ?? "",
                         @"^(?:neuron|rate|synapse|plasticity)\s+([A-Za-z_]\w*)", System.Text.RegularExpressions.RegexOptions.Multiline))
                defined.TryAdd(m.Groups[1].Value, module);
        return defined;
    });

    /// <summary>
    /// For a model name that is not in scope: <c>"; it is in the standard library: add 'open M'"</c> when a stdlib
    /// module M defines a model of exactly that name, otherwise nothing.
    /// </summary>
    public static string OpenHint(string model) =>
        StdlibModels.Value.TryGetValue(model, out var module) ? $"; it is in the standard library: add 'open {module}'" : "";

    public static string? StdlibSource(string module)
    {
        using var stream = typeof(ModuleLoader).Assembly.GetManifestResourceStream($"stdlib/{module}.bnn");
        if (stream is null)
            return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The declarations of <paramref name="program"/> with every open replaced by what it opens.</summary>
    public List<Decl> Expand(ProgramSyntax program)
    {
        var result = new List<Decl>();
        _included.Add(Key(program.Source.Path));
        _opening.Push(Key(program.Source.Path));
        Expand(program, result);
        _opening.Pop();
        return result;
    }

    private void Expand(ProgramSyntax program, List<Decl> into)
    {
        foreach (var decl in program.Declarations)
        {
            if (decl is not OpenDecl open)
            {
                into.Add(decl);
                continue;
            }
            var opened = open.IsFile ? LoadFile(open, program.Source) : LoadModule(open);
            if (opened is null)
                continue;
            var key = Key(opened.Source.Path);
            if (_opening.Contains(key))
            {
                diagnostics.Error(DiagnosticCodes.OpenCycle, open.Span, $"'{open.Target}' opens itself (through {string.Join(" -> ", _opening.Reverse())})");
                continue;
            }
            if (!_included.Add(key))
                continue;
            _opening.Push(key);
            Expand(opened, into);
            _opening.Pop();
        }
    }

    private static string Key(string path) => path.StartsWith("stdlib:", StringComparison.Ordinal) ? path : Path.GetFullPath(path);

    private ProgramSyntax? LoadModule(OpenDecl open)
    {
        var cached = StdlibCache.GetOrAdd(open.Target, name =>
        {
            var text = StdlibSource(name);
            if (text is null)
                return null;
            var bag = new DiagnosticBag();
            var program = SyntaxParser.Parse(new SourceText($"stdlib:{name}.bnn", text), bag);
            return (program, bag.Items);
        });
        if (cached is not { } module)
        {
            diagnostics.Error(DiagnosticCodes.UnknownModule, open.Span,
                $"no standard library module '{open.Target}' (there are: {string.Join(", ", StdlibModules)}); to open a file, quote its path: open \"{open.Target}.bnn\""
                + Suggestions.DidYouMean(open.Target, StdlibModules));
            return null;
        }
        diagnostics.AddRange(module.Diagnostics);
        return module.Program;
    }

    private ProgramSyntax? LoadFile(OpenDecl open, SourceText from)
    {
        var directory = from.Path.StartsWith("stdlib:", StringComparison.Ordinal) || from.Path.StartsWith('<') ? "" : Path.GetDirectoryName(from.Path) ?? "";
        var path = Path.Combine(directory, open.Target);
        string? text;
        try
        {
            text = readFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(DiagnosticCodes.UnknownModule, open.Span, $"cannot read '{path}': {e.Message}");
            return null;
        }
        if (text is null)
        {
            diagnostics.Error(DiagnosticCodes.UnknownModule, open.Span, $"file not found: '{path}'");
            return null;
        }
        return SyntaxParser.Parse(new SourceText(path, text), diagnostics);
    }
}
