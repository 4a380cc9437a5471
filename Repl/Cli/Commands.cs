using System.CommandLine;

namespace BioLang.Repl.Cli;

/// <summary>The <c>biolang</c> command line: run, check (and, as they land, repl and bench).</summary>
internal static class Commands
{
    public static RootCommand Build()
    {
        var root = new RootCommand("BioLang: simulate spiking neural networks that learn by local plasticity.");
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(CheckCommand());
        root.Subcommands.Add(ReplCommand());
        return root;
    }

    private static Command RunCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "The .bnn script to run." };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Write summary.json, monitors (CSV and .npy) and plots (PNG) into this folder." };
        var seed = new Option<ulong?>("--seed", "-s") { Description = "Random seed (overrides the script's 'seed = ...'; default 1)." };
        var threads = new Option<int?>("--threads", "-t") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var duration = new Option<string?>("--duration", "-d") { Description = "Biological time to simulate, e.g. 500ms or 2s (replaces the script's run statements)." };
        var backend = new Option<string>("--backend") { Description = "Kernel backend: compiled (expression trees) or interpreter (the slow reference).", DefaultValueFactory = _ => "compiled" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Do not write PNG plots." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only errors." };
        var profile = new Option<bool>("--profile") { Description = "Print where the simulation loop spends its time (neurons, propagation, ...)." };
        var set = new Option<string[]>("--set") { Description = "Replace a top-level constant: --set g=5 --set nu_ext=20<Hz>. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("run", "Compile and run a script.") { file, output, seed, threads, duration, backend, noPlots, quiet, set, profile };
        command.SetAction(result => new RunAction
        {
            File = result.GetValue(file)!,
            Output = result.GetValue(output),
            Seed = result.GetValue(seed),
            Threads = result.GetValue(threads),
            Duration = result.GetValue(duration),
            Backend = result.GetValue(backend) ?? "compiled",
            Plots = !result.GetValue(noPlots),
            Quiet = result.GetValue(quiet),
            Constants = result.GetValue(set) ?? [],
            Profile = result.GetValue(profile),
        }.Execute());
        return command;
    }

    private static Command ReplCommand()
    {
        var file = new Argument<FileInfo?>("file") { Description = "A script to load first (optional).", Arity = ArgumentArity.ZeroOrOne };
        var seed = new Option<ulong?>("--seed", "-s") { Description = "Random seed (overrides the script's 'seed = ...'; default 1)." };
        var threads = new Option<int>("--threads", "-t") { Description = "Worker threads.", DefaultValueFactory = _ => 1 };
        var command = new Command("repl", "Interactive session: type declarations and statements, run, change the network while it runs.") { file, seed, threads };
        command.SetAction(result => ReplAction.Execute(result.GetValue(file), result.GetValue(seed), result.GetValue(threads)));
        return command;
    }

    private static Command CheckCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "The .bnn script to check." };
        var ir = new Option<bool>("--ir") { Description = "Print the compiled intermediate representation." };
        var ast = new Option<bool>("--ast") { Description = "Print the syntax tree." };
        var command = new Command("check", "Parse and check a script without running it; exit code 1 on errors.") { file, ir, ast };
        command.SetAction(result => CheckAction.Execute(result.GetValue(file)!, result.GetValue(ir), result.GetValue(ast)));
        return command;
    }
}
