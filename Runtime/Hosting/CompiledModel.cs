using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Engine;
using BioLang.Language.Text;

namespace BioLang.Hosting;

/// <summary>A compiled script: the network's description, from which any number of simulations can be created.</summary>
public sealed class CompiledModel
{
    internal CompiledModel(ModelIR ir, string source, BioScriptOptions options, IReadOnlyList<Diagnostic> diagnostics)
    {
        Ir = ir;
        Source = source;
        Options = options;
        Diagnostics = diagnostics;
    }

    internal ModelIR Ir { get; }

    internal string Source { get; }

    internal BioScriptOptions Options { get; }

    /// <summary>Warnings and notes (such as the integration method chosen for each population).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The time step, in seconds.</summary>
    public double Dt => Ir.Dt;

    /// <summary>The total of the script's <c>run</c> statements.</summary>
    public TimeSpan ScriptDuration => TimeSpan.FromSeconds(Ir.Duration);

    public IReadOnlyList<string> Populations => Ir.Populations.Select(p => p.Name).ToList();

    public IReadOnlyList<string> Projections => Ir.Projections.Select(p => p.Name).ToList();

    /// <summary>The script's host values (<c>host reward = 0</c>), which a simulation lets the program set.</summary>
    public IReadOnlyList<string> HostValues => Ir.Hosts.Select(h => h.Name).ToList();

    /// <summary>Builds a network ready to run. The same seed gives the same spikes for any number of threads.</summary>
    public Simulation CreateSimulation(ulong? seed = null, int threads = 1) =>
        new(this, Network.Build(Ir, new NetworkOptions { Seed = seed ?? Ir.Seed ?? 1, Threads = Math.Max(1, threads), Backend = new ExpressionTreeBackend() }));

    /// <summary>Builds a network from a checkpoint written by <see cref="Simulation.SaveCheckpoint(string)"/>: the state of everything this model shares with the saved one continues from it.</summary>
    public Simulation RestoreSimulation(string checkpointPath, int threads = 1)
    {
        using var stream = File.OpenRead(checkpointPath);
        return RestoreSimulation(stream, threads);
    }

    /// <summary>
    /// As <see cref="RestoreSimulation(string, int)"/>. Parameters the saved simulation had set
    /// (<see cref="Simulation.SetParameter"/>) are set again where this model has them. What the
    /// checkpoint could not carry over is listed in <see cref="Simulation.NotCarried"/>; a checkpoint
    /// that shares no population or projection (same name and shape) with this model, or was saved
    /// with another dt, is refused with an <see cref="InvalidDataException"/> saying what does not match.
    /// </summary>
    public Simulation RestoreSimulation(Stream checkpoint, int threads = 1)
    {
        var (header, bag) = Checkpoint.Read(checkpoint);
        var settings = Checkpoint.Settings(header)
            .Where(s => Ir.Populations.OfType<NeuronGroupIR>().Any(g => g.Name == s.Population && g.Model.Parameters.Any(p => p.Name == s.Name)))
            .ToList();
        var ir = settings.Count == 0 ? Ir : WithSettings(settings);
        var network = Network.Build(ir, new NetworkOptions { Seed = header.Seed, Threads = Math.Max(1, threads), Backend = new ExpressionTreeBackend() }, bag);
        if (network.Carried!.Mismatch is { } mismatch)
        {
            network.Dispose();
            throw new InvalidDataException($"the checkpoint does not fit this model: {mismatch}");
        }
        return new Simulation(this, network, settings) { NotCarried = network.Carried.NotCarried };
    }

    /// <summary>This model compiled again with parameter values replaced; throws <see cref="ArgumentException"/> with the diagnostics if they do not fit.</summary>
    internal ModelIR WithSettings(IReadOnlyList<PopulationSetting> settings)
    {
        var options = new CompileOptions { Constants = Options.Constants, PopulationSettings = settings };
        if (Options.ReadFile is not null)
            options = options with { ReadFile = Options.ReadFile };
        var result = BioCompiler.Compile(new SourceText(Options.Path, Source), options);
        return result.Success
            ? result.Model!
            : throw new ArgumentException(DiagnosticRenderer.Render(result.Diagnostics.Where(d => d.IsError)).TrimEnd());
    }
}
