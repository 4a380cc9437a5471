using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Language.Units;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Randomness;

namespace BioLang.Runtime.Engine;

/// <summary>
/// Independent Poisson spike trains. With a rate that does not depend on time, each neuron's next
/// spike step is drawn from the geometric distribution of the per-step Bernoulli(rate·dt) process
/// Brian2 simulates, so the cost is per spike, not per neuron per step. A time-varying rate falls
/// back to one draw per neuron per step.
/// </summary>
internal sealed class PoissonGroupRuntime : GroupRuntime
{
    private readonly int[] _spikes;
    private int _spikeCount;

    // Constant-rate path: a min-heap of (next spike step, neuron).
    private readonly double[]? _p;
    private readonly long[]? _heapStep;
    private readonly int[]? _heapNeuron;
    private readonly long[]? _drawn;
    private readonly uint _stream;
    private readonly ulong _seed;

    // Time-varying path: a kernel whose threshold is rand () < rate·dt.
    private readonly NeuronUpdateKernel? _kernel;
    private readonly NeuronArrays? _arrays;

    public PoissonGroupRuntime(PoissonGroupIR ir, IBackend backend, double dt, ulong seed, double[] host)
        : base(ir.Name, ir.Size)
    {
        _spikes = new int[ir.Size];
        _seed = seed;
        _stream = CounterRng.StreamId($"{ir.Name}/poisson");
        var rate = Folder.Fold(ir.Rate);
        var probability = Folder.Fold(new IrBinary(BinaryOp.Multiply, rate, new IrConst(dt, Dimension.Time), Dimension.None));
        if (IrRewrite.Mentions(rate, e => e is IrSpecial { Kind: Special.Time } or IrRandom or IrHost))
        {
            _arrays = new NeuronArrays { Vars = [], LastSpike = new long[ir.Size], Spikes = _spikes, Sentinel = new double[1], Seed = seed, Host = host };
            // The Bernoulli draw needs a site of its own: a rate that draws (rand () in it) numbers its draws from 0.
            var site = 0;
            IrRewrite.Mentions(probability, e =>
            {
                if (e is IrRandom r)
                    site = Math.Max(site, r.Site + 1);
                return false;
            });
            var threshold = new IrBinary(BinaryOp.Less, new IrRandom(RandomKind.Uniform, site), probability, Dimension.None);
            _kernel = backend.NeuronUpdate(new NeuronUpdateSpec($"{ir.Name}_poisson", [], threshold, null, _stream), dt);
            return;
        }
        _p = new double[ir.Size];
        if (Folder.TryValue(probability, out var constant))
            Array.Fill(_p, constant);
        else
            for (var i = 0; i < ir.Size; i++)
                _p[i] = Evaluate(probability, i);
        _heapStep = new long[ir.Size];
        _heapNeuron = new int[ir.Size];
        _drawn = new long[ir.Size];
        for (var i = 0; i < ir.Size; i++)
        {
            _heapStep[i] = NextGap(i) - 1;
            _heapNeuron[i] = i;
        }
        for (var k = ir.Size / 2 - 1; k >= 0; k--)
            SiftDown(k, ir.Size);
        _heapCount = ir.Size;
    }

    private int _heapCount;

    public override long Bytes =>
        (long)_spikes.Length * sizeof(int) + (_p?.Length ?? 0) * (long)sizeof(double) + (_heapStep?.Length ?? 0) * (long)sizeof(long)
        + (_heapNeuron?.Length ?? 0) * (long)sizeof(int) + (_drawn?.Length ?? 0) * (long)sizeof(long) + (_arrays?.LastSpike.Length ?? 0) * (long)sizeof(long);

    private static double Evaluate(IrExpr e, int i) => Folder.Evaluate(ReplaceIndex(e, i)) ?? double.NaN;

    private static IrExpr ReplaceIndex(IrExpr e, int i) => e switch
    {
        IrSpecial { Kind: Special.I } => new IrConst(i, Dimension.None),
        IrUnary u => u with { Operand = ReplaceIndex(u.Operand, i) },
        IrBinary b => b with { Left = ReplaceIndex(b.Left, i), Right = ReplaceIndex(b.Right, i) },
        IrCall c => c with { Arguments = [.. c.Arguments.Select(a => ReplaceIndex(a, i))] },
        IrCond c => c with { Condition = ReplaceIndex(c.Condition, i), Then = ReplaceIndex(c.Then, i), Else = ReplaceIndex(c.Else, i) },
        _ => e,
    };

    /// <summary>Steps to the next spike (at least 1), the k-th draw of neuron i's own stream.</summary>
    private long NextGap(int i)
    {
        var p = _p![i];
        if (p <= 0)
            return long.MaxValue / 2;
        return Math.Min(long.MaxValue / 4, new CounterRng(_seed).Geometric(_stream, (uint)i, (ulong)_drawn![i]++, p));
    }

    public override ReadOnlySpan<int> Spikes => _spikes.AsSpan(0, _spikeCount);

    public override void Update(long step, WorkerPool pool)
    {
        if (_kernel is not null)
        {
            _spikeCount = _kernel(_arrays!, 0, Size, step, 0);
        }
        else
        {
            var n = 0;
            // Pop every neuron due now; ties leave the heap in neuron order, so the list is ascending.
            while (_heapCount > 0 && _heapStep![0] <= step)
            {
                var i = _heapNeuron![0];
                _spikes[n++] = i;
                _heapStep[0] = step + NextGap(i);
                SiftDown(0, _heapCount);
            }
            _spikeCount = n;
        }
        TotalSpikes += _spikeCount;
    }

    public override void Save(StateBag bag)
    {
        base.Save(bag);
        bag.Put(Key("size"), (long)Size);
        if (_p is null)
            return;
        bag.Put(Key("poisson/p"), _p);
        bag.Put(Key("poisson/heapStep"), _heapStep!);
        bag.Put(Key("poisson/heapNeuron"), _heapNeuron!);
        bag.Put(Key("poisson/drawn"), _drawn!);
    }

    /// <remarks>The pending spike times are carried only if every neuron's rate is unchanged.</remarks>
    public override void Load(StateBag bag, CarryReport report)
    {
        if (!SameShape(bag, report))
            return;
        LoadCounts(bag);
        if (_p is null)
            return;
        if (bag.Array<double>(Key("poisson/p"), Size) is not { } p || !p.AsSpan().SequenceEqual(_p))
        {
            report.Left($"population {Name}: its pending spikes (the rates changed; they are drawn afresh)");
            return;
        }
        if (bag.Array<long>(Key("poisson/heapStep"), Size) is { } steps
            && bag.Array<int>(Key("poisson/heapNeuron"), Size) is { } neurons
            && bag.Array<long>(Key("poisson/drawn"), Size) is { } drawn)
        {
            steps.CopyTo(_heapStep!, 0);
            neurons.CopyTo(_heapNeuron!, 0);
            drawn.CopyTo(_drawn!, 0);
        }
    }

    private bool Less(int a, int b) =>
        _heapStep![a] < _heapStep[b] || (_heapStep[a] == _heapStep[b] && _heapNeuron![a] < _heapNeuron[b]);

    private void SiftDown(int k, int count)
    {
        while (true)
        {
            var l = 2 * k + 1;
            if (l >= count) return;
            var m = l + 1 < count && Less(l + 1, l) ? l + 1 : l;
            if (!Less(m, k)) return;
            (_heapStep![k], _heapStep[m]) = (_heapStep[m], _heapStep[k]);
            (_heapNeuron![k], _heapNeuron[m]) = (_heapNeuron[m], _heapNeuron[k]);
            k = m;
        }
    }
}

/// <summary>Spikes at given times, each emitted in the step whose interval contains it (as Brian2's SpikeGeneratorGroup).</summary>
internal sealed class SpikeTimesRuntime : GroupRuntime
{
    private readonly (long Step, int Neuron)[] _schedule;
    private readonly int[] _spikes;
    private int _next;
    private int _spikeCount;

    public SpikeTimesRuntime(SpikeTimesIR ir, double dt) : base(ir.Name, ir.Size)
    {
        // A relative tolerance keeps 10 ms at dt = 0.1 ms in step 100, not 99, despite rounding.
        _schedule = ir.Spikes
            .Select(s => ((long)Math.Floor(s.Time / dt + 1e-6), s.Neuron))
            .Distinct()
            .OrderBy(s => s.Item1).ThenBy(s => s.Item2)
            .ToArray();
        _spikes = new int[Math.Max(1, ir.Size)];
    }

    public override ReadOnlySpan<int> Spikes => _spikes.AsSpan(0, _spikeCount);

    public override long Bytes => (long)_spikes.Length * sizeof(int) + (long)_schedule.Length * (sizeof(long) + sizeof(int));

    public override void Save(StateBag bag)
    {
        base.Save(bag);
        bag.Put(Key("size"), (long)Size);
    }

    public override void Update(long step, WorkerPool pool)
    {
        while (_next < _schedule.Length && _schedule[_next].Step < step)
            _next++;
        var n = 0;
        while (_next < _schedule.Length && _schedule[_next].Step == step)
            _spikes[n++] = _schedule[_next++].Neuron;
        _spikeCount = n;
        TotalSpikes += n;
    }
}
