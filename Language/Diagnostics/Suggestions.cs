namespace BioLang.Language.Diagnostics;

/// <summary>"Did you mean ...?" for unknown names: the closest candidate by edit distance.</summary>
public static class Suggestions
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestCost = int.MaxValue;
        // Ranked by the cost before rounding, so that 'mv' gets 'mV' (a case away), not 'MV' (two).
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var cost = DoubledCost(name, candidate);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = candidate;
            }
        }
        // A suggestion further than about a third of the name away is noise, not help.
        var limit = Math.Max(1, (name.Length + 2) / 3);
        return (bestCost + 1) / 2 <= limit ? best : null;
    }

    public static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } s ? $"; did you mean '{s}'?" : "";

    /// <summary>Optimal string alignment distance: Levenshtein plus adjacent transpositions, case differences cost 0.5 rounded up.</summary>
    public static int Distance(string a, string b) => (DoubledCost(a, b) + 1) / 2;

    /// <summary>Twice the distance, before rounding: a case difference costs 1, anything else 2.</summary>
    private static int DoubledCost(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i * 2;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j * 2;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 1 : 2;
            var v = Math.Min(Math.Min(d[i - 1, j] + 2, d[i, j - 1] + 2), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = Math.Min(v, d[i - 2, j - 2] + 2);
            d[i, j] = v;
        }
        return d[a.Length, b.Length];
    }
}
