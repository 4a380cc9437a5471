using BioLang.Runtime.Numerics;

namespace BioLang.Runtime.Tests.Numerics;

/// <summary>
/// Checks <see cref="MatrixExponential.Expm"/> against closed forms that do not go through
/// any Padé approximant: diagonal, rotation, nilpotent/Jordan, triangular and orthogonally
/// diagonalised matrices, plus the group identities of the exponential.
/// </summary>
public class MatrixExponentialTests
{
    [Fact]
    public void ZeroMatrixGivesIdentity()
    {
        var e = MatrixExponential.Expm(new double[3, 3]);

        e.ShouldBe(Identity(3));
    }

    [Fact]
    public void EmptyMatrixGivesEmptyMatrix()
    {
        MatrixExponential.Expm(new double[0, 0]).Length.ShouldBe(0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.01)]
    [InlineData(1.0)]
    [InlineData(-7.5)]
    [InlineData(40.0)]
    [InlineData(-700.0)]
    public void OneByOneIsScalarExp(double x)
    {
        var e = MatrixExponential.Expm(new[,] { { x } });

        RelativeError(e[0, 0], Math.Exp(x)).ShouldBeLessThan(ScaledTolerance(Math.Abs(x)));
    }

    [Fact]
    public void DiagonalMatrixExponentiatesEachEntry()
    {
        double[] d = [-2.5, 0.0, 1.3, 7.0, -30.0, 20.0];
        var a = new double[d.Length, d.Length];
        for (int i = 0; i < d.Length; i++)
        {
            a[i, i] = d[i];
        }

        var e = MatrixExponential.Expm(a);

        for (int i = 0; i < d.Length; i++)
        {
            for (int j = 0; j < d.Length; j++)
            {
                if (i == j)
                {
                    RelativeError(e[i, i], Math.Exp(d[i])).ShouldBeLessThan(ScaledTolerance(Math.Abs(d[i])), $"entry {i}");
                }
                else
                {
                    e[i, j].ShouldBe(0.0);
                }
            }
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(3.0)]
    [InlineData(50.0)]
    [InlineData(-1.0)]
    public void RotationGeneratorGivesRotation(double theta)
    {
        var e = MatrixExponential.Expm(new[,] { { 0.0, -theta }, { theta, 0.0 } });

        var expected = new[,]
        {
            { Math.Cos(theta), -Math.Sin(theta) },
            { Math.Sin(theta), Math.Cos(theta) },
        };
        // A rotation is perfectly conditioned, but θ = 50 needs four squarings, each of which
        // may double the error of the scaled approximant; entries are O(1) so absolute error is
        // the meaningful measure.
        MaxAbsDifference(e, expected).ShouldBeLessThan(1e-14 * Math.Max(1.0, Math.Abs(theta)));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.2)]
    [InlineData(0.9)]
    [InlineData(2.0)]
    [InlineData(5.0)]
    [InlineData(60.0)]
    public void SkewSymmetric3x3MatchesRodriguesFormula(double theta)
    {
        // K is the cross-product matrix of the unit axis k, so e^(θK) = I + sin θ K + (1 − cos θ) K²
        // (Rodrigues). The θ values put ‖θK‖₁ into each Padé band in turn.
        double[] k = [2.0 / 7.0, -3.0 / 7.0, 6.0 / 7.0];
        var kx = new[,]
        {
            { 0.0, -k[2], k[1] },
            { k[2], 0.0, -k[0] },
            { -k[1], k[0], 0.0 },
        };
        var kx2 = Multiply(kx, kx);
        var expected = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                expected[i, j] = (i == j ? 1.0 : 0.0) + Math.Sin(theta) * kx[i, j] + (1.0 - Math.Cos(theta)) * kx2[i, j];
            }
        }

        var e = MatrixExponential.Expm(Scale(kx, theta));

        MaxAbsDifference(e, expected).ShouldBeLessThan(2e-14 * Math.Max(1.0, theta));
    }

    [Fact]
    public void NilpotentMatrixGivesTruncatedSeries()
    {
        var n = new[,] { { 0.0, 1.0, 0.0 }, { 0.0, 0.0, 1.0 }, { 0.0, 0.0, 0.0 } };

        var e = MatrixExponential.Expm(n);

        var expected = new[,] { { 1.0, 1.0, 0.5 }, { 0.0, 1.0, 1.0 }, { 0.0, 0.0, 1.0 } };
        MaxAbsDifference(e, expected).ShouldBeLessThan(1e-15);
    }

    [Theory]
    [InlineData(-20.0, 4.0)]
    [InlineData(0.5, 0.3)]
    [InlineData(3.0, -10.0)]
    public void JordanBlockGivesScaledTruncatedSeries(double lambda, double mu)
    {
        // J = λI + μN with N the 3×3 shift; λI and μN commute, so e^J = e^λ (I + μN + μ²N²/2).
        var j = new[,] { { lambda, mu, 0.0 }, { 0.0, lambda, mu }, { 0.0, 0.0, lambda } };

        var e = MatrixExponential.Expm(j);

        double el = Math.Exp(lambda);
        var expected = new[,]
        {
            { el, el * mu, el * mu * mu / 2.0 },
            { 0.0, el, el * mu },
            { 0.0, 0.0, el },
        };
        RelativeMaxError(e, expected).ShouldBeLessThan(1e-13);
    }

    [Theory]
    [InlineData(0.004, 0.01, -0.002, 3)]
    [InlineData(0.1, 0.2, -0.05, 5)]
    [InlineData(-0.3, 0.5, 0.4, 7)]
    [InlineData(1.5, -0.5, -1.2, 9)]
    [InlineData(-2.0, 3.0, 1.5, 13)]
    [InlineData(-40.0, 25.0, 3.0, 13)]
    public void UpperTriangularWithDistinctEigenvaluesMatchesClosedForm(double a, double b, double d, int degree)
    {
        var m = new[,] { { a, b }, { 0.0, d } };
        MatrixExponential.ChooseParameters(Norm1(m)).Degree.ShouldBe(degree, "case meant to exercise this Padé degree");

        var e = MatrixExponential.Expm(m);

        // b (e^a − e^d)/(a − d), written as b e^d expm1(a − d)/(a − d) so the reference
        // itself does not lose digits to cancellation.
        double offDiagonal = b * Math.Exp(d) * ExpM1(a - d) / (a - d);
        double tolerance = ScaledTolerance(Norm1(m));
        RelativeError(e[0, 0], Math.Exp(a)).ShouldBeLessThan(tolerance);
        RelativeError(e[1, 1], Math.Exp(d)).ShouldBeLessThan(tolerance);
        RelativeError(e[0, 1], offDiagonal).ShouldBeLessThan(tolerance);
        e[1, 0].ShouldBe(0.0);
    }

    [Fact]
    public void StiffSymmetricMatrixMatchesEigendecomposition2x2()
    {
        double c = Math.Cos(0.7), s = Math.Sin(0.7);
        var q = new[,] { { c, -s }, { s, c } };

        AssertMatchesEigendecomposition(q, [-1000.0, -0.001]);
    }

    [Fact]
    public void StiffSymmetricMatrixMatchesEigendecomposition3x3()
    {
        // Householder reflector I − 2vvᵀ/(vᵀv): orthogonal and symmetric, with no zero entries.
        double[] v = [1.0, 2.0, -2.0];
        double vv = 9.0;
        var q = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                q[i, j] = (i == j ? 1.0 : 0.0) - 2.0 * v[i] * v[j] / vv;
            }
        }

        AssertMatchesEigendecomposition(q, [-1000.0, -0.001, 0.5]);
    }

    [Fact]
    public void ExpOfMinusAIsInverse()
    {
        var a = NonNormalSample();

        var product = Multiply(MatrixExponential.Expm(a), MatrixExponential.Expm(Scale(a, -1.0)));

        MaxAbsDifference(product, Identity(4)).ShouldBeLessThan(1e-13);
    }

    [Theory]
    [InlineData(0.3, 1.7)]
    [InlineData(0.01, 0.02)]
    [InlineData(4.0, 6.0)]
    public void ExponentsOfCommutingMultiplesAdd(double s, double t)
    {
        var a = NonNormalSample();

        var whole = MatrixExponential.Expm(Scale(a, s + t));
        var split = Multiply(MatrixExponential.Expm(Scale(a, s)), MatrixExponential.Expm(Scale(a, t)));

        RelativeMaxError(split, whole).ShouldBeLessThan(1e-12);
    }

    [Fact]
    public void InputIsNotModified()
    {
        var a = NonNormalSample();
        var copy = (double[,])a.Clone();

        MatrixExponential.Expm(a);

        a.ShouldBe(copy);
    }

    [Fact]
    public void NonSquareMatrixIsRejected()
    {
        Should.Throw<ArgumentException>(() => MatrixExponential.Expm(new double[2, 3]));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteEntryIsRejected(double bad)
    {
        Should.Throw<ArgumentException>(() => MatrixExponential.Expm(new[,] { { 1.0, bad }, { 0.0, 1.0 } }));
    }

    [Fact]
    public void NullMatrixIsRejected()
    {
        Should.Throw<ArgumentNullException>(() => MatrixExponential.Expm(null!));
    }

    [Theory]
    [InlineData(0.0, 3, 0)]
    [InlineData(MatrixExponential.Theta3, 3, 0)]
    [InlineData(MatrixExponential.Theta5, 5, 0)]
    [InlineData(MatrixExponential.Theta7, 7, 0)]
    [InlineData(MatrixExponential.Theta9, 9, 0)]
    [InlineData(MatrixExponential.Theta13, 13, 0)]
    [InlineData(2.0 * MatrixExponential.Theta13, 13, 1)]
    [InlineData(1024.0 * MatrixExponential.Theta13, 13, 10)]
    [InlineData(1000.0, 13, 8)]
    public void ParametersFollowHighamAlgorithm23(double norm, int degree, int squarings)
    {
        MatrixExponential.ChooseParameters(norm).ShouldBe((degree, squarings));
    }

    [Theory]
    [InlineData(MatrixExponential.Theta3, 5, 0)]
    [InlineData(MatrixExponential.Theta5, 7, 0)]
    [InlineData(MatrixExponential.Theta7, 9, 0)]
    [InlineData(MatrixExponential.Theta9, 13, 0)]
    [InlineData(MatrixExponential.Theta13, 13, 1)]
    [InlineData(2.0 * MatrixExponential.Theta13, 13, 2)]
    public void JustAboveAThresholdMovesToTheNextStep(double threshold, int degree, int squarings)
    {
        MatrixExponential.ChooseParameters(Math.BitIncrement(threshold)).ShouldBe((degree, squarings));
    }

    /// <summary>
    /// Q diag(d) Qᵀ with orthogonal Q has exponential Q diag(e^d) Qᵀ. The exponential of a
    /// normal matrix has relative condition number about ‖A‖, so with ‖A‖ ≈ 10³ the rounding
    /// of A's own entries alone allows ≈ 10³·u ≈ 1e-13 relative error; 1e-12 leaves headroom.
    /// </summary>
    private static void AssertMatchesEigendecomposition(double[,] q, double[] d)
    {
        int n = d.Length;
        var a = new double[n, n];
        var expected = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    a[i, j] += q[i, k] * d[k] * q[j, k];
                    expected[i, j] += q[i, k] * Math.Exp(d[k]) * q[j, k];
                }
            }
        }

        var e = MatrixExponential.Expm(a);

        RelativeMaxError(e, expected).ShouldBeLessThan(1e-12);
    }

    private static double[,] NonNormalSample() => new[,]
    {
        { -1.2, 0.8, 0.0, 0.3 },
        { 0.1, -0.5, 1.1, 0.0 },
        { 0.0, -0.7, 0.4, 0.9 },
        { 0.6, 0.0, -0.2, -2.0 },
    };

    /// <summary>
    /// Relative tolerance for an entry like e^x. Scaling and squaring is backward stable, so it
    /// returns e^(x(1+δ)) with |δ| a small multiple of the unit roundoff u, i.e. a relative error
    /// of about |x|·δ; e^-700 is therefore only good to ~1e-13 even though it is exact to u
    /// from a scalar exp.
    /// </summary>
    private static double ScaledTolerance(double magnitude) => 1e-14 * Math.Max(1.0, magnitude);

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

    /// <summary>Largest entry-wise difference relative to the largest expected entry.</summary>
    private static double RelativeMaxError(double[,] actual, double[,] expected)
    {
        double scale = 0.0;
        foreach (double v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }
        return MaxAbsDifference(actual, expected) / scale;
    }

    private static double MaxAbsDifference(double[,] x, double[,] y)
    {
        x.GetLength(0).ShouldBe(y.GetLength(0));
        x.GetLength(1).ShouldBe(y.GetLength(1));
        double max = 0.0;
        for (int i = 0; i < x.GetLength(0); i++)
        {
            for (int j = 0; j < x.GetLength(1); j++)
            {
                double diff = Math.Abs(x[i, j] - y[i, j]);
                max = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(max, diff);
            }
        }
        return max;
    }

    private static double Norm1(double[,] a)
    {
        double max = 0.0;
        for (int j = 0; j < a.GetLength(1); j++)
        {
            double sum = 0.0;
            for (int i = 0; i < a.GetLength(0); i++)
            {
                sum += Math.Abs(a[i, j]);
            }
            max = Math.Max(max, sum);
        }
        return max;
    }

    private static double[,] Identity(int n)
    {
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            r[i, i] = 1.0;
        }
        return r;
    }

    private static double[,] Scale(double[,] a, double f)
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                r[i, j] *= f;
            }
        }
        return r;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), inner = a.GetLength(1), m = b.GetLength(1);
        var r = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0.0;
                for (int k = 0; k < inner; k++)
                {
                    s += a[i, k] * b[k, j];
                }
                r[i, j] = s;
            }
        }
        return r;
    }
}
