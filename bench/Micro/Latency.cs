using System.Diagnostics;
using BioLang.Repl.Session;

namespace BioLang.Bench;

/// <summary>
/// How long a live edit takes to be running again, on the COBA network (4000 neurons, 320,000
/// synapses): a parameter change, a model redefinition, a new monitor; and the first <c>:cs</c>
/// (Roslyn) evaluation and the cold start of <c>biolang repl</c>. Each edit is timed from
/// submission to the end of the next simulated step. Brian2 pays a full code generation and C++
/// build (7-13 s here, ../shared/peers/brian2/summary.md) for any change to a standalone model.
/// </summary>
internal static class Latency
{
    public static int Run(string[] args)
    {
        var root = FindRoot();
        var coba = Path.Combine(root, "examples", "coba.bnn");
        var reps = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var rows = new List<(string What, double Ms)>();
        using (var session = new ReplSession())
        {
            // As at the terminal: Roslyn starts warming in the background when the session opens.
            session.WarmUpCSharp();
            Expect(session.Submit($":load {coba}"));
            Expect(session.Submit("run 50<ms>"));
            for (var rep = 0; rep < reps; rep++)
            {
                rows.Add(("parameter change (P.tau_m <- ...) + 1 step", Time(() => { Expect(session.Submit($"P.tau_m <- {19 + rep % 2}<ms>")); Expect(session.Submit("run 0.1<ms>")); })));
                rows.Add(("model redefinition (synapse weight) + 1 step", Time(() =>
                {
                    Expect(session.Submit($"synapse Excitatory =\n    parameters w = {0.6 + 0.01 * (rep % 2)}\n    on pre\n        post.ge += w"));
                    Expect(session.Submit("run 0.1<ms>"));
                })));
                rows.Add(("new monitor + 1 step", Time(() => { Expect(session.Submit($"monitor P.ge [{rep}]")); Expect(session.Submit("run 0.1<ms>")); })));
            }
            rows.Add(("first :cs evaluation (Roslyn warmed in the background)", Time(() => Expect(session.Submit(":cs sim.Population(\"P\").Read(\"v\").Length")))));
            rows.Add(("next :cs evaluation", Time(() => Expect(session.Submit(":cs sim.Population(\"P\").Read(\"v\").Average()")))));
        }
        rows.Add(("biolang repl: process start to first prompt and exit (:quit)", ColdStart(root)));
        Console.WriteLine($"| edit | median ms (of {reps}) |");
        Console.WriteLine("|---|---|");
        foreach (var group in rows.GroupBy(r => r.What))
            Console.WriteLine($"| {group.Key} | {Median(group.Select(g => g.Ms)):0.0} |");
        return 0;
    }

    private static double ColdStart(string root)
    {
        var exe = Path.Combine(root, "Repl", "bin", "Release", "net10.0", "biolang");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(exe, "repl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardInput.WriteLine(":quit");
        process.StandardInput.Close();
        process.WaitForExit();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Expect(ReplOutcome outcome)
    {
        if (outcome.IsError)
            throw new InvalidOperationException(outcome.Output);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BioLang.sln")))
                return dir.FullName;
        throw new InvalidOperationException("BioLang.sln not found");
    }
}
