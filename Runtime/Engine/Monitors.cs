using BioLang.Language.IR;

namespace BioLang.Runtime.Engine;

/// <summary>A recorder attached to the step loop.</summary>
internal abstract class MonitorRuntime(MonitorIR ir)
{
    public MonitorIR IR { get; } = ir;

    public string Name => IR.Name;

    /// <summary>Before the groups update (Brian2's "start" slot): state is at time t = step·dt.</summary>
    public virtual void BeforeUpdate(long step)
    {
    }

    /// <summary>After threshold detection (Brian2's "thresholds" slot): this step's spikes are known.</summary>
    public virtual void AfterThreshold(long step)
    {
    }

    protected string Key(string part) => $"mon/{Name}/{part}";

    /// <summary>Writes what was recorded, so a restored run goes on recording where it was.</summary>
    public abstract void Save(StateBag bag);

    public abstract void Load(StateBag bag);

    protected static void Restore<T>(Growable<T> into, T[]? from)
    {
        if (from is null) return;
        into.Clear();
        into.AddRange(from);
    }
}

/// <summary>Every spike of a population or slice: its step and the neuron's index within what is monitored.</summary>
internal sealed class SpikeMonitorRuntime(SpikeMonitorIR ir, GroupRuntime group) : MonitorRuntime(ir)
{
    private readonly int _start = ir.Target.Start;
    private readonly int _end = ir.Target.Start + ir.Target.Count;

    public Growable<long> Steps { get; } = new(1024);

    public Growable<int> Neurons { get; } = new(1024);

    public int Size => ir.Target.Count;

    public override void AfterThreshold(long step)
    {
        foreach (var i in group.Spikes)
        {
            if (i < _start || i >= _end)
                continue;
            Steps.Add(step);
            Neurons.Add(i - _start);
        }
    }

    public override void Save(StateBag bag)
    {
        bag.Put(Key("steps"), Steps.ToArray());
        bag.Put(Key("neurons"), Neurons.ToArray());
        bag.Put(Key("size"), (long)Size);
    }

    /// <remarks>What was recorded is carried over only while the monitored neurons are as many: their indices would mean other neurons.</remarks>
    public override void Load(StateBag bag)
    {
        var steps = bag.Array<long>(Key("steps"));
        var neurons = bag.Array<int>(Key("neurons"));
        if (steps is null || neurons is null || steps.Length != neurons.Length || (bag.Long(Key("size")) ?? Size) != Size)
            return;
        Restore(Steps, steps);
        Restore(Neurons, neurons);
    }
}

/// <summary>A state variable of chosen neurons every few steps.</summary>
internal sealed class StateMonitorRuntime(StateMonitorIR ir, NeuronGroupRuntime group) : MonitorRuntime(ir)
{
    private readonly int[] _indices = [.. ir.Indices];

    public IReadOnlyList<int> Indices => _indices;

    public string Variable => group.Model.State[ir.Var].Name;

    public Language.Units.Dimension Dimension => group.Model.State[ir.Var].Dimension;

    public Growable<long> Steps { get; } = new(256);

    /// <summary>Samples in time-major order: sample k, neuron n at k·Indices.Count + n.</summary>
    public Growable<double> Values { get; } = new(1024);

    public override void BeforeUpdate(long step)
    {
        if (step % ir.IntervalSteps != 0)
            return;
        Steps.Add(step);
        var values = group.Arrays.Vars[ir.Var];
        foreach (var i in _indices)
            Values.Add(values[i]);
    }

    public override void Save(StateBag bag)
    {
        bag.Put(Key("steps"), Steps.ToArray());
        bag.Put(Key("values"), Values.ToArray());
        bag.Put(Key("indices"), _indices);
    }

    public override void Load(StateBag bag)
    {
        var steps = bag.Array<long>(Key("steps"));
        var values = bag.Array<double>(Key("values"));
        if (steps is null || values is null || bag.Array<int>(Key("indices")) is not { } indices || !indices.AsSpan().SequenceEqual(_indices))
            return;
        Restore(Steps, steps);
        Restore(Values, values);
    }
}

/// <summary>The population rate: spikes per neuron per second in bins of a few steps.</summary>
internal sealed class RateMonitorRuntime(RateMonitorIR ir, GroupRuntime group, double dt) : MonitorRuntime(ir)
{
    private readonly int _start = ir.Target.Start;
    private readonly int _end = ir.Target.Start + ir.Target.Count;
    private long _count;
    private int _stepsInBin;
    private long _firstStep;

    /// <summary>Start step of each completed bin.</summary>
    public Growable<long> Steps { get; } = new(1024);

    public Growable<double> RatesHz { get; } = new(1024);

    /// <summary>
    /// The completed bins and, when the run stopped inside one, the partial bin as well (its rate over the
    /// steps it has): what outputs and readouts show, so that the end of a run is not silently dropped.
    /// </summary>
    public (long[] Steps, double[] RatesHz) Bins()
    {
        if (_stepsInBin == 0)
            return (Steps.ToArray(), RatesHz.ToArray());
        var start = Steps.Count == 0 ? _firstStep : Steps.Span[^1] + ir.BinSteps;
        return ([.. Steps.Span, start], [.. RatesHz.Span, _count / (ir.Target.Count * _stepsInBin * dt)]);
    }

    public override void AfterThreshold(long step)
    {
        if (_stepsInBin == 0 && Steps.Count == 0)
            _firstStep = step;
        var spikes = group.Spikes;
        if (_start == 0 && _end == group.Size)
            _count += spikes.Length;
        else
            foreach (var i in spikes)
                if (i >= _start && i < _end)
                    _count++;
        if (++_stepsInBin < ir.BinSteps)
            return;
        Steps.Add(step + 1 - ir.BinSteps);
        RatesHz.Add(_count / (ir.Target.Count * ir.BinSteps * dt));
        _count = 0;
        _stepsInBin = 0;
    }

    public override void Save(StateBag bag)
    {
        bag.Put(Key("steps"), Steps.ToArray());
        bag.Put(Key("rates"), RatesHz.ToArray());
        bag.Put(Key("count"), _count);
        bag.Put(Key("stepsInBin"), (long)_stepsInBin);
        bag.Put(Key("firstStep"), _firstStep);
        bag.Put(Key("bin"), (long)ir.BinSteps);
    }

    public override void Load(StateBag bag)
    {
        if (bag.Long(Key("bin")) != ir.BinSteps || bag.Array<long>(Key("steps")) is not { } steps || bag.Array<double>(Key("rates")) is not { } rates)
            return;
        Restore(Steps, steps);
        Restore(RatesHz, rates);
        _count = bag.Long(Key("count")) ?? 0;
        _stepsInBin = (int)(bag.Long(Key("stepsInBin")) ?? 0);
        _firstStep = bag.Long(Key("firstStep")) ?? 0;
    }
}

/// <summary>A synaptic variable (the weight) of some or all synapses of a projection every few steps.</summary>
internal sealed class WeightMonitorRuntime(WeightMonitorIR ir, ProjectionRuntime projection) : MonitorRuntime(ir)
{
    /// <summary>The synapses recorded: the chosen indices, or every synapse in row order.</summary>
    public int[] Synapses { get; } = ir.Synapses is { } chosen
        ? [.. chosen.Where(s => s < projection.Arrays.Post.Length)]
        : AllSynapses(projection.Connectivity);

    public ProjectionRuntime Projection => projection;

    public Growable<long> Steps { get; } = new(64);

    /// <summary>Samples in time-major order: sample k, synapse n at k·Synapses.Length + n.</summary>
    public Growable<double> Values { get; } = new(1024);

    private static int[] AllSynapses(Connectivity c)
    {
        var result = new int[c.Synapses];
        var n = 0;
        for (var r = 0; r < c.Rows; r++)
            for (var s = c.RowStart[r]; s < c.RowStart[r] + c.RowCount[r]; s++)
                result[n++] = s;
        return result;
    }

    public override void BeforeUpdate(long step)
    {
        if (step % ir.IntervalSteps != 0)
            return;
        Steps.Add(step);
        foreach (var s in Synapses)
            Values.Add(projection.Arrays.Get(ir.Var, s));
    }

    public override void Save(StateBag bag)
    {
        bag.Put(Key("steps"), Steps.ToArray());
        bag.Put(Key("values"), Values.ToArray());
        bag.Put(Key("synapses"), Synapses);
    }

    public override void Load(StateBag bag)
    {
        if (bag.Array<int>(Key("synapses")) is not { } synapses || !synapses.AsSpan().SequenceEqual(Synapses)
            || bag.Array<long>(Key("steps")) is not { } steps || bag.Array<double>(Key("values")) is not { } values)
            return;
        Restore(Steps, steps);
        Restore(Values, values);
    }
}
