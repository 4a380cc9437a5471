using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BioLang.Hosting;
using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Language.Units;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Engine;

namespace BioLang.Repl.Session;

/// <summary>What one submission produced.</summary>
public sealed record ReplOutcome(string Output, bool IsError = false, bool Quit = false);

/// <summary>How a session starts.</summary>
public sealed record ReplOptions
{
    /// <summary>The seed; null: the script's <c>seed = ...</c>, else 1 (as for <c>biolang run</c>, which a given seed overrides the same way).</summary>
    public ulong? Seed { get; init; }

    public int Threads { get; init; } = 1;

    /// <summary>Where <c>:plot</c> writes when no file is named.</summary>
    public string PlotDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "biolang-plots");
}

/// <summary>
/// The REPL's core: <see cref="Submit"/> takes what the user typed and returns what to print. It
/// knows nothing of consoles; the terminal, pipes and tests are adapters around it. Every
/// statement of the language works at the prompt; a declaration that names an existing thing
/// replaces it and the running network carries its state over (only what changed is rebuilt);
/// an input with errors prints its diagnostics and leaves the network untouched.
/// </summary>
public sealed partial class ReplSession : IDisposable
{
    private readonly ReplOptions _options;
    private readonly SessionScript _script = new();
    private readonly List<PopulationSetting> _parameters = [];
    private readonly object _gate = new();
    private Network? _network;
    private ModelIR? _model;
    /// <summary>A seed that takes precedence over the script's: <c>--seed</c>, or the seed a restored checkpoint ran with.</summary>
    private ulong? _seedOverride;
    private string _seedOrigin = "given by --seed";
    private Task? _background;
    private CancellationTokenSource? _cancel;
    private long _backgroundTarget;
    private string? _loadedFile;
    private TimeSpan _lastRunWall;
    private readonly CSharpEvaluator _csharp = new();

    public ReplSession(ReplOptions? options = null)
    {
        _options = options ?? new ReplOptions();
        _seedOverride = _options.Seed;
    }

    /// <summary>The seed a network of <paramref name="model"/> runs with in this session.</summary>
    private ulong SeedFor(ModelIR? model) => _seedOverride ?? model?.Seed ?? 1;

    /// <summary>
    /// The session's program (<c>:script</c>): its declarations, with the parameters set at the
    /// prompt written into them, and the seed when the script alone would run with another.
    /// </summary>
    private string Program()
    {
        var seed = SeedFor(_model);
        return ScriptWriter.Write(_script.Chunks, _parameters, seed != (_model?.Seed ?? 1) ? seed : null);
    }

    /// <summary>
    /// Starts loading Roslyn in the background (1-2 s of CPU) so the first <c>:cs</c> answers quickly.
    /// Only the interactive terminal asks for it; pipes and tests pay only when they use <c>:cs</c>.
    /// </summary>
    public void WarmUpCSharp() => _csharp.WarmUp();

    internal Network? Network => _network;

    /// <summary>Names worth completing at the prompt: keywords, commands, stdlib modules, and what the script defines.</summary>
    public IEnumerable<string> Names =>
        Keywords.Concat(CommandTable.Select(c => c.Name)).Concat(ModuleLoaderModules())
            .Concat(_model?.Populations.Select(p => p.Name) ?? [])
            .Concat(_model?.Projections.Select(p => p.Name) ?? [])
            .Concat(_model?.Constants.Keys ?? [])
            .Distinct();

    private static IEnumerable<string> ModuleLoaderModules() => Language.Semantics.ModuleLoader.StdlibModules;

    private static readonly string[] Keywords =
    [
        "open", "let", "neuron", "rate", "synapse", "plasticity", "connect", "monitor", "run", "host", "population", "poisson", "spike_times",
        "parameters", "state", "equations", "spike", "when", "reset", "refractory", "method", "on", "pre", "post", "delay", "every", "summed",
        "with", "probability", "fixed_indegree", "fixed_outdegree", "one_to_one", "all_to_all", "where", "pairs", "spikes", "weights",
    ];

    /// <summary>True when <paramref name="text"/> is a whole input: brackets closed, and a block header (a line ending in '=') followed by its block.</summary>
    public static bool IsComplete(string text) => InputText.IsComplete(text);

    /// <summary>True when <paramref name="line"/> starts a new input (a declaration, a setting or a command at the start of the line) rather than continuing one.</summary>
    public static bool StartsInput(string line) => InputText.StartsInput(line);

    /// <summary>True when the incomplete input <paramref name="text"/> should end before <paramref name="next"/>: it starts a new input, outside any open block comment.</summary>
    public static bool EndsBefore(string text, string next) => InputText.EndsBefore(text, next);

    /// <summary>Runs one input (possibly several lines) and says what to print.</summary>
    public ReplOutcome Submit(string text)
    {
        text = text.Replace("\r", "").TrimEnd();
        if (text.Trim().Length == 0)
            return new ReplOutcome("");
        try
        {
            if (text.TrimStart().StartsWith(':'))
                return Command(text.Trim());
            if (BackgroundRun().Match(text.Trim()) is { Success: true } bg)
                return StartRun(bg.Groups[1].Value, background: true);
            if (Setting().Match(text.Trim()) is { Success: true } set)
                return Set(new PopulationSetting(set.Groups[1].Value, set.Groups[2].Value, set.Groups[3].Value)
                {
                    Source = new SourceText(_script.NextInputName(), text.Trim()),
                    Start = set.Groups[3].Index,
                });
            return Declarations(text, _script.NextInputName(), file: null, runStatements: true);
        }
        catch (SimulationException e)
        {
            return new ReplOutcome(DiagnosticRenderer.Render(e.Diagnostic), IsError: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new ReplOutcome($"error: {e.Message}\n", IsError: true);
        }
    }

    [GeneratedRegex(@"^run\s+(.+?)\s*&$")]
    private static partial Regex BackgroundRun();

    [GeneratedRegex(@"^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*<-\s*(.+)$", RegexOptions.Singleline)]
    private static partial Regex Setting();

    /// <summary>Declarations are added (or replace their namesakes) and compiled together; run statements run in order between them.</summary>
    private ReplOutcome Declarations(string text, string name, string? file, bool runStatements)
    {
        var (declarations, syntaxErrors) = SessionScript.Split(text, name, file);
        if (syntaxErrors.Any(d => d.IsError))
            return new ReplOutcome(DiagnosticRenderer.Render(WithoutFollowOns(syntaxErrors)), IsError: true);
        var output = new StringBuilder();
        var pending = new List<Chunk>();
        foreach (var (chunk, decl) in declarations)
        {
            if (decl is RunDecl run)
            {
                if (pending.Count > 0 && Apply(pending, output) is { } failed)
                    return failed;
                pending.Clear();
                if (runStatements)
                {
                    // From the duration to the end of the statement: an expression's own span leaves out a closing parenthesis.
                    var ran = StartRun(run.Span.Source.Text[run.Duration.Span.Start..run.Span.End], background: false);
                    output.Append(ran.Output);
                    if (ran.IsError)
                        return new ReplOutcome(output.ToString(), IsError: true);
                }
                continue;
            }
            pending.Add(chunk);
        }
        if (pending.Count > 0 && Apply(pending, output) is { } error)
            return error;
        return new ReplOutcome(output.ToString());
    }

    /// <summary>
    /// The syntax errors worth reading: after a bracket, string or comment that is never closed,
    /// the parser's complaints about what follows it ("expected ')', found end of line") only
    /// restate it.
    /// </summary>
    private static IReadOnlyList<Diagnostic> WithoutFollowOns(IReadOnlyList<Diagnostic> diagnostics)
    {
        var unclosed = diagnostics.Where(d => d.Code == DiagnosticCodes.Unterminated && d.Span is not null).Select(d => d.Span!.Value.Start).DefaultIfEmpty(int.MaxValue).Min();
        return [.. diagnostics.Where(d => d.Code == DiagnosticCodes.Unterminated || d.Span is not { } span || span.Start < unclosed)];
    }

    /// <summary>Compiles the script with the changes; on success commits them and carries the running network over.</summary>
    private ReplOutcome? Apply(IReadOnlyList<Chunk> changes, StringBuilder output, IReadOnlyList<PopulationSetting>? assignments = null)
    {
        var chunks = _script.With(changes);
        var result = Compile(chunks, assignments);
        var shown = result.Diagnostics.Where(d => d.Severity != Severity.Info).ToList();
        if (!result.Success)
            return new ReplOutcome(output + DiagnosticRenderer.Render(shown), IsError: true);
        output.Append(DiagnosticRenderer.Render(shown));
        var model = result.Model!;
        // dt and the seed make the whole network (its time base, its random draws): a new one starts it afresh.
        var afresh = _network is { } current && (model.Dt != current.Dt || SeedFor(model) != current.Options.Seed);
        var note = afresh && _network!.Step > 0
            ? $"the network starts afresh with the new {(model.Dt != _network.Dt ? "dt" : "seed")} (t = 0; it was at t = {UnitTable.Pretty(_network.Time, Dimension.Time)})\n"
            : null;
        var reinitialised = afresh ? [] : Reinitialisation.Of(changes, _script.Chunks, _model, model);
        PauseWhile(() =>
        {
            var carry = afresh ? null : _network?.Capture();
            if (carry is not null)
                foreach (var r in reinitialised)
                    r.Apply(carry);
            Rebuild(model, carry);
            _script.Commit(chunks);
            // A host value declared again ('host reward = 1') takes its new value now; the others keep theirs.
            foreach (var change in changes)
                for (var k = 0; k < _model!.Hosts.Length; k++)
                    if (change.Key == "name:" + _model.Hosts[k].Name)
                        _network!.HostValues[k] = _model.Hosts[k].Initial;
        });
        foreach (var change in changes)
            output.Append(Describe(change))
                .Append(reinitialised.FirstOrDefault(r => "name:" + r.Name == change.Key)?.Describe(_network!.Carried))
                .Append('\n');
        output.Append(note);
        return null;
    }

    private CompilationResult Compile(IReadOnlyList<Chunk> chunks, IReadOnlyList<PopulationSetting>? assignments = null) =>
        BioCompiler.Compile(SessionScript.Sources(chunks), new CompileOptions { PopulationSettings = [.. _parameters, .. assignments ?? []] });

    /// <summary>A new network for the new model, carrying over from <paramref name="carry"/> the state of everything whose shape did not change.</summary>
    private void Rebuild(ModelIR model, StateBag? carry)
    {
        var old = _network;
        _network = Network.Build(model, new NetworkOptions { Seed = SeedFor(model), Threads = _options.Threads, Backend = Backend }, carry);
        _model = model;
        old?.Dispose();
    }

    private static readonly IBackend Backend = new ExpressionTreeBackend();

    private string Describe(Chunk chunk)
    {
        var key = chunk.Key;
        if (key.StartsWith("setting:", StringComparison.Ordinal) && _model is { } model)
            return DescribeSetting(key["setting:".Length..], model);
        if (!key.StartsWith("name:", StringComparison.Ordinal))
            return key.StartsWith("text:monitor", StringComparison.Ordinal) ? "monitor added" : "ok";
        var name = key["name:".Length..];
        if (_model?.Populations.FirstOrDefault(p => p.Name == name) is { } population)
            return population is NeuronGroupIR g
                ? $"{name}: {g.Size} x {g.Model.Name} ({Language.Semantics.Integration.NameOf(g.Model.Method)})"
                : $"{name}: {population.Size} inputs";
        if (_model?.Constants.TryGetValue(name, out var value) == true)
            return $"{name} = {Format(value)}";
        return $"{name} defined";
    }

    private string DescribeSetting(string name, ModelIR model) => name switch
    {
        "dt" => $"dt = {UnitTable.Pretty(model.Dt, Dimension.Time)}",
        "precision" => $"precision = {model.Precision.ToString().ToLowerInvariant()}",
        "seed" when _seedOverride is { } kept && kept != model.Seed =>
            $"seed = {model.Seed} (not used: this session runs with seed {kept}, {_seedOrigin})",
        "seed" => $"seed = {model.Seed}",
        _ => "ok",
    };

    private static string Format(IrExpr value) => value switch
    {
        IrConst c => UnitTable.Pretty(c.Value, c.Dimension),
        IrBool b => b.Value ? "true" : "false",
        _ => value.ToString(),
    };

    /// <summary><c>P.tau_m &lt;- 12&lt;ms&gt;</c> sets a parameter (recompiling P's kernels); <c>P.v &lt;- -65&lt;mV&gt;</c> sets a state variable now.</summary>
    private ReplOutcome Set(PopulationSetting setting)
    {
        var (population, name, value) = (setting.Population, setting.Name, setting.Value);
        var group = _model?.Populations.FirstOrDefault(p => p.Name == population) as NeuronGroupIR;
        var isParameter = group?.Model.Parameters.Any(p => p.Name == name) == true || group?.Model.VarIndex(name) < 0;
        var output = new StringBuilder();
        if (isParameter)
        {
            var previous = _parameters.FindIndex(p => p.Population == population && p.Name == name);
            var before = previous >= 0 ? _parameters[previous] : null;
            if (previous >= 0) _parameters.RemoveAt(previous);
            _parameters.Add(setting);
            if (Apply([], output) is { } failed)
            {
                _parameters.Remove(setting);
                if (before is not null) _parameters.Add(before);
                return failed;
            }
            return new ReplOutcome($"{population}.{name} = {value.Trim()}\n");
        }
        return Apply([], output, [setting]) ?? new ReplOutcome($"{population}.{name} = {value.Trim()} (set now)\n");
    }
}
