using BioLang.Language.Units;

namespace BioLang.Language.Tests.Units;

/// <summary>Dimension algebra against the SI definitions of the derived units, built from base dimensions here.</summary>
public class DimensionTests
{
    private static readonly Dimension Joule = Dimension.Mass * Dimension.Length.Pow(2) / Dimension.Time.Pow(2);
    private static readonly Dimension Watt = Joule / Dimension.Time;
    private static readonly Dimension Coulomb = Dimension.Current * Dimension.Time;
    private static readonly Dimension Volt = Watt / Dimension.Current;

    [Fact]
    public void DerivedUnitsFollowFromTheirDefinitions()
    {
        Dimension.Voltage.ShouldBe(Volt);
        Dimension.Charge.ShouldBe(Coulomb);
        Dimension.Resistance.ShouldBe(Volt / Dimension.Current);
        Dimension.Conductance.ShouldBe(Dimension.None / Dimension.Resistance);
        Dimension.Capacitance.ShouldBe(Coulomb / Volt);
        Dimension.Frequency.ShouldBe(Dimension.None / Dimension.Time);
        Dimension.Concentration.ShouldBe(Dimension.Amount / Dimension.Length.Pow(3));
    }

    [Fact]
    public void OhmsLaw()
    {
        (Dimension.Voltage / Dimension.Resistance).ShouldBe(Dimension.Current);
        (Dimension.Conductance * Dimension.Voltage).ShouldBe(Dimension.Current);
        (Dimension.Current * Dimension.Resistance).ShouldBe(Dimension.Voltage);
    }

    [Fact]
    public void ChargeIsCapacitanceTimesVoltage() =>
        (Dimension.Capacitance * Dimension.Voltage).ShouldBe(Dimension.Charge);

    [Fact]
    public void TimeConstantsAreResistanceTimesCapacitance() =>
        (Dimension.Resistance * Dimension.Capacitance).ShouldBe(Dimension.Time);

    [Fact]
    public void DividingByItselfLeavesNoDimension()
    {
        (Dimension.Voltage / Dimension.Voltage).ShouldBe(Dimension.None);
        (Dimension.Voltage / Dimension.Voltage).IsDimensionless.ShouldBeTrue();
        Dimension.Voltage.Pow(0).ShouldBe(Dimension.None);
    }

    [Fact]
    public void PowersMultiplyExponents()
    {
        Dimension.Length.Pow(3).ShouldBe(new Dimension(3, 0, 0, 0, 0, 0, 0));
        Dimension.Voltage.Pow(-2).ShouldBe(new Dimension(-4, -2, 6, 2, 0, 0, 0));
    }

    [Fact]
    public void RootsExistOnlyWhenEveryExponentDivides()
    {
        Dimension.Voltage.Pow(2).TryRoot(2, out var root).ShouldBeTrue();
        root.ShouldBe(Dimension.Voltage);
        Dimension.Length.Pow(3).TryRoot(3, out var cube).ShouldBeTrue();
        cube.ShouldBe(Dimension.Length);
        Dimension.Voltage.TryRoot(2, out _).ShouldBeFalse();
        Dimension.Length.Pow(3).TryRoot(2, out _).ShouldBeFalse();
        Dimension.None.TryRoot(2, out var none).ShouldBeTrue();
        none.ShouldBe(Dimension.None);
    }

    [Fact]
    public void NamesDerivedUnitsAndFallsBackToBaseUnits()
    {
        Dimension.Voltage.ToString().ShouldBe("V");
        (Dimension.Voltage / Dimension.Time).ToString().ShouldBe("V/s");
        Dimension.Conductance.ToString().ShouldBe("S");
        Dimension.None.ToString().ShouldBe("1 (dimensionless)");
        Dimension.None.ToBaseString().ShouldBe("1");
        (Dimension.Conductance * Dimension.Voltage.Pow(2)).ToString().ShouldBe("m^2 kg s^-3");
        (Dimension.Voltage * Dimension.Time).ToBaseString().ShouldBe("m^2 kg s^-2 A^-1");
    }
}
