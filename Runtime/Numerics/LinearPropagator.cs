namespace BioLang.Runtime.Numerics;

/// <summary>
/// The exact one-step update X(t+dt) = Φ X(t) + Γ of a linear system dX/dt = A X + b with
/// constant coefficients, the numerical counterpart of Brian2's <c>exact</c> state updater.
/// </summary>
/// <param name="Phi">Φ = e^(A dt), n×n.</param>
/// <param name="Gamma">Γ = (∫₀^dt e^(A s) ds) b, length n.</param>
internal sealed record LinearPropagator(double[,] Phi, double[] Gamma)
{
    /// <summary>
    /// Builds the propagator of dX/dt = A X + b over one step <paramref name="dt"/>.
    /// </summary>
    /// <remarks>
    /// The affine system is made linear by appending the constant 1 to the state:
    /// d/dt [X; 1] = M [X; 1] with M = [[A, b], [0, 0]]. Hence e^(M dt) = [[Φ, Γ], [0, 1]],
    /// which yields Γ with the integral already done (C. F. Van Loan, "Computing integrals
    /// involving the matrix exponential", IEEE Trans. Autom. Control 23:395–404, 1978).
    /// Unlike the textbook Γ = A⁻¹(Φ − I) b this needs no inverse of A, so it also covers
    /// singular A such as pure integrators or conductances without a leak, and it avoids the
    /// cancellation in Φ − I when A dt is small.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// <paramref name="a"/> is not square, <paramref name="b"/> does not match it, or an
    /// entry or <paramref name="dt"/> is not finite.
    /// </exception>
    public static LinearPropagator For(double[,] a, double[] b, double dt)
    {
        int n = DenseMatrix.RequireSquare(a, nameof(a));
        ArgumentNullException.ThrowIfNull(b);
        if (b.Length != n)
        {
            throw new ArgumentException(
                $"Constant term has length {b.Length} but the matrix is {n}×{n}.", nameof(b));
        }
        if (!double.IsFinite(dt))
        {
            throw new ArgumentException("Time step must be finite.", nameof(dt));
        }

        var m = new double[n + 1, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i, j] = a[i, j] * dt;
            }
            m[i, n] = b[i] * dt;
        }

        var e = MatrixExponential.Expm(m);
        var phi = new double[n, n];
        var gamma = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                phi[i, j] = e[i, j];
            }
            gamma[i] = e[i, n];
        }
        return new LinearPropagator(phi, gamma);
    }

    /// <summary>Order n of the system.</summary>
    public int Order => Gamma.Length;

    /// <summary>Advances <paramref name="x"/> by one step: x ← Φ x + Γ.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have length n.</exception>
    public void Apply(Span<double> x)
    {
        int n = Order;
        if (x.Length != n)
        {
            throw new ArgumentException($"State has length {x.Length}, expected {n}.", nameof(x));
        }

        // Every output reads every input, so the old state must be kept until all rows are done.
        Span<double> old = n <= 64 ? stackalloc double[n] : new double[n];
        x.CopyTo(old);
        for (int i = 0; i < n; i++)
        {
            double s = Gamma[i];
            for (int j = 0; j < n; j++)
            {
                s += Phi[i, j] * old[j];
            }
            x[i] = s;
        }
    }
}
