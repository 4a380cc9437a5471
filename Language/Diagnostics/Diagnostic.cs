using BioLang.Language.Text;

namespace BioLang.Language.Diagnostics;

public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>A compiler message: a stable code, a severity, where, and what.</summary>
public sealed record Diagnostic(string Code, Severity Severity, Span? Span, string Message)
{
    public bool IsError => Severity == Severity.Error;

    /// <summary>One line, "file.bnn(12,7): error BL0012: message".</summary>
    public override string ToString()
    {
        var where = Span is { } s ? s.Location + ": " : "";
        return $"{where}{Severity.ToString().ToLowerInvariant()} {Code}: {Message}";
    }
}
