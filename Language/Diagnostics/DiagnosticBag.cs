using BioLang.Language.Text;

namespace BioLang.Language.Diagnostics;

/// <summary>Collects diagnostics while a pass runs; passes keep going after an error so one run reports them all.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    private readonly HashSet<Diagnostic> _seen = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.IsError);

    /// <summary>
    /// Adds a diagnostic unless the same one (code, place, message) is already here: a model bound
    /// for several populations, or a function expanded at several calls, meets one mistake many times.
    /// </summary>
    public void Add(Diagnostic diagnostic)
    {
        if (_seen.Add(diagnostic))
            _items.Add(diagnostic);
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
            Add(diagnostic);
    }

    public void Error(string code, Span? span, string message) => Add(new Diagnostic(code, Severity.Error, span, message));

    public void Warning(string code, Span? span, string message) => Add(new Diagnostic(code, Severity.Warning, span, message));

    public void Info(string code, Span? span, string message) => Add(new Diagnostic(code, Severity.Info, span, message));

    /// <summary>In source order (file, then position), errors kept stable within a position.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        _items
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Span?.Source.Path ?? "", StringComparer.Ordinal)
            .ThenBy(x => x.d.Span?.Start ?? int.MaxValue)
            .ThenBy(x => x.i)
            .Select(x => x.d)
            .ToList();
}
