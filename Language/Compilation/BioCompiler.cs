using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Syntax;
using BioLang.Language.Text;

namespace BioLang.Language.Compilation;

/// <summary>Options of a compilation.</summary>
public sealed record CompileOptions
{
    /// <summary>Reads an opened file; null when it does not exist. Defaults to the file system.</summary>
    public Func<string, string?> ReadFile { get; init; } = path => File.Exists(path) ? File.ReadAllText(path) : null;

    /// <summary>New values for top-level constants, as source text: ("g", "5") replaces <c>let g = ...</c>.</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();

    /// <summary>Parameter values for populations, as source text, on top of their declarations' (the REPL's <c>P.tau_m &lt;- 12&lt;ms&gt;</c>).</summary>
    public IReadOnlyList<PopulationSetting> PopulationSettings { get; init; } = [];
}

/// <summary><c>Population.Name &lt;- Value</c>: a parameter override, or an assignment of a state variable to run once.</summary>
public sealed record PopulationSetting(string Population, string Name, string Value)
{
    /// <summary>Where the value was typed (a REPL input), so its diagnostics point into it; <see cref="Value"/> starts at <see cref="Start"/>.</summary>
    public SourceText? Source { get; init; }

    public int Start { get; init; }
}

/// <summary>
/// The language's pipeline, pass by pass: parse (layout, then Sprache per line) → open modules →
/// bind names, units and models → choose integration methods → IR.
/// </summary>
public static class BioCompiler
{
    public static CompilationResult Compile(SourceText source, CompileOptions? options = null) => Compile([source], options);

    /// <summary>Compiles several sources as one script, in order (the REPL's declarations, each with its own name and lines).</summary>
    public static CompilationResult Compile(IReadOnlyList<SourceText> sources, CompileOptions? options = null)
    {
        options ??= new CompileOptions();
        var diagnostics = new DiagnosticBag();
        var syntax = sources.Select(s => SyntaxParser.Parse(s, diagnostics)).ToList();
        if (diagnostics.HasErrors)
            return new CompilationResult(null, [.. diagnostics.Sorted()]);
        var loader = new ModuleLoader(diagnostics, options.ReadFile);
        var declarations = syntax.SelectMany(loader.Expand).ToList();
        if (diagnostics.HasErrors)
            return new CompilationResult(null, [.. diagnostics.Sorted()]);
        // A --set value's syntax error is reported by the binder, which knows what the constant takes.
        var overrides = new Dictionary<string, ConstantOverride>();
        foreach (var (name, text) in options.Constants)
        {
            var source = new SourceText($"--set {name}", text);
            var problems = new DiagnosticBag();
            var expr = SyntaxParser.ParseExpression(source, problems);
            overrides[name] = new ConstantOverride(name, source, problems.HasErrors ? null : expr, problems.Sorted().FirstOrDefault(d => d.IsError));
        }
        var settings = new List<(PopulationSetting Setting, Syntax.Ast.Expr Value)>();
        foreach (var setting in options.PopulationSettings)
            if ((setting.Source is { } source
                    ? SyntaxParser.ParseExpression(source, setting.Start, setting.Start + setting.Value.Length, diagnostics)
                    : SyntaxParser.ParseExpression(new SourceText($"{setting.Population}.{setting.Name}", setting.Value), diagnostics)) is { } value)
                settings.Add((setting, value));
        if (diagnostics.HasErrors)
            return new CompilationResult(null, [.. diagnostics.Sorted()]);
        var model = new NetworkBinder(diagnostics, overrides, settings).Bind(declarations);
        return new CompilationResult(diagnostics.HasErrors ? null : model, [.. diagnostics.Sorted()]);
    }

    public static CompilationResult CompileText(string text, string path = "<script>", CompileOptions? options = null) =>
        Compile(new SourceText(path, text), options);

    public static CompilationResult CompileFile(string path, CompileOptions? options = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CompilationResult(null, [new Diagnostic(DiagnosticCodes.Io, Severity.Error, null, $"cannot read '{path}': {e.Message}")]);
        }
        return Compile(new SourceText(path, text), options);
    }
}
