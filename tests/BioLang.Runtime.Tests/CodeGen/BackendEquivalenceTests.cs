using BioLang.Tests;
using System.Text.RegularExpressions;
using BioLang.Language.Compilation;
using BioLang.Language.IR;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Engine;
using BioLang.Runtime.Tests.Engine;

namespace BioLang.Runtime.Tests.CodeGen;

/// <summary>
/// The compiled backend must reproduce the reference interpreter bit for bit: the same spikes in the
/// same steps, the same monitored samples, the same final state of every neuron and synapse.
/// </summary>
public sealed partial class BackendEquivalenceTests
{
    /// <summary>Everything observable about a finished run.</summary>
    private sealed record Outcome(
        Dictionary<string, long[]> Monitors,
        Dictionary<string, long[]> State,
        Dictionary<string, long> Counts,
        string? Error);

    private static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static Outcome Run(ModelIR model, IBackend backend, double seconds, ulong seed = 3)
    {
        var monitors = new Dictionary<string, long[]>();
        var state = new Dictionary<string, long[]>();
        var counts = new Dictionary<string, long>();
        Network network;
        try
        {
            network = Network.Build(model, new NetworkOptions { Backend = backend, Seed = seed });
        }
        catch (SimulationException e)
        {
            return new Outcome(monitors, state, counts, e.Diagnostic.ToString());
        }
        using (network)
        {
            string? error = null;
            try
            {
                network.Run((long)Math.Round(seconds / model.Dt));
            }
            catch (SimulationException e)
            {
                error = e.Diagnostic.ToString();
            }
            foreach (var m in network.Monitors)
            {
                switch (m)
                {
                    case SpikeMonitorRuntime s:
                        monitors[m.Name] = s.Steps.ToArray().Zip(s.Neurons.ToArray(), (step, n) => step * 1_000_000 + n).ToArray();
                        break;
                    case StateMonitorRuntime s:
                        monitors[m.Name] = [.. s.Steps.ToArray(), .. Bits(s.Values.ToArray())];
                        break;
                    case RateMonitorRuntime r:
                        monitors[m.Name] = [.. r.Steps.ToArray(), .. Bits(r.RatesHz.ToArray())];
                        break;
                }
            }
            foreach (var g in network.Groups)
            {
                counts["spikes " + g.Name] = g.TotalSpikes;
                for (var k = 0; k < g.VariableNames.Count; k++)
                    state[$"{g.Name}.{g.VariableNames[k]}"] = Bits(g.Variable(k));
                if (g is NeuronGroupRuntime n)
                    state[$"{g.Name} last spike"] = n.Arrays.LastSpike;
            }
            foreach (var p in network.Projections)
            {
                counts["events " + p.Name] = p.Events;
                counts["synapses " + p.Name] = p.SynapseCount;
                state[$"{p.Name} post"] = p.Connectivity.Post.Select(x => (long)x).ToArray();
                for (var k = 0; k < p.Arrays.VarCount; k++)
                    state[$"{p.Name}.{p.IR.Synapse.State[k].Name}"] = Bits(p.Arrays.Doubles(k));
                if (p.Arrays.EventDriven)
                    state[$"{p.Name} last event"] = Enumerable.Range(0, p.SynapseCount).Select(s => (long)p.Arrays.LastStep(s)).ToArray();
            }
            return new Outcome(monitors, state, counts, error);
        }
    }

    private static Outcome AssertEquivalent(ModelIR model, double seconds, SimdShape? shape = null)
    {
        var compiled = Run(model, new ExpressionTreeBackend { Shape = shape }, seconds);
        var reference = Run(model, new Interpreter(), seconds);

        compiled.Error.ShouldBe(reference.Error);
        compiled.Counts.ShouldBe(reference.Counts);
        compiled.Monitors.Keys.Order().ShouldBe(reference.Monitors.Keys.Order());
        foreach (var (name, values) in reference.Monitors)
            compiled.Monitors[name].ShouldBe(values, $"monitor {name}");
        compiled.State.Keys.Order().ShouldBe(reference.State.Keys.Order());
        foreach (var (name, values) in reference.State)
            compiled.State[name].ShouldBe(values, $"state {name}");
        return reference;
    }

    // ---- fixtures ------------------------------------------------------------------------------

    /// <summary>A conductance-based neuron (conditionally linear, so every method but exact applies), with a reset that uses let, if blocks and random draws.</summary>
    private static string Conductance(string name, string method) => $$"""
        neuron {{name}} =
            parameters
                tau_m = 10<ms>; tau_g = 4<ms>; E_l = -65<mV>; E_e = 0<mV>; v_th = -50<mV>; v_reset = -68<mV>
            state
                v = uniform (-70<mV>) (-50<mV>)
                g = 0.1 * rand ()
                drive = (16 + 6 * randn ()) * 1<mV>
            equations
                dv/dt = (E_l - v + g * (E_e - v) + drive) / tau_m  (unless refractory)
                dg/dt = -g / tau_g
            spike when v > v_th
            reset
                let overshoot = v - v_th
                v <- v_reset
                if overshoot > 0.3<mV> then
                    g *= 0.5
                    drive -= 0.2<mV>
                else
                    g += 0.05
                if rand () < 0.3 then v -= 1<mV> else v += 0.5<mV>
            refractory 2<ms>
            method {{method}}

        """;

    private const string Methods = """
        neuron Current =
            parameters
                tau_m = 20<ms>; tau_s = 5<ms>; v_rest = -60<mV>; v_th = -50<mV>
            state
                v = normal (-55<mV>) (3<mV>)
                s = 0<mV>
                bias = 12<mV> + rand () * 4<mV>
            equations
                dv/dt = (v_rest - v + s + bias) / tau_m  (unless refractory)
                ds/dt = -s / tau_s
            spike when v > v_th
            reset
                v <- v_rest
                s += 1<mV>
            refractory (1<ms> + 1<ms>)
            method exact

        synapse ToG =
            state w = uniform 0.01 0.05
            on pre
                post.g += w

        synapse ToS =
            parameters w = 0.5<mV>
            on pre
                post.s += w

        dt = 0.1<ms>
        let drive = poisson 40 50<Hz>
        let E = population 30 EulerCond
        let X = population 30 ExpEulerCond
        let M = population 30 Rk2Cond
        let K = population 30 Rk4Cond
        let C = population 30 Current
        connect drive -> E with ToG probability 0.2
        connect drive -> X with ToG probability 0.2
        connect drive -> M with ToG probability 0.2
        connect drive -> K with ToG probability 0.2
        connect drive -> C with ToS probability 0.2
        monitor spikes E
        monitor spikes X
        monitor spikes M
        monitor spikes K
        monitor spikes C
        monitor E.v [0 .. 4] every 0.5<ms>
        monitor K.g every 1<ms>
        monitor rate C every 2<ms>
        """;

    [Fact]
    public void EveryIntegrationMethod_RefractorinessAndResets_MatchTheInterpreter()
    {
        var source = Conductance("EulerCond", "euler") + Conductance("ExpEulerCond", "exponential_euler")
                     + Conductance("Rk2Cond", "rk2") + Conductance("Rk4Cond", "rk4") + Methods;
        var model = Simulate.Compile(source);
        model.Populations.OfType<NeuronGroupIR>().Select(p => p.Model.Method).ShouldBe(
            [IntegrationMethod.Euler, IntegrationMethod.ExponentialEuler, IntegrationMethod.Rk2, IntegrationMethod.Rk4, IntegrationMethod.Exact]);

        var outcome = AssertEquivalent(model, 0.2);

        foreach (var p in new[] { "E", "X", "M", "K", "C" })
            outcome.Counts["spikes " + p].ShouldBeGreaterThan(20, p);
    }

    /// <summary>The vector shapes this machine runs: Vector&lt;T&gt; always, Vector512 where AVX-512 runs it.</summary>
    public static TheoryData<string> Shapes
    {
        get
        {
            var data = new TheoryData<string> { "numerics" };
            if (SimdShape.Wide is not null)
                data.Add("wide");
            return data;
        }
    }

    /// <summary>
    /// Per-step draws (uniform and normal, drawn for a whole vector of neurons at once), the neuron index, a
    /// host value, masks from nested conditions and a refractory period that is not a whole number of steps;
    /// 37 neurons, so the scalar tail runs too.
    /// </summary>
    private const string Lanes = """
        host drive = 0.3

        neuron Noisy =
            parameters tau = 5<ms>
            state
                v = 0
                u = 0
                n = 0
            equations
                dv/dt = (drive + 0.1 * i / 37 - v) / tau + u / 1<ms>  (unless refractory)
            every dt
                u <- 0.02 * randn ()
                if rand () < 0.5 then
                    n += 1
                    if v > 0.2 then n += 1 else n -= 0.5
            spike when v > 0.25 && n > 0
            reset
                v <- 0.05 * rand ()
            refractory 0.75<ms>

        dt = 0.1<ms>
        let P = population 37 Noisy
        monitor spikes P
        monitor P.v [0; 8; 36] every 0.2<ms>
        """;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryVectorShape_MatchesTheInterpreter(string shape)
    {
        var simd = shape == "wide" ? SimdShape.Wide! : SimdShape.Numerics;
        var model = Simulate.Compile(Lanes);

        var outcome = AssertEquivalent(model, 0.1, simd);

        outcome.Counts["spikes P"].ShouldBeGreaterThan(50);
    }

    /// <summary>
    /// Blocks that visit every synapse run as vector kernels over slot ranges: a clock-driven trace, a periodic
    /// block reading the postsynaptic neuron (gathered per lane), clip with values below, inside, above and at its
    /// bounds, nested conditions and per-synapse draws; 203 synapses, so the scalar remainder runs too.
    /// </summary>
    private const string WholeProjection = """
        neuron Target =
            state
                v = 0
                level = 0.1 * i
            equations
                dv/dt = -v / 10<ms>

        synapse Slow =
            state
                w = 2 * rand () - 0.5
                c = randn ()
                n = 0
            equations
                dc/dt = -c / 50<ms>
            on pre
                post.v += w
            every 2<ms>
                w <- clip (w + (post.level - 0.3) * c + 0.01 * randn ()) 0 1
                if c > 0 then
                    n += 1
                    if w = 1 then n += 10
                else
                    c <- c * 0.5 + 0.1 * rand ()

        dt = 0.1<ms>
        let input = poisson 29 30<Hz>
        let P = population 7 Target
        connect input -> P with Slow
        monitor spikes input
        """;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WholeProjectionBlocks_AsVectorKernels_MatchTheInterpreter(string shape)
    {
        var simd = shape == "wide" ? SimdShape.Wide! : SimdShape.Numerics;
        var model = Simulate.Compile(WholeProjection);
        model.Projections.Single().Synapse.Periodic.ShouldNotBeEmpty();

        var outcome = AssertEquivalent(model, 0.1, simd);

        outcome.Counts["synapses input->P"].ShouldBe(203);
        var w = outcome.State["input->P.w"].Select(BitConverter.Int64BitsToDouble).ToArray();
        w.ShouldContain(0.0);
        w.ShouldContain(1.0);
        w.ShouldContain(x => x > 0 && x < 1);
    }

    /// <summary>
    /// Event-driven traces read their decay from a table of whole steps since the last event (4096 entries) and call
    /// exp past its end. Spikes 1, 3 and 409.5 ms apart (10, 30 and 4095 steps: inside the table) and 410 and
    /// 1000 ms apart (past it): every event's trace equals the interpreter's bit for bit, and the closed form.
    /// </summary>
    private const string Gaps = """
        neuron Silent =
            state v = 0
        synapse Traced =
            parameters tau = 20<ms>
            state
                a = 0
                b = 0
                seen = 0
            equations (event-driven)
                da/dt = -a / tau
                db/dt = -b / tau
            on pre
                seen += a
                a += 1
                b += 2

        dt = 0.1<ms>
        let input = spike_times 1 [(0, 1<ms>); (0, 2<ms>); (0, 5<ms>); (0, 414.5<ms>); (0, 824.5<ms>); (0, 1824.5<ms>)]
        let P = population 1 Silent
        connect input -> P with Traced
        """;

    [Fact]
    public void EventDrivenDecay_InsideAndPastItsTable_MatchesTheInterpreterAndTheClosedForm()
    {
        var model = Simulate.Compile(Gaps);

        var outcome = AssertEquivalent(model, 2.0);

        // seen sums the trace just before each event: a jumps by 1 at each spike and decays with tau = 20 ms.
        double[] times = [1e-3, 2e-3, 5e-3, 414.5e-3, 824.5e-3, 1824.5e-3];
        double a = 0, seen = 0;
        for (var k = 0; k < times.Length; k++)
        {
            if (k > 0)
                a *= Math.Exp(-(times[k] - times[k - 1]) / 20e-3);
            seen += a;
            a += 1;
        }
        var state = outcome.State.Single(kv => kv.Key.Contains("seen")).Value;
        BitConverter.Int64BitsToDouble(state[0]).ShouldBe(seen, 1e-12);
    }

    [Fact]
    public void SinglePrecisionRecords_MatchTheInterpreterAndTheClosedForm()
    {
        var model = Simulate.Compile(Gaps + "\nprecision = single\n");
        model.Precision.ShouldBe(Precision.Single);

        var outcome = AssertEquivalent(model, 2.0);

        // As above, with every stored value rounded to single precision.
        double[] times = [1e-3, 2e-3, 5e-3, 414.5e-3, 824.5e-3, 1824.5e-3];
        float a = 0, b = 0, seen = 0;
        for (var k = 0; k < times.Length; k++)
        {
            var decay = k > 0 ? Math.Exp(-(Math.Round((times[k] - times[k - 1]) / 1e-4) * 1e-4) / 20e-3) : 1;
            a = (float)(a * decay);
            b = (float)(b * decay);
            seen = (float)(seen + (double)a);
            a = (float)(a + 1.0);
            b = (float)(b + 2.0);
        }
        BitConverter.Int64BitsToDouble(outcome.State.Single(kv => kv.Key.EndsWith(".seen")).Value[0]).ShouldBe(seen);
        BitConverter.Int64BitsToDouble(outcome.State.Single(kv => kv.Key.EndsWith(".b")).Value[0]).ShouldBe(b);
        outcome.State.Single(kv => kv.Key.EndsWith("last event")).Value[0].ShouldBe(18245, "the step of the last spike, read back from the record's float bits");
    }

    /// <summary>On-post handlers reach each synapse of a column in its packed single-precision record: pair STDP with both traces, against the interpreter and against the same run in double precision.</summary>
    [Fact]
    public void SinglePrecisionStdp_OnPreAndOnPost_MatchesTheInterpreterAndStaysCloseToDouble()
    {
        const string stdp = """
            open Plasticity

            neuron Lif =
                parameters
                    tau = 10<ms>; v_th = -50<mV>
                state
                    v = uniform (-65<mV>) (-50<mV>)
                    I = 0<mV>
                equations
                    dv/dt = (-65<mV> - v + I) / tau  (unless refractory)
                    dI/dt = -I / 5<ms>
                spike when v > v_th
                reset
                    v <- -65<mV>
                refractory 2<ms>

            synapse Exc =
                state w = uniform 1<mV> 3<mV>
                on pre
                    post.I += w

            dt = 0.1<ms>
            let inp = poisson 200 15<Hz>
            let P = population 100 Lif
            connect inp -> P with Exc + StdpAdditive (wmax = 4<mV>) probability 0.5
            monitor spikes P
            """;
        var single = Simulate.Compile(stdp + "\nprecision = single\n");
        var outcome = AssertEquivalent(single, 0.5);
        outcome.Counts["spikes P"].ShouldBeGreaterThan(500);

        var reference = Run(Simulate.Compile(stdp), new ExpressionTreeBackend(), 0.5);
        var w = outcome.State.Single(kv => kv.Key.EndsWith(".w")).Value.Select(BitConverter.Int64BitsToDouble).ToArray();
        var wDouble = reference.State.Single(kv => kv.Key.EndsWith(".w")).Value.Select(BitConverter.Int64BitsToDouble).ToArray();
        w.Length.ShouldBe(wDouble.Length);
        w.Zip(wDouble, (x, y) => Math.Abs(x - y)).Average().ShouldBeLessThan(0.05 * wDouble.Average(), "single precision changes spike times a little, not the learning");
        w.ShouldAllBe(x => x == (float)x);
    }

    private const string Wiring = """
        neuron Node =
            parameters
                tau = 10<ms>; v_th = 1
            state
                v = rand ()
                x = 0
            equations
                dv/dt = (0.2 - v) / tau + x / 1<ms>  (unless refractory)
                dx/dt = -x / 2<ms>
            spike when v > v_th
            reset
                v <- 0
            refractory 1.5<ms>

        synapse Kick =
            parameters w = 0.3
            state
                weight = w * (0.5 + rand ())
                uses = 0
            on pre
                post.x += weight
                uses += 1
                if pre.v < 0.5 then
                    weight <- clip (weight + 0.01 * randn ()) 0 1

        synapse FromInput =
            parameters w = 0.4
            on pre
                post.x += w * (1 + 0.1 * i - 0.05 * j)

        dt = 0.1<ms>
        let steady = poisson 20 80<Hz>
        let wave = poisson 20 (fun t i -> 60<Hz> * (1 + sin (2 * pi * 25<Hz> * t + i)))
        let given = spike_times 4 [(0, 1<ms>); (1, 2.5<ms>); (2, 4<ms>); (3, 4<ms>); (0, 30<ms>)]
        let P = population 60 Node
        let Q = population 40 Node
        let front = P[0 .. 29]
        let back = P[30 .. 59]

        connect steady -> P with FromInput probability 0.3 delay 1.5<ms>
        connect wave -> Q with FromInput fixed_indegree 5 delay (uniform 0.5<ms> 3<ms>)
        connect given -> P with FromInput pairs [(0, 3); (1, 40); (2, 7); (3, 7)] delay ((0.2 * i + 0.1 * j) * 1<ms>)
        connect front -> back with Kick one_to_one delay 1<ms>
        connect back -> front with Kick all_to_all
        connect P -> P with Kick probability 0.1 delay 2<ms> no_autapses
        connect P -> Q with Kick fixed_outdegree 4 delay (j * 0.1<ms>)
        connect Q -> P with Kick where (fun i j -> (i + j) % 7 = 0)
        connect Q -> Q with Kick probability (fun i j -> if i < j then 0.2 else 0.05) no_autapses
        connect Q -> Q with FromInput all_to_all delay 3<ms> no_autapses

        monitor spikes steady
        monitor spikes wave
        monitor spikes given
        monitor spikes P
        monitor spikes Q
        monitor P.v [0; 5; 33] every 0.1<ms>
        monitor rate Q every 1<ms>
        """;

    [Fact]
    public void InputsDelaysAndEveryConnectionRule_MatchTheInterpreter()
    {
        var model = Simulate.Compile(Wiring);
        model.Projections.Select(p => p.Rule.GetType().Name).Distinct().Count().ShouldBe(7);

        var outcome = AssertEquivalent(model, 0.1);

        foreach (var p in new[] { "steady", "wave", "given", "P", "Q" })
            outcome.Counts["spikes " + p].ShouldBeGreaterThan(4, p);
        outcome.Counts.Where(c => c.Key.StartsWith("events ")).ShouldAllBe(c => c.Value > 0);
    }

    // ---- examples ------------------------------------------------------------------------------

    private static string ExamplesFolder
    {
        get
        {
            for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
                if (File.Exists(Path.Combine(dir, "BioLang.sln")))
                    return Path.Combine(dir, "examples");
            throw new DirectoryNotFoundException("BioLang.sln not found");
        }
    }

    public static TheoryData<string> Examples
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(ExamplesFolder, "*.bnn").Order())
                data.Add(Path.GetFileName(file));
            return data;
        }
    }

    /// <summary>Smaller versions of the examples whose size constants we know; others are shrunk by <see cref="Shrink"/>.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Sizes = new()
    {
        ["coba.bnn"] = new() { ["N"] = "400", ["N_e"] = "320" },
        ["cuba.bnn"] = new() { ["N"] = "400" },
        ["brunel2000.bnn"] = new() { ["scale"] = "0.1", ["C_E"] = "100", ["C_I"] = "25" },
    };

    /// <summary>Simulated time per example: 50 ms unless the example is slow under the interpreter.</summary>
    private static readonly Dictionary<string, double> Durations = new()
    {
        ["brunel2000.bnn"] = 0.02,
    };

    [GeneratedRegex(@"^let\s+([A-Za-z_][A-Za-z0-9_']*)\s*=\s*([0-9]+)\s*(//.*)?$", RegexOptions.Multiline)]
    private static partial Regex IntegerConstant();

    /// <summary>Top-level whole-number constants of 1000 or more divided by ten: sizes and counts shrink together.</summary>
    private static Dictionary<string, string> Shrink(string text) =>
        IntegerConstant().Matches(text)
            .Where(m => int.Parse(m.Groups[2].Value) >= 1000)
            .ToDictionary(m => m.Groups[1].Value, m => (int.Parse(m.Groups[2].Value) / 10).ToString());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_MatchesTheInterpreter(string file)
    {
        var path = Path.Combine(ExamplesFolder, file);
        var text = File.ReadAllText(path);
        var options = new CompileOptions { Constants = Sizes.GetValueOrDefault(file) ?? Shrink(text) };
        var result = BioCompiler.Compile(new Language.Text.SourceText(path, text), options);
        if (!result.Success && !Sizes.ContainsKey(file))
            result = BioCompiler.Compile(new Language.Text.SourceText(path, text));
        result.Success.ShouldBeTrue(string.Join("\n", result.Diagnostics.Where(d => d.IsError)));
        var model = result.Model!;
        model.Populations.Sum(p => (long)p.Size).ShouldBeLessThanOrEqualTo(5000, "shrink this example in the Sizes table");

        var limit = Durations.GetValueOrDefault(file, 0.05);
        var outcome = AssertEquivalent(model, Math.Min(model.Duration > 0 ? model.Duration : limit, limit));

        (outcome.Monitors.Values.Sum(v => v.Length) + outcome.State.Values.Sum(v => v.Length)).ShouldBeGreaterThan(0);
        if (file == "coba.bnn")
            outcome.Counts["spikes P"].ShouldBeGreaterThan(10);
    }
}
