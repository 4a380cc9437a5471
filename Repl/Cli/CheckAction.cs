using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Syntax;
using BioLang.Language.Text;

namespace BioLang.Repl.Cli;

/// <summary><c>biolang check</c>: diagnostics (with the integration method chosen for each population), optionally the AST or IR.</summary>
internal static class CheckAction
{
    public static int Execute(FileInfo file, bool ir, bool ast)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"{file}: error {DiagnosticCodes.Io}: file not found");
            return 1;
        }
        var source = new SourceText(file.ToString(), File.ReadAllText(file.FullName));
        if (ast)
        {
            var bag = new DiagnosticBag();
            Console.Write(AstPrinter.Print(SyntaxParser.Parse(source, bag)));
        }
        var result = BioCompiler.Compile(source);
        Console.Error.Write(DiagnosticRenderer.Render(result.Diagnostics.Where(d => d.Severity != Severity.Info)));
        if (!result.Success)
        {
            var errors = result.Diagnostics.Count(d => d.IsError);
            Console.Error.WriteLine($"{file}: {errors} error{(errors == 1 ? "" : "s")}");
            return 1;
        }
        var model = result.Model!;
        foreach (var p in model.Populations.OfType<NeuronGroupIR>())
            Console.WriteLine($"population {p.Name}: {p.Size} x {p.Model.Name}, integrated with {Integration.NameOf(p.Model.Method)}");
        foreach (var p in model.Populations.Where(p => p is not NeuronGroupIR))
            Console.WriteLine($"population {p.Name}: {p.Size} inputs");
        foreach (var p in model.Projections)
            Console.WriteLine($"projection {p.Name}: {p.Synapse.Name}");
        if (ir)
            Console.Write(IrPrinter.Print(model));
        Console.WriteLine($"{file}: ok");
        return 0;
    }
}
