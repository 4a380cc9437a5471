using BioLang.Language.Diagnostics;
using BioLang.Language.Semantics;
using BioLang.Language.Syntax;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.Tests.Units;

/// <summary>Units against their SI definitions (BIPM, The International System of Units, 9th ed.).</summary>
public class UnitTableTests
{
    // Base exponents in the order of Dimension: m, kg, s, A, K, mol, cd.
    private static readonly Dimension Volt = new(2, 1, -3, -1, 0, 0, 0);
    private static readonly Dimension Siemens = new(-2, -1, 3, 2, 0, 0, 0);
    private static readonly Dimension Ohm = new(2, 1, -3, -2, 0, 0, 0);
    private static readonly Dimension Second = new(0, 0, 1, 0, 0, 0, 0);
    private static readonly Dimension Metre = new(1, 0, 0, 0, 0, 0, 0);

    private static Unit Lookup(string symbol)
    {
        UnitTable.TryLookup(symbol, out var unit).ShouldBeTrue($"'{symbol}' should be a unit");
        return unit;
    }

    /// <summary>A unit expression as a script writes it between angle brackets.</summary>
    private static Unit Evaluate(string unit)
    {
        var bag = new DiagnosticBag();
        var number = (NumberExpr)SyntaxParser.ParseExpression(new SourceText("<unit>", $"1<{unit}>"), bag)!;
        var value = new ExpressionBinder(new Globals(), bag).EvaluateUnit(number.Unit!);
        bag.Items.ShouldBeEmpty();
        return value!.Value;
    }

    [Fact]
    public void MillivoltIsAThousandthOfAVolt()
    {
        var mV = Lookup("mV");

        mV.Scale.ShouldBe(1e-3);
        mV.Dimension.ShouldBe(Volt);
        mV.Dimension.ToBaseString().ShouldBe("m^2 kg s^-3 A^-1");
    }

    [Fact]
    public void NanosiemensIsTheInverseOhmTimesOneBillionth()
    {
        var nS = Lookup("nS");

        nS.Scale.ShouldBe(1e-9);
        nS.Dimension.ShouldBe(Siemens);
        nS.Dimension.ShouldBe(Dimension.None / Ohm);
    }

    [Theory]
    [InlineData("Mohm")]
    [InlineData("MΩ")]
    public void MegaohmIsAMillionOhms(string symbol)
    {
        var unit = Lookup(symbol);

        unit.Scale.ShouldBe(1e6);
        unit.Dimension.ShouldBe(Ohm);
    }

    [Fact]
    public void MicrofaradPerSquareCentimetreIsOneHundredthOfAFaradPerSquareMetre()
    {
        var unit = Evaluate("uF/cm^2");

        unit.Scale.ShouldBe(1e-2, 1e-17);
        unit.Dimension.ShouldBe(new Dimension(-4, -1, 4, 2, 0, 0, 0));
        unit.Dimension.ToString().ShouldBe("F/m^2");
    }

    [Theory]
    [InlineData("mM", 1.0)]
    [InlineData("M", 1e3)]
    [InlineData("molar", 1e3)]
    [InlineData("uM", 1e-3)]
    public void MolarIsAMolePerLitre(string symbol, double molPerCubicMetre)
    {
        var unit = Lookup(symbol);

        unit.Scale.ShouldBe(molPerCubicMetre, molPerCubicMetre * 1e-15);
        unit.Dimension.ShouldBe(new Dimension(-3, 0, 0, 0, 0, 1, 0));
    }

    [Fact]
    public void HertzIsPerSecond()
    {
        var hz = Lookup("Hz");

        hz.Scale.ShouldBe(1.0);
        hz.Dimension.ShouldBe(Dimension.None / Second);
        Lookup("kHz").Scale.ShouldBe(1e3);
        Evaluate("1/ms").ShouldBe(new Unit(1e3, hz.Dimension));
    }

    [Theory]
    [InlineData("ms", 1e-3, "s")]
    [InlineData("Ms", 1e6, "s")]
    [InlineData("mS", 1e-3, "S")]
    [InlineData("MS", 1e6, "S")]
    [InlineData("m", 1, "m")]
    [InlineData("mm", 1e-3, "m")]
    [InlineData("Mm", 1e6, "m")]
    [InlineData("mV", 1e-3, "V")]
    [InlineData("MV", 1e6, "V")]
    public void PrefixesAreCaseSensitive(string symbol, double scale, string dimension)
    {
        var unit = Lookup(symbol);

        unit.Scale.ShouldBe(scale);
        unit.Dimension.ToString().ShouldBe(dimension);
    }

    [Theory]
    [InlineData("kg", 1.0)]
    [InlineData("g", 1e-3)]
    [InlineData("mg", 1e-6)]
    public void TheKilogramIsTheBaseOfMass(string symbol, double kilograms)
    {
        var unit = Lookup(symbol);

        unit.Scale.ShouldBe(kilograms, kilograms * 1e-15);
        unit.Dimension.ShouldBe(Dimension.Mass);
    }

    [Theory]
    [InlineData("min", 60.0)]
    [InlineData("h", 3600.0)]
    [InlineData("us", 1e-6)]
    [InlineData("µs", 1e-6)]
    [InlineData("μs", 1e-6)]
    public void TimeUnits(string symbol, double seconds)
    {
        var unit = Lookup(symbol);

        unit.Scale.ShouldBe(seconds);
        unit.Dimension.ShouldBe(Second);
    }

    [Fact]
    public void AnUnprefixedSymbolWinsOverAPrefixedReading()
    {
        Lookup("cd").Dimension.ShouldBe(Dimension.Luminosity);
        Lookup("Pa").ShouldBe(new Unit(1, new Dimension(-1, 1, -2, 0, 0, 0, 0)));
        Lookup("T").ShouldBe(new Unit(1, new Dimension(0, 1, -2, -1, 0, 0, 0)));
        Lookup("mol").ShouldBe(new Unit(1, Dimension.Amount));
    }

    [Fact]
    public void LitresAndAreas()
    {
        Lookup("L").ShouldBe(new Unit(1e-3, Metre.Pow(3)));
        Lookup("mL").Scale.ShouldBe(1e-6, 1e-21);
        Lookup("cm2").ShouldBe(new Unit(1e-4, Metre.Pow(2)));
        Lookup("um2").ShouldBe(new Unit(1e-12, Metre.Pow(2)));
        Evaluate("cm^2").Dimension.ShouldBe(Metre.Pow(2));
        Evaluate("cm^2").Scale.ShouldBe(1e-4, 1e-19);
    }

    [Fact]
    public void CompoundUnitsMultiplyTheirScales()
    {
        Evaluate("nA/ms").Scale.ShouldBe(1e-6, 1e-21);
        Evaluate("nA/ms").Dimension.ShouldBe(Dimension.Current / Second);
        Evaluate("mS/cm^2").Scale.ShouldBe(10.0, 1e-14);
        Evaluate("m^-2").ShouldBe(new Unit(1, Metre.Pow(-2)));
        Evaluate("mV*ms").Scale.ShouldBe(1e-6, 1e-21);
    }

    [Theory]
    [InlineData("msec")]
    [InlineData("mv")]
    [InlineData("Ohm")]
    [InlineData("")]
    public void UnknownSymbolsAreNotUnits(string symbol) =>
        UnitTable.TryLookup(symbol, out _).ShouldBeFalse();

    [Fact]
    public void FormatsSiValuesWithTheDerivedUnit()
    {
        UnitTable.Format(1e-4, Second).ShouldBe("0.0001 s");
        UnitTable.Format(-0.065, Volt).ShouldBe("-0.065 V");
        UnitTable.Format(3, Dimension.None).ShouldBe("3");
    }
}
