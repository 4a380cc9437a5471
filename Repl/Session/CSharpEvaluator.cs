using System.Collections;
using System.Globalization;
using BioLang.Hosting;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace BioLang.Repl.Session;

/// <summary>What a <c>:cs</c> expression sees: the running simulation.</summary>
public sealed class ScriptGlobals
{
    public required Simulation sim { get; init; }
}

/// <summary>
/// <c>:cs EXPR</c>: C# evaluated by Roslyn scripting with the simulation in scope, for what the
/// language does not cover. Roslyn's first compilation takes seconds, so it is warmed up in the
/// background when the session starts and the first <c>:cs</c> does not stall the prompt.
/// </summary>
internal sealed class CSharpEvaluator
{
    private Task<ScriptOptions>? _ready;

    public void WarmUp() => _ready ??= Task.Run(() =>
    {
        var options = ScriptOptions.Default
            .AddReferences(typeof(Simulation).Assembly, typeof(Enumerable).Assembly)
            .AddImports("System", "System.Linq", "BioLang.Hosting");
        CSharpScript.EvaluateAsync<object>("sim", options, new ScriptGlobals { sim = null! }, typeof(ScriptGlobals)).GetAwaiter().GetResult();
        return options;
    });

    public (string? Value, string? Error) Evaluate(string code, Simulation sim)
    {
        WarmUp();
        try
        {
            var value = CSharpScript.EvaluateAsync<object>(code, _ready!.GetAwaiter().GetResult(), new ScriptGlobals { sim = sim }, typeof(ScriptGlobals)).GetAwaiter().GetResult();
            return (Format(value), null);
        }
        catch (CompilationErrorException e)
        {
            return (null, string.Join("\n", e.Diagnostics.Select(d => d.ToString())));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => Sequence(e),
        _ => value.ToString() ?? "",
    };

    private static string Sequence(IEnumerable items)
    {
        var list = items.Cast<object?>().Take(21).ToList();
        var shown = string.Join(", ", list.Take(20).Select(Format));
        return $"[{shown}{(list.Count > 20 ? ", ..." : "")}]";
    }
}
