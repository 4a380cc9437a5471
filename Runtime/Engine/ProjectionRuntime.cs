using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Text;
using BioLang.Language.Units;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Randomness;

namespace BioLang.Runtime.Engine;

/// <summary>
/// The synapses of one <c>connect</c>: connectivity, per-synapse state, event-driven delivery of
/// presynaptic spikes through a ring of delay slots, <c>on post</c> handlers through a
/// postsynaptic index, clock-driven synaptic equations, periodic blocks and summed coupling.
/// </summary>
internal sealed class ProjectionRuntime
{
    private readonly GroupRuntime _pre;
    private readonly NeuronGroupRuntime _post;
    private readonly int _preStart;
    private readonly int _preCount;
    private readonly int _postStart;
    private readonly int _postCount;
    private readonly int _delay;
    private readonly double _dt;
    private readonly int[]? _delays;
    private readonly Growable<int>[] _slots;
    private readonly int[] _rows;
    private readonly int[] _cols;
    private readonly int[] _allRows;
    private readonly SynapseRowsKernel? _onPreRows;
    private readonly SynapseListKernel? _onPreList;
    private readonly SynapseColsKernel? _onPost;
    private readonly WholeKernel? _clock;
    private readonly (long Steps, WholeKernel Kernel)[] _periodic;

    /// <summary>A block that visits every synapse: by rows, and by slot ranges where a vector kernel exists and the rows have no gaps.</summary>
    private sealed record WholeKernel(SynapseRowsKernel Rows, SynapseRangeKernel? Range, bool Local);

    /// <summary>Below this many synapses per worker a whole-projection kernel runs on one thread: the hand-off would cost more.</summary>
    public const int MinSynapsesPerWorker = 16384;

    private int[][]? _rowChunks;
    private readonly SynapseRowsKernel? _summed;

    public ProjectionRuntime(ProjectionIR ir, GroupRuntime pre, NeuronGroupRuntime post, IBackend backend, double dt, ulong seed, StateBag? carry = null, bool single = false)
    {
        IR = ir;
        _dt = dt;
        _pre = pre;
        _post = post;
        _preStart = ir.Pre.Start;
        _preCount = ir.Pre.Count;
        _postStart = ir.Post.Start;
        _postCount = ir.Post.Count;
        _rows = new int[ir.Pre.Count];
        _cols = new int[ir.Post.Count];
        _allRows = Enumerable.Range(0, ir.Pre.Count).ToArray();
        var synapse = ir.Synapse;
        Connectivity = Carried(carry) ?? ConnectivityBuilder.Build(ir, ir.Pre.Population == ir.Post.Population, backend, seed);
        var count = Connectivity.Post.Length;
        var preRows = Connectivity.PreOfSynapse();
        var eventDriven = SynapseLowering.HasEventDriven(synapse);
        var stride = synapse.State.Length + (eventDriven ? 1 : 0);
        Arrays = new SynapseArrays
        {
            Vars = single ? [] : synapse.State.Select(_ => new double[count]).ToArray(),
            Packed = single ? AlignedArray.Allocate<float>(count * stride) : null,
            Stride = single ? stride : 0,
            PackedVars = single ? synapse.State.Length : 0,
            PreVars = pre is NeuronGroupRuntime n ? n.Arrays.Vars : [],
            PostVars = post.Arrays.Vars,
            RowStart = Connectivity.RowStart,
            RowCount = Connectivity.RowCount,
            Post = Connectivity.Post.Select(c => c + ir.Post.Start).ToArray(),
            Pre = preRows.Select(r => r + ir.Pre.Start).ToArray(),
            PreStart = ir.Pre.Start,
            PostStart = ir.Post.Start,
            Seed = seed,
        };

        var init = synapse.State.Select((v, k) => (IrStmt)new IrAssign(new VarRef(VarScope.Synapse, k, v.Name), Folder.Fold(v.Init), v.Span)).ToImmutableArray();
        if (!init.IsEmpty)
            backend.SynapseList(new StatementsSpec($"{Name}_init", init, CounterRng.StreamId($"{Name}/init")) { Single = single }, dt)(Arrays, null, 0, count, 0);

        (_delay, _delays) = Delays(ir, Connectivity, backend, dt, seed, preRows);
        var maxDelay = _delays is null ? _delay : _delays.DefaultIfEmpty(0).Max();
        _slots = Enumerable.Range(0, maxDelay + 1).Select(_ => new Growable<int>()).ToArray();

        if (eventDriven && !single)
            Arrays.LastUpdate = new int[count];
        var onPre = Spec("on_pre", SynapseLowering.Handler(synapse, synapse.OnPre));
        if (!onPre.Body.IsEmpty)
        {
            if (_delays is null)
                _onPreRows = backend.SynapseRows(onPre, dt);
            else
                _onPreList = backend.SynapseList(onPre, dt);
        }
        var onPost = Spec("on_post", SynapseLowering.Handler(synapse, synapse.OnPost));
        if (!onPost.Body.IsEmpty)
        {
            BuildColumns();
            _onPost = backend.SynapseCols(onPost, dt);
        }
        var clockEquations = synapse.Equations.Where(e => e.Timing == OdeTiming.Clock).ToImmutableArray();
        if (!clockEquations.IsEmpty)
        {
            var body = new StateUpdater(VarScope.Synapse, 0, dt).Lower(synapse.Method, clockEquations, synapse.State, synapse.Linear, hasRefractory: false);
            _clock = Whole(Spec("update", body));
        }
        _periodic = synapse.Periodic
            .Select((p, k) => (Math.Max(1, (long)Math.Round(p.Interval / dt)), Whole(Spec($"every{k}", p.Statements))))
            .ToArray();
        if (!synapse.Summed.IsEmpty)
        {
            var sums = synapse.Summed
                .Select(s => (IrStmt)new IrAssign(s.Target, new IrBinary(BinaryOp.Add, new IrVar(s.Target, s.Value.Dimension), s.Value, s.Value.Dimension), s.Span))
                .ToImmutableArray();
            _summed = backend.SynapseRows(Spec("summed", sums), dt);
        }

        // The presynaptic index of each synapse costs 4 bytes per synapse: keep it only if a kernel reads it.
        var needsPre = (_onPreList is not null && SynapseLowering.NeedsPreIndex(onPre.Body))
                       || (_onPost is not null && SynapseLowering.NeedsPreIndex(onPost.Body));
        if (!needsPre)
            Arrays.Pre = null;
        return;

        StatementsSpec Spec(string kind, ImmutableArray<IrStmt> body) =>
            new($"{Name}_{kind}", Folder.Fold(body), CounterRng.StreamId($"{Name}/{kind}")) { Single = single };

        WholeKernel Whole(StatementsSpec spec)
        {
            var local = WritesOnly(spec.Body, VarScope.Synapse);
            var compact = Enumerable.Range(0, Connectivity.Rows).All(r => Connectivity.RowStart[r + 1] - Connectivity.RowStart[r] == Connectivity.RowCount[r]);
            return new WholeKernel(backend.SynapseRows(spec, dt), local && compact ? backend.SynapseRange(spec, dt) : null, local);
        }
    }

    public ProjectionIR IR { get; }

    public string Name => IR.Name;

    public Connectivity Connectivity { get; }

    public SynapseArrays Arrays { get; }

    public int SynapseCount => Connectivity.Synapses;

    /// <summary>Synaptic events delivered so far (one per synapse per presynaptic spike).</summary>
    public long Events { get; private set; }

    /// <summary>Post variables this projection's <c>summed</c> sections set: (population, variable, first neuron, count).</summary>
    public IEnumerable<(int Population, int Var, int Start, int Count)> SummedTargets =>
        IR.Synapse.Summed.Select(s => (IR.Post.Population, s.Target.Index, _postStart, _postCount));

    /// <summary>True when the synapses change: plasticity, clock-driven equations, periodic blocks, or a handler that writes synaptic state.</summary>
    public bool IsPlastic
    {
        get
        {
            var writes = new HashSet<VarRef>();
            IrRewrite.Writes(IR.Synapse.OnPre, writes);
            IrRewrite.Writes(IR.Synapse.OnPost, writes);
            foreach (var p in IR.Synapse.Periodic)
                IrRewrite.Writes(p.Statements, writes);
            return !IR.Synapse.OnPost.IsEmpty || !IR.Synapse.Equations.IsEmpty || writes.Any(v => v.Scope == VarScope.Synapse);
        }
    }

    /// <summary>Bytes of the arrays this projection holds, for the memory report: per-synapse arrays and per-neuron indices.</summary>
    public long Bytes => SynapseBytes + (Arrays.ColStart?.Length ?? 0) * (long)sizeof(int) + (Arrays.RowStart.Length + Arrays.RowCount.Length) * (long)sizeof(int);

    /// <summary>Bytes of the arrays with one element per synapse: its target, state, last event, delay and place in the postsynaptic index.</summary>
    public long SynapseBytes =>
        (long)Arrays.Post.Length * sizeof(int)
        + Arrays.Vars.Sum(v => (long)v.Length * sizeof(double))
        + (Arrays.Packed?.Length ?? 0) * (long)sizeof(float)
        + (Arrays.Pre?.Length ?? 0) * (long)sizeof(int)
        + (Arrays.LastUpdate?.Length ?? 0) * (long)sizeof(int)
        + (Arrays.ColSynapses?.Length ?? 0) * (long)sizeof(int)
        + (_delays?.Length ?? 0) * (long)sizeof(int);

    /// <summary>What the connectivity depends on: the ranges, the rule and the delay (not the synapse model).</summary>
    private string Signature =>
        $"{IR.Pre.Display}|{IR.Post.Display}|{IR.Pre.Count}|{IR.Post.Count}|{IrPrinter.Rule(IR.Rule)}|{(IR.Delay is null ? "" : IrPrinter.Print(IR.Delay))}|{IR.NoAutapses}";

    private string Key(string part) => $"proj/{Name}/{part}";

    /// <summary>The synapses of an earlier run of this projection, when its ranges, rule and delay are the same.</summary>
    private Connectivity? Carried(StateBag? bag)
    {
        if (bag is null || bag.String(Key("signature")) != Signature)
            return null;
        var rowStart = bag.Array<int>(Key("rowStart"), IR.Pre.Count + 1);
        var rowCount = bag.Array<int>(Key("rowCount"), IR.Pre.Count);
        var post = bag.Array<int>(Key("post"));
        if (rowStart is null || rowCount is null || post is null || post.Length != rowStart[^1])
            return null;
        return new Connectivity { RowStart = rowStart, RowCount = rowCount, Post = post };
    }

    public void Save(StateBag bag)
    {
        bag.Put(Key("signature"), Signature);
        bag.Put(Key("rowStart"), Connectivity.RowStart);
        bag.Put(Key("rowCount"), Connectivity.RowCount);
        bag.Put(Key("post"), Connectivity.Post);
        for (var k = 0; k < Arrays.VarCount; k++)
        {
            var variable = IR.Synapse.State[k];
            bag.Put(Key("var/" + variable.Name), Arrays.Doubles(k));
            bag.Put(Key("dim/" + variable.Name), variable.Dimension.ToBaseString());
        }
        if (Arrays.EventDriven)
            bag.Put(Key("lastUpdate"), Enumerable.Range(0, Connectivity.Post.Length).Select(Arrays.LastStep).ToArray());
        bag.Put(Key("events"), Events);
        bag.Put(Key("slots/lengths"), _slots.Select(s => s.Count).ToArray());
        bag.Put(Key("slots/items"), _slots.SelectMany(s => s.Span.ToArray()).ToArray());
    }

    /// <summary>Takes over synaptic state, last-event steps and spikes in flight when the connectivity was carried over.</summary>
    public void Load(StateBag bag, CarryReport report)
    {
        if (bag.String(Key("signature")) is not { } signature)
        {
            report.Left($"projection {Name} (not in the checkpoint)");
            return;
        }
        if (signature != Signature || bag.Array<int>(Key("post")) is not { } post || post.Length != Connectivity.Post.Length)
        {
            report.Left($"projection {Name} (its populations, ranges, rule or delay changed)");
            return;
        }
        report.Took($"projection {Name}");
        for (var k = 0; k < Arrays.VarCount; k++)
        {
            var variable = IR.Synapse.State[k];
            var (saved, dimension) = (bag.String(Key("dim/" + variable.Name)), variable.Dimension.ToBaseString());
            if (saved is null || bag.Array<double>(Key("var/" + variable.Name), post.Length) is not { } values)
                report.Left($"projection {Name}: {variable.Name} (not in the checkpoint)");
            else if (saved != dimension)
                report.Left($"projection {Name}: {variable.Name} (dimension {saved} → {dimension})");
            else
            {
                for (var s = 0; s < values.Length; s++)
                    Arrays.Set(k, s, values[s]);
                report.TookVariable(Key("var/" + variable.Name));
            }
        }
        if (Arrays.EventDriven && bag.Array<int>(Key("lastUpdate"), post.Length) is { } last)
            for (var s = 0; s < last.Length; s++)
                Arrays.SetLastStep(s, last[s]);
        Events = bag.Long(Key("events")) ?? Events;
        if (bag.Array<int>(Key("slots/lengths"), _slots.Length) is { } lengths && bag.Array<int>(Key("slots/items")) is { } items && items.Length == lengths.Sum())
        {
            var at = 0;
            for (var k = 0; k < _slots.Length; k++)
            {
                _slots[k].Clear();
                _slots[k].AddRange(items.AsSpan(at, lengths[k]));
                at += lengths[k];
            }
        }
    }

    /// <summary>The synapses onto each postsynaptic neuron, in ascending synapse order (a counting sort by post).</summary>
    private void BuildColumns()
    {
        var colStart = new int[_postCount + 1];
        for (var r = 0; r < Connectivity.Rows; r++)
            for (var s = Connectivity.RowStart[r]; s < Connectivity.RowStart[r] + Connectivity.RowCount[r]; s++)
                colStart[Connectivity.Post[s] + 1]++;
        for (var c = 0; c < _postCount; c++)
            colStart[c + 1] += colStart[c];
        var fill = colStart[..^1].ToArray();
        var synapses = new int[colStart[^1]];
        for (var r = 0; r < Connectivity.Rows; r++)
            for (var s = Connectivity.RowStart[r]; s < Connectivity.RowStart[r] + Connectivity.RowCount[r]; s++)
                synapses[fill[Connectivity.Post[s]]++] = s;
        Arrays.ColStart = colStart;
        Arrays.ColSynapses = synapses;
    }

    /// <summary>One delay for all synapses when the expression is a constant (or happens to give one value); else one per synapse.</summary>
    private static (int Delay, int[]? Delays) Delays(ProjectionIR ir, Connectivity connectivity, IBackend backend, double dt, ulong seed, int[] preRows)
    {
        if (ir.Delay is null)
            return (0, null);
        if (Folder.Evaluate(ir.Delay) is { } constant)
            return (Steps(constant, dt), null);
        var f = backend.Pair(Folder.Fold(ir.Delay), seed, CounterRng.StreamId($"{ir.Name}/delay"), $"{ir.Name}_delay");
        var delays = new int[preRows.Length];
        for (var s = 0; s < delays.Length; s++)
            delays[s] = Math.Max(0, Steps(f(preRows[s], connectivity.Post[s]), dt));
        if (delays.Length == 0 || delays.All(d => d == delays[0]))
            return (delays.Length == 0 ? 0 : delays[0], null);
        return (0, delays);
    }

    /// <summary>Delays round to the nearest step, as Brian2 does.</summary>
    private static int Steps(double seconds, double dt) => (int)Math.Round(seconds / dt, MidpointRounding.AwayFromZero);

    /// <summary>Adds this projection's <c>summed</c> contributions (the targets were zeroed by the network).</summary>
    public void Sum(long step)
    {
        if (_summed is null)
            return;
        _summed(Arrays, _allRows, _allRows.Length, step);
        CheckFinite(Block.Summed, step);
    }

    /// <summary>Integrates the clock-driven synaptic equations one step.</summary>
    public void UpdateSynapses(long step, WorkerPool? pool = null)
    {
        if (_clock is null)
            return;
        OverAllSynapses(_clock, step, pool);
        CheckFinite(Block.Equations, step);
    }

    /// <summary>
    /// Runs a kernel over every synapse: split into contiguous row ranges of about equal synapse counts, one per worker,
    /// when it writes nothing but its own synapse's variables (so the workers never touch the same memory and the
    /// result does not depend on how many there are) and there are enough synapses to pay for the hand-off.
    /// </summary>
    private void OverAllSynapses(WholeKernel kernel, long step, WorkerPool? pool)
    {
        var slots = Arrays.Post.Length;
        if (pool is null || pool.Count == 1 || !kernel.Local || SynapseCount < 2 * MinSynapsesPerWorker)
        {
            if (kernel.Range is { } range)
                range(Arrays, 0, slots, step);
            else
                kernel.Rows(Arrays, _allRows, _allRows.Length, step);
            return;
        }
        var parts = Math.Min(pool.Count, SynapseCount / MinSynapsesPerWorker);
        if (kernel.Range is { } ranged)
        {
            // Slot ranges cut at multiples of 64, so every worker but the last runs whole vectors.
            pool.Run(w =>
            {
                if (w >= parts)
                    return;
                var from = w == 0 ? 0 : (int)((long)slots * w / parts / 64 * 64);
                var to = w == parts - 1 ? slots : (int)((long)slots * (w + 1) / parts / 64 * 64);
                ranged(Arrays, from, to, step);
            });
            return;
        }
        var chunks = _rowChunks ??= RowChunks(parts);
        pool.Run(w =>
        {
            if (w < chunks.Length)
                kernel.Rows(Arrays, chunks[w], chunks[w].Length, step);
        });
    }

    /// <summary>The rows cut into <paramref name="parts"/> contiguous ranges holding about the same number of synapses each.</summary>
    private int[][] RowChunks(int parts)
    {
        var chunks = new int[parts][];
        var row = 0;
        long total = SynapseCount, before = 0;
        for (var w = 0; w < parts; w++)
        {
            var first = row;
            var target = total * (w + 1) / parts;
            while (row < _allRows.Length && (w == parts - 1 || before + Arrays.RowCount[row] <= target || row == first))
                before += Arrays.RowCount[row++];
            chunks[w] = _allRows[first..row];
        }
        return chunks;
    }

    /// <summary>True when the statements write nothing but locals and variables of the given scopes.</summary>
    private static bool WritesOnly(IEnumerable<IrStmt> statements, params VarScope[] scopes)
    {
        var writes = new HashSet<VarRef>();
        IrRewrite.Writes(statements, writes);
        return writes.All(v => v.Scope == VarScope.Local || scopes.Contains(v.Scope));
    }

    /// <summary>Queues this step's presynaptic spikes, delivers those due now, then runs <c>on post</c> for postsynaptic spikes.</summary>
    public void Propagate(long step, WorkerPool? pool = null)
    {
        var spikes = _pre.Spikes;
        var lo = LowerBound(spikes, _preStart);
        var hi = LowerBound(spikes, _preStart + _preCount);
        var n = hi - lo;
        for (var k = 0; k < n; k++)
            _rows[k] = spikes[lo + k] - _preStart;
        var length = _slots.Length;
        if (_delays is not null)
        {
            for (var k = 0; k < n; k++)
            {
                var row = _rows[k];
                var end = Arrays.RowStart[row] + Arrays.RowCount[row];
                for (var s = Arrays.RowStart[row]; s < end; s++)
                    _slots[(int)((step + _delays[s]) % length)].Add(s);
            }
            var due = _slots[(int)(step % length)];
            if (due.Count > 0)
            {
                Events += due.Count;
                _onPreList?.Invoke(Arrays, due.Buffer, 0, due.Count, step);
                due.Clear();
                CheckFinite(Block.OnPre, step);
            }
        }
        else if (_delay == 0)
        {
            if (n > 0)
                Deliver(_rows, n, step, pool);
        }
        else
        {
            if (n > 0)
                _slots[(int)((step + _delay) % length)].AddRange(_rows.AsSpan(0, n));
            var slot = _slots[(int)(step % length)];
            if (slot.Count > 0)
            {
                Deliver(slot.Buffer, slot.Count, step, pool);
                slot.Clear();
            }
        }
        if (_onPost is not null)
        {
            var postSpikes = _post.Spikes;
            var first = LowerBound(postSpikes, _postStart);
            var last = LowerBound(postSpikes, _postStart + _postCount);
            for (var k = first; k < last; k++)
                _cols[k - first] = postSpikes[k] - _postStart;
            if (last > first)
            {
                RunOnPost(last - first, step, pool);
                CheckFinite(Block.OnPost, step);
            }
        }
    }

    private int[][]? _colParts;
    private bool? _onPostLocal;

    /// <summary>
    /// Runs <c>on post</c> for this step's postsynaptic spikes: on two workers, each taking a run of the spiking columns with about
    /// half the synapses, when there are enough and the handler writes only its synapse and its postsynaptic neuron. Every
    /// column is one postsynaptic neuron and its own synapses, so no two workers touch the same value and the result is the
    /// one-thread result bit for bit.
    /// </summary>
    private void RunOnPost(int count, long step, WorkerPool? pool)
    {
        var kernel = _onPost!;
        if (pool is not { Count: > 1 } || !(_onPostLocal ??= WritesOnly(IR.Synapse.OnPost, VarScope.Synapse, VarScope.Post)))
        {
            kernel(Arrays, _cols, count, step);
            return;
        }
        var colStart = Arrays.ColStart!;
        var events = 0L;
        for (var k = 0; k < count; k++)
            events += colStart[_cols[k] + 1] - colStart[_cols[k]];
        if (events < 2 * MinEventsPerWorker)
        {
            kernel(Arrays, _cols, count, step);
            return;
        }
        var workers = pool.Count;
        var parts = _colParts ??= Enumerable.Range(0, workers).Select(_ => new int[_postCount]).ToArray();
        var counts = _colCounts ??= new int[workers];
        Array.Clear(counts);
        var worker = 0;
        var before = 0L;
        for (var k = 0; k < count; k++)
        {
            var c = _cols[k];
            // Move on to the next worker once this one has its share of the synapses.
            while (worker < workers - 1 && before >= events * (worker + 1) / workers)
                worker++;
            parts[worker][counts[worker]++] = c;
            before += colStart[c + 1] - colStart[c];
        }
        _phaseStep = step;
        pool.Run(_onPostPart ??= w =>
        {
            if (_colCounts![w] > 0)
                _onPost!(Arrays, _colParts![w], _colCounts[w], _phaseStep);
        });
        ParallelOnPost++;
    }

    // What a parallel phase works on, in fields so that its work item is made once, not on every step.
    private int[]? _phaseRows;
    private int _phaseCount;
    private long _phaseStep;
    private int[]? _colCounts;
    private Action<int>? _deliverShare;
    private Action<int>? _onPostPart;

    /// <summary>Steps whose <c>on post</c> handlers were run by several workers (for tests and profiles).</summary>
    public long ParallelOnPost { get; private set; }


    /// <summary>Runs the periodic blocks due at the end of this step.</summary>
    public void EndOfStep(long step, WorkerPool? pool = null)
    {
        for (var k = 0; k < _periodic.Length; k++)
        {
            var (period, kernel) = _periodic[k];
            if (step % period != 0)
                continue;
            OverAllSynapses(kernel, step, pool);
            CheckFinite(Block.Periodic, step, k);
        }
    }

    private void Deliver(int[] rows, int count, long step, WorkerPool? pool)
    {
        var events = 0L;
        for (var k = 0; k < count; k++)
            events += Arrays.RowCount[rows[k]];
        Events += events;
        if (_onPreRows is null)
            return;
        if (pool is { Count: > 1 } && events >= 2 * MinEventsPerWorker && PostShares(pool.Count) is { } shares)
        {
            (_phaseRows, _phaseCount, _phaseStep) = (rows, count, step);
            pool.Run(_deliverShare ??= w => _onPreRows!(_shares![w], _phaseRows!, _phaseCount, _phaseStep));
            ParallelDeliveries++;
            foreach (var share in shares)
            {
                if (share.NotFinite)
                    Arrays.NotFinite = true;
                share.NotFinite = false;
            }
        }
        else
            _onPreRows(Arrays, rows, count, step);
        CheckFinite(Block.OnPre, step);
    }

    /// <summary>Below this many synaptic events per worker in a step, delivery runs on one thread: the hand-off would cost more.</summary>
    public const int MinEventsPerWorker = 4096;

    /// <summary>Steps whose presynaptic spikes were delivered by several workers (for tests and profiles).</summary>
    public long ParallelDeliveries { get; private set; }

    private SynapseArrays[]? _shares;
    private bool _sharesTried;

    /// <summary>
    /// The arrays seen by each of <paramref name="workers"/> workers delivering spikes in parallel: worker w gets, in every row, the
    /// synapses onto its own range of postsynaptic neurons (rows are sorted by target, so that is one run per row). Every
    /// postsynaptic neuron receives its inputs from one worker in the same order as on one thread, so the sums are the same
    /// bit for bit. Null when the handler writes anything but its synapse and its postsynaptic neuron (two workers could then
    /// write the same presynaptic value) or a row is not sorted.
    /// </summary>
    private SynapseArrays[]? PostShares(int workers)
    {
        if (_sharesTried)
            return _shares;
        _sharesTried = true;
        if (!WritesOnly(IR.Synapse.OnPre, VarScope.Synapse, VarScope.Post))
            return null;
        var post = Connectivity.Post;
        var rows = Connectivity.Rows;
        for (var r = 0; r < rows; r++)
            for (var s = Connectivity.RowStart[r] + 1; s < Connectivity.RowStart[r] + Connectivity.RowCount[r]; s++)
                if (post[s] < post[s - 1])
                    return null;
        var shares = new SynapseArrays[workers];
        for (var w = 0; w < workers; w++)
        {
            var (lo, hi) = WorkerPool.Range(_postCount, workers, w);
            var start = new int[rows + 1];
            var count = new int[rows];
            for (var r = 0; r < rows; r++)
            {
                var row = post.AsSpan(Connectivity.RowStart[r], Connectivity.RowCount[r]);
                var first = LowerBound(row, lo);
                start[r] = Connectivity.RowStart[r] + first;
                count[r] = LowerBound(row, hi) - first;
            }
            start[rows] = Connectivity.RowStart[rows];
            shares[w] = Arrays.WithRows(start, count);
        }
        return _shares = shares;
    }

    /// <summary>The blocks of a synapse model whose kernels may store a value that is not finite.</summary>
    private enum Block { OnPre, OnPost, Equations, Periodic, Summed }

    /// <summary>
    /// When a kernel of <paramref name="block"/> (periodic block <paramref name="periodic"/>) stored a value that is not finite, stops
    /// the run naming it; a false alarm, finite values whose sum overflowed, is cleared. Runs after every kernel: the block's name
    /// and statements are worked out only when the flag is up.
    /// </summary>
    private void CheckFinite(Block block, long step, int periodic = -1)
    {
        if (!Arrays.NotFinite)
            return;
        Arrays.NotFinite = false;
        var synapse = IR.Synapse;
        var (handler, statements) = block switch
        {
            Block.OnPre => ("on pre", synapse.OnPre),
            Block.OnPost => ("on post", synapse.OnPost),
            Block.Equations => ("equations", synapse.Equations.Where(e => e.Timing == OdeTiming.Clock)
                .Select(e => (IrStmt)new IrAssign(new VarRef(VarScope.Synapse, e.Var, synapse.State[e.Var].Name), e.Rhs, e.Span)).ToImmutableArray()),
            Block.Periodic => ("every " + UnitTable.Pretty(synapse.Periodic[periodic].Interval, Dimension.Time), synapse.Periodic[periodic].Statements),
            _ => ("summed", synapse.Summed.Select(x => (IrStmt)new IrAssign(x.Target, x.Value, x.Span)).ToImmutableArray()),
        };
        if (NotFinite(handler, statements, step) is { } error)
            throw error;
    }

    /// <summary>The first non-finite value among this projection's synapses, then among the postsynaptic variables the handler writes, with the statement that wrote it.</summary>
    private SimulationException? NotFinite(string handler, ImmutableArray<IrStmt> statements, long step)
    {
        var at = $"at t = {UnitTable.Pretty(step * _dt, Dimension.Time)} (step {step}), in {handler} of projection '{Name}'";
        const string Advice = "; a bounded rule (clip), a smaller dt or smaller increments may help";
        for (var k = 0; k < Arrays.VarCount; k++)
        {
            for (var row = 0; row < Connectivity.Rows; row++)
            {
                for (var s = Arrays.RowStart[row]; s < Arrays.RowStart[row] + Arrays.RowCount[row]; s++)
                {
                    var value = Arrays.Get(k, s);
                    if (double.IsFinite(value))
                        continue;
                    var variable = IR.Synapse.State[k];
                    var message = $"{variable.Name} of synapse {row} -> {Arrays.Post[s] - _postStart} became {SimulationException.Describe(value)} {at}{Advice}";
                    return new SimulationException(new Diagnostic(DiagnosticCodes.NotFinite, Severity.Error, IrRewrite.SpanOfWrite(statements, VarScope.Synapse, k) ?? variable.Span, message));
                }
            }
        }
        var written = new HashSet<VarRef>();
        IrRewrite.Writes(statements, written);
        foreach (var v in written.Where(v => v.Scope == VarScope.Post))
        {
            var values = _post.Arrays.Vars[v.Index];
            for (var i = _postStart; i < _postStart + _postCount; i++)
            {
                if (double.IsFinite(values[i]))
                    continue;
                var message = $"post.{v.Name} of neuron {i} in population '{_post.Name}' became {SimulationException.Describe(values[i])} {at}{Advice}";
                return new SimulationException(new Diagnostic(DiagnosticCodes.NotFinite, Severity.Error, IrRewrite.SpanOfWrite(statements, VarScope.Post, v.Index), message));
            }
        }
        return null;
    }



    private static int LowerBound(ReadOnlySpan<int> sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
