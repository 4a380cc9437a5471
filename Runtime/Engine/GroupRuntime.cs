namespace BioLang.Runtime.Engine;

/// <summary>A population at run time: whatever it is, each step it produces a sorted list of spiking neurons.</summary>
internal abstract class GroupRuntime(string name, int size)
{
    public string Name { get; } = name;

    public int Size { get; } = size;

    /// <summary>Neurons that spiked this step, ascending.</summary>
    public abstract ReadOnlySpan<int> Spikes { get; }

    public long TotalSpikes { get; protected set; }

    /// <summary>The step <see cref="TotalSpikes"/> counts from: 0, or the step at which a live edit rebuilt the group afresh.</summary>
    public long CountingSince { get; set; }

    /// <summary>Bytes of the arrays this group holds (state, last spikes, spike list, input schedules), for the memory report.</summary>
    public abstract long Bytes { get; }

    /// <summary>Advances the group to the end of step <paramref name="step"/> and finds who spiked.</summary>
    public abstract void Update(long step, WorkerPool pool);

    /// <summary>Runs the reset of the neurons that spiked this step (after synaptic propagation, as in Brian2's schedule).</summary>
    public virtual void Reset(long step)
    {
    }

    /// <summary>State variable names and arrays, for monitors and the host API.</summary>
    public virtual IReadOnlyList<string> VariableNames => [];

    public virtual double[] Variable(int index) => throw new InvalidOperationException($"{Name} has no state variables");

    protected string Key(string part) => $"pop/{Name}/{part}";

    /// <summary>Writes this group's state into <paramref name="bag"/> (see <see cref="StateBag"/>).</summary>
    public virtual void Save(StateBag bag)
    {
        bag.Put(Key("spikes"), TotalSpikes);
        bag.Put(Key("since"), CountingSince);
    }

    /// <summary>Takes over whatever state in <paramref name="bag"/> still fits this group, and says in <paramref name="report"/> what did not.</summary>
    public virtual void Load(StateBag bag, CarryReport report)
    {
        if (SameShape(bag, report))
            LoadCounts(bag);
    }

    /// <summary>Whether the bag holds a group of this name and size; the report says which, and if not, why.</summary>
    protected bool SameShape(StateBag bag, CarryReport report)
    {
        switch (bag.Long(Key("size")))
        {
            case null:
                report.Left($"population {Name} (not in the checkpoint)");
                return false;
            case var saved when saved != Size:
                report.Left($"population {Name} (size {saved} → {Size})");
                return false;
            default:
                report.Took($"population {Name}");
                return true;
        }
    }

    protected void LoadCounts(StateBag bag)
    {
        if (bag.Long(Key("spikes")) is { } spikes)
        {
            TotalSpikes = spikes;
            CountingSince = bag.Long(Key("since")) ?? 0;
        }
    }
}
