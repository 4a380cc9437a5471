using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;

namespace BioLang.Language.Tests.Compilation;

/// <summary>Compiles script text for a test; asks for success where the test needs a model.</summary>
internal static class Scripts
{
    public static CompilationResult Compile(string text, CompileOptions? options = null, string path = "test.bnn") =>
        BioCompiler.CompileText(text, path, options);

    public static ModelIR Model(string text, CompileOptions? options = null)
    {
        var result = Compile(text, options);
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        errors.ShouldBeEmpty(DiagnosticRenderer.Render(errors));
        return result.Model.ShouldNotBeNull();
    }

    public static NeuronModelIR Neuron(string text, string population) =>
        Model(text).Population(population).ShouldBeOfType<NeuronGroupIR>().Model;

    public static IEnumerable<Diagnostic> Errors(this CompilationResult result) => result.Diagnostics.Where(d => d.IsError);
}
