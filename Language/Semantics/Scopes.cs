using System.Collections.Immutable;
using BioLang.Language.IR;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

/// <summary>What a name in a model's scope stands for.</summary>
internal abstract record ScopeEntry(string Name, Span? Span);

internal sealed record ParamEntry(ParamIR Param) : ScopeEntry(Param.Name, Param.Span);

internal sealed record VarEntry(int Index, Dimension Dimension, string Name, Span? Span) : ScopeEntry(Name, Span);

/// <summary>A name being defined, not yet usable (so <c>v = v</c> is an error, not a loop).</summary>
internal sealed record PendingEntry(string Name, Span? Span) : ScopeEntry(Name, Span);

/// <summary>A named subexpression of a model's equations, bound on first use.</summary>
internal sealed record AliasEntry(string Name, Expr Syntax, Span? Span) : ScopeEntry(Name, Span)
{
    public IrExpr? Bound { get; set; }

    public bool Binding { get; set; }
}

/// <summary>
/// The names of one model instance (a neuron model as a population's own, or as a synapse's pre or
/// post side; a synapse model for one projection), and the scope its variables are read from.
/// </summary>
internal sealed class ModelScope(string modelName, VarScope varScope)
{
    private readonly Dictionary<string, ScopeEntry> _entries = new(StringComparer.Ordinal);

    public string ModelName { get; } = modelName;

    public VarScope VarScope { get; } = varScope;

    public IReadOnlyDictionary<string, ScopeEntry> Entries => _entries;

    /// <summary>
    /// A model not known yet (the neurons of a synapse model no connection uses, or the blocks a
    /// plasticity rule will be composed with): a name it lacks is not an error but an unchecked value.
    /// </summary>
    public bool Unknown { get; init; }

    public bool TryAdd(ScopeEntry entry) => _entries.TryAdd(entry.Name, entry);

    public void Set(ScopeEntry entry) => _entries[entry.Name] = entry;

    public ScopeEntry? Lookup(string name) => _entries.GetValueOrDefault(name);

    /// <summary>A copy for another role (the same neuron model read as <c>post.</c>), aliases unbound again.</summary>
    public ModelScope As(VarScope scope)
    {
        var copy = new ModelScope(ModelName, scope) { Unknown = Unknown };
        foreach (var entry in _entries.Values)
            copy.Set(entry is AliasEntry a ? new AliasEntry(a.Name, a.Syntax, a.Span) : entry);
        return copy;
    }
}

internal enum ContextKind
{
    /// <summary>Top-level constants and arguments evaluated once at compile time.</summary>
    Constant,
    /// <summary>A neuron model: initialisers, equations, threshold, reset.</summary>
    Neuron,
    /// <summary>A synapse model: initialisers, delays, equations, handlers.</summary>
    Synapse,
    /// <summary>A connection rule over (i, j).</summary>
    Rule,
    /// <summary>A Poisson rate over (t, i).</summary>
    Rate,
}

/// <summary>Everything a name can resolve to while one expression is bound.</summary>
internal sealed record BindingContext(ContextKind Kind)
{
    public ModelScope? Own { get; init; }

    public ModelScope? Pre { get; init; }

    public ModelScope? Post { get; init; }

    public ImmutableDictionary<string, IrExpr> Locals { get; init; } = ImmutableDictionary<string, IrExpr>.Empty;

    /// <summary>Numbers the random draws of the kernel being bound.</summary>
    public Counter Sites { get; init; } = new();

    /// <summary>Numbers the handler locals (<c>let</c> in a handler) of the kernel being bound.</summary>
    public Counter LocalSlots { get; init; } = new();

    /// <summary>Whether <c>rand ()</c> and friends may appear (not in a compile-time constant).</summary>
    public bool AllowRandom => Kind != ContextKind.Constant;

    public bool AllowTime => Kind is ContextKind.Neuron or ContextKind.Synapse or ContextKind.Rate;

    /// <summary>The size <c>N</c> of the population (or <c>N_pre</c>, <c>N_post</c>) where known.</summary>
    public ImmutableDictionary<string, double> Sizes { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>How deep in function calls we are (a guard against recursion).</summary>
    public int CallDepth { get; init; }
}

internal sealed class Counter
{
    private int _next;

    public int Next() => _next++;

    public int Count => _next;
}
