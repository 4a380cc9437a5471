using BioLang.Language.Diagnostics;
using BioLang.Language.Units;

namespace BioLang.Language.Tests.Diagnostics;

/// <summary>Edit distances worked out by hand: optimal string alignment, a case change costing half (rounded up).</summary>
public class SuggestionsTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("tau", "tau", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("tau_m", "tau", 2)]
    [InlineData("ab", "ba", 1)]
    [InlineData("probabilty", "probability", 1)]
    [InlineData("a", "A", 1)]
    [InlineData("ab", "AB", 1)]
    [InlineData("abc", "ABC", 2)]
    [InlineData("mv", "mV", 1)]
    [InlineData("mv", "MV", 1)]
    public void Distance(string a, string b, int expected)
    {
        Suggestions.Distance(a, b).ShouldBe(expected);
        Suggestions.Distance(b, a).ShouldBe(expected);
    }

    [Fact]
    public void SuggestsTheClosestName() =>
        Suggestions.Closest("tau_membran", ["v", "tau_membrane", "tau"]).ShouldBe("tau_membrane");

    [Fact]
    public void SuggestsNothingWhenEverythingIsFar()
    {
        Suggestions.Closest("totally_unknown", ["v", "tau"]).ShouldBeNull();
        Suggestions.Closest("ab", ["abcd"]).ShouldBeNull();
        Suggestions.Closest("x", []).ShouldBeNull();
    }

    [Fact]
    public void AllowsOneEditInAShortName() =>
        Suggestions.Closest("x", ["y"]).ShouldBe("y");

    [Fact]
    public void BreaksTiesInOrdinalOrder() =>
        Suggestions.Closest("rk5", ["rk4", "rk2"]).ShouldBe("rk2");

    /// <summary>A case slip is closer than anything else at rounded distance 1: 'mv' is a millivolt, not a megavolt.</summary>
    [Theory]
    [InlineData("mv", "mV")]
    [InlineData("Ohm", "ohm")]
    [InlineData("msec", "ms")]
    [InlineData("hz", "Hz")]
    public void SuggestsTheUnitMeant(string typed, string meant) =>
        Suggestions.Closest(typed, UnitTable.Symbols).ShouldBe(meant);

    [Fact]
    public void DidYouMeanIsEmptyWithoutASuggestion()
    {
        Suggestions.DidYouMean("v_thr", ["v_th"]).ShouldBe("; did you mean 'v_th'?");
        Suggestions.DidYouMean("zzz", ["v_th"]).ShouldBe("");
    }
}
