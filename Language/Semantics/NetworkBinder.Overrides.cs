using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;

namespace BioLang.Language.Semantics;

/// <summary>
/// A new value for a top-level constant (<c>biolang run --set N=1000</c>): the text as typed, its
/// expression, or the syntax error that stopped the parse.
/// </summary>
internal sealed record ConstantOverride(string Name, SourceText Source, Expr? Value, Diagnostic? SyntaxError)
{
    public Span WholeSpan => new(Source, 0, Source.Text.Length);
}

internal sealed partial class NetworkBinder
{
    /// <summary>
    /// The value given with --set when it can replace the script's, else the script's value and one
    /// error that names the constant and says what it takes. Keeping the script's value means nothing
    /// that depends on the constant reports a mistake of its own.
    /// </summary>
    private IrExpr Override(LetDecl let, IrExpr value, ConstantOverride replacement)
    {
        if (value is IrError)
            return value;
        var expected = $"expected {Takes(value)} for {let.Name}, as in 'let {let.Name} = {let.Value.Span.Text}' at {let.NameSpan.Location}, but '{replacement.Source.Text.Trim()}'";
        if (replacement.Value is null)
        {
            var syntax = replacement.SyntaxError!;
            _diagnostics.Error(syntax.Code, syntax.Span ?? replacement.WholeSpan, $"{expected} is not one: {syntax.Message}");
            return value;
        }
        var span = replacement.Value.Span;
        var problems = new DiagnosticBag();
        var replaced = Folder.Fold(new ExpressionBinder(_globals, problems).Bind(replacement.Value, ConstantContext));
        // An unknown name is most often a mistyped value, so the names it might have meant would only distract.
        if (problems.Sorted().FirstOrDefault(d => d.IsError) is { Code: DiagnosticCodes.UnknownName } unknown)
            _diagnostics.Error(unknown.Code, unknown.Span ?? span, $"{expected} is not one, nor a constant of the script");
        else if (problems.Sorted().FirstOrDefault(d => d.IsError) is { } problem)
            _diagnostics.Error(problem.Code, problem.Span ?? span, $"{expected} is not one: {problem.Message}");
        else if (replaced.Type != value.Type)
            _diagnostics.Error(DiagnosticCodes.NeedsNumber, span, $"{expected} is {(replaced.Type == IrType.Bool ? "a condition" : "a number")}");
        else if (replaced.Dimension != value.Dimension)
            _diagnostics.Error(DiagnosticCodes.DimensionMismatch, span, $"{expected} has dimension {replaced.Dimension}");
        else if (replaced is not (IrConst or IrBool))
            _diagnostics.Error(DiagnosticCodes.NotConstant, span, $"{expected} is not known at compile time");
        else
            return replaced;
        return value;
    }

    private static string Takes(IrExpr value) => value switch
    {
        IrBool => "true or false",
        { Dimension.IsDimensionless: true } => "a number",
        _ => $"a quantity in {value.Dimension} (a number with its unit)",
    };

    /// <summary>A --set whose name is no constant of the script: another kind of name, a list, or nothing at all.</summary>
    private void ReportUnusedOverrides()
    {
        foreach (var (name, replacement) in _overrides)
        {
            var span = replacement.Value?.Span ?? replacement.WholeSpan;
            switch (_globals.Lookup(name))
            {
                case ListSymbol:
                    _diagnostics.Error(DiagnosticCodes.BadValue, span, $"'{name}' is a list; --set replaces a number, a quantity or true/false");
                    break;
                case { } other:
                    _diagnostics.Error(DiagnosticCodes.WrongKind, span, $"'{name}' is a {other.Kind}; --set replaces a top-level constant 'let {name} = ...'");
                    break;
                default:
                    _diagnostics.Error(DiagnosticCodes.UnknownName, span,
                        $"there is no top-level 'let {name} = ...' to set" + Suggestions.DidYouMean(name, _globals.Symbols.Values.OfType<ConstantSymbol>().Select(c => c.Name)));
                    break;
            }
        }
    }
}
