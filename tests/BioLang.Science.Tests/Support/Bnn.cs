using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Text;
using BioLang.Runtime.Engine;

namespace BioLang.Science.Tests.Support;

/// <summary>Compiles and runs .bnn scripts the way <c>biolang run</c> does, and reads their monitors.</summary>
internal static class Bnn
{
    public static string Root => BioLang.Tests.Repository.Root;

    public static string Examples => Path.Combine(Root, "examples");

    public static CompilationResult TryCompile(string source, IReadOnlyDictionary<string, string>? constants = null, string path = "<test>") =>
        BioCompiler.Compile(new SourceText(path, source), new CompileOptions { Constants = constants ?? new Dictionary<string, string>() });

    /// <summary>Compiles or fails the test with the rendered diagnostics.</summary>
    public static ModelIR Compile(string source, IReadOnlyDictionary<string, string>? constants = null, string path = "<test>")
    {
        var result = TryCompile(source, constants, path);
        if (!result.Success)
            throw new ShouldAssertException($"{path} does not compile:\n" + string.Concat(result.Diagnostics.Where(d => d.IsError).Select(DiagnosticRenderer.Render)));
        return result.Model!;
    }

    public static ModelIR CompileFile(string path, IReadOnlyDictionary<string, string>? constants = null) =>
        Compile(File.ReadAllText(path), constants, path);

    /// <summary>Builds the network and runs it for <paramref name="seconds"/> (default: the script's own run statements).</summary>
    public static Network Run(ModelIR model, double? seconds = null, ulong seed = 1, int threads = 1)
    {
        var network = Network.Build(model, new NetworkOptions { Seed = seed, Threads = threads });
        network.Run((long)Math.Round((seconds ?? model.Duration) / model.Dt));
        return network;
    }

    public static Network Run(string source, double? seconds = null, ulong seed = 1) => Run(Compile(source), seconds, seed);

    /// <summary>Spike times in seconds of neuron <paramref name="neuron"/> (within what is monitored) of the monitor 'spikes X'.</summary>
    public static double[] SpikeTimes(this Network network, string target, int neuron = 0)
    {
        var monitor = network.Monitors.OfType<SpikeMonitorRuntime>().Single(m => m.Name == "spikes_" + target);
        var times = new List<double>();
        for (var k = 0; k < monitor.Steps.Count; k++)
            if (monitor.Neurons.Buffer[k] == neuron)
                times.Add(monitor.Steps.Buffer[k] * network.Dt);
        return [.. times];
    }

    /// <summary>Every spike of the monitor 'spikes X' as (time in seconds, neuron).</summary>
    public static (double Time, int Neuron)[] Spikes(this Network network, string target)
    {
        var monitor = network.Monitors.OfType<SpikeMonitorRuntime>().Single(m => m.Name == "spikes_" + target);
        return Enumerable.Range(0, monitor.Steps.Count).Select(k => (monitor.Steps.Buffer[k] * network.Dt, monitor.Neurons.Buffer[k])).ToArray();
    }

    /// <summary>The samples of recorded neuron <paramref name="column"/> of the monitor 'X.var', in SI units.</summary>
    public static double[] Trace(this Network network, string name, int column = 0)
    {
        var monitor = network.Monitors.OfType<StateMonitorRuntime>().Single(m => m.Name == name);
        var n = monitor.Indices.Count;
        return Enumerable.Range(0, monitor.Steps.Count).Select(k => monitor.Values.Buffer[k * n + column]).ToArray();
    }

    public static double[] Intervals(this double[] times) => times.Zip(times.Skip(1), (a, b) => b - a).ToArray();

    /// <summary>The coefficient of variation of the interspike intervals of each neuron with at least <paramref name="minSpikes"/> spikes after <paramref name="from"/>.</summary>
    public static double[] IntervalCvs(this Network network, string target, double from, int minSpikes = 4)
    {
        var cvs = new List<double>();
        foreach (var group in network.Spikes(target).Where(s => s.Time >= from).GroupBy(s => s.Neuron))
        {
            var times = group.Select(s => s.Time).Order().ToArray();
            if (times.Length < minSpikes)
                continue;
            var isi = times.Intervals();
            var mean = isi.Average();
            cvs.Add(Math.Sqrt(isi.Select(x => (x - mean) * (x - mean)).Average()) / mean);
        }
        return [.. cvs];
    }
}
