using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Engine;

namespace BioLang.Tests;

/// <summary>Compiles inline .bnn text and runs it, for tests of the engine.</summary>
internal static class Simulate
{
    public static ModelIR Compile(string source, IReadOnlyDictionary<string, string>? constants = null, string path = "test.bnn")
    {
        var result = BioCompiler.CompileText(source, path, new CompileOptions { Constants = constants ?? new Dictionary<string, string>() });
        result.Success.ShouldBeTrue(DiagnosticRenderer.Render(result.Diagnostics.Where(d => d.IsError)));
        return result.Model!;
    }

    public static Network Build(ModelIR model, IBackend? backend = null, ulong seed = 1, int threads = 1) =>
        Network.Build(model, new NetworkOptions { Backend = backend ?? new ExpressionTreeBackend(), Seed = seed, Threads = threads });

    /// <summary>Builds and runs for the script's own duration (or <paramref name="seconds"/>).</summary>
    public static Network Run(ModelIR model, IBackend? backend = null, ulong seed = 1, int threads = 1, double? seconds = null)
    {
        var network = Build(model, backend, seed, threads);
        network.Run((long)Math.Round((seconds ?? model.Duration) / model.Dt));
        return network;
    }

    public static Network Run(string source, IBackend? backend = null, ulong seed = 1, int threads = 1, double? seconds = null) =>
        Run(Compile(source), backend, seed, threads, seconds);

    public static SpikeMonitorRuntime SpikeMonitor(this Network network, string population) =>
        network.Monitors.OfType<SpikeMonitorRuntime>().Single(m => m.Name == "spikes_" + population);

    /// <summary>The (step, neuron) of every recorded spike of a population.</summary>
    public static (long Step, int Neuron)[] Spikes(this Network network, string population)
    {
        var m = network.SpikeMonitor(population);
        return Enumerable.Range(0, m.Steps.Count).Select(k => (m.Steps.Buffer[k], m.Neurons.Buffer[k])).ToArray();
    }

    public static double[] Var(this Network network, string population, string variable)
    {
        var g = (NeuronGroupRuntime)network.Group(population);
        return g.Arrays.Vars[g.Model.VarIndex(variable)];
    }
}
