using System.Text.Json;

namespace BioLang.Repl.Tests;

/// <summary><c>biolang run</c> in this process: what it writes and how its options act.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonElement Summary(string dir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement;

    private string Out(string name) => _dir.File(name);

    private static (long Step, int Neuron)[] SpikeRows(string dir) =>
        OutputFiles.ReadCsv(Path.Combine(dir, "spikes_P.csv")).Rows.Select(r => ((long)Math.Round(r[0] * 10), (int)r[1])).ToArray();

    [Fact]
    public void Run_Coba_WritesTheDocumentedResults()
    {
        var dir = Out("coba");
        var result = Cli.InProcess("run", Cli.Example("coba.bnn"), "--duration", "50ms", "--out", dir);
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("P: 4000 neurons");

        var summary = Summary(dir);
        summary.GetProperty("bio_time_s").GetDouble().ShouldBe(0.05, 1e-12);
        summary.GetProperty("seed").GetUInt64().ShouldBe(1UL);
        summary.GetProperty("threads").GetInt32().ShouldBe(Environment.ProcessorCount);
        var timing = summary.GetProperty("timing");
        var phases = new[] { "parse_s", "compile_s", "build_s", "run_s", "write_s" }.Select(k => timing.GetProperty(k).GetDouble()).ToArray();
        phases.ShouldAllBe(s => s >= 0);
        // The total covers every phase (and the process start before them).
        timing.GetProperty("total_s").GetDouble().ShouldBeGreaterThanOrEqualTo(phases.Sum() - 1e-5);

        var p = summary.GetProperty("populations").GetProperty("P");
        p.GetProperty("size").GetInt32().ShouldBe(4000);
        var spikes = p.GetProperty("spikes").GetInt64();
        spikes.ShouldBeGreaterThan(0);
        p.GetProperty("rate_hz").GetDouble().ShouldBe(spikes / (4000 * 0.05), 1e-9);
        // Per neuron: v, ge, gi (8 B each), the last spike's step (8 B) and a slot in the spike list (4 B).
        p.GetProperty("bytes").GetInt64().ShouldBe(4000 * (3 * 8 + 8 + 4));

        // 3200 × 4000 pairs at p = 0.02 and 800 × 4000 at p = 0.02: binomial counts within 5σ.
        var projections = summary.GetProperty("projections");
        projections.EnumerateObject().Select(o => o.Name).Order().ShouldBe(["exc->P", "inh->P"]);
        foreach (var (name, pairs) in new[] { ("exc->P", 3200.0 * 4000), ("inh->P", 800.0 * 4000) })
            ((double)projections.GetProperty(name).GetProperty("synapses").GetInt64()).ShouldBe(pairs * 0.02, 5 * Math.Sqrt(pairs * 0.02 * 0.98), name);

        // Every file listed is there, nothing else is (no temporary files either).
        var listed = summary.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).Order().ToArray();
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order().ShouldBe(listed!);
        listed.ShouldContain("spikes_P.csv");
        listed.ShouldContain("summary.json");

        // spikes_P.csv: a header and one row per spike, at t = step·dt in ms.
        var (header, rows) = OutputFiles.ReadCsv(Path.Combine(dir, "spikes_P.csv"));
        header.ShouldBe(["t_ms", "neuron"]);
        rows.Length.ShouldBe((int)spikes);
        rows.ShouldAllBe(r => r[0] >= 0 && r[0] < 50 && Math.Abs(r[0] * 10 - Math.Round(r[0] * 10)) < 1e-6 && r[1] >= 0 && r[1] < 4000 && r[1] == Math.Floor(r[1]));

        // Times are written as the decimals they are: step 3 at 0.1 ms is "0.3", not "0.30000000000000004".
        foreach (var file in new[] { "spikes_P.csv", "state_P.v.csv", "rate_P.csv" })
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, file)).Skip(1))
            {
                var t = decimal.Parse(line[..line.IndexOf(',')], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
                (t * 10).ShouldBe(decimal.Round(t * 10), $"{file}: {line}");
            }
        }

        // The .npy files hold the same tables.
        var (shape, data) = OutputFiles.ReadNpy(Path.Combine(dir, "spikes_P.npy"));
        shape.ShouldBe([(int)spikes, 2]);
        data.ShouldBe(rows.SelectMany(r => r));
        var (rateShape, rate) = OutputFiles.ReadNpy(Path.Combine(dir, "rate_P.npy"));
        rateShape.ShouldBe([50, 2]);
        // Σ rate · N · bin = every spike.
        Enumerable.Range(0, 50).Sum(b => rate[2 * b + 1] * 4000 * 1e-3).ShouldBe(spikes, 1e-6);
        var (stateShape, state) = OutputFiles.ReadNpy(Path.Combine(dir, "state_P.v.npy"));
        stateShape.ShouldBe([500, 6]);
        var (stateHeader, stateRows) = OutputFiles.ReadCsv(Path.Combine(dir, "state_P.v.csv"));
        stateHeader.ShouldBe(["t_ms", "v_0", "v_1", "v_2", "v_3", "v_4"]);
        state.ShouldBe(stateRows.SelectMany(r => r));
        // Volts, in SI: every sampled membrane potential is between the inhibitory reversal and threshold.
        stateRows.ShouldAllBe(r => r.Skip(1).All(v => v >= -0.1 && v <= -0.05));

        foreach (var png in listed.Where(f => f.EndsWith(".png")))
        {
            var (width, height) = OutputFiles.ReadPngSize(Path.Combine(dir, png));
            width.ShouldBeGreaterThan(100, png);
            height.ShouldBeGreaterThan(100, png);
        }
        listed.Count(f => f.EndsWith(".png")).ShouldBe(3);
    }

    [Fact]
    public void Run_SetReplacesConstants_AndDurationSetsTheTime()
    {
        var dir = Out("small");
        var result = Cli.InProcess("run", Cli.Example("coba.bnn"), "--set", "N=800", "--set", "N_e=640", "--duration", "20ms", "--out", dir, "--no-plots");
        result.ExitCode.ShouldBe(0, result.ToString());

        var summary = Summary(dir);
        summary.GetProperty("populations").GetProperty("P").GetProperty("size").GetInt32().ShouldBe(800);
        summary.GetProperty("bio_time_s").GetDouble().ShouldBe(0.02, 1e-12);
        summary.GetProperty("steps").GetInt64().ShouldBe(200);
        // 80 / N: with N = 800 the probability is 10%.
        ((double)summary.GetProperty("projections").GetProperty("exc->P").GetProperty("synapses").GetInt64())
            .ShouldBe(640.0 * 800 * 0.1, 5 * Math.Sqrt(640.0 * 800 * 0.1 * 0.9));
        Directory.GetFiles(dir, "*.png").ShouldBeEmpty();
    }

    [Fact]
    public void Run_Seed_ChangesTheSpikes_AndThreadsDoNot()
    {
        // 5000 neurons: enough for the update to be split across two workers.
        string[] Args(string name, string seed, string threads) =>
            ["run", Cli.Example("coba.bnn"), "--set", "N=5000", "--set", "N_e=4000", "--duration", "30ms", "--no-plots", "--quiet",
             "--seed", seed, "--threads", threads, "--out", Out(name)];

        foreach (var (name, seed, threads) in new[] { ("a", "5", "1"), ("b", "5", "2"), ("c", "6", "2") })
        {
            var r = Cli.InProcess(Args(name, seed, threads));
            r.ExitCode.ShouldBe(0, r.ToString());
            r.Out.ShouldBeEmpty("--quiet prints only errors");
        }

        Summary(Out("a")).GetProperty("seed").GetUInt64().ShouldBe(5UL);
        Summary(Out("a")).GetProperty("threads").GetInt32().ShouldBe(1);
        Summary(Out("b")).GetProperty("threads").GetInt32().ShouldBe(2);
        Summary(Out("c")).GetProperty("seed").GetUInt64().ShouldBe(6UL);
        var a = SpikeRows(Out("a"));
        a.Length.ShouldBeGreaterThan(100);
        SpikeRows(Out("b")).ShouldBe(a);
        SpikeRows(Out("c")).ShouldNotBe(a);
        File.ReadAllBytes(Path.Combine(Out("b"), "state_P.v.npy")).ShouldBe(File.ReadAllBytes(Path.Combine(Out("a"), "state_P.v.npy")));
    }

    /// <summary>Two monitors of one variable, and a weight monitor of a plastic connection whose final weights are written too: no file overwrites another.</summary>
    [Fact]
    public void Run_MonitorsOfOneVariable_AndWeightsOverTime_WriteFilesOfTheirOwn()
    {
        var script = _dir.Write("monitors.bnn", """
            neuron Cell =
                state v = 0<mV>
                equations
                    dv/dt = (2<mV> - v) / 10<ms>
                spike when v > 1<mV>
                reset v <- 0<mV>
            synapse Growing =
                state w = 0.5
                on pre
                    post.v += w * 1<mV>
                    w <- w + 0.01
            let P = population 3 Cell
            connect P -> P with Growing
            monitor P.v [0] every 1<ms>
            monitor P.v [1; 2] every 0.1<ms>
            monitor weights P -> P every 1<ms>
            run 20<ms>
            """);
        var dir = Out("monitors");
        var result = Cli.InProcess("run", script, "--out", dir);
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Error.ShouldNotContain("warning");

        var listed = Summary(dir).GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToArray();
        listed.ShouldBeUnique();
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order().ShouldBe(listed.Order()!);
        var (first, firstRows) = OutputFiles.ReadCsv(Path.Combine(dir, "state_P.v.csv"));
        first.ShouldBe(["t_ms", "v_0"]);
        firstRows.Length.ShouldBe(20);
        var (second, secondRows) = OutputFiles.ReadCsv(Path.Combine(dir, "state_P.v_2.csv"));
        second.ShouldBe(["t_ms", "v_1", "v_2"]);
        secondRows.Length.ShouldBe(200);
        OutputFiles.ReadNpy(Path.Combine(dir, "state_P.v_2.npy")).Shape.ShouldBe([200, 3]);
        listed.ShouldContain("trace_P.v_2.png");
        // The final weights (pre, post, w) of 9 synapses, and w of each synapse every 1 ms.
        OutputFiles.ReadNpy(Path.Combine(dir, "weights_P-P.npy")).Shape.ShouldBe([9, 3]);
        OutputFiles.ReadNpy(Path.Combine(dir, "weights_P-P_over_time.npy")).Shape.ShouldBe([20, 10]);
    }

    [Fact]
    public void Run_ScriptSeedIsUsed_UnlessOverridden()
    {
        var script = _dir.Write("seeded.bnn", """
            seed = 42
            let P = poisson 50 100<Hz>
            monitor spikes P
            run 20<ms>
            """);
        Cli.InProcess("run", script, "--out", Out("script"), "--no-plots").ExitCode.ShouldBe(0);
        Cli.InProcess("run", script, "--out", Out("flag"), "--no-plots", "--seed", "42").ExitCode.ShouldBe(0);
        Cli.InProcess("run", script, "--out", Out("other"), "--no-plots", "--seed", "43").ExitCode.ShouldBe(0);

        Summary(Out("script")).GetProperty("seed").GetUInt64().ShouldBe(42UL);
        SpikeRows(Out("flag")).ShouldBe(SpikeRows(Out("script")));
        SpikeRows(Out("other")).ShouldNotBe(SpikeRows(Out("script")));
    }

    [Fact]
    public void Run_InterpreterBackend_GivesTheSameResults()
    {
        var script = _dir.Write("lif.bnn", """
            neuron Lif =
                parameters
                    tau = 10<ms>
                state
                    v = rand () * 1<mV>
                equations
                    dv/dt = (1.2<mV> - v) / tau  (unless refractory)
                spike when v > 1<mV>
                reset
                    v <- 0<mV>
                refractory 1<ms>
            let P = population 20 Lif
            monitor spikes P
            run 100<ms>
            """);
        Cli.InProcess("run", script, "--out", Out("compiled"), "--no-plots").ExitCode.ShouldBe(0);
        Cli.InProcess("run", script, "--out", Out("interpreted"), "--no-plots", "--backend", "interpreter").ExitCode.ShouldBe(0);

        Summary(Out("interpreted")).GetProperty("backend").GetString().ShouldBe("interpreter");
        var spikes = SpikeRows(Out("compiled"));
        spikes.Length.ShouldBeGreaterThan(20);
        SpikeRows(Out("interpreted")).ShouldBe(spikes);
    }
}
