using BioLang.Language.IR;
using BioLang.Language.Diagnostics;
using BioLang.Science.Tests.Support;

namespace BioLang.Science.Tests;

/// <summary>
/// What the compiler lets a plasticity rule do: read only its synapse and that synapse's pre- and
/// postsynaptic neurons (locality), compose with other rules only when names are resolved, and
/// declare as event-driven only the equations it can solve in closed form.
/// </summary>
public sealed class PlasticityLocalityTests
{
    private const string Network = """
        neuron Cell =
            parameters tau = 10<ms>
            state v = 0<mV>
            equations
                dv/dt = -v / tau
            spike when v > 1<mV>

        synapse Silent =
            state w = 1

        let other = population 1 Cell
        let a = population 2 Cell
        let b = population 2 Cell

        """;

    /// <summary>The rule's sections, indented under 'plasticity Rule ='.</summary>
    private static string WithRule(string sections, string header = "") =>
        header + Network + "plasticity Rule =\n" + sections + "\nconnect a -> b with Silent + Rule\n";

    private static Diagnostic[] Errors(CompilationResult result) => result.Diagnostics.Where(d => d.IsError).ToArray();

    // ---- locality -------------------------------------------------------------------------------

    public static TheoryData<string, string> Sections(string read) => new()
    {
        { "on pre", $"    on pre\n        w <- w + {read}" },
        { "on post", $"    on post\n        w <- w + {read}" },
        { "equations", $"    equations\n        dw/dt = ({read}) / 1<s>" },
        { "every", $"    every 1<ms>\n        w <- w + {read}" },
    };

    public static TheoryData<string, string> ReadsOfAnotherPopulation() => Sections("other.v / 1<mV>");

    [Theory]
    [MemberData(nameof(ReadsOfAnotherPopulation))]
    public void A_rule_reading_another_populations_variable_is_rejected(string where, string sections)
    {
        var errors = Errors(Bnn.TryCompile(WithRule(sections)));
        var error = errors.ShouldHaveSingleItem(where);
        error.Code.ShouldBe(DiagnosticCodes.NonLocalRead);
        error.Span!.Value.Text.ShouldBe("other.v");
        error.Message.ShouldContain("'other.v'");
    }

    public static TheoryData<string, string> LocalReads() => Sections("post.v / 1<mV> + pre.v / 1<mV>");

    [Theory]
    [MemberData(nameof(LocalReads))]
    public void A_rule_reading_its_pre_and_postsynaptic_neurons_compiles(string where, string sections) =>
        Errors(Bnn.TryCompile(WithRule(sections))).ShouldBeEmpty(where);

    public static TheoryData<string, string> ReadsOfAHostValue() => Sections("reward");

    [Theory]
    [MemberData(nameof(ReadsOfAHostValue))]
    public void A_rule_reading_a_host_value_is_rejected(string where, string sections)
    {
        var errors = Errors(Bnn.TryCompile(WithRule(sections, header: "host reward = 0\n")));
        var error = errors.ShouldHaveSingleItem(where);
        error.Code.ShouldBe(DiagnosticCodes.NonLocalRead);
        error.Span!.Value.Text.Trim('(', ')').ShouldBe("reward"); // a parenthesised read keeps its parentheses
        error.Message.ShouldContain("'reward'");
    }

    // ---- composition ----------------------------------------------------------------------------

    /// <summary>Two rules with the same names: a fast and a slow presynaptic trace, each adding 0.01·trace at a presynaptic spike.</summary>
    private const string TwoRules = """
        plasticity Fast =
            parameters tau = 10<ms>
            state tr = 0
            equations (event-driven)
                dtr/dt = -tr / tau
            on pre
                tr += 1
                w <- w + 0.01 * tr

        plasticity Slow =
            parameters tau = 100<ms>
            state tr = 0
            equations (event-driven)
                dtr/dt = -tr / tau
            on pre
                tr += 1
                w <- w + 0.01 * tr

        let pre = spike_times 1 [(0, 10<ms>); (0, 20<ms>)]
        let post = population 1 Cell

        """;

    private static string Composed(string with) => Network + TwoRules + $"connect pre -> post with {with}\nrun 30<ms>\n";

    [Fact]
    public void Composing_two_rules_that_define_the_same_name_is_an_error_at_the_with()
    {
        var source = Composed("Silent + Fast + Slow");
        var errors = Errors(Bnn.TryCompile(source));
        errors.ShouldNotBeEmpty();
        errors.ShouldAllBe(e => e.Code == DiagnosticCodes.Duplicate);
        var connect = source.IndexOf("connect pre -> post", StringComparison.Ordinal);
        foreach (var error in errors)
        {
            error.Span!.Value.Start.ShouldBeGreaterThan(connect, "reported at the composition, not in the rule");
            error.Span!.Value.Text.ShouldStartWith("Slow");
        }
        errors.ShouldContain(e => e.Message.Contains("'tau'") && e.Message.Contains("Fast") && e.Message.Contains("Slow"));
        errors.ShouldContain(e => e.Message.Contains("'tr'"));
    }

    private static (string[] State, double W) Run(string with)
    {
        using var network = Bnn.Run(Bnn.Compile(Composed(with)));
        var projection = network.Projections.Single();
        return (projection.IR.Synapse.State.Select(s => s.Name).ToArray(), projection.Arrays.Vars[projection.IR.Synapse.VarIndex("w")][0]);
    }

    [Fact]
    public void Renaming_resolves_the_clash_and_keeps_two_traces()
    {
        var (state, w) = Run("Silent + Fast + Slow (tau as tau_slow, tr as tr_slow)");
        state.ShouldBe(["w", "tr", "tr_slow"]);
        // Spikes 10 ms apart: each trace is 1, then 1 + e^(-10 ms/tau) with its own tau.
        w.ShouldBe(1 + 0.01 * (1 + 1 + Math.Exp(-10.0 / 10)) + 0.01 * (1 + 1 + Math.Exp(-10.0 / 100)), 1e-12);
    }

    [Fact]
    public void Sharing_resolves_the_clash_with_one_variable()
    {
        var (state, w) = Run("Silent + Fast + Slow (shared tr, tau as tau_slow)");
        state.ShouldBe(["w", "tr"]);
        // One trace, decaying with Fast's tau and incremented by both rules: 1 then 2 at the first
        // spike, 2·e^(-1) + 1 then + 2 at the second.
        var second = 2 * Math.Exp(-10.0 / 10);
        w.ShouldBe(1 + 0.01 * (1 + 2) + 0.01 * (second + 1 + second + 2), 1e-12);
    }

    [Fact]
    public void Sharing_one_name_leaves_the_other_clash_reported()
    {
        var errors = Errors(Bnn.TryCompile(Composed("Silent + Fast + Slow (shared tr)")));
        var error = errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(DiagnosticCodes.Duplicate);
        error.Message.ShouldContain("'tau'");
    }

    // ---- event-driven equations -----------------------------------------------------------------

    private static string EventDriven(string rhs) => Network + $$"""
        plasticity Trace =
            parameters tau = 20<ms>
            state
                x = 0; y = 1; z = 1
            equations (event-driven)
                dx/dt = {{rhs}}
            equations
                dz/dt = -z / tau
            on pre
                x += 1

        connect a -> b with Silent + Trace
        """;

    [Theory]
    // z has a clock-driven equation: it changes between events, so the closed form would be wrong.
    [InlineData("-x * x / tau")]
    [InlineData("-x * z / tau")]
    [InlineData("-x / tau + post.v / (1<mV> * tau)")]
    [InlineData("-x / tau + pre.v / (1<mV> * tau)")]
    [InlineData("-x / tau * (1 + sin (2 * pi * t / 1<s>))")]
    [InlineData("(rand () - x) / tau")]
    public void An_event_driven_equation_that_is_not_linear_with_constant_coefficients_is_rejected(string rhs)
    {
        var source = EventDriven(rhs);
        var error = Errors(Bnn.TryCompile(source)).ShouldHaveSingleItem();
        error.Code.ShouldBe(DiagnosticCodes.MethodNotApplicable);
        error.Span!.Value.Text.ShouldStartWith("dx/dt");
    }

    [Theory]
    [InlineData("-x / tau")]
    [InlineData("(1 - x) / tau")]
    [InlineData("1 / tau")]
    [InlineData("-2 * x / tau + 3 / tau")]
    // Coefficients may read synaptic state that only events change (constant between two events):
    // y never changes, w changes only in handlers, which run after the trace is brought up to date.
    [InlineData("-x * y / tau")]
    [InlineData("-x * w / tau")]
    public void An_event_driven_equation_linear_with_constant_coefficients_compiles(string rhs) =>
        Errors(Bnn.TryCompile(EventDriven(rhs))).ShouldBeEmpty();
}
