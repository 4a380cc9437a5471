using System.Text;

namespace BioLang.Language.Units;

/// <summary>
/// A physical dimension as integer exponents of the seven SI base dimensions
/// (length m, mass kg, time s, current A, temperature K, amount mol, luminous intensity cd).
/// </summary>
public readonly record struct Dimension(sbyte M, sbyte Kg, sbyte S, sbyte A, sbyte K, sbyte Mol, sbyte Cd)
{
    public static readonly Dimension None = default;
    public static readonly Dimension Length = new(1, 0, 0, 0, 0, 0, 0);
    public static readonly Dimension Mass = new(0, 1, 0, 0, 0, 0, 0);
    public static readonly Dimension Time = new(0, 0, 1, 0, 0, 0, 0);
    public static readonly Dimension Current = new(0, 0, 0, 1, 0, 0, 0);
    public static readonly Dimension Temperature = new(0, 0, 0, 0, 1, 0, 0);
    public static readonly Dimension Amount = new(0, 0, 0, 0, 0, 1, 0);
    public static readonly Dimension Luminosity = new(0, 0, 0, 0, 0, 0, 1);

    public static readonly Dimension Frequency = None / Time;
    public static readonly Dimension Voltage = new(2, 1, -3, -1, 0, 0, 0);
    public static readonly Dimension Conductance = new(-2, -1, 3, 2, 0, 0, 0);
    public static readonly Dimension Resistance = new(2, 1, -3, -2, 0, 0, 0);
    public static readonly Dimension Capacitance = new(-2, -1, 4, 2, 0, 0, 0);
    public static readonly Dimension Charge = new(0, 0, 1, 1, 0, 0, 0);
    public static readonly Dimension Concentration = new(-3, 0, 0, 0, 0, 1, 0);

    public bool IsDimensionless => this == None;

    private sbyte this[int i] => i switch
    {
        0 => M, 1 => Kg, 2 => S, 3 => A, 4 => K, 5 => Mol, _ => Cd,
    };

    private static Dimension FromArray(ReadOnlySpan<int> e) =>
        new(checked((sbyte)e[0]), checked((sbyte)e[1]), checked((sbyte)e[2]), checked((sbyte)e[3]),
            checked((sbyte)e[4]), checked((sbyte)e[5]), checked((sbyte)e[6]));

    private static Dimension Combine(Dimension a, Dimension b, int sign)
    {
        Span<int> e = stackalloc int[7];
        for (var i = 0; i < 7; i++) e[i] = a[i] + sign * b[i];
        return FromArray(e);
    }

    public static Dimension operator *(Dimension a, Dimension b) => Combine(a, b, 1);

    public static Dimension operator /(Dimension a, Dimension b) => Combine(a, b, -1);

    public Dimension Pow(int n)
    {
        Span<int> e = stackalloc int[7];
        for (var i = 0; i < 7; i++) e[i] = this[i] * n;
        return FromArray(e);
    }

    /// <summary>The n-th root, when every exponent is divisible by n.</summary>
    public bool TryRoot(int n, out Dimension root)
    {
        Span<int> e = stackalloc int[7];
        for (var i = 0; i < 7; i++)
        {
            if (this[i] % n != 0)
            {
                root = None;
                return false;
            }
            e[i] = this[i] / n;
        }
        root = FromArray(e);
        return true;
    }

    private static readonly string[] BaseSymbols = ["m", "kg", "s", "A", "K", "mol", "cd"];

    /// <summary>In SI base units, e.g. "m^2 kg s^-3 A^-1".</summary>
    /// <summary>The dimension in the language's unit syntax, base units only: <c>m^2*kg*s^-3*A^-1</c> for volts, <c>1</c> for none.</summary>
    public string ToUnitSyntax()
    {
        if (IsDimensionless)
            return "1";
        var parts = new List<string>();
        for (var i = 0; i < 7; i++)
            if (this[i] != 0)
                parts.Add(this[i] == 1 ? BaseSymbols[i] : $"{BaseSymbols[i]}^{this[i]}");
        return string.Join("*", parts);
    }

    public string ToBaseString()
    {
        if (IsDimensionless)
            return "1";
        var sb = new StringBuilder();
        for (var i = 0; i < 7; i++)
        {
            if (this[i] == 0) continue;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(BaseSymbols[i]);
            if (this[i] != 1) sb.Append('^').Append(this[i]);
        }
        return sb.ToString();
    }

    /// <summary>A readable name: the derived SI unit if there is one ("V", "S", "V/s"), else the base-unit form.</summary>
    public override string ToString()
    {
        if (IsDimensionless)
            return "1 (dimensionless)";
        return UnitTable.NameOf(this) ?? ToBaseString();
    }
}
