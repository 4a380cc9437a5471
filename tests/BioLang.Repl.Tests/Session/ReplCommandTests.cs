using BioLang.Hosting;
using BioLang.Repl.Session;
using BioLang.Repl.Tests.Support;
using BioLang.Tests;

namespace BioLang.Repl.Tests.Session;

/// <summary>Commands whose effect is on files or on time, where a transcript cannot show it.</summary>
public sealed class ReplCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Leaky = Networks.Leaky + "\nlet P = population 3 Leaky (drive = 20<mV> + i * 5<mV>)\nmonitor spikes P\nrun 100<ms>";

    /// <summary>
    /// :load runs the file (31 spikes in 100 ms, as in basics.repl); :reload applies what changed
    /// without running again, and the network goes on from its state.
    /// </summary>
    [Fact]
    public void Reload_AppliesTheChangedFileAndKeepsTheState()
    {
        var file = _dir.Write("leaky.bnn", Leaky);
        using var session = new ReplSession();
        session.Type($":load {file}").ShouldContain("P: 31 spikes, 103.333 Hz");
        var v = session.Network!.Var("P", "v").ToArray();

        File.WriteAllText(file, Leaky.Replace("v_th = -50<mV>", "v_th = -55<mV>"));
        var reloaded = session.Type(":reload");

        reloaded.ShouldNotContain("spikes");
        session.Network!.Step.ShouldBe(1000);
        session.Network!.Var("P", "v").ShouldBe(v);
        session.Type(":inspect P").ShouldContain("v_th       -55 mV");
        // redefinition.repl: from this state with v_th = -55 mV, 58 more spikes in 100 ms.
        session.Type("run 100<ms>").ShouldContain("P: 89 spikes");
    }

    [Fact]
    public void Reload_OfABrokenFile_ChangesNothing()
    {
        var file = _dir.Write("leaky.bnn", Leaky);
        using var session = new ReplSession();
        session.Type($":load {file}");
        var before = session.Network!.Capture().Copy();

        File.WriteAllText(file, Leaky.Replace("v_th = -50<mV>", "v_th = -50<ms>"));

        session.TypeBad(":reload").ShouldContain($"{file}(");
        session.Network!.Capture().ShouldBeIdenticalTo(before);
        session.Type(":inspect P").ShouldContain("v_th       -50 mV");
    }

    [Fact]
    public void Plot_WritesAPngOfAMonitor()
    {
        using var session = new ReplSession(new ReplOptions { PlotDirectory = _dir.File("plots") });
        session.TypeBad(":plot raster P").ShouldContain("usage");
        session.Type(Leaky);
        var path = _dir.File("raster.png");

        session.Type($":plot raster P {path}").ShouldBe($"{path}\n");
        var inDefaultFolder = session.Type(":plot raster P").TrimEnd();

        foreach (var png in new[] { path, inDefaultFolder })
            File.ReadAllBytes(png).Take(8).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        inDefaultFolder.ShouldStartWith(_dir.File("plots"));
        session.TypeBad(":plot rate P").ShouldContain("monitor it first");
    }

    /// <summary>
    /// A background run stopped wherever it happens to be (the moment is not under the test's
    /// control: the run is long, so it is still going) stops at a step boundary: the network is
    /// the one a straight run of as many steps gives, and it goes on from there exactly.
    /// </summary>
    [Fact]
    public void BackgroundRun_StopsAtAStepBoundary_AndGoesOnExactly()
    {
        using var session = new ReplSession();
        session.Type(Networks.Plastic);
        session.Type("run 100<s> &").ShouldContain("running 100 s in the background");
        session.TypeBad("run 10<ms>").ShouldContain("already going on");

        session.Type(":stop").ShouldStartWith("stopped at t = ");

        session.IsRunning.ShouldBeFalse();
        session.Type(":stop").ShouldBe("nothing is running\n");
        var step = session.Network!.Step;
        step.ShouldBeLessThan(1_000_000);
        using var straight = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 1);
        straight.Run(step);
        session.Network!.Capture().ShouldBeIdenticalTo(straight.Network.Capture());
        session.Type("run 10<ms>");
        straight.Run(100);
        session.Network!.Capture().ShouldBeIdenticalTo(straight.Network.Capture());
    }

    /// <summary>A checkpoint written by a program through the embedding API opens in the REPL, which continues it exactly.</summary>
    [Fact]
    public void CheckpointOfTheApi_RestoresInTheRepl()
    {
        var path = _dir.File("api.ck");
        var model = BioScript.Compile(Networks.Plastic + "\nrun 1<s>\n");
        using var sim = model.CreateSimulation(seed: 4);
        sim.Run(TimeSpan.FromMilliseconds(100));
        sim.SaveCheckpoint(path);
        sim.Run(TimeSpan.FromMilliseconds(100));

        using var session = new ReplSession();
        session.Type($":restore {path}").ShouldBe($"restored t = 100 ms from {path}\n");
        session.Type(":script").ShouldNotContain("run 1<s>");
        session.Type("run 100<ms>");

        session.Network!.Capture().ShouldBeIdenticalTo(sim.Network.Capture());
    }
}
