using BioLang.Hosting;
using BioLang.Repl.Session;
using BioLang.Repl.Tests.Support;
using BioLang.Repl.Tests.Transcripts;
using BioLang.Tests;

namespace BioLang.Repl.Tests.Session;

/// <summary>The REPL core beyond what the transcripts show: bit-level state, and what IsComplete decides.</summary>
public sealed class ReplSessionTests
{
    /// <summary>Whether the input so far is whole (true) or the prompt should ask for another line (false).</summary>
    public static TheoryData<string, bool> Inputs => new()
    {
        { "let x = 1", true },
        { "run 100<ms>", true },
        { ":help", true },
        { "let x = (1 +", false },
        { "let x = (1 +\n    2)", true },
        { "let x = [1;\n 2", false },
        { "let x = max 2 (", false },
        { "let x =", false },
        { "let x =\n    3", true },
        { "neuron X =", false },
        { "neuron X =\n    state", false },
        { "neuron X =\n    state\n        v = 0<mV>", false },
        { "neuron X =\n    state\n        v = 0<mV>\n\n", true },
        { "neuron X = Lif (tau_m = 10<ms>)", true },
        { "    reset\n        if v > 0<mV> then", false },
        { "let n = 2 // (a comment", true },
        { "let n = 2 // a comment )", true },
        { "let n = (2 // a comment (\n    )", true },
        { "(* a comment ( *)", true },
        { "(* a comment", false },
        { "(* outer (* inner *) still open", false },
        { "(* outer (* inner *) closed *)", true },
        { "open \"a (b.bnn\"", true },
        { "open \"a (b.bnn\" // \"(", true },
        { "let f = (*)", true },
        { "let x = (1 ]", false },
        { "let x = 1)", true },
        { "let x = ([1; 2)]", false },
        { "neuron X = // a comment", false },
        { "let s = \"//\" + (", false },
    };

    /// <summary>Whether a line, read where an input could continue, starts a new input instead (a pipe then ends the input before it).</summary>
    public static TheoryData<string, bool> Starts => new()
    {
        { "let y = 2", true },
        { "open Neurons", true },
        { "run 10<ms>", true },
        { "monitor spikes P", true },
        { "connect inp -> P with Exc all_to_all", true },
        { "neuron Leaky =", true },
        { "rate R = Tanh (tau = 5<ms>)", true },
        { "host reward = 0", true },
        { "dt = 0.05<ms>", true },
        { "seed = 3", true },
        { "P.tau <- 12<ms>", true },
        { ":quit", true },
        { ":?", true },
        // Continuations: indented lines, closing brackets, expressions, named arguments.
        { "    let y = 2", false },
        { "    6)", false },
        { ")", false },
        { "] |> sum", false },
        { "1 + 2)", false },
        { "drive = 30<mV>)", false },
        { "rate * 2)", false },
        { "run", false },
        { "dt == 1<ms>)", false },
        { "", false },
    };

    [Theory]
    [MemberData(nameof(Starts))]
    public void StartsInput_TellsANewInputFromAContinuation(string line, bool starts) =>
        ReplSession.StartsInput(line).ShouldBe(starts);

    [Theory]
    [MemberData(nameof(Inputs))]
    public void IsComplete_DecidesWhetherTheInputIsWhole(string text, bool complete) =>
        ReplSession.IsComplete(text).ShouldBe(complete);

    /// <summary>
    /// Bad input prints diagnostics and leaves the network exactly as it was: the same state, bit
    /// for bit, and the same next run as in a session that never saw it.
    /// </summary>
    [Fact]
    public void BadInput_LeavesTheNetworkAsIfItHadNeverBeenTyped()
    {
        using var clean = new ReplSession();
        using var dirty = new ReplSession();
        foreach (var s in new[] { clean, dirty })
        {
            s.Type(Networks.Plastic);
            s.Type("run 100<ms>");
        }
        var before = dirty.Network!.Capture().Copy();

        dirty.TypeBad("let x = 3 +").ShouldContain("error BL0001");
        dirty.TypeBad("let Q = population 2 Lif (tau = 1<mV>)").ShouldContain("error BL0201");
        dirty.TypeBad("connect inp -> P with Nope").ShouldContain("error BL0101");
        dirty.TypeBad(Networks.Plastic.Replace("dv/dt = (v_rest - v + I) / tau", "dv/dt = (v_rest - v + I)")).ShouldContain("error BL0202");
        dirty.TypeBad("P.tau <- 5<mV>").ShouldContain("error BL0201");
        dirty.TypeBad("P.v <- 1<ms>").ShouldContain("error BL0201");
        dirty.TypeBad("Nope.v <- 1<mV>").ShouldContain("error BL0101");
        dirty.TypeBad("run 5<mV>").ShouldContain("not a duration");
        dirty.TypeBad(":restore /no/such/checkpoint.ck").ShouldContain("file not found");
        dirty.TypeBad(":frobnicate").ShouldContain("unknown command");

        dirty.Network!.Capture().ShouldBeIdenticalTo(before);
        dirty.Type(":script").ShouldBe(clean.Type(":script"));
        var expected = TranscriptFile.WithoutWallTimes(clean.Type("run 100<ms>"));
        TranscriptFile.WithoutWallTimes(dirty.Type("run 100<ms>")).ShouldBe(expected);
        dirty.Network!.Capture().ShouldBeIdenticalTo(clean.Network!.Capture());
    }

    /// <summary>A script typed at the prompt (compiled as one file per declaration) runs exactly as the embedding API runs it as one file.</summary>
    [Fact]
    public void ScriptTypedAtThePrompt_RunsExactlyAsTheCompiledScript()
    {
        using var session = new ReplSession();
        session.Type(Networks.Plastic);
        session.Type("run 200<ms>");

        using var sim = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 1);
        sim.Run(TimeSpan.FromMilliseconds(200));

        session.Network!.Spikes("P").Length.ShouldBeGreaterThan(500);
        session.Network!.Capture().ShouldBeIdenticalTo(sim.Network.Capture());
    }

    /// <summary>A population redefined with another size starts afresh, its spike monitor too: no recorded neuron index may fall outside it.</summary>
    [Fact]
    public void PopulationRedefinedWithAnotherSize_StartsItsSpikeRecordAfresh()
    {
        using var session = new ReplSession();
        session.Type("open Neurons\nlet P = population 5 Lif (I = 1<nA>)\nmonitor spikes P\nrun 100<ms>");
        session.Network!.Spikes("P").Select(s => s.Neuron).Distinct().Count().ShouldBe(5);

        session.Type("let P = population 2 Lif (I = 1<nA>)");
        session.Type("run 100<ms>");

        var spikes = session.Network!.Spikes("P");
        spikes.ShouldNotBeEmpty();
        spikes.ShouldAllBe(s => s.Neuron < 2 && s.Step >= 1000);
    }

    /// <summary>A run statement that fails inside a multi-line input is an error (printed on stderr by the adapters), and what follows it is not applied.</summary>
    [Fact]
    public void FailingRunInsideAnInput_IsAnErrorAndStopsThere()
    {
        using var session = new ReplSession();
        session.Type("open Neurons\nlet P = population 1 Lif");

        var message = session.TypeBad("run 5<mV>\nlet Q = population 1 Lif");

        message.ShouldContain("not a duration");
        session.Type(":script").ShouldNotContain("let Q");
    }

    [Fact]
    public void RunWithParenthesisedDuration_RunsThatLong()
    {
        using var session = new ReplSession();
        session.Type("open Neurons\nlet P = population 1 Lif");

        session.Type("run 2 * (50<ms>)").ShouldStartWith("t = 100 ms (1000 steps");
    }
}
