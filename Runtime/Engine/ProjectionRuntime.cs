using System.Collections.Immutable;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Units;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Randomness;

namespace BioLang.Runtime.Engine;

/// <summary>
/// The synapses of one <c>connect</c>: connectivity, per-synapse state, and event-driven delivery of
/// presynaptic spikes through a ring of delay slots.
/// </summary>
internal sealed class ProjectionRuntime
{
    private readonly GroupRuntime _pre;
    private readonly int _preStart;
    private readonly int _preCount;
    private readonly int _delay;
    private readonly int[]? _delays;
    private readonly Growable<int>[] _slots;
    private readonly int[] _rows;
    private readonly SynapseRowsKernel? _onPreRows;
    private readonly SynapseListKernel? _onPreList;

    public ProjectionRuntime(ProjectionIR ir, GroupRuntime pre, NeuronGroupRuntime post, IBackend backend, double dt, ulong seed)
    {
        if (!ir.Synapse.OnPost.IsEmpty || !ir.Synapse.Equations.IsEmpty)
            throw new SimulationException(new Language.Diagnostics.Diagnostic(Language.Diagnostics.DiagnosticCodes.WrongKind, Language.Diagnostics.Severity.Error, ir.Span,
                $"'{ir.Synapse.Name}' uses 'on post' or synaptic equations, which this version of the runtime does not run yet"));
        IR = ir;
        _pre = pre;
        _preStart = ir.Pre.Start;
        _preCount = ir.Pre.Count;
        _rows = new int[ir.Pre.Count];
        Connectivity = ConnectivityBuilder.Build(ir, ir.Pre.Population == ir.Post.Population, backend, seed);
        var synapses = Connectivity.Post.Length;
        var preRows = Connectivity.PreOfSynapse();
        var preAbsolute = preRows.Select(r => r + ir.Pre.Start).ToArray();
        var postAbsolute = Connectivity.Post.Select(c => c + ir.Post.Start).ToArray();
        Arrays = new SynapseArrays
        {
            Vars = ir.Synapse.State.Select(_ => new double[synapses]).ToArray(),
            PreVars = pre is NeuronGroupRuntime n ? n.Arrays.Vars : [],
            PostVars = post.Arrays.Vars,
            RowStart = Connectivity.RowStart,
            RowCount = Connectivity.RowCount,
            Post = postAbsolute,
            Pre = preAbsolute,
            PreStart = ir.Pre.Start,
            PostStart = ir.Post.Start,
            Seed = seed,
        };

        var init = ir.Synapse.State.Select((v, k) => (IrStmt)new IrAssign(new VarRef(VarScope.Synapse, k, v.Name), Folder.Fold(v.Init), v.Span)).ToImmutableArray();
        if (!init.IsEmpty)
            backend.SynapseList(new StatementsSpec($"{Name}_init", init, CounterRng.StreamId($"{Name}/init")), dt)(Arrays, null, 0, synapses, 0);

        (_delay, _delays) = Delays(ir, Connectivity, backend, dt, seed, preRows);
        var maxDelay = _delays is null ? _delay : _delays.DefaultIfEmpty(0).Max();
        _slots = Enumerable.Range(0, maxDelay + 1).Select(_ => new Growable<int>()).ToArray();

        var onPre = new StatementsSpec($"{Name}_on_pre", Folder.Fold(ir.Synapse.OnPre), CounterRng.StreamId($"{Name}/on_pre"));
        if (!onPre.Body.IsEmpty)
        {
            if (_delays is null)
                _onPreRows = backend.SynapseRows(onPre, dt);
            else
                _onPreList = backend.SynapseList(onPre, dt);
        }
        if (!NeedsPreIndex(ir.Synapse.OnPre) || _delays is null)
            Arrays.Pre = null;
    }

    public ProjectionIR IR { get; }

    public string Name => IR.Name;

    public Connectivity Connectivity { get; }

    public SynapseArrays Arrays { get; }

    public int SynapseCount => Connectivity.Synapses;

    /// <summary>Synaptic events delivered so far (one per synapse per presynaptic spike).</summary>
    public long Events { get; private set; }

    /// <summary>Bytes of the arrays this projection holds per synapse, for the memory report.</summary>
    public long Bytes =>
        (long)Arrays.Post.Length * sizeof(int)
        + Arrays.Vars.Sum(v => (long)v.Length * sizeof(double))
        + (Arrays.Pre?.Length ?? 0) * (long)sizeof(int)
        + (_delays?.Length ?? 0) * (long)sizeof(int)
        + (Arrays.RowStart.Length + Arrays.RowCount.Length) * (long)sizeof(int);

    private static bool NeedsPreIndex(ImmutableArray<IrStmt> handler)
    {
        var reads = new HashSet<VarRef>();
        IrRewrite.Reads(handler, reads);
        IrRewrite.Writes(handler, reads);
        return reads.Any(v => v.Scope == VarScope.Pre) || handler.Any(s => MentionsI(s));
    }

    private static bool MentionsI(IrStmt s) => s switch
    {
        IrAssign a => IrRewrite.Mentions(a.Value, e => e is IrSpecial { Kind: Special.I }),
        IrIf i => IrRewrite.Mentions(i.Condition, e => e is IrSpecial { Kind: Special.I }) || i.Then.Any(MentionsI) || i.Else.Any(MentionsI),
        _ => false,
    };

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

    /// <summary>Queues this step's presynaptic spikes and delivers those due now.</summary>
    public void Propagate(long step)
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
            }
            return;
        }
        if (_delay == 0)
        {
            if (n > 0)
                Deliver(_rows, n, step);
            return;
        }
        if (n > 0)
            _slots[(int)((step + _delay) % length)].AddRange(_rows.AsSpan(0, n));
        var slot = _slots[(int)(step % length)];
        if (slot.Count > 0)
        {
            Deliver(slot.Buffer, slot.Count, step);
            slot.Clear();
        }
    }

    private void Deliver(int[] rows, int count, long step)
    {
        for (var k = 0; k < count; k++)
            Events += Arrays.RowCount[rows[k]];
        _onPreRows?.Invoke(Arrays, rows, count, step);
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
