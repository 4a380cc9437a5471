using System.Collections.Immutable;
using BioLang.Language.Text;

namespace BioLang.Language.Syntax.Ast;

/// <summary>A parsed file: its top-level declarations in order.</summary>
public sealed record ProgramSyntax(SourceText Source, ImmutableArray<Decl> Declarations);

public abstract record Decl(Span Span) : SyntaxNode(Span);

/// <summary><c>open Neurons</c> (a stdlib module) or <c>open "file.bnn"</c>.</summary>
public sealed record OpenDecl(string Target, bool IsFile, Span Span) : Decl(Span);

/// <summary><c>let name = value</c> or <c>let f x y = body</c>.</summary>
public sealed record LetDecl(string Name, ImmutableArray<string> Parameters, Expr Value, Span NameSpan, Span Span) : Decl(Span);

/// <summary>A setting: <c>dt = 0.1&lt;ms&gt;</c>, <c>seed = 42</c>, <c>precision = single</c>.</summary>
public sealed record SettingDecl(string Name, Expr Value, Span Span) : Decl(Span);

public enum ModelKind
{
    Neuron,
    Synapse,
    Plasticity,
    /// <summary>A rate neuron: no spikes, its output is the state variable <c>r</c>.</summary>
    Rate,
}

/// <summary>
/// <c>neuron Name =</c>, <c>synapse Name =</c>, <c>plasticity Name =</c> and their sections; or a
/// variant of another model with new parameter values, <c>neuron IzhikevichRS = Izhikevich (d = 8&lt;mV&gt;)</c>.
/// </summary>
public sealed record ModelDecl(ModelKind Kind, string Name, ImmutableArray<Section> Sections, Span NameSpan, Span Span) : Decl(Span)
{
    /// <summary>The model this one is a variant of, with its overrides; null for a model with its own sections.</summary>
    public ModelRef? Base { get; init; }
}

/// <summary><c>let P = population 4000 Lif (v_th = -52&lt;mV&gt;)</c>, <c>poisson 1000 15&lt;Hz&gt;</c>, <c>spike_times 2 [...]</c>.</summary>
public sealed record PopulationDecl(string Name, PopulationKind Kind, Expr Size, string? Model, Span? ModelSpan, ImmutableArray<NamedArgExpr> Overrides, Expr? Argument, Span NameSpan, Span Span) : Decl(Span);

public enum PopulationKind
{
    Neurons,
    Poisson,
    SpikeTimes,
}

/// <summary><c>let exc = P[0 .. 3199]</c>.</summary>
public sealed record SubgroupDecl(string Name, SliceExpr Slice, Span NameSpan, Span Span) : Decl(Span);

/// <summary>A synapse model or plasticity rule named in a <c>connect ... with</c>, with its overrides.</summary>
public sealed record ModelRef(string Name, ImmutableArray<NamedArgExpr> Overrides, Span Span) : SyntaxNode(Span)
{
    /// <summary><c>apre as apre_fast</c>: the block's name is used under another name in the composed synapse.</summary>
    public ImmutableArray<Rename> Renames { get; init; } = [];

    /// <summary><c>shared apre</c>: the block uses the variable an earlier block declared instead of declaring its own.</summary>
    public ImmutableArray<Shared> Shared { get; init; } = [];
}

public sealed record Rename(string From, string To, Span Span) : SyntaxNode(Span);

public sealed record Shared(string Name, Span Span) : SyntaxNode(Span);

/// <summary>A connection rule: its keyword and arguments (<c>probability 0.02</c>, <c>fixed_indegree 80</c>, <c>where (fun i j -> ...)</c>).</summary>
public sealed record RuleSyntax(string Keyword, ImmutableArray<Expr> Arguments, Span Span) : SyntaxNode(Span)
{
    /// <summary>The connection rules there are; what follows a connect's synapse models is one of these, a delay or <c>no_autapses</c>.</summary>
    public static readonly ImmutableArray<string> Keywords = ["all_to_all", "one_to_one", "probability", "fixed_indegree", "fixed_outdegree", "where", "pairs"];
}

/// <summary><c>connect pre -> post with A + B (x = 1) probability 0.02 delay 1&lt;ms&gt; no_autapses</c> (the options in any order).</summary>
public sealed record ConnectDecl(string? Name, Expr Pre, Expr Post, ImmutableArray<ModelRef> Synapse, RuleSyntax Rule, Expr? Delay, bool NoAutapses, Span Span) : Decl(Span);

/// <summary>
/// <c>monitor spikes P</c>, <c>monitor P.v [0 .. 9] every 1&lt;ms&gt;</c>, <c>monitor rate P</c>,
/// <c>monitor weights exc -> P every 1&lt;s&gt;</c> (then <paramref name="PostTarget"/> is the post side).
/// </summary>
public sealed record MonitorDecl(MonitorKind Kind, Expr Target, Expr? Indices, Expr? Every, Span Span) : Decl(Span)
{
    public Expr? PostTarget { get; init; }
}

public enum MonitorKind
{
    Spikes,
    State,
    Rate,
    Weights,
}

/// <summary><c>host reward = 0</c>: a value the embedding program (or the REPL) sets while the network runs.</summary>
public sealed record HostDecl(string Name, Expr Value, Span NameSpan, Span Span) : Decl(Span);

/// <summary><c>run 1&lt;s&gt;</c>.</summary>
public sealed record RunDecl(Expr Duration, Span Span) : Decl(Span);

/// <summary>A section of a model declaration.</summary>
public abstract record Section(Span Span) : SyntaxNode(Span);

/// <summary><c>name = expr</c> in a parameters or state section.</summary>
public sealed record Definition(string Name, Expr Value, Span NameSpan, Span Span) : SyntaxNode(Span);

public sealed record ParametersSection(ImmutableArray<Definition> Items, Span Span) : Section(Span);

public sealed record StateSection(ImmutableArray<Definition> Items, Span Span) : Section(Span);

public enum EquationTiming
{
    Default,
    EventDriven,
    ClockDriven,
}

public sealed record EquationsSection(EquationTiming Timing, ImmutableArray<Equation> Items, Span Span) : Section(Span);

public abstract record Equation(string Name, Expr Value, Span NameSpan, Span Span) : SyntaxNode(Span);

/// <summary><c>dx/dt = expr</c>, optionally <c>(unless refractory)</c>.</summary>
public sealed record OdeEquation(string Name, Expr Value, bool UnlessRefractory, Span NameSpan, Span Span) : Equation(Name, Value, NameSpan, Span);

/// <summary><c>name = expr</c> in equations: a named subexpression, substituted where used.</summary>
public sealed record AliasEquation(string Name, Expr Value, Span NameSpan, Span Span) : Equation(Name, Value, NameSpan, Span);

/// <summary><c>spike when expr</c>.</summary>
public sealed record ThresholdSection(Expr Condition, Span Span) : Section(Span);

public sealed record ResetSection(ImmutableArray<Stmt> Statements, Span Span) : Section(Span);

public sealed record RefractorySection(Expr Duration, Span Span) : Section(Span);

public sealed record MethodSection(string Method, Span MethodSpan, Span Span) : Section(Span);

/// <summary><c>on pre</c> / <c>on post</c> event handlers.</summary>
public sealed record OnSection(string Event, ImmutableArray<Stmt> Statements, Span EventSpan, Span Span) : Section(Span);

public sealed record DelaySection(Expr Delay, Span Span) : Section(Span);

/// <summary><c>every 10&lt;ms&gt;</c> and a block: statements run periodically for every neuron or synapse (Brian2's run_regularly).</summary>
public sealed record EverySection(Expr Interval, ImmutableArray<Stmt> Statements, Span Span) : Section(Span);

/// <summary><c>summed post.I = w * pre.r</c>: each step the post variable is set to the sum of the value over its synapses.</summary>
public sealed record SummedSection(Expr Target, Expr Value, Span Span) : Section(Span);
