namespace BioLang.Runtime.Numerics;

/// <summary>
/// The few dense-matrix kernels that <see cref="MatrixExponential"/> needs. The systems
/// exponentiated here are the per-neuron state equations of a model (a handful of
/// variables), so plain triple loops are both adequate and easy to audit.
/// </summary>
internal static class DenseMatrix
{
    /// <summary>Throws unless <paramref name="a"/> is square; returns its order.</summary>
    public static int RequireSquare(double[,] a, string paramName)
    {
        ArgumentNullException.ThrowIfNull(a, paramName);
        int n = a.GetLength(0);
        if (a.GetLength(1) != n)
        {
            throw new ArgumentException(
                $"Matrix must be square, but is {n}×{a.GetLength(1)}.", paramName);
        }
        return n;
    }

    public static double[,] Identity(int n)
    {
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            r[i, i] = 1.0;
        }
        return r;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), inner = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != inner)
        {
            throw new ArgumentException("Inner dimensions do not agree.", nameof(b));
        }
        var r = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < inner; k++)
            {
                double aik = a[i, k];
                if (aik == 0.0)
                {
                    continue;
                }
                for (int j = 0; j < m; j++)
                {
                    r[i, j] += aik * b[k, j];
                }
            }
        }
        return r;
    }

    /// <summary>The induced 1-norm: the largest absolute column sum.</summary>
    public static double Norm1(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        double max = 0.0;
        for (int j = 0; j < m; j++)
        {
            double sum = 0.0;
            for (int i = 0; i < n; i++)
            {
                sum += Math.Abs(a[i, j]);
            }
            max = Math.Max(max, sum);
        }
        return max;
    }

    /// <summary>
    /// Returns Σ cₖ·Mₖ over same-shaped matrices; a null term stands for the identity, which
    /// saves materialising it in the Padé sums.
    /// </summary>
    public static double[,] LinearCombination(int n, ReadOnlySpan<double> coefficients, params double[,]?[] terms)
    {
        if (coefficients.Length != terms.Length)
        {
            throw new ArgumentException("One coefficient per term is required.", nameof(coefficients));
        }
        var r = new double[n, n];
        for (int t = 0; t < terms.Length; t++)
        {
            double c = coefficients[t];
            var m = terms[t];
            if (m is null)
            {
                for (int i = 0; i < n; i++)
                {
                    r[i, i] += c;
                }
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    r[i, j] += c * m[i, j];
                }
            }
        }
        return r;
    }

    /// <summary>Returns <paramref name="a"/> + <paramref name="sign"/>·<paramref name="b"/>.</summary>
    public static double[,] Add(double[,] a, double[,] b, double sign)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var r = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                r[i, j] = a[i, j] + sign * b[i, j];
            }
        }
        return r;
    }

    public static double[,] Scale(double[,] a, double factor)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var r = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                r[i, j] = factor * a[i, j];
            }
        }
        return r;
    }

    /// <summary>
    /// Solves A X = B by Gaussian elimination with partial pivoting (Golub &amp; Van Loan,
    /// Matrix Computations, 4th ed., Alg. 3.4.1). Neither argument is modified.
    /// </summary>
    /// <exception cref="InvalidOperationException">A is singular to working precision.</exception>
    public static double[,] Solve(double[,] a, double[,] b)
    {
        int n = RequireSquare(a, nameof(a));
        if (b.GetLength(0) != n)
        {
            throw new ArgumentException("Right-hand side has the wrong number of rows.", nameof(b));
        }
        int m = b.GetLength(1);
        var lu = (double[,])a.Clone();
        var x = (double[,])b.Clone();

        for (int k = 0; k < n; k++)
        {
            int pivot = k;
            double best = Math.Abs(lu[k, k]);
            for (int i = k + 1; i < n; i++)
            {
                double v = Math.Abs(lu[i, k]);
                if (v > best)
                {
                    best = v;
                    pivot = i;
                }
            }
            if (best == 0.0 || !double.IsFinite(best))
            {
                throw new InvalidOperationException("Matrix is singular to working precision.");
            }
            if (pivot != k)
            {
                SwapRows(lu, k, pivot);
                SwapRows(x, k, pivot);
            }
            double diag = lu[k, k];
            for (int i = k + 1; i < n; i++)
            {
                double l = lu[i, k] / diag;
                if (l == 0.0)
                {
                    continue;
                }
                lu[i, k] = l;
                for (int j = k + 1; j < n; j++)
                {
                    lu[i, j] -= l * lu[k, j];
                }
                for (int j = 0; j < m; j++)
                {
                    x[i, j] -= l * x[k, j];
                }
            }
        }

        for (int k = n - 1; k >= 0; k--)
        {
            double diag = lu[k, k];
            for (int j = 0; j < m; j++)
            {
                double s = x[k, j];
                for (int i = k + 1; i < n; i++)
                {
                    s -= lu[k, i] * x[i, j];
                }
                x[k, j] = s / diag;
            }
        }
        return x;
    }

    private static void SwapRows(double[,] a, int r1, int r2)
    {
        for (int j = 0; j < a.GetLength(1); j++)
        {
            (a[r1, j], a[r2, j]) = (a[r2, j], a[r1, j]);
        }
    }
}
