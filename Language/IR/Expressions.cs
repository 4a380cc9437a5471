using System.Collections.Immutable;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.IR;

public enum IrType
{
    Real,
    Bool,
}

/// <summary>
/// A bound, typed expression. Values are in SI base units (a written 10&lt;ms&gt; is 0.01).
/// Every node that came from source keeps its span, so the runtime can point at it.
/// </summary>
public abstract record IrExpr(Dimension Dimension, Span? Span)
{
    public virtual IrType Type => IrType.Real;
}

public sealed record IrConst(double Value, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span);

public sealed record IrBool(bool Value, Span? Span = null) : IrExpr(Dimension.None, Span)
{
    public override IrType Type => IrType.Bool;
}

/// <summary>A named model parameter; a compile-time constant, named so dumps and messages can say which.</summary>
public sealed record IrParam(string Name, double Value, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span);

/// <summary>Where a variable lives.</summary>
public enum VarScope
{
    /// <summary>A state variable of the neuron being updated.</summary>
    Neuron,
    /// <summary>A state variable of a synapse's presynaptic neuron.</summary>
    Pre,
    /// <summary>A state variable of a synapse's postsynaptic neuron.</summary>
    Post,
    /// <summary>A state variable of the synapse itself.</summary>
    Synapse,
    /// <summary>A local of a handler or an integration step.</summary>
    Local,
}

/// <summary>A variable: its scope, its index in that scope's variable list, its name.</summary>
public sealed record VarRef(VarScope Scope, int Index, string Name)
{
    public override string ToString() => Scope switch
    {
        VarScope.Pre => "pre." + Name,
        VarScope.Post => "post." + Name,
        VarScope.Local => "%" + Name,
        _ => Name,
    };
}

public sealed record IrVar(VarRef Ref, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span);

/// <summary>Built-in quantities: time, the step, and indices.</summary>
public enum Special
{
    /// <summary>Simulation time t.</summary>
    Time,
    /// <summary>The time step dt.</summary>
    Dt,
    /// <summary>Index of the neuron (neuron context) or of the presynaptic neuron (synapse context).</summary>
    I,
    /// <summary>Index of the postsynaptic neuron.</summary>
    J,
}

public sealed record IrSpecial(Special Kind, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span);

public enum UnaryOp
{
    Negate,
    Not,
}

public sealed record IrUnary(UnaryOp Op, IrExpr Operand, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span)
{
    public override IrType Type => Op == UnaryOp.Not ? IrType.Bool : IrType.Real;
}

public enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Power,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
    And,
    Or,
}

public sealed record IrBinary(BinaryOp Op, IrExpr Left, IrExpr Right, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span)
{
    public override IrType Type => Op >= BinaryOp.Less ? IrType.Bool : IrType.Real;
}

/// <summary>Deterministic built-in functions.</summary>
public enum Builtin
{
    Exp, Log, Log10, Sqrt, Abs, Min, Max, Clip, Sin, Cos, Tan, Tanh, Sinh, Cosh, Atan, Atan2, Floor, Ceil, Round, Sign, Heaviside,
    /// <summary>(e^x - 1)/x, 1 at 0: exponential Euler without the division by zero.</summary>
    Exprel,
}

public sealed record IrCall(Builtin Function, ImmutableArray<IrExpr> Arguments, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span);

public sealed record IrCond(IrExpr Condition, IrExpr Then, IrExpr Else, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span)
{
    public override IrType Type => Then.Type;
}

public enum RandomKind
{
    /// <summary>Uniform on [0, 1).</summary>
    Uniform,
    /// <summary>Standard normal.</summary>
    Normal,
}

/// <summary>
/// A random draw. <paramref name="Site"/> numbers the draws of one kernel so each has its own
/// counter-based stream: the value depends on (seed, stream, entity, step, site) and nothing else.
/// </summary>
public sealed record IrRandom(RandomKind Kind, int Site, Span? Span = null) : IrExpr(Dimension.None, Span);

/// <summary>A host value (<c>host reward = 0</c>): set by the embedding program between steps, read by neurons.</summary>
public sealed record IrHost(int Index, string Name, Dimension Dimension, Span? Span = null) : IrExpr(Dimension, Span);

/// <summary>Stands in for an expression that failed to bind, so one mistake is reported once.</summary>
public sealed record IrError(Span? Span = null) : IrExpr(Dimension.None, Span);
