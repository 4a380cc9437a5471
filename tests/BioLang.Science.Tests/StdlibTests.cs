using BioLang.Language.Diagnostics;
using BioLang.Language.Semantics;
using BioLang.Language.Syntax;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Runtime.Engine;
using BioLang.Science.Tests.Support;

namespace BioLang.Science.Tests;

/// <summary>
/// Conformance of the standard library: every module parses and opens cleanly, every neuron model
/// (variants included) builds and runs, every synapse model drives some standard neuron model, and
/// every plasticity rule composes with some standard synapse. Models are only checked where they
/// are used, so each is instantiated here.
/// </summary>
public sealed class StdlibTests
{
    private static string OpenAll => string.Concat(ModuleLoader.StdlibModules.Select(m => $"open {m}\n"));

    private static IEnumerable<ModelDecl> Models(string module)
    {
        var bag = new DiagnosticBag();
        var program = SyntaxParser.Parse(new SourceText($"stdlib:{module}.bnn", ModuleLoader.StdlibSource(module)!), bag);
        return program.Declarations.OfType<ModelDecl>();
    }

    private static IEnumerable<ModelDecl> AllModels(ModelKind kind) =>
        ModuleLoader.StdlibModules.SelectMany(Models).Where(m => m.Kind == kind);

    public static TheoryData<string> ModuleNames() => [.. ModuleLoader.StdlibModules];

    public static TheoryData<string> NeuronModels() => [.. AllModels(ModelKind.Neuron).Select(m => m.Name)];

    public static TheoryData<string> SynapseModels() => [.. AllModels(ModelKind.Synapse).Select(m => m.Name)];

    [Fact]
    public void Has_the_neuron_synapse_and_input_modules() =>
        new[] { "Inputs", "Neurons", "Synapses" }.ShouldBeSubsetOf(ModuleLoader.StdlibModules);

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Module_parses_without_diagnostics(string module)
    {
        var bag = new DiagnosticBag();
        SyntaxParser.Parse(new SourceText($"stdlib:{module}.bnn", ModuleLoader.StdlibSource(module)!), bag);
        bag.Items.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Module_opens_without_diagnostics(string module)
    {
        var result = Bnn.TryCompile($"open {module}\n");
        result.Diagnostics.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(NeuronModels))]
    public void Neuron_model_builds_and_runs(string model)
    {
        using var network = Bnn.Run(Bnn.Compile($"{OpenAll}let P = population 3 {model}\nrun 20<ms>\n"));
        var group = (NeuronGroupRuntime)network.Group("P");
        for (var k = 0; k < group.VariableNames.Count; k++)
            group.Variable(k).ShouldAllBe(x => double.IsFinite(x), $"{model}.{group.VariableNames[k]}");
    }

    [Theory]
    [MemberData(nameof(SynapseModels))]
    public void Synapse_model_drives_a_standard_neuron_model(string synapse)
    {
        var target = AllModels(ModelKind.Neuron).Select(n => n.Name)
            .FirstOrDefault(n => Bnn.TryCompile(Probe(synapse, n)).Success);
        target.ShouldNotBeNull($"no standard neuron model has the variables '{synapse}' writes");
        using var network = Bnn.Run(Bnn.Compile(Probe(synapse, target)));
        network.Projections.Single().Events.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Every_plasticity_rule_composes_with_a_standard_synapse()
    {
        var synapses = AllModels(ModelKind.Synapse).Select(s => s.Name).ToList();
        var neurons = AllModels(ModelKind.Neuron).Select(n => n.Name).ToList();
        foreach (var rule in AllModels(ModelKind.Plasticity).Select(p => p.Name))
        {
            var composes = synapses.Any(s => neurons.Any(n => Bnn.TryCompile(Probe($"{s} + {rule}", n)).Success));
            composes.ShouldBeTrue($"plasticity rule '{rule}' composes with no standard synapse");
        }
    }

    private static string Probe(string synapse, string neuron) =>
        $"{OpenAll}let src = poisson 5 200<Hz>\nlet P = population 2 {neuron}\nconnect src -> P with {synapse}\nrun 20<ms>\n";
}
