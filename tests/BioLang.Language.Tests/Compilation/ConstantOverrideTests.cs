using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;

namespace BioLang.Language.Tests.Compilation;

/// <summary><c>biolang run net.bnn --set N=1000 --set 'rate=20&lt;Hz&gt;'</c>: <see cref="CompileOptions.Constants"/>.</summary>
public class ConstantOverrideTests
{
    private const string Script = """
        let N = 100
        let N_e = N * 4 / 5
        let rate = 15<Hz>
        let excitatory = true
        neuron A =
            state v = 0<mV>
        let P = population N A
        let E = population N_e A
        let noise = poisson 10 rate
        """;

    private static CompileOptions Set(params (string Name, string Value)[] values) =>
        new() { Constants = values.ToDictionary(v => v.Name, v => v.Value) };

    [Fact]
    public void WithoutOverridesTheScriptValuesHold()
    {
        var model = Scripts.Model(Script);

        model.Population("P").Size.ShouldBe(100);
        model.Population("E").Size.ShouldBe(80);
    }

    [Fact]
    public void ReplacesAConstantAndWhatDependsOnIt()
    {
        var model = Scripts.Model(Script, Set(("N", "10")));

        model.Population("P").Size.ShouldBe(10);
        model.Population("E").Size.ShouldBe(8);
    }

    [Fact]
    public void TakesQuantitiesInTheirUnits()
    {
        var model = Scripts.Model(Script, Set(("rate", "20<Hz>")));

        model.Population("noise").ShouldBeOfType<PoissonGroupIR>().Rate.ShouldBeOfType<IrConst>().Value.ShouldBe(20);
    }

    [Fact]
    public void AValueMayBeAnExpression()
    {
        var model = Scripts.Model(Script, Set(("N", "2 * 3 + 4"), ("rate", "0.02<kHz>")));

        model.Population("P").Size.ShouldBe(10);
        model.Population("noise").ShouldBeOfType<PoissonGroupIR>().Rate.ShouldBeOfType<IrConst>().Value.ShouldBe(20, 1e-12);
    }

    [Fact]
    public void AWrongDimensionNamesBoth()
    {
        var error = Scripts.Compile(Script, Set(("rate", "20<ms>"))).Diagnostics.ShouldHaveSingleItem();

        error.Code.ShouldBe(DiagnosticCodes.DimensionMismatch);
        error.Message.ShouldBe("expected a quantity in Hz (a number with its unit) for rate, as in 'let rate = 15<Hz>' at test.bnn(3,5), but '20<ms>' has dimension s");
        error.Span!.Value.Source.Path.ShouldBe("--set rate");
    }

    [Fact]
    public void AConditionCannotReplaceANumber()
    {
        var error = Scripts.Compile(Script, Set(("N", "1 > 0"))).Diagnostics.ShouldHaveSingleItem();

        error.Code.ShouldBe(DiagnosticCodes.NeedsNumber);
        error.Message.ShouldEndWith("but '1 > 0' is a condition");
    }

    [Fact]
    public void AnUnknownNameSuggestsTheConstantMeant()
    {
        var error = Scripts.Compile(Script, Set(("Nn", "10"))).Diagnostics.ShouldHaveSingleItem();

        error.Code.ShouldBe(DiagnosticCodes.UnknownName);
        error.Message.ShouldBe("there is no top-level 'let Nn = ...' to set; did you mean 'N'?");
    }

    [Fact]
    public void ASyntaxErrorPointsIntoTheValue()
    {
        var result = Scripts.Compile(Script, Set(("N", "10 +")));

        var error = result.Diagnostics.ShouldHaveSingleItem();
        error.Code.ShouldBe(DiagnosticCodes.Syntax);
        error.ToString().ShouldBe("--set N(1,5): error BL0001: expected a number for N, as in 'let N = 100' at test.bnn(1,5), but '10 +' is not one: expected expression, found end of line");
        result.Model.ShouldBeNull();
    }

    /// <summary>
    /// A value that cannot replace the constant leaves the script's value in place, so what is built
    /// from the constant (N_e, the populations, a slice) reports nothing more: one error in all.
    /// </summary>
    [Theory]
    [InlineData("abc", DiagnosticCodes.UnknownName, "expected a number for N, as in 'let N = 100' at test.bnn(1,5), but 'abc' is not one, nor a constant of the script")]
    [InlineData("rand ()", DiagnosticCodes.NotConstant, "expected a number for N, as in 'let N = 100' at test.bnn(1,5), but 'rand ()' is not one: 'rand' draws a random number, but this value must be known at compile time")]
    [InlineData("(", DiagnosticCodes.Unterminated, "expected a number for N, as in 'let N = 100' at test.bnn(1,5), but '(' is not one: '(' is never closed")]
    [InlineData("true", DiagnosticCodes.NeedsNumber, "expected a number for N, as in 'let N = 100' at test.bnn(1,5), but 'true' is a condition")]
    public void ABadValueIsOneErrorThatSaysWhatTheConstantTakes(string value, string code, string message)
    {
        var script = Script + "\nlet head = P[0 .. N_e - 1]\nconnect head -> E with S\nsynapse S =\n    on pre\n        post.v += 1<mV>\n";

        var result = Scripts.Compile(script, Set(("N", value)));

        var error = result.Diagnostics.Where(d => d.Severity != Severity.Info).ShouldHaveSingleItem(DiagnosticRenderer.Render(result.Diagnostics));
        error.Code.ShouldBe(code);
        error.Message.ShouldBe(message);
        error.Span!.Value.Source.Path.ShouldBe("--set N");
        result.Model.ShouldBeNull();
    }

    [Fact]
    public void ABooleanConstantSaysItTakesTrueOrFalse()
    {
        var error = Scripts.Compile(Script, Set(("excitatory", "1"))).Diagnostics.ShouldHaveSingleItem();

        error.Message.ShouldStartWith("expected true or false for excitatory");
    }

    [Fact]
    public void ANameOfAnotherKindIsNotAConstant()
    {
        var error = Scripts.Compile(Script, Set(("P", "3"))).Diagnostics.ShouldHaveSingleItem();

        error.Code.ShouldBe(DiagnosticCodes.WrongKind);
        error.Message.ShouldBe("'P' is a population; --set replaces a top-level constant 'let P = ...'");
    }

    /// <summary>A failed slice declares its name, so its uses stay quiet, as a failed population's do.</summary>
    [Fact]
    public void AnErrorInAConstantIsNotRepeatedByTheSliceBuiltFromIt()
    {
        var result = Scripts.Compile("let N = nothing\nneuron A =\n    state v = 0<mV>\nlet P = population 10 A\nlet head = P[0 .. N]\nmonitor spikes head\n");

        result.Diagnostics.Where(d => d.Severity != Severity.Info).ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.UnknownName);
    }

    [Fact]
    public void ABooleanConstantTakesABoolean()
    {
        var script = Script + "\nlet R = population (if excitatory then 3 else 4) A\n";

        Scripts.Model(script).Population("R").Size.ShouldBe(3);
        Scripts.Model(script, Set(("excitatory", "false"))).Population("R").Size.ShouldBe(4);
    }
}
