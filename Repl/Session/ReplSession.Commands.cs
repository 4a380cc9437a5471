using System.Globalization;
using System.Text;
using BioLang.Hosting;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Units;
using BioLang.Runtime.Engine;
using BioLang.Runtime.Output;

namespace BioLang.Repl.Session;

/// <summary>A REPL command: its name, its arguments as the help shows them, what it does.</summary>
internal sealed record ReplCommand(string Name, string Arguments, string Help);

public sealed partial class ReplSession
{
    internal static readonly ReplCommand[] CommandTable =
    [
        new(":help", "", "this list"),
        new(":load", "FILE", "run a script file: its declarations, then its run statements"),
        new(":reload", "", "read the loaded file again; what changed is rebuilt, everything else keeps its state"),
        new(":save", "FILE", "write a checkpoint of the whole state"),
        new(":restore", "FILE", "go back to a checkpoint (its script replaces the session's)"),
        new(":plot", "raster P | rate P | trace P.v | weights NAME [FILE]", "draw a monitor to a PNG and print its path"),
        new(":inspect", "[NAME]", "populations, connections, parameters and state at a glance"),
        new(":time", "", "simulated time, steps, and the wall time of the last run"),
        new(":stop", "", "stop a background run at the next step"),
        new(":script", "", "the session as a script that, run afresh, builds the same model"),
        new(":cs", "EXPR", "evaluate C# with the running simulation as 'sim' (Roslyn scripting)"),
        new(":quit", "", "leave"),
    ];

    private ReplOutcome Command(string line)
    {
        var space = line.IndexOf(' ');
        var name = space < 0 ? line : line[..space];
        var argument = space < 0 ? "" : line[(space + 1)..].Trim();
        return name switch
        {
            ":help" or ":h" or ":?" => new ReplOutcome(Help()),
            ":quit" or ":q" or ":exit" => Quit(),
            ":load" => Load(argument),
            ":reload" => Reload(),
            ":save" => Save(argument),
            ":restore" => Restore(argument),
            ":plot" => Plot(argument),
            ":inspect" => Inspect(argument),
            ":time" => new ReplOutcome(Time()),
            ":stop" => Stop(),
            ":script" => new ReplOutcome(Program() + "\n"),
            ":cs" => CSharp(argument),
            _ => new ReplOutcome($"unknown command '{name}'{Language.Diagnostics.Suggestions.DidYouMean(name, CommandTable.Select(c => c.Name))}; ':help' lists them\n", IsError: true),
        };
    }

    internal static string Help()
    {
        var sb = new StringBuilder();
        sb.Append("Type any BioLang declaration or statement: it is added to the session's script (a declaration of an\n");
        sb.Append("existing name replaces it, and the running network keeps the state of what did not change).\n");
        sb.Append("  run 100<ms>            run now;  run 10<s> &  runs in the background\n");
        sb.Append("  P.tau_m <- 12<ms>      set a parameter;  P.v <- -65<mV>  set a state variable\n");
        sb.Append("Commands:\n");
        var width = CommandTable.Max(c => (c.Name + " " + c.Arguments).Length);
        foreach (var c in CommandTable)
            sb.Append("  ").Append((c.Name + " " + c.Arguments).PadRight(width)).Append("  ").Append(c.Help).Append('\n');
        return sb.ToString();
    }


    private ReplOutcome Quit()
    {
        Interrupt();
        return new ReplOutcome("", Quit: true);
    }

    private ReplOutcome Stop()
    {
        if (!IsRunning)
            return new ReplOutcome("nothing is running\n");
        Interrupt();
        _background!.Wait();
        return new ReplOutcome($"stopped at t = {UnitTable.Pretty(_network!.Time, Dimension.Time)}\n" + Summary());
    }

    private ReplOutcome Load(string path)
    {
        if (path.Length == 0)
            return new ReplOutcome("usage: :load FILE\n", IsError: true);
        if (!File.Exists(path))
            return new ReplOutcome($"file not found: '{path}'\n", IsError: true);
        _loadedFile = path;
        return Declarations(File.ReadAllText(path), path, path, runStatements: true);
    }

    /// <summary>Re-reads the loaded file: its declarations replace their older selves, what changed is rebuilt; runs are not repeated.</summary>
    private ReplOutcome Reload()
    {
        if (_loadedFile is null)
            return new ReplOutcome("nothing was loaded; ':load FILE' first\n", IsError: true);
        if (!File.Exists(_loadedFile))
            return new ReplOutcome($"file not found: '{_loadedFile}'\n", IsError: true);
        return Declarations(File.ReadAllText(_loadedFile), _loadedFile, _loadedFile, runStatements: false);
    }

    private ReplOutcome Save(string path)
    {
        if (path.Length == 0)
            return new ReplOutcome("usage: :save FILE\n", IsError: true);
        if (_network is null)
            return new ReplOutcome("nothing to save yet\n", IsError: true);
        // Parameter settings typed at the prompt (P.tau <- 20<ms>) are part of the model: they travel with the script.
        var settings = Checkpoint.WithSettings(new Dictionary<string, string>(), _parameters);
        try
        {
            PauseWhile(() => AtomicFile.Write(path, stream =>
                Checkpoint.Write(stream, new Checkpoint.Header(_script.Text, "<repl>", settings, _network.Options.Seed), _network.Capture())));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET's message alone does not say what failed ("The file '/data' already exists." for /data/x.ck).
            return new ReplOutcome($"error: cannot save a checkpoint to '{path}': {e.Message}\n", IsError: true);
        }
        return new ReplOutcome($"saved t = {UnitTable.Pretty(_network.Time, Dimension.Time)} to {path}\n");
    }

    /// <summary>Restores a checkpoint: its script becomes the session's, and the network continues exactly where it was saved.</summary>
    private ReplOutcome Restore(string path)
    {
        if (path.Length == 0)
            return new ReplOutcome("usage: :restore FILE\n", IsError: true);
        if (!File.Exists(path))
            return new ReplOutcome($"file not found: '{path}'\n", IsError: true);
        Checkpoint.Header header;
        StateBag bag;
        using (var stream = File.OpenRead(path))
            (header, bag) = Checkpoint.Read(stream);
        var (declarations, errors) = SessionScript.Split(header.Script, "<checkpoint>", null);
        var chunks = declarations.Where(d => d.Decl is not Language.Syntax.Ast.RunDecl).Select(d => d.Chunk).ToList();
        // A checkpoint written by a program (Simulation.SaveCheckpoint) may carry --set constants besides the parameter settings.
        var settings = Checkpoint.Settings(header);
        var result = BioLang.Language.Compilation.BioCompiler.Compile(SessionScript.Sources(chunks),
            new BioLang.Language.Compilation.CompileOptions { PopulationSettings = settings, Constants = Checkpoint.ScriptConstants(header) });
        if (errors.Any(e => e.IsError) || !result.Success)
            return new ReplOutcome("the checkpoint's script does not compile:\n" + Language.Diagnostics.DiagnosticRenderer.Render(result.Diagnostics.Where(d => d.IsError)), IsError: true);
        // Built aside, from the file, while anything running goes on: a refusal changes nothing.
        var network = Network.Build(result.Model!, new NetworkOptions { Seed = header.Seed, Threads = _options.Threads, Backend = Backend }, bag);
        if (network.Carried!.Mismatch is { } mismatch)
        {
            network.Dispose();
            // The script in the checkpoint built what was saved; an opened file it reads may have changed since.
            return new ReplOutcome($"error: cannot restore '{path}': the checkpoint does not fit the model its script builds now: {mismatch}\n", IsError: true);
        }
        PauseWhile(() =>
        {
            _script.Commit(chunks);
            _parameters.Clear();
            _parameters.AddRange(settings);
            // The seed the saved run used goes on being used; the script's own, when it says the same.
            _seedOverride = header.Seed == (result.Model!.Seed ?? 1) ? null : header.Seed;
            _seedOrigin = "the seed of the restored checkpoint";
            var old = _network;
            _network = network;
            _model = result.Model;
            old?.Dispose();
        });
        var left = network.Carried.NotCarried;
        return new ReplOutcome($"restored t = {UnitTable.Pretty(network.Time, Dimension.Time)} from {path}{(left.Count == 0 ? "" : "; not carried: " + string.Join(", ", left))}\n");
    }

    private string Time()
    {
        if (_network is null)
            return "no network yet\n";
        var progress = IsRunning ? $"; running until t = {UnitTable.Pretty(_backgroundTarget * _network.Dt, Dimension.Time)}" : "";
        return $"t = {UnitTable.Pretty(_network.Time, Dimension.Time)} ({_network.Step} steps of {UnitTable.Pretty(_network.Dt, Dimension.Time)}){progress}; the last run took {_lastRunWall.TotalSeconds:0.###} s\n";
    }

    private ReplOutcome Plot(string argument)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || _network is null)
            return new ReplOutcome("usage: :plot raster P | rate P | trace P.v | weights NAME [FILE]  (after the monitor has recorded)\n", IsError: true);
        var (kind, target) = (parts[0], parts[1]);
        var file = parts.Length > 2 ? parts[2] : Path.Combine(_options.PlotDirectory, $"{kind}_{RunReport.FileName(target)}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var dtMs = _network.Dt * 1e3;
        switch (kind)
        {
            case "raster" when _network.Monitors.OfType<SpikeMonitorRuntime>().FirstOrDefault(m => m.Name == "spikes_" + target) is { } s:
                Plots.Raster(file, s.Steps.Span.ToArray().Select(x => x * dtMs).ToArray(), s.Neurons.Span, $"{s.Name}: {s.Steps.Count:N0} spikes");
                break;
            case "rate" when _network.Monitors.OfType<RateMonitorRuntime>().FirstOrDefault(m => m.Name == "rate_" + target) is { } r:
                var (steps, rates) = r.Bins();
                Plots.Rate(file, steps.Select(x => x * dtMs).ToArray(), rates, $"{r.Name} (Hz)");
                break;
            case "trace" when _network.Monitors.OfType<StateMonitorRuntime>().FirstOrDefault(m => m.Name == target) is { } m:
            {
                var width = m.Indices.Count;
                var samples = m.Steps.Count;
                var series = Enumerable.Range(0, Math.Min(width, 10))
                    .Select(n => ($"{m.Variable}[{m.Indices[n]}]", Enumerable.Range(0, samples).Select(k => m.Values.Buffer[k * width + n]).ToArray())).ToList();
                Plots.Traces(file, m.Steps.Span.ToArray().Select(x => x * dtMs).ToArray(), series, m.Variable, m.Name);
                break;
            }
            case "weights" when _network.Projections.FirstOrDefault(p => p.Name == target) is { } p && p.IR.Synapse.VarIndex("w") >= 0:
                Plots.Histogram(file, RunReport.FinalWeights(p).W, 50, "w", $"{p.Name}: weights at t = {UnitTable.Pretty(_network.Time, Dimension.Time)}");
                break;
            default:
                return new ReplOutcome($"nothing to plot for '{kind} {target}': monitor it first (monitor spikes P, monitor rate P, monitor P.v) and run\n", IsError: true);
        }
        return new ReplOutcome($"{Path.GetFullPath(file)}\n");
    }

    private ReplOutcome CSharp(string code)
    {
        if (code.Length == 0)
            return new ReplOutcome("usage: :cs EXPR   (the simulation is 'sim': sim.Population(\"P\").Read(\"v\").Average())\n", IsError: true);
        if (_network is null || _model is null)
            return new ReplOutcome("no network yet: declare a population first\n", IsError: true);
        var sim = new Simulation(new CompiledModel(_model, _script.Text, new BioScriptOptions { Path = "<repl>" }, []), _network);
        var (value, error) = _csharp.Evaluate(code, sim);
        return error is null ? new ReplOutcome(value + "\n") : new ReplOutcome(error + "\n", IsError: true);
    }
}
