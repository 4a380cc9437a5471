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
        error.Message.ShouldBe("'rate' is defined with dimension Hz at test.bnn(3,5), but the new value has s");
        error.Span!.Value.Source.Path.ShouldBe("--set rate");
    }

    [Fact]
    public void AConditionCannotReplaceANumber()
    {
        var error = Scripts.Compile(Script, Set(("N", "1 > 0"))).Diagnostics.ShouldHaveSingleItem();

        error.Code.ShouldBe(DiagnosticCodes.DimensionMismatch);
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
        error.ToString().ShouldBe("--set N(1,5): error BL0001: expected expression, found end of line");
        result.Model.ShouldBeNull();
    }

    [Fact]
    public void ABooleanConstantTakesABoolean()
    {
        var script = Script + "\nlet R = population (if excitatory then 3 else 4) A\n";

        Scripts.Model(script).Population("R").Size.ShouldBe(3);
        Scripts.Model(script, Set(("excitatory", "false"))).Population("R").Size.ShouldBe(4);
    }
}
