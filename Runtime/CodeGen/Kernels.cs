using System.Collections.Immutable;
using BioLang.Language.IR;
using BioLang.Language.Text;

namespace BioLang.Runtime.CodeGen;

/// <summary>The arrays a neuron group's kernels work on. One contiguous array per state variable.</summary>
internal sealed class NeuronArrays
{
    public required double[][] Vars { get; init; }

    /// <summary>Step of each neuron's last spike (far in the past initially).</summary>
    public required long[] LastSpike { get; init; }

    /// <summary>Where an update kernel writes the indices of neurons that spiked, at its own range.</summary>
    public required int[] Spikes { get; init; }

    /// <summary>One accumulator per worker: the sum of the values a kernel wrote, not finite when one of them was not.</summary>
    public required double[] Sentinel { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>The host values (<c>host name = ...</c>), shared by the whole network.</summary>
    public double[] Host { get; init; } = [];

    /// <summary>Set by a statements kernel (a reset) that stored a value that is not finite, or finite values whose sum overflowed.</summary>
    public bool NotFinite;
}

/// <summary>The arrays a projection's kernels work on.</summary>
internal sealed class SynapseArrays
{
    /// <summary>Synaptic state in double precision, one array per variable (empty when the model asked for single precision).</summary>
    public required double[][] Vars { get; set; }

    /// <summary>
    /// Synaptic state in single precision (<c>precision = single</c>): half the memory; kernels compute in double.
    /// One record of <see cref="Stride"/> floats per synapse, its variables and then, with event-driven
    /// variables, the step of its last event (as the bits of an int): an on-post kernel, which visits
    /// the synapses of a column each in another row, touches one cache line per synapse, not one per variable.
    /// </summary>
    public float[]? Packed { get; init; }

    /// <summary>Floats per synapse record in <see cref="Packed"/>.</summary>
    public int Stride { get; init; }

    /// <summary>Variables per synapse record in <see cref="Packed"/>; the last-event step, when there is one, follows them.</summary>
    public int PackedVars { get; init; }

    public bool Single => Packed is not null;

    public int VarCount => Single ? PackedVars : Vars.Length;

    public double Get(int var, int synapse) => Single ? Packed![synapse * Stride + var] : Vars[var][synapse];

    public void Set(int var, int synapse, double value)
    {
        if (Single) Packed![synapse * Stride + var] = (float)value;
        else Vars[var][synapse] = value;
    }

    /// <summary>A variable of every synapse slot as doubles (a copy when stored in single precision).</summary>
    public double[] Doubles(int var)
    {
        if (!Single)
            return Vars[var];
        var values = new double[Packed!.Length / Math.Max(1, Stride)];
        for (var s = 0; s < values.Length; s++)
            values[s] = Packed[s * Stride + var];
        return values;
    }

    /// <summary>Whether synapses remember the step of their last event (for event-driven variables).</summary>
    public bool EventDriven => Single ? Stride > PackedVars : LastUpdate is not null;

    /// <summary>The step of synapse <paramref name="synapse"/>'s last event.</summary>
    public int LastStep(int synapse) => Single ? BitConverter.SingleToInt32Bits(Packed![synapse * Stride + PackedVars]) : LastUpdate![synapse];

    public void SetLastStep(int synapse, int step)
    {
        if (Single) Packed![synapse * Stride + PackedVars] = BitConverter.Int32BitsToSingle(step);
        else LastUpdate![synapse] = step;
    }

    public required double[][] PreVars { get; init; }

    public required double[][] PostVars { get; init; }

    /// <summary>CSR by presynaptic row: synapses of row r are RowStart[r] .. RowStart[r] + RowCount[r].</summary>
    public required int[] RowStart { get; set; }

    public required int[] RowCount { get; set; }

    /// <summary>Postsynaptic neuron of each synapse, as an index into the post population's arrays.</summary>
    public required int[] Post { get; set; }

    /// <summary>Presynaptic neuron of each synapse (pre population index), kept only when a kernel needs it.</summary>
    public int[]? Pre { get; set; }

    /// <summary>
    /// Set by a kernel that stored a value that is not finite (or, rarely, finite values whose sum overflowed):
    /// the projection then looks for it, names it, and clears the flag. Every writer writes true, so
    /// kernels running on several workers need no synchronisation.
    /// </summary>
    public volatile bool NotFinite;

    /// <summary>Step of each synapse's last event, for event-driven variables (double precision; see <see cref="Packed"/> for single).</summary>
    public int[]? LastUpdate { get; set; }

    /// <summary>The synapses onto each postsynaptic neuron (relative index c): ColSynapses[ColStart[c] .. ColStart[c + 1]].</summary>
    public int[]? ColStart { get; set; }

    public int[]? ColSynapses { get; set; }

    /// <summary>The same arrays with other row bounds: a worker's share of every row (see ProjectionRuntime's parallel delivery).</summary>
    public SynapseArrays WithRows(int[] rowStart, int[] rowCount)
    {
        var share = (SynapseArrays)MemberwiseClone();
        share.RowStart = rowStart;
        share.RowCount = rowCount;
        return share;
    }

    /// <summary>First neuron of the projection's pre and post ranges (a slice may not start at 0).</summary>
    public required int PreStart { get; init; }

    public required int PostStart { get; init; }

    public required ulong Seed { get; init; }
}

/// <summary>Integrates neurons [start, end) one step, detects spikes, returns how many it wrote at Spikes[start..].</summary>
internal delegate int NeuronUpdateKernel(NeuronArrays g, int start, int end, long step, int worker);

/// <summary>Runs per-neuron statements for the listed neurons (a reset), or for the range [0, count) when indices is null (an initialisation).</summary>
internal delegate void NeuronStatementsKernel(NeuronArrays g, int[]? indices, int start, int count, long step);

/// <summary>Runs a synapse handler for every synapse of the listed presynaptic rows (relative to the projection's pre range).</summary>
internal delegate void SynapseRowsKernel(SynapseArrays p, int[] rows, int count, long step);

/// <summary>Runs a synapse handler for the listed synapses, or for the range [start, start + count) when indices is null (an initialisation).</summary>
internal delegate void SynapseListKernel(SynapseArrays p, int[]? synapses, int start, int count, long step);

/// <summary>Runs a synapse handler for every synapse onto the listed postsynaptic neurons (relative to the projection's post range).</summary>
internal delegate void SynapseColsKernel(SynapseArrays p, int[] cols, int count, long step);

/// <summary>One integration step plus threshold, as statements over one neuron.</summary>
internal sealed record NeuronUpdateSpec(
    string Name,
    ImmutableArray<IrStmt> Body,
    IrExpr? Threshold,
    IrExpr? RefractorySteps,
    uint Stream)
{
    /// <summary>Statements run before the body in steps that are multiples of their period (in steps).</summary>
    public ImmutableArray<(long Steps, ImmutableArray<IrStmt> Statements)> Periodic { get; init; } = [];
}

/// <summary>Statements over one element: a reset, an initialisation, a synapse handler.</summary>
internal sealed record StatementsSpec(string Name, ImmutableArray<IrStmt> Body, uint Stream)
{
    /// <summary>The synapses' state is stored in single precision (float arrays).</summary>
    public bool Single { get; init; }
}

/// <summary>
/// A code-generation backend. Every backend turns the same specs into kernels with the same
/// semantics; the interpreter is the oracle the compiled backends are tested against.
/// </summary>
internal interface IBackend
{
    string Name { get; }

    NeuronUpdateKernel NeuronUpdate(NeuronUpdateSpec spec, double dt);

    NeuronStatementsKernel NeuronStatements(StatementsSpec spec, double dt);

    SynapseRowsKernel SynapseRows(StatementsSpec spec, double dt);

    SynapseListKernel SynapseList(StatementsSpec spec, double dt);

    SynapseColsKernel SynapseCols(StatementsSpec spec, double dt);

    /// <summary>A kernel over a range of synapse slots for a block that visits every synapse, or null to use <see cref="SynapseRows"/>.</summary>
    SynapseRangeKernel? SynapseRange(StatementsSpec spec, double dt);

    /// <summary>A function of a pair (i, j), for connection rules and per-synapse delays; random draws use element i and counter j.</summary>
    PairFunction Pair(IrExpr expr, ulong seed, uint stream, string name);
}

/// <summary>A value per (pre, post) pair, indices relative to the projection's ranges.</summary>
internal delegate double PairFunction(int i, int j);

/// <summary>Counter-based random numbers as kernels draw them: the value is a function of (seed, stream, element, step, site).</summary>
internal static class KernelRandom
{
    /// <summary>Draw sites per kernel; the counter of a draw is step·SitesPerStep + site.</summary>
    public const int SitesPerStep = 1024;

    public static double Uniform(ulong seed, uint stream, int element, long step, int site) =>
        new Randomness.CounterRng(seed).Uniform(stream, (uint)element, (ulong)step * SitesPerStep + (ulong)site);

    public static double Normal(ulong seed, uint stream, int element, long step, int site) =>
        new Randomness.CounterRng(seed).Normal(stream, (uint)element, (ulong)step * SitesPerStep + (ulong)site);

    public static double Draw(RandomKind kind, ulong seed, uint stream, int element, long step, int site) =>
        kind == RandomKind.Uniform ? Uniform(seed, stream, element, step, site) : Normal(seed, stream, element, step, site);

    /// <summary>The draws of four consecutive elements at once, bit for bit those of <see cref="Draw"/> (see <see cref="Randomness.PhiloxLanes"/>).</summary>
    public static System.Numerics.Vector<double> DrawLanes(RandomKind kind, ulong seed, uint stream, int element, long step, int site) =>
        kind == RandomKind.Uniform
            ? Randomness.PhiloxLanes.Uniform(seed, stream, element, (ulong)step * SitesPerStep + (ulong)site)
            : Randomness.PhiloxLanes.Normal(seed, stream, element, (ulong)step * SitesPerStep + (ulong)site);

    public static System.Runtime.Intrinsics.Vector256<double> DrawLanes256(RandomKind kind, ulong seed, uint stream, int element, long step, int site) =>
        kind == RandomKind.Uniform
            ? Randomness.PhiloxLanes.Uniform256(seed, stream, element, (ulong)step * SitesPerStep + (ulong)site)
            : Randomness.PhiloxLanes.Normal256(seed, stream, element, (ulong)step * SitesPerStep + (ulong)site);
}

/// <summary>Where a state variable's equation is, for "v became NaN" messages.</summary>
internal sealed record VariableOrigin(string Population, string Variable, Span? Span);
