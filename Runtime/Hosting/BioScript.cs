using System.Diagnostics.CodeAnalysis;
using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.Text;

namespace BioLang.Hosting;

/// <summary>How a script is compiled.</summary>
public sealed record BioScriptOptions
{
    /// <summary>The path diagnostics name, and that relative <c>open "file.bnn"</c> paths start from.</summary>
    public string Path { get; init; } = "<script>";

    /// <summary>New values for top-level constants, as source text (as <c>biolang run --set</c>).</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads opened files; defaults to the file system.</summary>
    public Func<string, string?>? ReadFile { get; init; }
}

/// <summary>A script did not compile; <see cref="Diagnostics"/> says why, <see cref="Exception.Message"/> renders them.</summary>
public sealed class BioScriptException(IReadOnlyList<Diagnostic> diagnostics) : Exception(DiagnosticRenderer.Render(diagnostics.Where(d => d.IsError)))
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}

/// <summary>
/// The embedding API's entry point: compile a .bnn script, then create simulations from it.
/// <code>
/// var model = BioScript.Compile(File.ReadAllText("net.bnn"));
/// using var sim = model.CreateSimulation(seed: 42);
/// sim.Run(TimeSpan.FromSeconds(1));
/// double[] v = sim.Population("exc").Read("v");
/// </code>
/// </summary>
public static class BioScript
{
    /// <summary>Compiles <paramref name="source"/>; throws <see cref="BioScriptException"/> with the diagnostics on errors.</summary>
    public static CompiledModel Compile(string source, BioScriptOptions? options = null) =>
        TryCompile(source, out var model, out var diagnostics, options) ? model : throw new BioScriptException(diagnostics);

    public static CompiledModel CompileFile(string path, BioScriptOptions? options = null) =>
        Compile(File.ReadAllText(path), (options ?? new BioScriptOptions()) with { Path = path });

    /// <summary>Compiles <paramref name="source"/>; returns false with the diagnostics instead of throwing.</summary>
    public static bool TryCompile(string source, [NotNullWhen(true)] out CompiledModel? model, out IReadOnlyList<Diagnostic> diagnostics, BioScriptOptions? options = null)
    {
        options ??= new BioScriptOptions();
        var compileOptions = new CompileOptions { Constants = options.Constants };
        if (options.ReadFile is not null)
            compileOptions = compileOptions with { ReadFile = options.ReadFile };
        var result = BioCompiler.Compile(new SourceText(options.Path, source), compileOptions);
        diagnostics = result.Diagnostics;
        model = result.Success ? new CompiledModel(result.Model!, source, options, result.Diagnostics) : null;
        return model is not null;
    }
}
