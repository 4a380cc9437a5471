using BioLang.Tests;
using System.Globalization;
using BioLang.Language.IR;
using BioLang.Runtime.CodeGen;
using BioLang.Runtime.Tests.Engine;

namespace BioLang.Runtime.Tests.CodeGen;

/// <summary>Each integration method against closed-form solutions: exactness where it is promised, convergence order where it is not.</summary>
public sealed class IntegrationAccuracyTests
{
    /// <summary>Exact methods may only differ from the closed form by rounding accumulated over the steps.</summary>
    private const double RelativeTolerance = 1e-12;

    private static string Ms(double seconds) => (seconds * 1e3).ToString("R", CultureInfo.InvariantCulture) + "<ms>";

    public static TheoryData<string> Backends => new() { "compiled", "interpreter" };

    private static IBackend Backend(string name) => name == "interpreter" ? new Interpreter() : new ExpressionTreeBackend();

    [Theory]
    [MemberData(nameof(Backends))]
    public void Exact_LifRelaxation_EqualsTheClosedForm(string backend)
    {
        var model = Simulate.Compile("""
            neuron Leaky =
                parameters
                    tau_m = 20<ms>; v_rest = -60<mV>
                state
                    v = -60<mV> + (10 + i) * 1<mV>
                equations
                    dv/dt = (v_rest - v) / tau_m
            dt = 0.1<ms>
            let P = population 5 Leaky
            run 37.3<ms>
            """);
        model.Populations[0].ShouldBeOfType<NeuronGroupIR>().Model.Method.ShouldBe(IntegrationMethod.Exact);
        using var network = Simulate.Run(model, Backend(backend));

        var t = network.Time;
        t.ShouldBe(37.3e-3, 1e-15);
        var v = network.Var("P", "v");
        for (var i = 0; i < 5; i++)
        {
            var expected = -60e-3 + (10 + i) * 1e-3 * Math.Exp(-t / 20e-3);
            v[i].ShouldBe(expected, RelativeTolerance * Math.Abs(expected));
        }
    }

    /// <summary>
    /// Forward Euler evaluates every derivative at the start of the step. A rotation, dx/dt = −y/τ and
    /// dy/dt = x/τ, written with y's equation second (so it reads x after x's update if the lowering got
    /// the order wrong): the step is the matrix [[1, −h], [h, 1]] with h = dt/τ, so after n steps
    /// (x, y) = (1 + h²)^{n/2} (cos nθ, sin nθ) with tan θ = h, the growth that tells Euler from a symplectic step.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void Euler_EvaluatesEveryDerivativeAtTheStartOfTheStep(string backend)
    {
        var model = Simulate.Compile("""
            neuron Rotor =
                parameters tau = 10<ms>
                state
                    x = 1
                    y = 0
                    z = 1
                equations
                    dx/dt = -y / tau
                    dy/dt = x / tau
                    dz/dt = -z / tau
                method euler
            dt = 0.1<ms>
            let P = population 3 Rotor
            run 100<ms>
            """);
        using var network = Simulate.Run(model, Backend(backend));

        const double h = 0.01;
        const int n = 1000;
        var radius = Math.Pow(1 + h * h, n / 2.0);
        var angle = n * Math.Atan(h);
        for (var i = 0; i < 3; i++)
        {
            network.Var("P", "x")[i].ShouldBe(radius * Math.Cos(angle), 1e-12);
            network.Var("P", "y")[i].ShouldBe(radius * Math.Sin(angle), 1e-12);
            // An uncoupled decay is (1 − h)^n.
            network.Var("P", "z")[i].ShouldBe(Math.Pow(1 - h, n), 1e-13);
        }
        // A step that read the new x would be symplectic: the radius would stay 1, not grow by 5%.
        radius.ShouldBeGreaterThan(1.04);
    }

    /// <summary>
    /// dv/dt = (v_rest − v + g)/τ_m, dg/dt = −g/τ_g. With x = v − v_rest:
    /// x(t) = x₀e^{−t/τ_m} + g₀ τ_g/(τ_g − τ_m) (e^{−t/τ_g} − e^{−t/τ_m}).
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void Exact_CoupledCurrentBasedSynapse_EqualsTheClosedForm(string backend)
    {
        var model = Simulate.Compile("""
            neuron Cuba =
                parameters
                    tau_m = 20<ms>; tau_g = 5<ms>; v_rest = -49<mV>
                state
                    v = -60<mV>
                    g = 12<mV>
                equations
                    dv/dt = (v_rest - v + g) / tau_m
                    dg/dt = -g / tau_g
            dt = 0.1<ms>
            let P = population 1 Cuba
            run 20<ms>
            """);
        model.Populations[0].ShouldBeOfType<NeuronGroupIR>().Model.Method.ShouldBe(IntegrationMethod.Exact);
        using var network = Simulate.Run(model, Backend(backend));

        const double tauM = 20e-3, tauG = 5e-3, vRest = -49e-3, x0 = -11e-3, g0 = 12e-3;
        var t = network.Time;
        var g = g0 * Math.Exp(-t / tauG);
        var x = x0 * Math.Exp(-t / tauM) + g0 * tauG / (tauG - tauM) * (Math.Exp(-t / tauG) - Math.Exp(-t / tauM));
        network.Var("P", "g")[0].ShouldBe(g, RelativeTolerance * g);
        network.Var("P", "v")[0].ShouldBe(vRest + x, RelativeTolerance * Math.Abs(vRest + x));
        // The coupling matters: without the synaptic term v would differ by 1.4 mV.
        Math.Abs(x - x0 * Math.Exp(-t / tauM)).ShouldBeGreaterThan(1e-3);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void ExponentialEuler_LinearEquationWithConstantCoefficients_IsExact(string backend)
    {
        // ge has no equation: it is constant, so dv/dt = (E_l − v + ge (E_e − v))/τ is linear with a constant coefficient.
        var model = Simulate.Compile("""
            neuron Cond =
                parameters
                    tau_m = 20<ms>; E_l = -60<mV>; E_e = 0<mV>
                state
                    v = -80<mV>
                    ge = 0.25 + 0.5 * i
                equations
                    dv/dt = (E_l - v + ge * (E_e - v)) / tau_m
                method exponential_euler
            dt = 0.5<ms>
            let P = population 3 Cond
            run 30<ms>
            """);
        using var network = Simulate.Run(model, Backend(backend));

        var t = network.Time;
        var v = network.Var("P", "v");
        for (var i = 0; i < 3; i++)
        {
            var ge = 0.25 + 0.5 * i;
            var vInf = (-60e-3 + ge * 0) / (1 + ge);
            var expected = vInf + (-80e-3 - vInf) * Math.Exp(-(1 + ge) * t / 20e-3);
            v[i].ShouldBe(expected, RelativeTolerance * Math.Abs(expected));
        }
    }

    /// <summary>
    /// Exact integration with refractoriness: while refractory, v (gated) is held at reset and ge (not gated)
    /// keeps decaying exactly; afterwards v follows the coupled closed form from (v_reset, ge) again.
    /// dv/dt = (E − v + ge)/τ_m with E = −45 mV above threshold, dge/dt = −ge/τ_e.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void Exact_WithRefractoriness_HoldsGatedVariablesAndPropagatesTheRestExactly(string backend)
    {
        var model = Simulate.Compile("""
            neuron Gated =
                parameters
                    tau_m = 10<ms>; tau_e = 5<ms>; v_reset = -70<mV>
                state
                    v = -70<mV>
                    ge = 30<mV>
                equations
                    dv/dt = (-45<mV> - v + ge) / tau_m  (unless refractory)
                    dge/dt = -ge / tau_e
                spike when v > -50<mV>
                reset
                    v <- v_reset
                refractory 3<ms>
            dt = 0.1<ms>
            let P = population 1 Gated
            monitor spikes P
            monitor P.v every 0.1<ms>
            monitor P.ge every 0.1<ms>
            run 60<ms>
            """);
        model.Populations[0].ShouldBeOfType<NeuronGroupIR>().Model.Method.ShouldBe(IntegrationMethod.Exact);
        using var network = Simulate.Run(model, Backend(backend));
        const double dt = 1e-4, tauM = 10e-3, tauE = 5e-3, e = -45e-3, vReset = -70e-3;
        const int refractory = 30, steps = 600;

        var monitors = network.Monitors.OfType<BioLang.Runtime.Engine.StateMonitorRuntime>().ToArray();
        var v = monitors.Single(m => m.Variable == "v").Values.ToArray();
        var ge = monitors.Single(m => m.Variable == "ge").Values.ToArray();
        for (var k = 0; k < steps; k++)
            ge[k].ShouldBe(30e-3 * Math.Exp(-k * dt / tauE), RelativeTolerance * ge[k], $"ge at step {k}");

        // x = v − E: x(t) = x₀e^{−t/τ_m} + g₀ τ_e/(τ_e − τ_m)(e^{−t/τ_e} − e^{−t/τ_m}) from any start (x₀, g₀).
        double Free(double x0, double g0, double t) =>
            e + x0 * Math.Exp(-t / tauM) + g0 * tauE / (tauE - tauM) * (Math.Exp(-t / tauE) - Math.Exp(-t / tauM));

        var spikes = network.Spikes("P").Select(s => (int)s.Step).ToArray();
        spikes.Length.ShouldBeGreaterThanOrEqualTo(3);
        var restart = 0;
        var x0 = -70e-3 - e;
        foreach (var s in spikes.Append(steps - 1))
        {
            for (var k = restart; k <= s; k++)
                v[k].ShouldBe(Free(x0, ge[restart], (k - restart) * dt), 1e-12 * 70e-3, $"v at step {k}, freely integrating since {restart}");
            for (var k = s + 1; k <= Math.Min(s + refractory, steps - 1); k++)
                v[k].ShouldBe(vReset, $"v at step {k}, refractory after the spike at {s}");
            restart = s + refractory;
            x0 = vReset - e;
        }
    }

    /// <summary>The logistic equation dx/dt = x(1 − x)/τ: x(t) = 1 / (1 + (1/x₀ − 1) e^{−t/τ}).</summary>
    private static double Logistic(double t) => 1 / (1 + (1 / 0.1 - 1) * Math.Exp(-t / 2e-3));

    private static double LogisticError(string method, double dt, string backend)
    {
        var model = Simulate.Compile($"""
            neuron Logistic =
                state
                    x = 0.1
                equations
                    dx/dt = x * (1 - x) / 2<ms>
                method {method}
            dt = {Ms(dt)}
            let P = population 1 Logistic
            run 8<ms>
            """);
        using var network = Simulate.Run(model, Backend(backend));
        network.Time.ShouldBe(8e-3, 1e-12);
        return Math.Abs(network.Var("P", "x")[0] - Logistic(8e-3));
    }

    /// <summary>Non-autonomous: dx/dt = x cos(2π f t)·ω, x(t) = x₀ exp(ω sin(2π f t)/(2π f)); checks the stage times too.</summary>
    private static double ForcedError(string method, double dt, string backend)
    {
        var model = Simulate.Compile($"""
            neuron Forced =
                state
                    x = 1
                equations
                    dx/dt = x * cos (2 * pi * 100<Hz> * t) * 500<Hz>
                method {method}
            dt = {Ms(dt)}
            let P = population 1 Forced
            run 7<ms>
            """);
        using var network = Simulate.Run(model, Backend(backend));
        var t = network.Time;
        return Math.Abs(network.Var("P", "x")[0] - Math.Exp(500 * Math.Sin(2 * Math.PI * 100 * t) / (2 * Math.PI * 100)));
    }

    [Theory]
    [InlineData("euler", 1, 0.02e-3)]
    [InlineData("rk2", 2, 0.05e-3)]
    [InlineData("rk4", 4, 0.2e-3)]
    public void RungeKutta_OnTheLogisticEquation_ConvergesWithItsOrder(string method, int order, double dt)
    {
        foreach (var backend in new[] { "compiled", "interpreter" })
        {
            var coarse = LogisticError(method, dt, backend);
            var fine = LogisticError(method, dt / 2, backend);
            var finer = LogisticError(method, dt / 4, backend);
            coarse.ShouldBeGreaterThan(1e-11, "the error must be well above rounding for the ratio to mean anything");
            // Halving dt divides the global error by 2^order (within 15% at these step sizes).
            (coarse / fine).ShouldBe(Math.Pow(2, order), 0.15 * Math.Pow(2, order), $"{method}, {backend}");
            (fine / finer).ShouldBe(Math.Pow(2, order), 0.15 * Math.Pow(2, order), $"{method}, {backend}");
        }
    }

    [Theory]
    [InlineData("euler", 1, 0.01e-3)]
    [InlineData("rk2", 2, 0.025e-3)]
    [InlineData("rk4", 4, 0.1e-3)]
    public void RungeKutta_OnATimeDependentEquation_ConvergesWithItsOrder(string method, int order, double dt)
    {
        var coarse = ForcedError(method, dt, "compiled");
        var fine = ForcedError(method, dt / 2, "compiled");
        var finer = ForcedError(method, dt / 4, "compiled");
        coarse.ShouldBeGreaterThan(1e-11);
        (coarse / fine).ShouldBe(Math.Pow(2, order), 0.15 * Math.Pow(2, order), method);
        (fine / finer).ShouldBe(Math.Pow(2, order), 0.15 * Math.Pow(2, order), method);
    }
}
