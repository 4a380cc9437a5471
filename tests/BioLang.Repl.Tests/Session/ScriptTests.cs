using BioLang.Hosting;
using BioLang.Repl.Session;
using BioLang.Repl.Tests.Support;
using BioLang.Tests;

namespace BioLang.Repl.Tests.Session;

/// <summary>
/// <c>:script</c> is a program that, run afresh, builds the session's model: the parameters set at
/// the prompt and the seed the session runs with are in it, not only the declarations.
/// </summary>
public sealed class ScriptTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The session's script, compiled and run by the embedding API for as long as the session ran, ends in the session's state, bit for bit.</summary>
    private static void ShouldRunAsTheSession(ReplSession session, string script)
    {
        using var fresh = BioScript.Compile(script).CreateSimulation();
        fresh.Run(session.Network!.Step);
        fresh.Network.Capture().ShouldBeIdenticalTo(session.Network!.Capture());
    }

    [Fact]
    public void ParametersSetAtThePrompt_AndTheSeed_AreInTheScript()
    {
        using var session = new ReplSession(new ReplOptions { Seed = 5 });
        session.Type(Networks.Plastic);
        session.Type("P.tau <- 12<ms>");
        session.Type("dt = 0.05<ms>");
        session.Type("run 50<ms>");

        var script = session.Type(":script");

        script.ShouldStartWith("seed = 5\n\nopen Plasticity\n");
        script.ShouldContain("let P = population 100 Lif (tau = 12<ms>)\n");
        script.ShouldContain("dt = 0.05<ms>");
        ShouldRunAsTheSession(session, script);
        // The control: without the setting and the seed the script runs otherwise.
        using var bare = BioScript.Compile(Networks.Plastic + "\ndt = 0.05<ms>\n").CreateSimulation();
        bare.Run(session.Network!.Step);
        bare.Network.Spikes("P").ShouldNotBe(session.Network!.Spikes("P"));
    }

    /// <summary>A setting replaces the value of the declaration's own override, or joins its list; comments and line breaks stay.</summary>
    [Fact]
    public void Settings_AreWrittenIntoTheirPopulationsOverrides()
    {
        using var session = new ReplSession();
        session.Type("open Neurons");
        session.Type("let P = population 3 Lif (tau_m = 5<ms>)  // fast");
        session.Type("let Q = population 2 Lif (\n    I = 2<nA>,   // a drive\n    tau_m = (30<ms>))");
        session.Type("let R = population 2 Lif ()");
        session.Type("P.tau_m <- 7<ms>   // faster still");
        session.Type("Q.tau_m <- 2 * (5<ms>)");
        session.Type("Q.v_thresh <- -52<mV>");
        session.Type("R.cm <- 2<nF>");
        session.Type("P.v <- -60<mV>");

        var script = session.Type(":script");

        script.ShouldBe("""
            open Neurons

            let P = population 3 Lif (tau_m = 7<ms>)  // fast

            let Q = population 2 Lif (
                I = 2<nA>,   // a drive
                tau_m = 2 * (5<ms>), v_thresh = -52<mV>)

            let R = population 2 Lif (cm = 2<nF>)

            """.Replace("\r\n", "\n"));
        session.Type("run 20<ms>");
        // A state variable set now (P.v) is state, not model: the script starts from the initial values.
        BioScript.Compile(script).CreateSimulation().Population("P").Read("v").ShouldAllBe(v => v == -0.065);
    }

    /// <summary>A seed typed at the prompt is the seed the network runs with (it used to say 'ok' and change nothing).</summary>
    [Fact]
    public void SeedTypedAtThePrompt_IsUsed()
    {
        using var session = new ReplSession();
        session.Type(Networks.Plastic);

        session.Type("seed = 3").ShouldBe("seed = 3\n");
        session.Type("run 50<ms>");

        session.Network!.Options.Seed.ShouldBe(3ul);
        var script = session.Type(":script");
        script.ShouldNotStartWith("seed = 3");
        script.ShouldEndWith("\n\nseed = 3\n");
        ShouldRunAsTheSession(session, script);
    }

    /// <summary>
    /// dt and the seed make the whole network (its time base, every random draw): a new one starts
    /// the network afresh, and the echo says so. dt used to keep the step count, so that time jumped
    /// (100 steps of 100 us became 100 steps of 50 us), and the seed to keep what the old one drew.
    /// </summary>
    [Theory]
    [InlineData("dt = 0.05<ms>", "dt = 50 us\nthe network starts afresh with the new dt (t = 0; it was at t = 10 ms)\n")]
    [InlineData("seed = 3", "seed = 3\nthe network starts afresh with the new seed (t = 0; it was at t = 10 ms)\n")]
    public void NewDtOrSeed_StartsTheNetworkAfresh(string setting, string echo)
    {
        using var session = new ReplSession();
        session.Type(Networks.Plastic);
        session.Type("run 10<ms>");

        session.Type(setting).ShouldBe(echo);

        session.Network!.Step.ShouldBe(0);
        session.Type("run 20<ms>");
        ShouldRunAsTheSession(session, session.Type(":script"));
    }

    /// <summary>A seed given with --seed takes precedence over the script's, as for 'biolang run'; the echo says so, and the script says which seed ran.</summary>
    [Fact]
    public void SeedGivenAtStart_OverridesTheScriptsAndTheScriptSaysSo()
    {
        using var session = new ReplSession(new ReplOptions { Seed = 7 });
        session.Type(Networks.Plastic);

        session.Type("seed = 3").ShouldBe("seed = 3 (not used: this session runs with seed 7, given by --seed)\n");
        session.Type("run 50<ms>");

        session.Network!.Options.Seed.ShouldBe(7ul);
        var script = session.Type(":script");
        script.ShouldEndWith("\n\nseed = 7\n");
        script.ShouldNotContain("seed = 3");
        ShouldRunAsTheSession(session, script);
    }

    /// <summary>
    /// After restoring a checkpoint saved with seed 4, an edit rebuilds the network with seed 4 still
    /// (it used to fall back to the session's seed, 1, and every random draw after the edit changed).
    /// </summary>
    [Fact]
    public void RestoredCheckpointsSeed_OutlivesAnEdit()
    {
        var path = _dir.File("api.ck");
        using (var sim = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 4))
        {
            sim.Run(TimeSpan.FromMilliseconds(100));
            sim.SaveCheckpoint(path);
        }
        using var expected = BioScript.Compile(Networks.Plastic.Replace("parameters scale = 1\n", "parameters scale = 1.5\n")).RestoreSimulation(path);
        expected.Run(TimeSpan.FromMilliseconds(100));

        using var session = new ReplSession();
        session.Type($":restore {path}");
        session.Type(Networks.StrongerSynapses);
        session.Type("run 100<ms>");

        session.Network!.Options.Seed.ShouldBe(4ul);
        session.Network!.Capture().ShouldBeIdenticalTo(expected.Network.Capture());
        session.Type(":script").ShouldStartWith("seed = 4\n\n");
    }
}
