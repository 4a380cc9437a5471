using System.Globalization;

namespace BioLang.Language.Units;

/// <summary>A unit: its factor to SI base units and its dimension. 1 mV is (1e-3, Voltage).</summary>
public readonly record struct Unit(double Scale, Dimension Dimension)
{
    public static readonly Unit One = new(1, Dimension.None);

    public static Unit operator *(Unit a, Unit b) => new(a.Scale * b.Scale, a.Dimension * b.Dimension);

    public static Unit operator /(Unit a, Unit b) => new(a.Scale / b.Scale, a.Dimension / b.Dimension);

    public Unit Pow(int n) => new(Math.Pow(Scale, n), Dimension.Pow(n));
}

/// <summary>The units a script may write: SI base and derived units with SI prefixes, and the neuroscience extras (molar, litre).</summary>
public static class UnitTable
{
    private static readonly (string Symbol, double Scale, Dimension Dimension)[] Bases =
    [
        ("s", 1, Dimension.Time),
        ("m", 1, Dimension.Length),
        ("g", 1e-3, Dimension.Mass),
        ("A", 1, Dimension.Current),
        ("K", 1, Dimension.Temperature),
        ("mol", 1, Dimension.Amount),
        ("cd", 1, Dimension.Luminosity),
        ("Hz", 1, Dimension.Frequency),
        ("V", 1, Dimension.Voltage),
        ("S", 1, Dimension.Conductance),
        ("ohm", 1, Dimension.Resistance),
        ("Ω", 1, Dimension.Resistance),
        ("F", 1, Dimension.Capacitance),
        ("C", 1, Dimension.Charge),
        ("N", 1, new Dimension(1, 1, -2, 0, 0, 0, 0)),
        ("J", 1, new Dimension(2, 1, -2, 0, 0, 0, 0)),
        ("W", 1, new Dimension(2, 1, -3, 0, 0, 0, 0)),
        ("Pa", 1, new Dimension(-1, 1, -2, 0, 0, 0, 0)),
        ("H", 1, new Dimension(2, 1, -2, -2, 0, 0, 0)),
        ("T", 1, new Dimension(0, 1, -2, -1, 0, 0, 0)),
        ("Wb", 1, new Dimension(2, 1, -2, -1, 0, 0, 0)),
        ("L", 1e-3, new Dimension(3, 0, 0, 0, 0, 0, 0)),
        ("l", 1e-3, new Dimension(3, 0, 0, 0, 0, 0, 0)),
        ("M", 1e3, Dimension.Concentration),
    ];

    private static readonly (string Prefix, double Factor)[] Prefixes =
    [
        ("Y", 1e24), ("Z", 1e21), ("E", 1e18), ("P", 1e15), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3),
        ("h", 1e2), ("da", 1e1), ("d", 1e-1), ("c", 1e-2), ("m", 1e-3), ("u", 1e-6), ("µ", 1e-6), ("μ", 1e-6),
        ("n", 1e-9), ("p", 1e-12), ("f", 1e-15), ("a", 1e-18), ("z", 1e-21), ("y", 1e-24),
    ];

    private static readonly Dictionary<string, Unit> Table = Build();

    private static Dictionary<string, Unit> Build()
    {
        var table = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var (prefix, factor) in Prefixes)
        foreach (var (symbol, scale, dimension) in Bases)
        {
            if (symbol == "Ω" && prefix.Length > 0 && !char.IsLetter(prefix[0])) continue;
            table.TryAdd(prefix + symbol, new Unit(factor * scale, dimension));
        }
        // An unprefixed symbol wins over a prefixed reading of the same letters ("m" is metre, not milli-nothing;
        // "cd" is candela, not centi-day; "Pa" is pascal, not peta-year).
        foreach (var (symbol, scale, dimension) in Bases)
            table[symbol] = new Unit(scale, dimension);
        table["kohm"] = new Unit(1e3, Dimension.Resistance);
        table["Mohm"] = new Unit(1e6, Dimension.Resistance);
        table["Gohm"] = new Unit(1e9, Dimension.Resistance);
        table["min"] = new Unit(60, Dimension.Time);
        table["h"] = new Unit(3600, Dimension.Time);
        table["cm2"] = new Unit(1e-4, Dimension.Length.Pow(2));
        table["um2"] = new Unit(1e-12, Dimension.Length.Pow(2));
        table["mm2"] = new Unit(1e-6, Dimension.Length.Pow(2));
        table["cm3"] = new Unit(1e-6, Dimension.Length.Pow(3));
        table["siemens"] = new Unit(1, Dimension.Conductance);
        table["volt"] = new Unit(1, Dimension.Voltage);
        table["second"] = new Unit(1, Dimension.Time);
        table["amp"] = new Unit(1, Dimension.Current);
        table["farad"] = new Unit(1, Dimension.Capacitance);
        table["metre"] = new Unit(1, Dimension.Length);
        table["meter"] = new Unit(1, Dimension.Length);
        table["molar"] = new Unit(1e3, Dimension.Concentration);
        return table;
    }

    public static bool TryLookup(string symbol, out Unit unit) => Table.TryGetValue(symbol, out unit);

    public static IEnumerable<string> Symbols => Table.Keys;

    private static readonly (Dimension Dimension, string Name)[] Names =
    [
        (Dimension.Time, "s"),
        (Dimension.Frequency, "Hz"),
        (Dimension.Voltage, "V"),
        (Dimension.Voltage / Dimension.Time, "V/s"),
        (Dimension.Current, "A"),
        (Dimension.Current / Dimension.Time, "A/s"),
        (Dimension.Conductance, "S"),
        (Dimension.Conductance / Dimension.Time, "S/s"),
        (Dimension.Resistance, "ohm"),
        (Dimension.Capacitance, "F"),
        (Dimension.Charge, "C"),
        (Dimension.Length, "m"),
        (Dimension.Mass, "kg"),
        (Dimension.Concentration, "mol/m^3 (= mM)"),
        (Dimension.Concentration / Dimension.Time, "mol/m^3/s"),
        (Dimension.None / Dimension.Voltage, "1/V"),
        (Dimension.None / Dimension.Voltage / Dimension.Time, "1/(V s)"),
        (Dimension.Conductance / Dimension.Length.Pow(2), "S/m^2"),
        (Dimension.Capacitance / Dimension.Length.Pow(2), "F/m^2"),
        (Dimension.Current / Dimension.Length.Pow(2), "A/m^2"),
    ];

    /// <summary>A short conventional name for a dimension, or null.</summary>
    public static string? NameOf(Dimension dimension)
    {
        foreach (var (d, name) in Names)
            if (d == dimension)
                return name;
        return null;
    }

    private static readonly (string Symbol, Dimension Dimension)[] Readable =
    [
        ("s", Dimension.Time), ("V", Dimension.Voltage), ("A", Dimension.Current), ("S", Dimension.Conductance),
        ("ohm", Dimension.Resistance), ("F", Dimension.Capacitance), ("Hz", Dimension.Frequency), ("M", Dimension.Concentration), ("m", Dimension.Length),
    ];

    private static readonly (string Prefix, double Factor)[] Engineering =
        [("G", 1e9), ("M", 1e6), ("k", 1e3), ("", 1), ("m", 1e-3), ("u", 1e-6), ("n", 1e-9), ("p", 1e-12), ("f", 1e-15)];

    /// <summary>A value in the unit a neuroscientist would write: -0.065 V as "-65 mV", 2e-9 S as "2 nS", 0.02 s as "20 ms".</summary>
    public static string Pretty(double siValue, Dimension dimension)
    {
        var unit = Readable.FirstOrDefault(r => r.Dimension == dimension);
        if (unit.Symbol is null || siValue == 0 || !double.IsFinite(siValue))
            return Format(siValue, dimension);
        var magnitude = Math.Abs(siValue);
        var scale = unit.Symbol == "M" ? 1e3 : 1;
        foreach (var (prefix, factor) in Engineering)
        {
            if (unit.Symbol == "s" && factor > 1)
                continue;
            if (magnitude / (factor * scale) >= 1 || prefix == "f")
                return (siValue / (factor * scale)).ToString("G5", CultureInfo.InvariantCulture) + " " + prefix + unit.Symbol;
        }
        return Format(siValue, dimension);
    }

    public static string Format(double siValue, Dimension dimension) =>
        siValue.ToString("G6", CultureInfo.InvariantCulture) + (dimension.IsDimensionless ? "" : " " + (NameOf(dimension) ?? dimension.ToBaseString()));
}
