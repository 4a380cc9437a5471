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

    /// <summary>Standard sources and targets: spiking neurons fed by Poisson spikes, and rate neurons fed by a rate source.</summary>
    private static IEnumerable<(string Source, string Target)> Pairs() =>
        AllModels(ModelKind.Neuron).Select(n => ("poisson 5 200<Hz>", $"population 2 {n.Name}"))
            .Concat(AllModels(ModelKind.Rate).Select(n => ("population 5 GaussianRate", $"population 2 {n.Name}")));

    [Theory]
    [MemberData(nameof(SynapseModels))]
    public void Synapse_model_drives_a_standard_neuron_model(string synapse)
    {
        var pair = Pairs().FirstOrDefault(p => Bnn.TryCompile(Probe(synapse, p)).Success);
        pair.Target.ShouldNotBeNull($"no standard neuron model has the variables '{synapse}' reads and writes");
        using var network = Bnn.Run(Bnn.Compile(Probe(synapse, pair)));
        network.Projections.Single().SynapseCount.ShouldBeGreaterThan(0);
    }

    /// <summary>Rules' amplitudes are fractions of wmax, which takes the weight's unit at the use site.</summary>
    private static readonly string[] WeightScales = ["", " (wmax = 1<nS>)", " (wmax = 1<uS>)", " (wmax = 1<nA>)", " (wmax = 1<mV>)"];

    [Fact]
    public void Every_plasticity_rule_composes_with_a_standard_synapse()
    {
        var synapses = AllModels(ModelKind.Synapse).Select(s => s.Name).ToList();
        foreach (var rule in AllModels(ModelKind.Plasticity).Select(p => p.Name))
        {
            var composes = WeightScales.Any(scale => synapses.Any(s => Pairs().Any(p => Bnn.TryCompile(Probe($"{s} + {rule}{scale}", p)).Success)));
            composes.ShouldBeTrue($"plasticity rule '{rule}' composes with no standard synapse");
        }
    }

    private static string Probe(string synapse, (string Source, string Target) pair) =>
        $"{OpenAll}let src = {pair.Source}\nlet P = {pair.Target}\nconnect src -> P with {synapse}\nrun 20<ms>\n";
}
