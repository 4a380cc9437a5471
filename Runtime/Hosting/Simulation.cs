using System.Globalization;
using BioLang.Language.Compilation;
using BioLang.Language.IR;
using BioLang.Runtime.Engine;
using BioLang.Runtime.Output;

namespace BioLang.Hosting;

/// <summary>Receives the neurons of one population that spiked in one step (indices within the population).</summary>
public delegate void SpikeHandler(string population, double time, ReadOnlySpan<int> neurons);

/// <summary>A running network: advance it, read and write its state, feed it host values, save and restore it.</summary>
public sealed partial class Simulation : IDisposable
{
    private readonly List<(int Group, SpikeHandler Handler)> _spikeHandlers = [];
    private List<PopulationSetting> _parameters;

    internal Simulation(CompiledModel model, Network network, IReadOnlyList<PopulationSetting>? parameters = null)
    {
        Model = model;
        Network = network;
        _parameters = [.. parameters ?? []];
    }

    public CompiledModel Model { get; }

    /// <summary>
    /// For a simulation restored from a checkpoint into a model that differs from the saved one: what
    /// started from its initial values instead of the checkpoint's state, and what the checkpoint held
    /// that this model has no place for ("population Q (size 50 → 60)", "population P: n (not in the
    /// checkpoint)"). Empty when everything carried over, and for a simulation that was not restored.
    /// </summary>
    public IReadOnlyList<string> NotCarried { get; internal init; } = [];

    internal Network Network { get; private set; }

    /// <summary>Simulated time so far.</summary>
    public TimeSpan Time => TimeSpan.FromSeconds(Network.Time);

    /// <summary>Steps simulated so far.</summary>
    public long Steps => Network.Step;

    public double Dt => Network.Dt;

    /// <summary>
    /// Runs for <paramref name="duration"/> (rounded to whole steps); stops early at a step boundary when cancelled and
    /// returns the steps run. The token is checked every step when spike handlers are attached, every 256 steps otherwise.
    /// </summary>
    public long Run(TimeSpan duration, CancellationToken cancel = default) =>
        Run((long)Math.Round(duration.TotalSeconds / Network.Dt), cancel);

    /// <summary>Runs the script's own duration (its <c>run</c> statements).</summary>
    public long Run(CancellationToken cancel = default) => Run(Model.ScriptDuration, cancel);

    public long Run(long steps, CancellationToken cancel = default)
    {
        if (_spikeHandlers.Count == 0)
            return Network.Run(steps, cancel);
        for (var done = 0L; done < steps; done++)
        {
            if (cancel.IsCancellationRequested)
                return done;
            Step();
        }
        return steps;
    }

    /// <summary>Advances one step and calls the spike handlers.</summary>
    public void Step()
    {
        Network.StepOnce();
        var time = (Network.Step - 1) * Network.Dt;
        foreach (var (group, handler) in _spikeHandlers)
        {
            var spikes = Network.Groups[group].Spikes;
            if (!spikes.IsEmpty)
                handler(Network.Groups[group].Name, time, spikes);
        }
    }

    /// <summary>Calls <paramref name="handler"/> after every step in which <paramref name="population"/> spiked.</summary>
    public void OnSpikes(string population, SpikeHandler handler) => _spikeHandlers.Add((GroupIndex(population), handler));

    public PopulationView Population(string name) => new(Network.Groups[GroupIndex(name)]);

    public ProjectionView Projection(string name)
    {
        var projection = Network.Projections.FirstOrDefault(p => p.Name == name)
                         ?? throw new KeyNotFoundException($"no projection '{name}'; there are: {string.Join(", ", Network.Projections.Select(p => p.Name))}");
        return new ProjectionView(projection);
    }

    private int GroupIndex(string name)
    {
        for (var k = 0; k < Network.Groups.Count; k++)
            if (Network.Groups[k].Name == name)
                return k;
        throw new KeyNotFoundException($"no population '{name}'; there are: {string.Join(", ", Network.Groups.Select(g => g.Name))}");
    }

    private int HostIndex(string name)
    {
        var index = Network.Model.Hosts.Select((h, k) => (h, k)).FirstOrDefault(x => x.h.Name == name, (null!, -1)).Item2;
        return index >= 0 ? index : throw new KeyNotFoundException($"no host value '{name}'; declare it in the script: host {name} = 0");
    }

    /// <summary>Sets a host value (<c>host name = ...</c> in the script), in SI units; the network reads it from the next step on.</summary>
    public void SetHost(string name, double value) => Network.HostValues[HostIndex(name)] = value;

    public double GetHost(string name) => Network.HostValues[HostIndex(name)];

    /// <summary>
    /// Makes a host value come from <paramref name="provider"/>, asked once at the start of every step (a sensor, a reward
    /// from the environment). <c>null</c> removes the provider: the value then stays at its last value until set.
    /// </summary>
    public void DefineHost(string name, Func<double>? provider) => Network.DefineHost(HostIndex(name), provider);

    /// <summary>A neuron model parameter of a population (shared by its neurons), in SI units.</summary>
    public double GetParameter(string population, string name) => Parameter(population, name).Value;

    /// <summary>
    /// Sets a neuron model parameter of a population, in SI units (<c>SetParameter("exc", "tau_m", 0.012)</c>),
    /// from the next step on. The population's kernels are compiled again (parameters are folded into
    /// them); every state, weight, spike in flight and monitor carries on. Saved in checkpoints.
    /// </summary>
    public void SetParameter(string population, string name, double value)
    {
        var parameter = Parameter(population, name);
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), $"{population}.{name} must be a finite number, not {value}");
        var text = value.ToString("R", CultureInfo.InvariantCulture) + "<" + parameter.Dimension.ToUnitSyntax() + ">";
        List<PopulationSetting> settings = [.. _parameters.Where(p => p.Population != population || p.Name != name), new(population, name, text)];
        var ir = Model.WithSettings(settings);
        var old = Network;
        var next = Network.Build(ir, old.Options, old.Capture());
        next.TakeHostProviders(old);
        Network = next;
        _parameters = settings;
        old.Dispose();
    }

    private ParamIR Parameter(string population, string name)
    {
        if (Network.Groups[GroupIndex(population)] is not NeuronGroupRuntime group)
            throw new KeyNotFoundException($"{population} is an input population; it has no model parameters");
        return group.Model.Parameters.FirstOrDefault(p => p.Name == name)
            ?? throw new KeyNotFoundException($"{population} ({group.Model.Name}) has no parameter '{name}'; it has: {string.Join(", ", group.Model.Parameters.Select(p => p.Name))}");
    }

    /// <summary>Writes the whole state (every array, connectivity, spikes in flight, monitors, the script) to a file, atomically.</summary>
    public void SaveCheckpoint(string path) => AtomicFile.Write(path, SaveCheckpoint);

    public void SaveCheckpoint(Stream output) =>
        Checkpoint.Write(output, new Checkpoint.Header(Model.Source, Model.Options.Path, Checkpoint.WithSettings(Model.Options.Constants, _parameters), Network.Options.Seed), Network.Capture());

    /// <summary>Writes summary.json, monitors (CSV, .npy) and plots into <paramref name="directory"/>, as <c>biolang run --out</c> does.</summary>
    public IReadOnlyList<string> WriteResults(string directory, bool plots = true)
    {
        Directory.CreateDirectory(directory);
        var files = RunReport.WriteMonitors(Network, directory, plots).Concat(RunReport.WriteWeights(Network, directory, plots)).ToList();
        var timing = new RunTiming(0, Network.CompileTime.TotalSeconds, Network.BuildTime.TotalSeconds, 0, 0, 0);
        AtomicFile.WriteAllText(Path.Combine(directory, "summary.json"), RunReport.Summary(Network, timing, [.. files, "summary.json"], Model.Options.Path));
        files.Add("summary.json");
        return files;
    }

    public void Dispose() => Network.Dispose();
}

/// <summary>One population's state, by variable name, in SI units (volts, siemens, seconds).</summary>
public sealed class PopulationView
{
    private readonly GroupRuntime _group;

    internal PopulationView(GroupRuntime group) => _group = group;

    public string Name => _group.Name;

    public int Size => _group.Size;

    public IReadOnlyList<string> Variables => _group.VariableNames;

    public long TotalSpikes => _group.TotalSpikes;

    /// <summary>The neurons that spiked in the last step.</summary>
    public int[] LastSpikes => _group.Spikes.ToArray();

    /// <summary>A copy of a state variable, one value per neuron.</summary>
    public double[] Read(string variable) => (double[])_group.Variable(Index(variable)).Clone();

    /// <summary>Sets a state variable for every neuron.</summary>
    public void Write(string variable, ReadOnlySpan<double> values)
    {
        var target = _group.Variable(Index(variable));
        if (values.Length != target.Length)
            throw new ArgumentException($"{Name} has {target.Length} neurons, but {values.Length} values were given", nameof(values));
        values.CopyTo(target);
    }

    private int Index(string variable)
    {
        var names = _group.VariableNames;
        for (var k = 0; k < names.Count; k++)
            if (names[k] == variable)
                return k;
        throw new KeyNotFoundException($"{Name} has no state variable '{variable}'; it has: {string.Join(", ", names)}");
    }
}

/// <summary>One projection's synapses: who connects to whom, and their state, in row order.</summary>
public sealed class ProjectionView
{
    private readonly ProjectionRuntime _projection;

    internal ProjectionView(ProjectionRuntime projection) => _projection = projection;

    public string Name => _projection.Name;

    public int Synapses => _projection.SynapseCount;

    /// <summary>Pre- and postsynaptic index of each synapse (within the connected ranges).</summary>
    public (int[] Pre, int[] Post) Connections()
    {
        var (pre, post, _) = RunReport.FinalWeights(_projection, var: null);
        return (pre, post);
    }

    /// <summary>A synaptic variable (such as w) of every synapse, in the order of <see cref="Connections"/>.</summary>
    public double[] Read(string variable) => RunReport.FinalWeights(_projection, Index(variable)).W;

    public void Write(string variable, ReadOnlySpan<double> values)
    {
        var var = Index(variable);
        var c = _projection.Connectivity;
        if (values.Length != c.Synapses)
            throw new ArgumentException($"{Name} has {c.Synapses} synapses, but {values.Length} values were given", nameof(values));
        var n = 0;
        for (var r = 0; r < c.Rows; r++)
            for (var s = c.RowStart[r]; s < c.RowStart[r] + c.RowCount[r]; s++)
                _projection.Arrays.Set(var, s, values[n++]);
    }

    private int Index(string variable)
    {
        var index = _projection.IR.Synapse.VarIndex(variable);
        return index >= 0 ? index : throw new KeyNotFoundException($"{Name} has no synaptic variable '{variable}'; it has: {string.Join(", ", _projection.IR.Synapse.State.Select(s => s.Name))}");
    }
}
