using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Units;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Randomness;

namespace BioLang.Runtime.Engine;

/// <summary>A neuron population: one array per state variable, a compiled update/threshold kernel and a reset kernel.</summary>
internal sealed class NeuronGroupRuntime : GroupRuntime
{
    /// <summary>Below this many neurons per worker a second thread costs more than it saves: the step's barrier costs about a microsecond, far more when another process holds the core.</summary>
    private const int MinNeuronsPerWorker = 8192;

    private readonly NeuronGroupIR _ir;
    private readonly NeuronUpdateKernel _update;
    private readonly NeuronStatementsKernel? _reset;
    private readonly int[] _counts;
    private readonly double _dt;
    private int _spikeCount;
    private Action<int>? _parallelUpdate;
    private long _step;

    public NeuronGroupRuntime(NeuronGroupIR ir, IBackend backend, double dt, ulong seed, int workers, double[] host)
        : base(ir.Name, ir.Size)
    {
        _ir = ir;
        _dt = dt;
        var model = ir.Model;
        Arrays = new NeuronArrays
        {
            Vars = model.State.Select(_ => AlignedArray.Allocate<double>(ir.Size)).ToArray(),
            LastSpike = Enumerable.Repeat(long.MinValue / 4, ir.Size).ToArray(),
            Spikes = new int[ir.Size],
            Sentinel = new double[Math.Max(1, workers)],
            Seed = seed,
            Host = host,
        };
        _counts = new int[Math.Max(1, workers)];

        var init = model.State.Select((v, k) => (IrStmt)new IrAssign(new VarRef(VarScope.Neuron, k, v.Name), Folder.Fold(v.Init), v.Span)).ToImmutableArray();
        backend.NeuronStatements(new StatementsSpec($"{Name}_init", init, CounterRng.StreamId($"{Name}/init")), dt)(Arrays, null, 0, ir.Size, 0);

        var hasRefractory = model.Refractory is not null;
        var updater = new StateUpdater(VarScope.Neuron, 0, dt);
        var body = updater.Lower(model.Method, model.Equations, model.State, model.Linear, hasRefractory);
        IrExpr? refractorySteps = hasRefractory
            ? Folder.Fold(new IrCall(Builtin.Round, [new IrBinary(BinaryOp.Divide, model.Refractory!, new IrConst(dt, Dimension.Time), Dimension.None)], Dimension.None))
            : null;
        var threshold = model.Threshold is null ? null : Folder.Fold(model.Threshold);
        var periodic = model.Periodic
            .Select(p => (Math.Max(1, (long)Math.Round(p.Interval / dt)), Folder.Fold(p.Statements)))
            .ToImmutableArray();
        _update = backend.NeuronUpdate(new NeuronUpdateSpec($"{Name}_update", Folder.Fold(body), threshold, refractorySteps, CounterRng.StreamId($"{Name}/update"))
        {
            Periodic = periodic,
        }, dt);
        if (!model.Reset.IsEmpty)
            _reset = backend.NeuronStatements(new StatementsSpec($"{Name}_reset", Folder.Fold(model.Reset), CounterRng.StreamId($"{Name}/reset")), dt);
    }

    public NeuronArrays Arrays { get; }

    public NeuronModelIR Model => _ir.Model;

    public override ReadOnlySpan<int> Spikes => Arrays.Spikes.AsSpan(0, _spikeCount);

    public override long Bytes =>
        Arrays.Vars.Sum(v => (long)v.Length * sizeof(double)) + (long)Arrays.LastSpike.Length * sizeof(long) + (long)Arrays.Spikes.Length * sizeof(int);

    public override IReadOnlyList<string> VariableNames => _ir.Model.State.Select(s => s.Name).ToList();

    public override double[] Variable(int index) => Arrays.Vars[index];

    public override void Update(long step, WorkerPool pool)
    {
        var workers = Math.Min(pool.Count, Math.Max(1, Size / MinNeuronsPerWorker));
        if (workers <= 1)
        {
            _spikeCount = _update(Arrays, 0, Size, step, 0);
            CheckFinite(step, 1);
        }
        else
        {
            _step = step;
            _parallelUpdate ??= UpdateRange;
            pool.Run(_parallelUpdate);
            // Each worker wrote its spikes at the start of its own range; pack them in range order, so the list stays ascending.
            var n = _counts[0];
            for (var w = 1; w < pool.Count; w++)
            {
                var (start, _) = WorkerPool.Range(Size, pool.Count, w);
                Array.Copy(Arrays.Spikes, start, Arrays.Spikes, n, _counts[w]);
                n += _counts[w];
            }
            _spikeCount = n;
            CheckFinite(step, pool.Count);
        }
        TotalSpikes += _spikeCount;
    }

    private void UpdateRange(int worker)
    {
        var workers = _counts.Length;
        var (start, end) = WorkerPool.Range(Size, workers, worker);
        _counts[worker] = start < end ? _update(Arrays, start, end, _step, worker) : 0;
        if (start >= end)
            Arrays.Sentinel[worker] = 0;
    }

    /// <summary>Runs statements over every neuron once (a state assignment from the REPL or the host).</summary>
    public void Assign(ImmutableArray<IrStmt> statements, IBackend backend) =>
        backend.NeuronStatements(new StatementsSpec($"{Name}_assign", Folder.Fold(statements), CounterRng.StreamId($"{Name}/assign")), _dt)(Arrays, null, 0, Size, 0);

    public override void Save(StateBag bag)
    {
        base.Save(bag);
        bag.Put(Key("size"), (long)Size);
        for (var k = 0; k < Arrays.Vars.Length; k++)
        {
            var variable = _ir.Model.State[k];
            bag.Put(Key("var/" + variable.Name), Arrays.Vars[k]);
            bag.Put(Key("dim/" + variable.Name), variable.Dimension.ToBaseString());
        }
        bag.Put(Key("lastSpike"), Arrays.LastSpike);
    }

    /// <remarks>A variable is carried over when the population kept its size and the variable its name and dimension.</remarks>
    public override void Load(StateBag bag, CarryReport report)
    {
        if (!SameShape(bag, report))
            return;
        LoadCounts(bag);
        for (var k = 0; k < Arrays.Vars.Length; k++)
        {
            var variable = _ir.Model.State[k];
            var (saved, dimension) = (bag.String(Key("dim/" + variable.Name)), variable.Dimension.ToBaseString());
            if (saved is null || bag.Array<double>(Key("var/" + variable.Name), Size) is not { } values)
                report.Left($"population {Name}: {variable.Name} (not in the checkpoint)");
            else if (saved != dimension)
                report.Left($"population {Name}: {variable.Name} (dimension {saved} → {dimension})");
            else
            {
                values.CopyTo(Arrays.Vars[k], 0);
                report.TookVariable(Key("var/" + variable.Name));
            }
        }
        bag.Array<long>(Key("lastSpike"), Size)?.CopyTo(Arrays.LastSpike, 0);
    }

    public override void Reset(long step)
    {
        if (_reset is null || _spikeCount == 0)
            return;
        _reset(Arrays, Arrays.Spikes, 0, _spikeCount, step);
        if (!Arrays.NotFinite)
            return;
        Arrays.NotFinite = false;
        var written = new HashSet<VarRef>();
        IrRewrite.Writes(Model.Reset, written);
        foreach (var v in written.Where(v => v.Scope == VarScope.Neuron).OrderBy(v => v.Index))
        {
            var values = Arrays.Vars[v.Index];
            foreach (var i in Spikes)
            {
                if (double.IsFinite(values[i]))
                    continue;
                var message = $"{v.Name} of neuron {i} in population '{Name}' became {SimulationException.Describe(values[i])} at t = {UnitTable.Pretty((step + 1) * _dt, Dimension.Time)} (step {step}), in its reset";
                throw new SimulationException(new Diagnostic(DiagnosticCodes.NotFinite, Severity.Error, IrRewrite.SpanOfWrite(Model.Reset, VarScope.Neuron, v.Index), message));
            }
        }
    }

    /// <summary>The kernels sum every value they write into a sentinel per worker: a non-finite sum means a non-finite value, or (rarely) finite values whose sum overflowed.</summary>
    private void CheckFinite(long step, int workers)
    {
        for (var w = 0; w < workers; w++)
            if (!double.IsFinite(Arrays.Sentinel[w]) && NotFinite(step) is { } error)
                throw error;
    }

    /// <summary>Finds the first non-finite value and says where its equation is; null when every value is finite.</summary>
    private SimulationException? NotFinite(long step)
    {
        for (var k = 0; k < Arrays.Vars.Length; k++)
        {
            var values = Arrays.Vars[k];
            for (var i = 0; i < values.Length; i++)
            {
                if (double.IsFinite(values[i]))
                    continue;
                var variable = _ir.Model.State[k];
                var equation = _ir.Model.Equations.FirstOrDefault(e => e.Var == k);
                var span = equation?.Span ?? variable.Span;
                var message = $"{variable.Name} of neuron {i} in population '{Name}' became {SimulationException.Describe(values[i])} at t = {UnitTable.Pretty((step + 1) * _dt, Dimension.Time)} (step {step})"
                              + (equation is null ? "" : $", integrating d{variable.Name}/dt with {Integration.NameOf(_ir.Model.Method)}")
                              + "; a smaller dt, another method, or a bounded equation may help";
                return new SimulationException(new Diagnostic(DiagnosticCodes.NotFinite, Severity.Error, span, message));
            }
        }
        return null;
    }

}
