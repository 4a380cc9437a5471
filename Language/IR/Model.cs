using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.IR;

/// <summary>The whole network as the runtime receives it: the one contract between Language and Runtime.</summary>
public sealed record ModelIR(
    double Dt,
    ulong? Seed,
    Precision Precision,
    ImmutableArray<PopulationIR> Populations,
    ImmutableArray<ProjectionIR> Projections,
    ImmutableArray<MonitorIR> Monitors,
    ImmutableArray<RunIR> Runs)
{
    public double Duration => Runs.Sum(r => r.Duration);

    /// <summary>The top-level constants (<c>let x = ...</c>) and their values, for the REPL and the host.</summary>
    public ImmutableDictionary<string, IrExpr> Constants { get; init; } = ImmutableDictionary<string, IrExpr>.Empty;

    /// <summary>State assignments to run once on a population (the REPL's <c>P.v &lt;- -65&lt;mV&gt;</c>), after the network is built.</summary>
    public ImmutableArray<(int Population, ImmutableArray<IrStmt> Statements)> Assignments { get; init; } = [];

    /// <summary>Values set by the host (<c>host name = initial</c>), indexed as IrHost.Index.</summary>
    public ImmutableArray<HostIR> Hosts { get; init; } = [];

    public PopulationIR Population(string name) => Populations.First(p => p.Name == name);
}

public enum Precision
{
    Double,
    Single,
}

public sealed record RunIR(double Duration, Span? Span);

/// <summary>A value the host sets while the network runs: its name, dimension and initial value (SI).</summary>
public sealed record HostIR(string Name, Dimension Dimension, double Initial, Span? Span);

public sealed record ParamIR(string Name, double Value, Dimension Dimension, Span? Span);

/// <summary>A state variable: per neuron or per synapse, with the expression that initialises it.</summary>
public sealed record StateVarIR(string Name, Dimension Dimension, IrExpr Init, Span? Span);

public enum OdeTiming
{
    /// <summary>Integrated every step.</summary>
    Clock,
    /// <summary>Integrated lazily, from the last event to the next (synaptic traces).</summary>
    Event,
}

/// <summary><c>dx/dt = rhs</c> for state variable <paramref name="Var"/> (aliases already substituted).</summary>
public sealed record OdeIR(int Var, IrExpr Rhs, bool UnlessRefractory, OdeTiming Timing, Span? Span);

public enum IntegrationMethod
{
    Exact,
    ExponentialEuler,
    Euler,
    Rk2,
    Rk4,
}

/// <summary>
/// A linear system with constant coefficients, dX/dt = A X + b, over the ODE variables
/// <paramref name="Vars"/>; <paramref name="Inputs"/> are state variables without an equation,
/// constant between events, with coefficients in the extra columns of A.
/// </summary>
public sealed record LinearSystemIR(ImmutableArray<int> Vars, ImmutableArray<int> Inputs, double[,] A, double[] B);

/// <summary>A neuron model as instantiated for one population (parameter overrides applied).</summary>
public sealed record NeuronModelIR(
    string Name,
    ImmutableArray<ParamIR> Parameters,
    ImmutableArray<StateVarIR> State,
    ImmutableArray<OdeIR> Equations,
    IntegrationMethod Method,
    LinearSystemIR? Linear,
    IrExpr? Threshold,
    ImmutableArray<IrStmt> Reset,
    IrExpr? Refractory,
    Span? Span)
{
    /// <summary><c>every T</c> blocks, run for each neuron before it integrates, in the steps that start a period.</summary>
    public ImmutableArray<PeriodicIR> Periodic { get; init; } = [];

    /// <summary>A rate model: no spikes; its output is the state variable r.</summary>
    public bool IsRate { get; init; }

    public int VarIndex(string name) => State.Select((v, i) => (v, i)).FirstOrDefault(x => x.v.Name == name, (null!, -1)).Item2;
}

public abstract record PopulationIR(string Name, int Size, Span? Span);

public sealed record NeuronGroupIR(string Name, int Size, NeuronModelIR Model, Span? Span) : PopulationIR(Name, Size, Span);

/// <summary>Independent Poisson spike trains; the rate may depend on <c>t</c> and <c>i</c>.</summary>
public sealed record PoissonGroupIR(string Name, int Size, IrExpr Rate, Span? Span) : PopulationIR(Name, Size, Span);

/// <summary>Spikes at given times: (neuron, time in seconds), sorted by time then neuron.</summary>
public sealed record SpikeTimesIR(string Name, int Size, ImmutableArray<(int Neuron, double Time)> Spikes, Span? Span) : PopulationIR(Name, Size, Span);

/// <summary>A contiguous range of a population: the whole of it, or a slice <c>P[a .. b]</c>.</summary>
public sealed record PopRefIR(int Population, int Start, int Count, string Display);

/// <summary>A synapse model composed of its blocks (<c>Excitatory + Stdp</c>), bound for one projection.</summary>
public sealed record SynapseIR(
    string Name,
    ImmutableArray<ParamIR> Parameters,
    ImmutableArray<StateVarIR> State,
    ImmutableArray<OdeIR> Equations,
    ImmutableArray<IrStmt> OnPre,
    ImmutableArray<IrStmt> OnPost)
{
    /// <summary>How the clock-driven equations are integrated.</summary>
    public IntegrationMethod Method { get; init; } = IntegrationMethod.Euler;

    public LinearSystemIR? Linear { get; init; }

    /// <summary><c>every T</c> blocks, run for each synapse at the end of the steps that end a period.</summary>
    public ImmutableArray<PeriodicIR> Periodic { get; init; } = [];

    /// <summary><c>summed post.x = ...</c>: continuous coupling, recomputed every step before the neurons integrate.</summary>
    public ImmutableArray<SummedIR> Summed { get; init; } = [];

    public int VarIndex(string name) => State.Select((v, i) => (v, i)).FirstOrDefault(x => x.v.Name == name, (null!, -1)).Item2;
}

/// <summary>Statements run every <paramref name="Interval"/> seconds for each element.</summary>
public sealed record PeriodicIR(double Interval, ImmutableArray<IrStmt> Statements, Span? Span);

/// <summary>The postsynaptic variable <paramref name="Target"/> is, each step, the sum of <paramref name="Value"/> over the synapses onto the neuron.</summary>
public sealed record SummedIR(VarRef Target, IrExpr Value, Span? Span);

public abstract record ConnectRuleIR(Span? Span);

public sealed record AllToAllRule(Span? Span) : ConnectRuleIR(Span);

public sealed record OneToOneRule(Span? Span) : ConnectRuleIR(Span);

/// <summary>Each pair independently with probability P (may depend on i and j).</summary>
public sealed record ProbabilityRule(IrExpr P, Span? Span) : ConnectRuleIR(Span);

/// <summary>Each postsynaptic neuron gets K distinct presynaptic partners drawn uniformly.</summary>
public sealed record FixedIndegreeRule(int K, Span? Span) : ConnectRuleIR(Span);

/// <summary>Each presynaptic neuron gets K distinct postsynaptic partners drawn uniformly.</summary>
public sealed record FixedOutdegreeRule(int K, Span? Span) : ConnectRuleIR(Span);

/// <summary>Every pair for which the condition (over i, j, and random draws) holds.</summary>
public sealed record PredicateRule(IrExpr Condition, Span? Span) : ConnectRuleIR(Span);

public sealed record PairsRule(ImmutableArray<(int Pre, int Post)> Pairs, Span? Span) : ConnectRuleIR(Span);

public sealed record ProjectionIR(
    string Name,
    PopRefIR Pre,
    PopRefIR Post,
    SynapseIR Synapse,
    ConnectRuleIR Rule,
    IrExpr? Delay,
    bool NoAutapses,
    Span? Span);

public abstract record MonitorIR(string Name, Span? Span);

public sealed record SpikeMonitorIR(string Name, PopRefIR Target, Span? Span) : MonitorIR(Name, Span);

public sealed record StateMonitorIR(string Name, int Population, int Var, ImmutableArray<int> Indices, int IntervalSteps, Span? Span) : MonitorIR(Name, Span);

public sealed record RateMonitorIR(string Name, PopRefIR Target, int BinSteps, Span? Span) : MonitorIR(Name, Span);

/// <summary>A synaptic variable (the weight w) of some or all synapses of a projection every few steps.</summary>
public sealed record WeightMonitorIR(string Name, int Projection, int Var, ImmutableArray<int>? Synapses, int IntervalSteps, Span? Span) : MonitorIR(Name, Span);

/// <summary>What compiling a script produced: the model when there were no errors, and every diagnostic.</summary>
public sealed record CompilationResult(ModelIR? Model, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Success => Model is not null && !Diagnostics.Any(d => d.IsError);
}
