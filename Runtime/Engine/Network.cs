using System.Diagnostics;
using BioLang.Language.IR;
using BioLang.Runtime.CodeGen;

namespace BioLang.Runtime.Engine;

/// <summary>How a network is built and run.</summary>
internal sealed record NetworkOptions
{
    public ulong Seed { get; init; } = 1;

    public int Threads { get; init; } = 1;

    public IBackend Backend { get; init; } = new ExpressionTreeBackend();

    /// <summary>Overrides the memory this process may use, for tests of the refusal.</summary>
    public long? AvailableMemory { get; init; }
}

/// <summary>
/// A built network and its step loop. Each step follows Brian2's schedule: state monitors (start),
/// summed coupling, group updates and thresholds, clock-driven synapses, spike monitors, synaptic
/// propagation (on pre, then on post), resets, periodic synaptic blocks (end).
/// </summary>
internal sealed class Network : IDisposable
{
    private readonly GroupRuntime[] _groups;
    private readonly ProjectionRuntime[] _projections;
    private readonly MonitorRuntime[] _monitors;
    private readonly (double[] Array, int Start, int Count)[] _summedTargets;
    private readonly WorkerPool _pool;

    private readonly (int Index, Func<double> Provider)[] _noProviders = [];
    private (int Index, Func<double> Provider)[] _hostProviders;

    private Network(ModelIR model, NetworkOptions options, double[] host, GroupRuntime[] groups, ProjectionRuntime[] projections, MonitorRuntime[] monitors, TimeSpan compile, TimeSpan build)
    {
        Model = model;
        HostValues = host;
        _hostProviders = _noProviders;
        Options = options;
        _groups = groups;
        _projections = projections;
        _monitors = monitors;
        _summedTargets = projections
            .SelectMany(p => p.SummedTargets)
            .Distinct()
            .Select(t => (((NeuronGroupRuntime)groups[t.Population]).Arrays.Vars[t.Var], t.Start, t.Count))
            .ToArray();
        _pool = new WorkerPool(options.Threads);
        CompileTime = compile;
        BuildTime = build;
    }

    public ModelIR Model { get; }

    public NetworkOptions Options { get; }

    public double Dt => Model.Dt;

    /// <summary>Steps completed so far; the current time is Step·dt.</summary>
    public long Step { get; private set; }

    public double Time => Step * Model.Dt;

    public IReadOnlyList<GroupRuntime> Groups => _groups;

    public IReadOnlyList<ProjectionRuntime> Projections => _projections;

    public IReadOnlyList<MonitorRuntime> Monitors => _monitors;

    /// <summary>Time spent generating kernels.</summary>
    public TimeSpan CompileTime { get; }

    /// <summary>Time spent allocating, connecting and initialising (kernel generation excluded).</summary>
    public TimeSpan BuildTime { get; }

    public GroupRuntime Group(string name) => _groups.First(g => g.Name == name);

    /// <summary>The whole state as named arrays (shared, not copied: capture, then build the next network or write a checkpoint).</summary>
    public StateBag Capture()
    {
        var bag = new StateBag();
        bag.Put("step", Step);
        bag.Put("dt", new[] { Dt });
        for (var k = 0; k < Model.Hosts.Length; k++)
            bag.Put("host/" + Model.Hosts[k].Name, new[] { HostValues[k] });
        foreach (var g in _groups) g.Save(bag);
        foreach (var p in _projections) p.Save(bag);
        foreach (var m in _monitors) m.Save(bag);
        return bag;
    }

    /// <summary>What the last build took over from the state it was given (null when it was given none).</summary>
    public CarryReport? Carried { get; private set; }

    private void Load(StateBag bag)
    {
        var report = new CarryReport();
        // Checkpoints written before dt travelled in them say nothing; their script says it.
        if (bag.Array<double>("dt", 1) is [var dt] && dt != Dt)
            report.DtChanged = (dt, Dt);
        Step = bag.Long("step") ?? 0;
        for (var k = 0; k < Model.Hosts.Length; k++)
            if (bag.Array<double>("host/" + Model.Hosts[k].Name, 1) is { } value)
                HostValues[k] = value[0];
        foreach (var g in _groups)
        {
            // A group whose state is not carried over (a new one, or a new size) counts its spikes from now.
            g.CountingSince = Step;
            g.Load(bag, report);
        }
        foreach (var p in _projections) p.Load(bag, report);
        foreach (var m in _monitors) m.Load(bag);
        Inventory(bag, report);
        Carried = report;
    }

    /// <summary>The bag's populations and projections and the network's, and those only the bag has.</summary>
    private void Inventory(StateBag bag, CarryReport report)
    {
        foreach (var key in bag.Entries.Keys.Order(StringComparer.Ordinal))
        {
            if (key.StartsWith("pop/", StringComparison.Ordinal) && key.EndsWith("/size", StringComparison.Ordinal) && bag.Long(key) is { } size)
            {
                var name = key["pop/".Length..^"/size".Length];
                report.InBag.Add($"population {name} ({CarryReport.Neurons((int)size)})");
                if (_groups.All(g => g.Name != name))
                    report.Left($"population {name} (only in the checkpoint)");
            }
            else if (key.StartsWith("proj/", StringComparison.Ordinal) && key.EndsWith("/signature", StringComparison.Ordinal))
            {
                var name = key["proj/".Length..^"/signature".Length];
                report.InBag.Add($"projection {name} ({CarryReport.Synapses(bag.Array<int>($"proj/{name}/post")?.Length ?? 0)})");
                if (_projections.All(p => p.Name != name))
                    report.Left($"projection {name} (only in the checkpoint)");
            }
        }
        report.InNetwork.AddRange(_groups.Select(g => $"population {g.Name} ({CarryReport.Neurons(g.Size)})"));
        report.InNetwork.AddRange(_projections.Select(p => $"projection {p.Name} ({CarryReport.Synapses(p.SynapseCount)})"));
    }

    /// <summary>The current host values (<c>host name = ...</c>), in declaration order; kernels read them every step.</summary>
    public double[] HostValues { get; }

    /// <summary>Makes host value <paramref name="index"/> come from <paramref name="provider"/>, asked once at the start of every step (null: set by hand again).</summary>
    public void DefineHost(int index, Func<double>? provider)
    {
        var rest = _hostProviders.Where(p => p.Index != index);
        _hostProviders = provider is null ? [.. rest] : [.. rest, (index, provider)];
    }

    /// <summary>Gives this network the host providers of <paramref name="other"/> (a network this one replaces).</summary>
    public void TakeHostProviders(Network other) => _hostProviders = other._hostProviders;

    /// <summary>Builds a network; with <paramref name="carry"/> (a captured network or a checkpoint) everything whose shape is unchanged continues from that state.</summary>
    public static Network Build(ModelIR model, NetworkOptions options, StateBag? carry = null)
    {
        MemoryEstimate.Check(model, options.AvailableMemory);
        var total = Stopwatch.StartNew();
        var backend = new TimedBackend(options.Backend);
        var seed = options.Seed;
        var host = model.Hosts.Select(h => h.Initial).ToArray();
        var groups = new GroupRuntime[model.Populations.Length];
        for (var k = 0; k < groups.Length; k++)
        {
            groups[k] = model.Populations[k] switch
            {
                NeuronGroupIR g => new NeuronGroupRuntime(g, backend, model.Dt, seed, options.Threads, host),
                PoissonGroupIR p => new PoissonGroupRuntime(p, backend, model.Dt, seed, host),
                SpikeTimesIR s => new SpikeTimesRuntime(s, model.Dt),
                _ => throw new InvalidOperationException($"unknown population kind {model.Populations[k].GetType().Name}"),
            };
        }
        var projections = model.Projections
            .Select(p => new ProjectionRuntime(p, groups[p.Pre.Population], (NeuronGroupRuntime)groups[p.Post.Population], backend, model.Dt, seed, carry, model.Precision == Precision.Single))
            .ToArray();
        var monitors = model.Monitors.Select(m => (MonitorRuntime)(m switch
        {
            SpikeMonitorIR s => new SpikeMonitorRuntime(s, groups[s.Target.Population]),
            StateMonitorIR s => new StateMonitorRuntime(s, (NeuronGroupRuntime)groups[s.Population]),
            RateMonitorIR r => new RateMonitorRuntime(r, groups[r.Target.Population], model.Dt),
            WeightMonitorIR w => new WeightMonitorRuntime(w, projections[w.Projection]),
            _ => throw new InvalidOperationException($"unknown monitor kind {m.GetType().Name}"),
        })).ToArray();
        var network = new Network(model, options, host, groups, projections, monitors, backend.Elapsed, total.Elapsed - backend.Elapsed);
        if (carry is not null)
            network.Load(carry);
        foreach (var (population, statements) in model.Assignments)
            ((NeuronGroupRuntime)groups[population]).Assign(statements, backend);
        total.Stop();
        return network;
    }

    /// <summary>Runs <paramref name="steps"/> steps; stops early at a step boundary when cancelled. Returns the steps done.</summary>
    public long Run(long steps, CancellationToken cancel = default, Action<long>? progress = null)
    {
        const int CheckEvery = 256;
        for (var done = 0L; done < steps; done++)
        {
            if (done % CheckEvery == 0)
            {
                if (cancel.IsCancellationRequested)
                    return done;
                progress?.Invoke(done);
            }
            StepOnce();
        }
        progress?.Invoke(steps);
        return steps;
    }

    /// <summary>The phases of a step, as <see cref="Profile"/> reports them.</summary>
    public static readonly string[] Phases = ["monitors", "summed", "neurons", "synapse equations", "propagation", "resets", "periodic"];

    /// <summary>Wall time per phase (Stopwatch ticks), when profiling was switched on with <see cref="EnableProfile"/>.</summary>
    public long[]? Profile { get; private set; }

    public void EnableProfile() => Profile ??= new long[Phases.Length];

    public void StepOnce()
    {
        var step = Step;
        var profile = Profile;
        var mark = profile is null ? 0 : Stopwatch.GetTimestamp();
        foreach (var (index, provider) in _hostProviders)
            HostValues[index] = provider();
        foreach (var m in _monitors)
            m.BeforeUpdate(step);
        if (profile is not null) Lap(profile, 0, ref mark);
        if (_summedTargets.Length > 0)
        {
            foreach (var (array, start, count) in _summedTargets)
                Array.Clear(array, start, count);
            foreach (var p in _projections)
                p.Sum(step);
        }
        if (profile is not null) Lap(profile, 1, ref mark);
        foreach (var g in _groups)
            g.Update(step, _pool);
        if (profile is not null) Lap(profile, 2, ref mark);
        foreach (var p in _projections)
            p.UpdateSynapses(step, _pool);
        if (profile is not null) Lap(profile, 3, ref mark);
        foreach (var m in _monitors)
            m.AfterThreshold(step);
        if (profile is not null) Lap(profile, 0, ref mark);
        foreach (var p in _projections)
            p.Propagate(step, _pool);
        if (profile is not null) Lap(profile, 4, ref mark);
        foreach (var g in _groups)
            g.Reset(step);
        if (profile is not null) Lap(profile, 5, ref mark);
        foreach (var p in _projections)
            p.EndOfStep(step, _pool);
        if (profile is not null) Lap(profile, 6, ref mark);
        Step = step + 1;
    }

    private static void Lap(long[] profile, int phase, ref long mark)
    {
        var now = Stopwatch.GetTimestamp();
        profile[phase] += now - mark;
        mark = now;
    }

    public void Dispose() => _pool.Dispose();

    /// <summary>Measures the time spent in a backend (kernel generation).</summary>
    private sealed class TimedBackend(IBackend inner) : IBackend
    {
        private readonly Stopwatch _watch = new();

        public TimeSpan Elapsed => _watch.Elapsed;

        public string Name => inner.Name;

        private T Time<T>(Func<T> f)
        {
            _watch.Start();
            try
            {
                return f();
            }
            finally
            {
                _watch.Stop();
            }
        }

        public NeuronUpdateKernel NeuronUpdate(NeuronUpdateSpec spec, double dt) => Time(() => inner.NeuronUpdate(spec, dt));

        public NeuronStatementsKernel NeuronStatements(StatementsSpec spec, double dt) => Time(() => inner.NeuronStatements(spec, dt));

        public SynapseRowsKernel SynapseRows(StatementsSpec spec, double dt) => Time(() => inner.SynapseRows(spec, dt));

        public SynapseListKernel SynapseList(StatementsSpec spec, double dt) => Time(() => inner.SynapseList(spec, dt));

        public SynapseColsKernel SynapseCols(StatementsSpec spec, double dt) => Time(() => inner.SynapseCols(spec, dt));

        public SynapseRangeKernel? SynapseRange(StatementsSpec spec, double dt) => Time(() => inner.SynapseRange(spec, dt));

        public PairFunction Pair(IrExpr expr, ulong seed, uint stream, string name) => Time(() => inner.Pair(expr, seed, stream, name));
    }
}
