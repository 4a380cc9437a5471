using BioLang.Runtime.Numerics;

namespace BioLang.Runtime.Tests.Numerics;

/// <summary>
/// Checks <see cref="LinearPropagator"/> against the analytic solutions of the linear neuron
/// models it is meant for. All quantities are in SI units (s, V), as in the runtime.
/// </summary>
public class LinearPropagatorTests
{
    private const double Dt = 0.1e-3;

    // Brian2's CUBA example (Vogels & Abbott 2005 benchmark): current-based synapses whose
    // "conductances" ge, gi are in volts and add directly to the membrane equation.
    private const double TauM = 20e-3;
    private const double TauE = 5e-3;
    private const double TauI = 10e-3;
    private const double El = -49e-3;

    [Fact]
    public void LeakyIntegratorRelaxesExponentiallyToRest()
    {
        const double tau = 10e-3, e = -65e-3, v0 = -50e-3;

        var p = LinearPropagator.For(new[,] { { -1.0 / tau } }, [e / tau], Dt);
        Span<double> v = [v0];
        p.Apply(v);

        double decay = Math.Exp(-Dt / tau);
        RelativeError(p.Phi[0, 0], decay).ShouldBeLessThan(1e-15);
        // Γ = E (1 − e^(−dt/τ)); expm1 keeps the reference exact to rounding although the
        // difference is only 1% of E.
        RelativeError(p.Gamma[0], -e * ExpM1(-Dt / tau)).ShouldBeLessThan(1e-14);
        RelativeError(v[0], e + (v0 - e) * decay).ShouldBeLessThan(1e-15);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void CubaPropagatorMatchesClosedFormEntries(int steps)
    {
        double t = steps * Dt;

        var p = LinearPropagator.For(CubaMatrix(), CubaConstant(), t);

        // Columns of Φ are the responses to unit initial values of v, ge, gi with b = 0, and Γ
        // is the response from the zero state; both read off the closed form below.
        var expectedPhi = new[,]
        {
            { Math.Exp(-t / TauM), ConvolutionKernel(t, TauE), ConvolutionKernel(t, TauI) },
            { 0.0, Math.Exp(-t / TauE), 0.0 },
            { 0.0, 0.0, Math.Exp(-t / TauI) },
        };
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                if (expectedPhi[i, j] == 0.0)
                {
                    p.Phi[i, j].ShouldBe(0.0, $"Φ[{i},{j}]");
                }
                else
                {
                    RelativeError(p.Phi[i, j], expectedPhi[i, j]).ShouldBeLessThan(1e-13, $"Φ[{i},{j}]");
                }
            }
        }
        RelativeError(p.Gamma[0], -El * ExpM1(-t / TauM)).ShouldBeLessThan(1e-13);
        p.Gamma[1].ShouldBe(0.0);
        p.Gamma[2].ShouldBe(0.0);
    }

    [Fact]
    public void CubaOneStepMatchesClosedFormState()
    {
        double[] x0 = [-55e-3, 3 * 1.62e-3, -2 * 9e-3];
        var p = LinearPropagator.For(CubaMatrix(), CubaConstant(), Dt);

        Span<double> x = [.. x0];
        p.Apply(x);

        var expected = CubaClosedForm(x0, Dt);
        for (int i = 0; i < 3; i++)
        {
            RelativeError(x[i], expected[i]).ShouldBeLessThan(1e-13, $"component {i}");
        }
    }

    [Fact]
    public void ThousandStepsEqualOnePropagatorOverThousandDt()
    {
        double[] x0 = [-60e-3, 5e-3, -12e-3];
        var step = LinearPropagator.For(CubaMatrix(), CubaConstant(), Dt);
        var jump = LinearPropagator.For(CubaMatrix(), CubaConstant(), 1000 * Dt);

        Span<double> stepped = [.. x0];
        for (int k = 0; k < 1000; k++)
        {
            step.Apply(stepped);
        }
        Span<double> jumped = [.. x0];
        jump.Apply(jumped);

        // ge and gi have decayed by e^-20 and e^-10 after 0.1 s, so their relative error is
        // dominated by the 1000 roundings of the iteration, each ≈ u.
        var exact = CubaClosedForm(x0, 1000 * Dt);
        for (int i = 0; i < 3; i++)
        {
            RelativeError(stepped[i], jumped[i]).ShouldBeLessThan(1e-12, $"component {i}");
            RelativeError(jumped[i], exact[i]).ShouldBeLessThan(1e-13, $"component {i}");
        }
    }

    [Fact]
    public void PureIntegratorWithSingularMatrixAddsRateTimesStep()
    {
        const double c = 2.5, x0 = 0.3;

        var p = LinearPropagator.For(new[,] { { 0.0 } }, [c], Dt);
        Span<double> x = [x0];
        p.Apply(x);

        p.Phi[0, 0].ShouldBe(1.0);
        p.Gamma[0].ShouldBe(c * Dt);
        x[0].ShouldBe(x0 + c * Dt);
    }

    [Fact]
    public void LeaklessIntegratorOfDecayingCurrentMatchesClosedForm()
    {
        // dx/dt = y, dy/dt = −y/τ + s: A = [[0, 1], [0, −1/τ]] is singular, so Γ cannot come from
        // A⁻¹(Φ − I)b. Solution: y(t) = y∞ + (y0 − y∞)e^(−t/τ) with y∞ = sτ, and
        // x(t) = x0 + y∞ t + (y0 − y∞) τ (1 − e^(−t/τ)).
        const double tau = 5e-3, s = 40.0, x0 = -0.2, y0 = 3.0;
        double yInf = s * tau;
        double t = 7 * Dt;

        var p = LinearPropagator.For(new[,] { { 0.0, 1.0 }, { 0.0, -1.0 / tau } }, [0.0, s], t);
        Span<double> x = [x0, y0];
        p.Apply(x);

        double oneMinusDecay = -ExpM1(-t / tau);
        RelativeError(x[0], x0 + yInf * t + (y0 - yInf) * tau * oneMinusDecay).ShouldBeLessThan(1e-14);
        RelativeError(x[1], yInf + (y0 - yInf) * (1.0 - oneMinusDecay)).ShouldBeLessThan(1e-14);
    }

    [Fact]
    public void DrivenOscillatorWithFullPropagatorMatchesClosedForm()
    {
        // dX/dt = A X + b with A = [[0, −ω], [ω, 0]]: Φ is the rotation by ωt, and X relaxes by
        // rotation about the fixed point X* = −A⁻¹b = (−b₁/ω, b₀/ω). Every entry of Φ is non-zero,
        // so Apply must read the old state in every row.
        const double omega = 2 * Math.PI * 8.0, t = 3 * Dt;
        double[] b = [0.7, -1.9];
        double[] x0 = [0.02, -0.05];
        double[] fixedPoint = [-b[1] / omega, b[0] / omega];

        var p = LinearPropagator.For(new[,] { { 0.0, -omega }, { omega, 0.0 } }, b, t);
        Span<double> x = [.. x0];
        p.Apply(x);

        double c = Math.Cos(omega * t), s = Math.Sin(omega * t);
        double dx = x0[0] - fixedPoint[0], dy = x0[1] - fixedPoint[1];
        RelativeError(x[0], fixedPoint[0] + c * dx - s * dy).ShouldBeLessThan(1e-14);
        RelativeError(x[1], fixedPoint[1] + s * dx + c * dy).ShouldBeLessThan(1e-14);
    }

    [Fact]
    public void ZeroStepIsIdentity()
    {
        var p = LinearPropagator.For(CubaMatrix(), CubaConstant(), 0.0);

        p.Phi.ShouldBe(new[,] { { 1.0, 0.0, 0.0 }, { 0.0, 1.0, 0.0 }, { 0.0, 0.0, 1.0 } });
        p.Gamma.ShouldBe([0.0, 0.0, 0.0]);
    }

    [Fact]
    public void InputsAreNotModified()
    {
        var a = CubaMatrix();
        var b = CubaConstant();

        LinearPropagator.For(a, b, Dt);

        a.ShouldBe(CubaMatrix());
        b.ShouldBe(CubaConstant());
    }

    [Fact]
    public void MismatchedConstantTermIsRejected()
    {
        Should.Throw<ArgumentException>(() => LinearPropagator.For(CubaMatrix(), [1.0, 2.0], Dt))
            .ParamName.ShouldBe("b");
    }

    [Fact]
    public void NonSquareMatrixIsRejected()
    {
        Should.Throw<ArgumentException>(() => LinearPropagator.For(new double[2, 3], [1.0, 2.0], Dt));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteStepIsRejected(double dt)
    {
        Should.Throw<ArgumentException>(() => LinearPropagator.For(CubaMatrix(), CubaConstant(), dt))
            .ParamName.ShouldBe("dt");
    }

    [Fact]
    public void ApplyRejectsStateOfWrongLength()
    {
        var p = LinearPropagator.For(CubaMatrix(), CubaConstant(), Dt);

        Should.Throw<ArgumentException>(() => p.Apply(new double[2]));
    }

    /// <summary>
    /// State (v, ge, gi) of dv/dt = (ge + gi − (v − El))/τm, dge/dt = −ge/τe, dgi/dt = −gi/τi.
    /// </summary>
    private static double[,] CubaMatrix() => new[,]
    {
        { -1.0 / TauM, 1.0 / TauM, 1.0 / TauM },
        { 0.0, -1.0 / TauE, 0.0 },
        { 0.0, 0.0, -1.0 / TauI },
    };

    private static double[] CubaConstant() => [El / TauM, 0.0, 0.0];

    /// <summary>
    /// v's response to a unit synaptic variable with time constant τs, from the convolution
    /// ∫₀^t e^(−(t−s)/τm) e^(−s/τs) ds / τm = τs/(τs − τm) (e^(−t/τs) − e^(−t/τm)).
    /// </summary>
    private static double ConvolutionKernel(double t, double tauS) =>
        tauS / (tauS - TauM) * (ExpM1(-t / tauS) - ExpM1(-t / TauM));

    /// <summary>Analytic solution of the CUBA system from state <paramref name="x0"/>.</summary>
    private static double[] CubaClosedForm(double[] x0, double t)
    {
        double v0 = x0[0], ge0 = x0[1], gi0 = x0[2];
        double v = El + (v0 - El) * Math.Exp(-t / TauM)
            + ge0 * ConvolutionKernel(t, TauE)
            + gi0 * ConvolutionKernel(t, TauI);
        return [v, ge0 * Math.Exp(-t / TauE), gi0 * Math.Exp(-t / TauI)];
    }

    /// <summary>
    /// e^x − 1 without cancellation, by Kahan's trick (N. J. Higham, Accuracy and Stability of
    /// Numerical Algorithms, 2nd ed., Sect. 1.14.1). double.ExpM1 cannot serve as a reference:
    /// on .NET 10 it returns exactly Math.Exp(x) − 1, which is 1e-14 off in relative terms at
    /// x = 0.006 and 1e-7 off at x = 1e-10.
    /// </summary>
    private static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }
        double um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    private static double RelativeError(double actual, double expected) =>
        Math.Abs(actual - expected) / Math.Abs(expected);
}
