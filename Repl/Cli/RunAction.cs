using System.Diagnostics;
using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.Text;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Engine;
using BioLang.Runtime.Output;
using Spectre.Console;

namespace BioLang.Repl.Cli;

/// <summary><c>biolang run</c>: compile, build, run with progress, write the results, print a summary.</summary>
internal sealed class RunAction
{
    public required FileInfo File { get; init; }
    public DirectoryInfo? Output { get; init; }
    public ulong? Seed { get; init; }
    public int? Threads { get; init; }
    public string? Duration { get; init; }
    public string Backend { get; init; } = "compiled";
    public bool Plots { get; init; } = true;
    public bool Quiet { get; init; }
    public string[] Constants { get; init; } = [];
    public bool Profile { get; init; }

    private static bool Interactive => !Console.IsOutputRedirected && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public int Execute()
    {
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        try
        {
            return Run(started);
        }
        catch (SimulationException e)
        {
            Console.Error.Write(DiagnosticRenderer.Render(e.Diagnostic));
            return 2;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error {DiagnosticCodes.Io}: {e.Message}");
            return 2;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"error {DiagnosticCodes.Io}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("BIOLANG_DEBUG") is null)
        {
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine("This is a bug in BioLang; set BIOLANG_DEBUG=1 to see the stack trace, and please report it with the script.");
            return 3;
        }
    }

    private int Run(DateTime started)
    {
        if (!File.Exists)
        {
            Console.Error.WriteLine($"{File}: error {DiagnosticCodes.Io}: file not found");
            return 1;
        }
        IBackend backend = Backend switch
        {
            "compiled" or "expression-trees" => new ExpressionTreeBackend(),
            "interpreter" => new Interpreter(),
            _ => null!,
        };
        if (backend is null)
        {
            Console.Error.WriteLine($"error: unknown backend '{Backend}'; expected compiled or interpreter");
            return 1;
        }
        double? duration = null;
        if (Duration is not null)
        {
            if (!Durations.TryParse(Duration, out var seconds, out var error))
            {
                Console.Error.WriteLine($"error: --duration: {error}");
                return 1;
            }
            duration = seconds;
        }
        if (Threads is < 1)
        {
            Console.Error.WriteLine("error: --threads must be at least 1");
            return 1;
        }

        var constants = new Dictionary<string, string>();
        foreach (var assignment in Constants)
        {
            var eq = assignment.IndexOf('=');
            if (eq <= 0)
            {
                Console.Error.WriteLine($"error: --set {assignment}: expected NAME=VALUE, e.g. --set g=5");
                return 1;
            }
            constants[assignment[..eq].Trim()] = assignment[(eq + 1)..];
        }
        var watch = Stopwatch.StartNew();
        var result = BioCompiler.Compile(new SourceText(File.ToString(), System.IO.File.ReadAllText(File.FullName)), new CompileOptions { Constants = constants });
        var parseSeconds = watch.Elapsed.TotalSeconds;
        Console.Error.Write(DiagnosticRenderer.Render(result.Diagnostics.Where(d => Quiet ? d.IsError : d.Severity != Severity.Info)));
        if (!result.Success)
            return 1;
        var model = result.Model!;
        var bioSeconds = duration ?? model.Duration;
        if (bioSeconds <= 0)
        {
            Console.Error.WriteLine($"{File}: error: nothing to run; add 'run 1<s>' to the script or pass --duration");
            return 1;
        }
        var options = new NetworkOptions
        {
            Seed = Seed ?? model.Seed ?? 1,
            Threads = Threads ?? Environment.ProcessorCount,
            Backend = backend,
        };
        using var network = Network.Build(model, options);
        var steps = (long)Math.Round(bioSeconds / model.Dt);
        if (Profile)
            network.EnableProfile();

        var loop = Stopwatch.StartNew();
        if (Interactive && !Quiet)
        {
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"{File.Name}: {bioSeconds:0.###} s", maxValue: steps);
                    network.Run(steps, progress: done => task.Value = done);
                });
        }
        else
        {
            network.Run(steps);
        }
        loop.Stop();

        var files = new List<string>();
        var writeWatch = Stopwatch.StartNew();
        if (Output is not null)
        {
            Directory.CreateDirectory(Output.FullName);
            files.AddRange(RunReport.WriteMonitors(network, Output.FullName, Plots));
            files.AddRange(RunReport.WriteWeights(network, Output.FullName, Plots));
        }
        writeWatch.Stop();
        var timing = new RunTiming(parseSeconds, network.CompileTime.TotalSeconds, network.BuildTime.TotalSeconds, loop.Elapsed.TotalSeconds,
            writeWatch.Elapsed.TotalSeconds, (DateTime.UtcNow - started).TotalSeconds);
        if (Output is not null)
            AtomicFile.WriteAllText(Path.Combine(Output.FullName, "summary.json"), RunReport.Summary(network, timing, [.. files, "summary.json"], File.ToString()));
        if (!Quiet)
            Report(network, timing);
        if (network.Profile is { } profile)
        {
            var total = profile.Sum();
            for (var k = 0; k < profile.Length; k++)
                if (profile[k] > 0)
                    Console.WriteLine($"  {Network.Phases[k],-18} {profile[k] / (double)Stopwatch.Frequency,8:0.0000} s  {100.0 * profile[k] / total,5:0.0}%");
        }
        return 0;
    }

    private void Report(Network network, RunTiming timing)
    {
        var bio = network.Time;
        foreach (var g in network.Groups)
            Console.WriteLine($"{g.Name}: {g.Size} neurons, {g.TotalSpikes} spikes, {g.TotalSpikes / (g.Size * bio):0.###} Hz");
        foreach (var p in network.Projections)
            Console.WriteLine($"{p.Name}: {p.SynapseCount} synapses, {p.Events} events");
        Console.WriteLine($"simulated {bio:0.####} s in {timing.RunSeconds:0.###} s (parse {timing.ParseSeconds:0.###} s, compile {timing.CompileSeconds:0.###} s, build {timing.BuildSeconds:0.###} s, write {timing.WriteSeconds:0.###} s, total {timing.TotalSeconds:0.###} s)");
        if (Output is not null)
            Console.WriteLine($"results in {Output}");
    }
}
