using BioLang.Hosting;
using BioLang.Repl.Tests.Support;
using BioLang.Tests;

namespace BioLang.Repl.Tests.Hosting;

/// <summary>The embedding API (BioLang.Hosting) as a C# program uses it.</summary>
public sealed class EmbeddingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // ---- compiling --------------------------------------------------------------------------

    private const string BadScript = """
        neuron X =
            state
                v = 0<mV>
            equations
                dv/dt = v
        let P = population 3 Nope
        """;

    [Fact]
    public void TryCompile_ReturnsTheDiagnosticsOfABadScript()
    {
        BioScript.TryCompile(BadScript, out var model, out var diagnostics, new BioScriptOptions { Path = "net.bnn" }).ShouldBeFalse();

        model.ShouldBeNull();
        var errors = diagnostics.Where(d => d.IsError).ToList();
        errors.Select(d => d.Code).ShouldBe(["BL0202", "BL0101"]);
        errors[0].Span!.Value.Line.ShouldBe(5);
        errors[0].Span!.Value.Column.ShouldBe(17);
        errors[1].Message.ShouldContain("Nope");
    }

    [Fact]
    public void Compile_ThrowsTheDiagnosticsRenderedAsACompilerWould()
    {
        var e = Should.Throw<BioScriptException>(() => BioScript.Compile(BadScript, new BioScriptOptions { Path = "net.bnn" }));

        e.Diagnostics.Where(d => d.IsError).Select(d => d.Code).ShouldBe(["BL0202", "BL0101"]);
        e.Message.ShouldStartWith("net.bnn(5,17): error BL0202: ");
        e.Message.ShouldContain("net.bnn(6,22): error BL0101: ");
    }

    [Fact]
    public void CompileFile_NamesTheFileAndOpensFilesBesideIt()
    {
        _dir.Write("models.bnn", "neuron Tick =\n    state\n        v = 0<mV>\n    equations\n        dv/dt = 1<V/s>\n    spike when v > 1<mV>\n    reset\n        v <- 0<mV>\n");
        var good = _dir.Write("good.bnn", "open \"models.bnn\"\nlet P = population 2 Tick\nrun 10<ms>\n");
        var bad = _dir.Write("bad.bnn", "open \"models.bnn\"\nlet P = population 2 Tock\n");

        var model = BioScript.CompileFile(good);
        model.Populations.ShouldBe(["P"]);
        model.ScriptDuration.ShouldBe(TimeSpan.FromMilliseconds(10));
        Should.Throw<BioScriptException>(() => BioScript.CompileFile(bad)).Message.ShouldStartWith($"{bad}(2,22): error BL0101: ");
    }

    [Fact]
    public void Constants_ReplaceTheScriptsAndAreCheckedLikeIt()
    {
        const string script = "open Neurons\nlet n = 4\nlet P = population n Lif\n";

        BioScript.Compile(script, new BioScriptOptions { Constants = new Dictionary<string, string> { ["n"] = "7" } })
            .CreateSimulation().Population("P").Size.ShouldBe(7);
        BioScript.TryCompile(script, out _, out var diagnostics, new BioScriptOptions { Constants = new Dictionary<string, string> { ["n"] = "7<mV>" } }).ShouldBeFalse();
        diagnostics.ShouldContain(d => d.Code == "BL0201");
    }

    // ---- state by name -------------------------------------------------------------------------

    private const string Decay = """
        neuron Decay =
            parameters tau = 10<ms>
            state
                v = 0<mV>
                u = 0<mV>
            equations
                dv/dt = -v / tau
        synapse Kick =
            state w = 1<mV>
            on pre
                post.u += w
        let S = spike_times 2 [(0, 1<ms>); (1, 1<ms>)]
        let P = population 4 Decay
        connect S -> P with Kick pairs [(0, 1); (1, 3)]
        """;

    [Fact]
    public void PopulationState_IsReadAndWrittenByName()
    {
        using var sim = BioScript.Compile(Decay).CreateSimulation();
        var p = sim.Population("P");
        p.Variables.ShouldBe(["v", "u"]);

        p.Write("v", [1e-3, 2e-3, -3e-3, 0]);
        var copy = p.Read("v");
        copy[0] = 99;
        sim.Step();

        // Exact integration of dv/dt = -v/tau over one step.
        var factor = Math.Exp(-1e-4 / 10e-3);
        var v = p.Read("v");
        v.Length.ShouldBe(4);
        for (var k = 0; k < 4; k++)
            v[k].ShouldBe(new[] { 1e-3, 2e-3, -3e-3, 0 }[k] * factor, 1e-18);
        Should.Throw<KeyNotFoundException>(() => p.Read("w")).Message.ShouldContain("v, u");
        Should.Throw<ArgumentException>(() => p.Write("v", [1, 2]));
        Should.Throw<KeyNotFoundException>(() => sim.Population("Q")).Message.ShouldContain("S, P");
    }

    [Fact]
    public void ProjectionState_IsReadAndWrittenByName_AndTheNetworkUsesIt()
    {
        using var sim = BioScript.Compile(Decay).CreateSimulation();
        var kick = sim.Projection("S->P");
        var (pre, post) = kick.Connections();
        pre.ShouldBe([0, 1]);
        post.ShouldBe([1, 3]);
        kick.Read("w").ShouldBe([1e-3, 1e-3]);

        kick.Write("w", [2.5e-3, -4e-3]);
        sim.Run(TimeSpan.FromMilliseconds(2));

        sim.Population("P").Read("u").ShouldBe([0, 2.5e-3, 0, -4e-3]);
        Should.Throw<KeyNotFoundException>(() => kick.Read("nope")).Message.ShouldContain("w");
        Should.Throw<ArgumentException>(() => kick.Write("w", [1]));
    }

    // ---- host values ---------------------------------------------------------------------------

    /// <summary>A rate set by the host drives a Poisson population; a neuron integrates another host value two ways.</summary>
    private const string Hosted = """
        host rate = 0<Hz>
        host reward = 0

        neuron Counter =
            state
                x = 0
                y = 0
            equations
                dy/dt = reward / 1<s>
            every dt
                x <- x + reward

        let inp = poisson 1000 rate
        let C = population 3 Counter
        monitor spikes inp
        """;

    private static CompiledModel HostedModel { get; } = BioScript.Compile(Hosted);

    [Fact]
    public void SetHost_ChangesWhatTheNeuronsIntegrate()
    {
        using var sim = HostedModel.CreateSimulation();
        HostedModel.HostValues.ShouldBe(["rate", "reward"]);
        sim.GetHost("reward").ShouldBe(0);

        sim.SetHost("reward", 2);
        sim.Run(TimeSpan.FromMilliseconds(100));

        sim.GetHost("reward").ShouldBe(2);
        sim.Population("C").Read("x").ShouldBe([2000, 2000, 2000]);
        sim.Population("C").Read("y").ShouldAllBe(y => Math.Abs(y - 0.2) < 1e-12);
        Should.Throw<KeyNotFoundException>(() => sim.SetHost("punishment", 1)).Message.ShouldContain("host punishment = 0");
    }

    /// <summary>
    /// The host's rate is the Poisson rate: 0 Hz gives no spike at all, 40 Hz gives 1000 · 40 Hz ·
    /// 0.5 s = 20000 spikes within five standard deviations (per-step Bernoulli draws: variance
    /// n·p·(1 - p) with p = rate·dt).
    /// </summary>
    [Fact]
    public void SetHost_DrivesTheRateOfAPoissonPopulation()
    {
        using var sim = HostedModel.CreateSimulation();
        sim.Run(TimeSpan.FromMilliseconds(500));
        sim.Population("inp").TotalSpikes.ShouldBe(0);

        sim.SetHost("rate", 40);
        sim.Run(TimeSpan.FromMilliseconds(500));

        var expected = 1000 * 5000 * 40e-4;
        var sigma = Math.Sqrt(expected * (1 - 40e-4));
        sim.Population("inp").TotalSpikes.ShouldBeInRange((long)(expected - 5 * sigma), (long)(expected + 5 * sigma));
    }

    /// <summary>A provider is asked once at the start of every step, and its answer is what that step reads.</summary>
    [Fact]
    public void DefineHost_IsAskedOncePerStepBeforeTheStep()
    {
        using var sim = HostedModel.CreateSimulation();
        var calls = 0;
        sim.DefineHost("reward", () => ++calls);
        sim.DefineHost("rate", () => sim.Steps < 2500 ? 0 : 80);

        sim.Run(TimeSpan.FromMilliseconds(500));

        calls.ShouldBe(5000);
        // x sums the values of steps 1 .. 5000.
        sim.Population("C").Read("x").ShouldBe([5000.0 * 5001 / 2, 5000.0 * 5001 / 2, 5000.0 * 5001 / 2]);
        var spikes = sim.Network.Spikes("inp");
        spikes.ShouldAllBe(s => s.Step >= 2500);
        var expected = 1000 * 2500 * 80e-4;
        spikes.Length.ShouldBeInRange((int)(expected - 5 * Math.Sqrt(expected)), (int)(expected + 5 * Math.Sqrt(expected)));
    }

    [Fact]
    public void HostValues_TravelWithACheckpoint()
    {
        var path = _dir.File("host.ck");
        using var sim = HostedModel.CreateSimulation();
        sim.SetHost("reward", 0.25);
        sim.SetHost("rate", 12);
        sim.Run(TimeSpan.FromMilliseconds(10));
        sim.SaveCheckpoint(path);

        using var restored = HostedModel.RestoreSimulation(path);

        restored.GetHost("reward").ShouldBe(0.25);
        restored.GetHost("rate").ShouldBe(12);
        restored.Population("C").Read("x").ShouldBe(sim.Population("C").Read("x"));
    }

    // ---- spikes as they happen -------------------------------------------------------------------

    [Fact]
    public void OnSpikes_SeesEverySpikeTheMonitorSees()
    {
        using var sim = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 3);
        var seen = new List<(double Time, int Neuron)>();
        var seenInputs = 0L;
        sim.OnSpikes("P", (population, time, neurons) =>
        {
            population.ShouldBe("P");
            foreach (var n in neurons)
                seen.Add((time, n));
        });
        sim.OnSpikes("inp", (_, _, neurons) => seenInputs += neurons.Length);

        sim.Run(TimeSpan.FromMilliseconds(200));

        var monitored = sim.Network.Spikes("P").Select(s => (s.Step * sim.Dt, s.Neuron)).ToList();
        monitored.Count.ShouldBeGreaterThan(500);
        seen.ShouldBe(monitored);
        seenInputs.ShouldBe(sim.Network.Spikes("inp").Length);
        seenInputs.ShouldBe(sim.Population("inp").TotalSpikes);
    }

    /// <summary>The handlers do not change the run: the same spikes as a run without them.</summary>
    [Fact]
    public void OnSpikes_DoesNotChangeTheRun()
    {
        var model = BioScript.Compile(Networks.Plastic);
        using var watched = model.CreateSimulation(seed: 3);
        watched.OnSpikes("P", (_, _, _) => { });
        using var plain = model.CreateSimulation(seed: 3);

        watched.Run(TimeSpan.FromMilliseconds(100));
        plain.Run(TimeSpan.FromMilliseconds(100));

        watched.Network.Capture().ShouldBeIdenticalTo(plain.Network.Capture());
    }

    // ---- parameters --------------------------------------------------------------------------------

    /// <summary>x decays with time constant tau (integrated exactly); y adds the host value 'gain' every step.</summary>
    private const string Decaying = """
        host gain = 0

        neuron Decay =
            parameters
                tau = 10<ms>
                E = -70<mV>
            state
                x = 1
                y = 0
                v = 0<mV>
            equations
                dx/dt = -x / tau
                dv/dt = (E - v) / 5<ms>
            every dt
                y <- y + gain

        let P = population 2 Decay
        let inp = poisson 5 100<Hz>
        monitor spikes inp
        """;

    [Fact]
    public void GetParameter_ReadsTheModelsValueInSIUnits()
    {
        using var sim = BioScript.Compile(Decaying).CreateSimulation();

        sim.GetParameter("P", "tau").ShouldBe(0.01, tolerance: 1e-15);
        sim.GetParameter("P", "E").ShouldBe(-0.07, tolerance: 1e-15);
        Should.Throw<KeyNotFoundException>(() => sim.GetParameter("P", "tau_m")).Message.ShouldContain("it has: tau, E");
        Should.Throw<KeyNotFoundException>(() => sim.GetParameter("inp", "rate")).Message.ShouldContain("input population");
    }

    /// <summary>
    /// 10 ms at tau = 10 ms, then 10 ms at tau = 20 ms: x = e^(-10/10) · e^(-10/20) (the exact
    /// propagator, so to rounding). A dimensioned parameter keeps its dimension: v relaxes to the new E.
    /// </summary>
    [Fact]
    public void SetParameter_TakesEffectFromTheNextStepAndKeepsTheState()
    {
        using var sim = BioScript.Compile(Decaying).CreateSimulation();
        sim.DefineHost("gain", () => 1);
        sim.Run(TimeSpan.FromMilliseconds(10));
        var spikesBefore = sim.Population("inp").TotalSpikes;

        sim.SetParameter("P", "tau", 0.02);
        sim.SetParameter("P", "E", -0.05);
        sim.Run(TimeSpan.FromMilliseconds(10));

        sim.GetParameter("P", "tau").ShouldBe(0.02);
        sim.Population("P").Read("x").ShouldAllBe(x => Math.Abs(x - Math.Exp(-1) * Math.Exp(-0.5)) < 1e-12);
        // v after 10 ms towards -70 mV, then 10 ms towards -50 mV, both with tau 5 ms.
        var v10 = -0.07 * (1 - Math.Exp(-2));
        var v20 = -0.05 + (v10 + 0.05) * Math.Exp(-2);
        sim.Population("P").Read("v").ShouldAllBe(v => Math.Abs(v - v20) < 1e-12);
        // The host provider is still asked every step, and the other populations carried on.
        sim.Population("P").Read("y").ShouldBe([200, 200]);
        sim.Population("inp").TotalSpikes.ShouldBeGreaterThan(spikesBefore);
        sim.Spikes("spikes_inp").Times.Length.ShouldBe((int)sim.Population("inp").TotalSpikes);
    }

    [Fact]
    public void SetParameter_RefusesAValueThatIsNotANumber()
    {
        using var sim = BioScript.Compile(Decaying).CreateSimulation();

        Should.Throw<ArgumentOutOfRangeException>(() => sim.SetParameter("P", "tau", double.NaN));
        Should.Throw<KeyNotFoundException>(() => sim.SetParameter("P", "nope", 1));
        sim.GetParameter("P", "tau").ShouldBe(0.01, tolerance: 1e-15);
    }

    /// <summary>A parameter set by the program travels in the checkpoint, and the restored run continues bit for bit.</summary>
    [Fact]
    public void SetParameter_TravelsWithACheckpoint()
    {
        var model = BioScript.Compile(Decaying);
        var path = _dir.File("param.ck");
        using var sim = model.CreateSimulation(seed: 5);
        sim.Run(TimeSpan.FromMilliseconds(5));
        sim.SetParameter("P", "tau", 0.03);
        sim.Run(TimeSpan.FromMilliseconds(5));
        sim.SaveCheckpoint(path);

        using var restored = model.RestoreSimulation(path);
        restored.GetParameter("P", "tau").ShouldBe(0.03);
        sim.Run(TimeSpan.FromMilliseconds(20));
        restored.Run(TimeSpan.FromMilliseconds(20));

        restored.Network.Capture().ShouldBeIdenticalTo(sim.Network.Capture());
        restored.Population("P").Read("x").ShouldAllBe(x => Math.Abs(x - Math.Exp(-0.5) * Math.Exp(-25.0 / 30)) < 1e-12);
    }

    // ---- monitors, read from C# ----------------------------------------------------------------

    [Fact]
    public void Monitors_AreNamedAsTheirResultFiles()
    {
        using var sim = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 3);

        sim.Monitors.ShouldBe(["spikes_P", "spikes_inp", "P.v", "rate_P", "weights_inp->P"], ignoreOrder: true);
        Should.Throw<ArgumentException>(() => sim.Spikes("spikes_Q")).Message.ShouldContain("did you mean 'spikes_P'");
        Should.Throw<ArgumentException>(() => sim.Rates("spikes_P")).Message.ShouldContain("not a rate monitor");
    }

    /// <summary>The spike record is what the handlers saw, spike for spike.</summary>
    [Fact]
    public void Spikes_IsWhatOnSpikesSaw()
    {
        using var sim = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 3);
        var seen = new List<(double, int)>();
        sim.OnSpikes("P", (_, time, neurons) => { foreach (var n in neurons) seen.Add((time, n)); });

        sim.Run(TimeSpan.FromMilliseconds(100));

        var record = sim.Spikes("spikes_P");
        seen.Count.ShouldBeGreaterThan(100);
        record.Times.Zip(record.Neurons).ShouldBe(seen);
    }

    /// <summary>
    /// A state monitor samples every 1 ms at the start of the step, so its sample at step k is what
    /// <c>Population.Read</c> returns after k steps; a weight monitor the same for the weights.
    /// </summary>
    [Fact]
    public void Trace_SamplesWhatReadSeesAtTheSameStep()
    {
        using var sim = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 3);
        var seenV = new List<double[]>();
        var seenW = new List<double[]>();
        for (var step = 0; step < 1001; step++)
        {
            if (step % 10 == 0)
                seenV.Add(sim.Population("P").Read("v")[..5]);
            if (step % 500 == 0)
                seenW.Add(sim.Projection("inp->P").Read("w"));
            sim.Step();
        }

        var v = sim.Trace("P.v");
        v.Variable.ShouldBe("v");
        v.Indices.ShouldBe([0, 1, 2, 3, 4]);
        v.Times.Length.ShouldBe(seenV.Count);
        v.Times[^1].ShouldBe(0.1, tolerance: 1e-12);
        for (var k = 0; k < seenV.Count; k++)
            for (var n = 0; n < 5; n++)
                v.Values[k, n].ShouldBe(seenV[k][n]);

        var w = sim.Trace("weights_inp->P");
        w.Variable.ShouldBe("w");
        w.Times.ShouldBe([0, 0.05, 0.1], tolerance: 1e-12);
        w.Indices.Length.ShouldBe(sim.Projection("inp->P").Synapses);
        for (var k = 0; k < 3; k++)
            Enumerable.Range(0, w.Indices.Length).Select(n => w.Values[k, n]).ShouldBe(seenW[k]);
        seenW[2].ShouldNotBe(seenW[0]);
    }

    /// <summary>The rate in each 5 ms bin is the spikes in it per neuron per second.</summary>
    [Fact]
    public void Rates_CountTheRecordedSpikesPerBin()
    {
        using var sim = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 3);
        sim.Run(TimeSpan.FromMilliseconds(100));

        var rates = sim.Rates("rate_P");
        var spikes = sim.Spikes("spikes_P");
        rates.Times.Length.ShouldBe(20);
        for (var b = 0; b < 20; b++)
        {
            var start = rates.Times[b];
            start.ShouldBe(b * 0.005, tolerance: 1e-12);
            var count = spikes.Times.Count(t => t >= start - 1e-9 && t < start + 0.005 - 1e-9);
            rates.RatesHz[b].ShouldBe(count / (100 * 0.005), tolerance: 1e-9);
        }
    }

    [Fact]
    public void DefineHost_WithNull_LeavesTheLastValue()
    {
        using var sim = HostedModel.CreateSimulation();
        sim.DefineHost("reward", () => 3);
        sim.Run(10);
        sim.DefineHost("reward", null);
        sim.SetHost("reward", 1);
        sim.Run(10);

        sim.GetHost("reward").ShouldBe(1);
        sim.Population("C").Read("x").ShouldBe([40, 40, 40]);
    }

    // ---- cancellation ---------------------------------------------------------------------------

    [Fact]
    public void Run_WithACancelledToken_DoesNothing()
    {
        using var sim = HostedModel.CreateSimulation();

        sim.Run(TimeSpan.FromMilliseconds(100), new CancellationToken(canceled: true)).ShouldBe(0);

        sim.Steps.ShouldBe(0);
    }

    /// <summary>
    /// Cancelled from a spike handler (so at a known moment, not a timed one): the run stops at a
    /// step boundary, says how many steps it made, and resumed it ends exactly where an
    /// uninterrupted run does.
    /// </summary>
    [Fact]
    public void Run_CancelledFromAHandler_StopsAtAStepBoundaryAndResumesExactly()
    {
        var model = BioScript.Compile(Networks.Plastic);
        using var interrupted = model.CreateSimulation(seed: 5);
        using var cancel = new CancellationTokenSource();
        var handled = 0;
        long lastStepSeen = -1;
        interrupted.OnSpikes("P", (_, time, neurons) =>
        {
            handled += neurons.Length;
            lastStepSeen = interrupted.Steps - 1;
            if (handled >= 200)
                cancel.Cancel();
        });

        var done = interrupted.Run(TimeSpan.FromMilliseconds(300), cancel.Token);

        done.ShouldBeLessThan(3000);
        interrupted.Steps.ShouldBe(done);
        lastStepSeen.ShouldBe(done - 1, "the step whose spikes cancelled the run was finished, and no other began");
        interrupted.Network.Spikes("P").Length.ShouldBe(handled);
        interrupted.Run(3000 - done).ShouldBe(3000 - done);

        using var straight = model.CreateSimulation(seed: 5);
        straight.Run(TimeSpan.FromMilliseconds(300));
        interrupted.Network.Capture().ShouldBeIdenticalTo(straight.Network.Capture());
    }

    /// <summary>Without handlers the loop looks at the token every few steps: it still stops at a boundary, and resumes exactly.</summary>
    [Fact]
    public void Run_CancelledWithoutHandlers_StopsAtAStepBoundaryAndResumesExactly()
    {
        var model = BioScript.Compile(Networks.Plastic + "\nhost clock = 0\n");
        using var interrupted = model.CreateSimulation(seed: 5);
        using var cancel = new CancellationTokenSource();
        interrupted.DefineHost("clock", () =>
        {
            if (interrupted.Steps == 1000)
                cancel.Cancel();
            return 0;
        });

        var done = interrupted.Run(TimeSpan.FromMilliseconds(300), cancel.Token);

        done.ShouldBeInRange(1001L, 2999L);
        interrupted.Steps.ShouldBe(done);
        interrupted.Run(3000 - done);

        using var straight = model.CreateSimulation(seed: 5);
        straight.Run(TimeSpan.FromMilliseconds(300));
        interrupted.Network.Capture().ShouldBeIdenticalTo(straight.Network.Capture());
    }

    // ---- results ---------------------------------------------------------------------------------

    [Fact]
    public void WriteResults_WritesTheMonitorsAsTheCommandLineDoes()
    {
        using var sim = BioScript.Compile(Networks.Plastic).CreateSimulation(seed: 3);
        sim.Run(TimeSpan.FromMilliseconds(50));

        var files = sim.WriteResults(_dir.Path, plots: false);

        files.ShouldContain("summary.json");
        files.ShouldContain("spikes_P.csv");
        var rows = File.ReadAllLines(Path.Combine(_dir.Path, "spikes_P.csv")).Skip(1).ToList();
        rows.Count.ShouldBe(sim.Network.Spikes("P").Length);
        rows.ShouldBe(sim.Network.Spikes("P").Select(s => $"{s.Step * 0.1:0.###},{s.Neuron}").ToList());
    }
}
