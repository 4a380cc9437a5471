using BioLang.Language.IR;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

/// <summary>A top-level name.</summary>
internal abstract record GlobalSymbol(string Name, Span? Span)
{
    public abstract string Kind { get; }
}

internal sealed record ConstantSymbol(string Name, IrExpr Value, Span? Span) : GlobalSymbol(Name, Span)
{
    public override string Kind => "constant";
}

internal sealed record FunctionSymbol(string Name, LetDecl Declaration) : GlobalSymbol(Name, Declaration.NameSpan)
{
    public override string Kind => "function";
}

internal sealed record ModelSymbol(string Name, ModelDecl Declaration) : GlobalSymbol(Name, Declaration.NameSpan)
{
    public override string Kind => Declaration.Kind.ToString().ToLowerInvariant() + " model";
}

internal sealed record PopulationSymbol(string Name, PopRefIR Ref, Span? Span) : GlobalSymbol(Name, Span)
{
    public override string Kind => "population";
}

/// <summary><c>let name = connect ...</c>: a name for a projection, which is neither a value nor a population.</summary>
internal sealed record ProjectionSymbol(string Name, Span? Span) : GlobalSymbol(Name, Span)
{
    public override string Kind => "connection";
}

internal sealed record HostSymbol(string Name, int Index, Dimension Dimension, Span? Span) : GlobalSymbol(Name, Span)
{
    public override string Kind => "host value";
}

/// <summary>The top-level names of a compilation, in one namespace as in F#: a later definition of a name is an error.</summary>
internal sealed class Globals
{
    private readonly Dictionary<string, GlobalSymbol> _symbols = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, GlobalSymbol> Symbols => _symbols;

    public GlobalSymbol? Lookup(string name) => _symbols.GetValueOrDefault(name);

    public bool TryAdd(GlobalSymbol symbol, out GlobalSymbol? existing)
    {
        if (_symbols.TryGetValue(symbol.Name, out existing))
            return false;
        _symbols[symbol.Name] = symbol;
        return true;
    }

    public void Replace(GlobalSymbol symbol) => _symbols[symbol.Name] = symbol;
}
