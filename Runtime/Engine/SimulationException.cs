using BioLang.Language.Diagnostics;

namespace BioLang.Runtime.Engine;

/// <summary>A run stopped for a reason the user must hear about (a value went NaN, the network does not fit), carried as a diagnostic.</summary>
public sealed class SimulationException(Diagnostic diagnostic) : Exception(diagnostic.ToString())
{
    public Diagnostic Diagnostic { get; } = diagnostic;

    /// <summary>How a value that is not finite reads in a message: NaN, +infinity or -infinity.</summary>
    internal static string Describe(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity";
}
