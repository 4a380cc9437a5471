using System.Globalization;
using System.Text.RegularExpressions;
using BioLang.Language.Units;

namespace BioLang.Repl.Cli;

/// <summary>Parses durations given on the command line: "2s", "500ms", "1.5 s", "100<ms>".</summary>
internal static partial class Durations
{
    [GeneratedRegex(@"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*<?\s*([A-Za-zµ]+)\s*>?\s*$")]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out double seconds, out string error)
    {
        seconds = 0;
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            error = $"'{text}' is not a duration; write a number and a time unit, e.g. 500ms or 2s";
            return false;
        }
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (!UnitTable.TryLookup(m.Groups[2].Value, out var unit) || unit.Dimension != Dimension.Time)
        {
            error = $"'{m.Groups[2].Value}' is not a unit of time (use s, ms, us, min, ...)";
            return false;
        }
        seconds = value * unit.Scale;
        error = "";
        return true;
    }
}
