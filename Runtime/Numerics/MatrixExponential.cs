namespace BioLang.Runtime.Numerics;

/// <summary>
/// The matrix exponential e^A by scaling and squaring with Padé approximants:
/// N. J. Higham, "The scaling and squaring method for the matrix exponential revisited",
/// SIAM J. Matrix Anal. Appl. 26(4):1179–1193 (2005), Algorithm 2.3 (the algorithm of
/// MATLAB's <c>expm</c>). The degree m ∈ {3, 5, 7, 9, 13} and the number of squarings s are
/// chosen from ‖A‖₁ so that the backward error of r_m(2^-s A)^(2^s) is at most the unit
/// roundoff 2^-53 while the cost is minimal.
/// </summary>
internal static class MatrixExponential
{
    /// <summary>
    /// θ_m of Higham (2005), Sect. 2, as used by Algorithm 2.3: the largest ‖A‖₁ for which
    /// the [m/m] Padé approximant r_m(A) meets the unit-roundoff backward-error bound
    /// without scaling.
    /// </summary>
    internal const double Theta3 = 1.495585217958292e-2;
    internal const double Theta5 = 2.539398330063230e-1;
    internal const double Theta7 = 9.504178996162932e-1;
    internal const double Theta9 = 2.097847961257068e0;
    internal const double Theta13 = 5.371920351148152e0;

    // Coefficients b_j = (2m − j)! / (j! (m − j)!), j = 0..m, of the [m/m] Padé numerator
    // p_m(x) = Σ b_j x^j of e^x, scaled to integers as in Higham (2005), Sect. 2 (any common
    // factor cancels in q_m⁻¹ p_m); the denominator is q_m(x) = p_m(−x).
    private static readonly double[] Pade3 = [120.0, 60.0, 12.0, 1.0];
    private static readonly double[] Pade5 = [30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0];
    private static readonly double[] Pade7 =
        [17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0];
    private static readonly double[] Pade9 =
    [
        17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0,
        2162160.0, 110880.0, 3960.0, 90.0, 1.0,
    ];
    private static readonly double[] Pade13 =
    [
        64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
        129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0,
        1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0, 1.0,
    ];

    /// <summary>Returns e^<paramref name="a"/>; <paramref name="a"/> is not modified.</summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="a"/> is not square, or has a NaN or infinite entry.
    /// </exception>
    public static double[,] Expm(double[,] a)
    {
        int n = DenseMatrix.RequireSquare(a, nameof(a));
        foreach (double entry in a)
        {
            if (!double.IsFinite(entry))
            {
                throw new ArgumentException("Matrix entries must be finite.", nameof(a));
            }
        }
        if (n == 0)
        {
            return new double[0, 0];
        }

        var (degree, squarings) = ChooseParameters(DenseMatrix.Norm1(a));
        var scaled = squarings == 0 ? a : DenseMatrix.Scale(a, Math.ScaleB(1.0, -squarings));
        var (u, v) = degree == 13 ? PadeTerms13(scaled) : PadeTermsLow(scaled, degree);

        // r_m = q_m(A)^-1 p_m(A) with p_m = V + U and q_m = V - U, because U holds the odd and
        // V the even powers. Higham (2005), Sect. 2, shows q_m is well conditioned for
        // ‖A‖₁ ≤ θ_m, so an LU solve is accurate here.
        var r = DenseMatrix.Solve(DenseMatrix.Add(v, u, -1.0), DenseMatrix.Add(v, u, +1.0));
        for (int i = 0; i < squarings; i++)
        {
            r = DenseMatrix.Multiply(r, r);
        }
        return r;
    }

    /// <summary>
    /// Algorithm 2.3 of Higham (2005): the cheapest degree whose θ_m bounds ‖A‖₁, or else
    /// degree 13 with s = ⌈log₂(‖A‖₁/θ₁₃)⌉ squarings.
    /// </summary>
    internal static (int Degree, int Squarings) ChooseParameters(double norm1)
    {
        if (norm1 <= Theta3)
        {
            return (3, 0);
        }
        if (norm1 <= Theta5)
        {
            return (5, 0);
        }
        if (norm1 <= Theta7)
        {
            return (7, 0);
        }
        if (norm1 <= Theta9)
        {
            return (9, 0);
        }
        if (norm1 <= Theta13)
        {
            return (13, 0);
        }

        // ⌈log₂ x⌉ from the binary exponent, which is exact where Math.Log2 could round a
        // power of two to the wrong side and cost (or save) a squaring.
        double ratio = norm1 / Theta13;
        int floor = Math.ILogB(ratio);
        int squarings = Math.ScaleB(1.0, floor) == ratio ? floor : floor + 1;
        return (13, squarings);
    }

    /// <summary>
    /// U (odd part) and V (even part) of p_m(A) for m ∈ {3, 5, 7, 9}, as in Higham (2005),
    /// Sect. 2: U = A Σ b_(2k+1) A^(2k), V = Σ b_(2k) A^(2k).
    /// </summary>
    private static (double[,] U, double[,] V) PadeTermsLow(double[,] a, int degree)
    {
        int n = a.GetLength(0);
        double[] b = degree switch
        {
            3 => Pade3,
            5 => Pade5,
            7 => Pade7,
            9 => Pade9,
            _ => throw new ArgumentOutOfRangeException(nameof(degree), degree, "Unsupported Padé degree."),
        };

        // evenPowers[k] = A^(2k); index 0 is the identity, passed as null to LinearCombination.
        int count = (degree + 1) / 2;
        var evenPowers = new double[,]?[count];
        var a2 = DenseMatrix.Multiply(a, a);
        for (int k = 1; k < count; k++)
        {
            evenPowers[k] = k == 1 ? a2 : DenseMatrix.Multiply(evenPowers[k - 1]!, a2);
        }

        var odd = new double[count];
        var even = new double[count];
        for (int k = 0; k < count; k++)
        {
            odd[k] = b[2 * k + 1];
            even[k] = b[2 * k];
        }
        var u = DenseMatrix.Multiply(a, DenseMatrix.LinearCombination(n, odd, evenPowers));
        var v = DenseMatrix.LinearCombination(n, even, evenPowers);
        return (u, v);
    }

    /// <summary>
    /// U and V for m = 13 with the six-multiplication scheme of Higham (2005), Sect. 2,
    /// which factors A^6 out of the high-order terms instead of forming A^8..A^12.
    /// </summary>
    private static (double[,] U, double[,] V) PadeTerms13(double[,] a)
    {
        int n = a.GetLength(0);
        double[] b = Pade13;
        var a2 = DenseMatrix.Multiply(a, a);
        var a4 = DenseMatrix.Multiply(a2, a2);
        var a6 = DenseMatrix.Multiply(a4, a2);

        var uHigh = DenseMatrix.LinearCombination(n, [b[13], b[11], b[9]], a6, a4, a2);
        var uLow = DenseMatrix.LinearCombination(n, [b[7], b[5], b[3], b[1]], a6, a4, a2, null);
        var u = DenseMatrix.Multiply(a, DenseMatrix.Add(DenseMatrix.Multiply(a6, uHigh), uLow, +1.0));

        var vHigh = DenseMatrix.LinearCombination(n, [b[12], b[10], b[8]], a6, a4, a2);
        var vLow = DenseMatrix.LinearCombination(n, [b[6], b[4], b[2], b[0]], a6, a4, a2, null);
        var v = DenseMatrix.Add(DenseMatrix.Multiply(a6, vHigh), vLow, +1.0);
        return (u, v);
    }
}
