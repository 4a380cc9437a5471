using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace BioLang.Runtime.Randomness;

/// <summary>
/// A stateless random number generator. Every draw is a pure function of
/// (seed, stream, entity, counter), evaluated with Philox4x32-10 (Salmon et al. 2011), so a
/// simulation gives bit-identical results whatever the thread count or evaluation order.
/// </summary>
/// <remarks>
/// <para>
/// Block layout: key = (low, high) 32-bit words of the seed; counter words c0, c1 = low, high
/// words of <c>counter</c>, c2 = entity, c3 = stream. A (stream, entity, counter) triple is one
/// draw slot: every method reads the same first block of the slot, so draws that must be
/// independent need distinct slots (for example distinct streams per purpose).
/// </para>
/// <para>
/// The rejection samplers (Poisson with lambda &gt;= 30, binomial with n*p &gt; 30) may need more
/// than one block. Block j of a slot is the slot's counter under the sub-key
/// (k0 ^ j*0x6A09E667, k1 ^ j*0x510E527F); block 0 is the plain key. The step constants are odd,
/// so j -&gt; j*step is a bijection of 32-bit words and distinct j give distinct keys; distinct
/// slots give distinct counters. Hence within one seed no two (slot, j) pairs ever share a
/// block: no draw can reuse the randomness of another entity or counter. (Across seeds, sub-block
/// j of seed s is a main block of seed s ^ (j*0x510E527F &lt;&lt; 32 | j*0x6A09E667), which matters
/// only for two runs whose seeds differ by exactly that pattern.) The constants are the
/// fractional parts of the square roots of 2 and 11, as in SHA-256: nothing up the sleeve.
/// </para>
/// <para>
/// Integer arithmetic and the uniform conversions are exact, so results agree on every platform;
/// draws that pass through Math.Log, Exp, Cos or Sqrt inherit the platform's libm, which is
/// deterministic per machine but may differ in the last ulp between operating systems.
/// </para>
/// </remarks>
internal readonly struct CounterRng
{
    private const double TwoToMinus53 = 1.0 / (1UL << 53);
    private const double TwoPi = 2.0 * Math.PI;

    private const uint SubKeyStep0 = 0x6A09E667;
    private const uint SubKeyStep1 = 0x510E527F;

    // Below this mean the inversion search is short (about mean + 1 steps), above it the
    // rejection samplers' acceptance rate is high and their cost flat (Hoermann 1993).
    private const double InversionLimit = 30.0;

    private const string NotAProbability = "must be a probability >= 0 (values above 1 act as 1)";

    // Poisson inversion stops once the remaining tail is below the 2^-53 grain of the uniform.
    private const double NegligibleMass = 1.0 / (1UL << 63) / 2;

    private readonly uint _k0;
    private readonly uint _k1;

    public CounterRng(ulong seed)
    {
        _k0 = (uint)seed;
        _k1 = (uint)(seed >> 32);
    }

    public ulong Seed => ((ulong)_k1 << 32) | _k0;

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Uniform(uint stream, uint entity, ulong counter)
    {
        Block(stream, entity, counter, 0, out uint r0, out uint r1, out _, out _);
        return ToUniform(r0, r1);
    }

    /// <summary>Uniform on (0, 1] with 53 random bits: never 0, so its logarithm is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double UniformOpen(uint stream, uint entity, ulong counter)
    {
        Block(stream, entity, counter, 0, out uint r0, out uint r1, out _, out _);
        return ToUniformOpen(r0, r1);
    }

    /// <summary>Uniform on [a, b) (up to the rounding of a + (b - a) * u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Uniform(uint stream, uint entity, ulong counter, double a, double b)
        => a + (b - a) * Uniform(stream, entity, counter);

    /// <summary>
    /// Standard normal by the Box–Muller transform (Box &amp; Muller 1958), u1 from words r0, r1
    /// and u2 from r2, r3. Only the cosine branch is used, so one block gives one deviate and the
    /// draw stays a function of its own slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Normal(uint stream, uint entity, ulong counter)
    {
        Block(stream, entity, counter, 0, out uint r0, out uint r1, out uint r2, out uint r3);
        double radius = Math.Sqrt(-2.0 * Math.Log(ToUniformOpen(r0, r1)));
        return radius * Math.Cos(TwoPi * ToUniform(r2, r3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Normal(uint stream, uint entity, ulong counter, double mu, double sigma)
        => mu + sigma * Normal(stream, entity, counter);

    /// <summary>Exponential with the given rate (&gt; 0), by inversion: -ln(U) / rate, U in (0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Exponential(uint stream, uint entity, ulong counter, double rate)
        => -Math.Log(UniformOpen(stream, entity, counter)) / rate;

    /// <summary>
    /// Number of Bernoulli(p) trials up to and including the first success: P(k) = (1-p)^(k-1) p,
    /// k &gt;= 1. Sampling it once gives the step of the next Poisson spike with exactly the law of
    /// one Bernoulli(rate*dt) draw per step. p &gt;= 1 gives 1; p = 0 gives long.MaxValue (never);
    /// results beyond long.MaxValue saturate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Geometric(uint stream, uint entity, ulong counter, double p)
    {
        if (p >= 1.0)
        {
            return 1;
        }

        if (!(p > 0.0))
        {
            return p == 0.0 ? long.MaxValue : ThrowOutOfRange<long>(nameof(p), p, NotAProbability);
        }

        // Inversion (Devroye, Non-Uniform Random Variate Generation, 1986): K = ceil(ln U / ln(1-p))
        // has P(K > k) = P(U < (1-p)^k) = (1-p)^k. ln(1-p) goes through Log1P so that tiny spike
        // probabilities such as rate*dt = 1e-6 keep all their digits.
        Block(stream, entity, counter, 0, out uint r0, out uint r1, out _, out _);
        double k = Math.Ceiling(Math.Log(ToUniformOpen(r0, r1)) / LogProbability.Log1P(-p));
        if (k < 1.0)
        {
            return 1; // U == 1 exactly: the boundary of the first trial.
        }

        return k < long.MaxValue ? (long)k : long.MaxValue;
    }

    /// <summary>True with probability p (to the nearest 2^-53); p = 0 is never, p &gt;= 1 always.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Bernoulli(uint stream, uint entity, ulong counter, double p)
    {
        if (!(p >= 0.0))
        {
            return ThrowOutOfRange<bool>(nameof(p), p, NotAProbability);
        }

        return Uniform(stream, entity, counter) < p;
    }

    /// <summary>
    /// Binomial(n, p), exact. The rarer outcome is sampled and reflected (1 - p is exact for
    /// p &gt;= 1/2), then: n*p &lt;= 30 by sequential inversion from k = 0 (one block); otherwise by
    /// BTRS, the transformed rejection of Hoermann, "The generation of binomial random variates"
    /// (J. Statist. Comput. Simul. 46, 1993), with the acceptance test on Loader's exact log-pmf
    /// (one block per trial; 1.1 to 1.3 blocks per draw measured). p &gt;= 1 gives n.
    /// </summary>
    public int Binomial(uint stream, uint entity, ulong counter, int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(p >= 0.0))
        {
            return ThrowOutOfRange<int>(nameof(p), p, NotAProbability);
        }

        if (n == 0 || p == 0.0)
        {
            return 0;
        }

        if (p >= 1.0)
        {
            return n;
        }

        bool reflect = p > 0.5;
        double rare = reflect ? 1.0 - p : p;
        int k = n * rare <= InversionLimit
            ? BinomialInversion(stream, entity, counter, n, rare)
            : BinomialRejection(stream, entity, counter, n, rare);
        return reflect ? n - k : k;
    }

    /// <summary>
    /// Poisson(lambda), exact. lambda &lt; 30: sequential inversion from k = 0 (one block).
    /// lambda &gt;= 30: PTRS, the transformed rejection with squeeze of Hoermann, "The transformed
    /// rejection method for generating Poisson random variables" (Insurance: Mathematics and
    /// Economics 12, 1993), with the acceptance test on Loader's log-pmf, which stays exact where
    /// k ln(lambda) - lambda - ln k! would cancel (one block per trial; 1.1 to 1.2 blocks per draw
    /// measured).
    /// </summary>
    public long Poisson(uint stream, uint entity, ulong counter, double lambda)
    {
        if (!(lambda >= 0.0) || double.IsPositiveInfinity(lambda))
        {
            return ThrowOutOfRange<long>(nameof(lambda), lambda, "must be finite and non-negative");
        }

        return lambda < InversionLimit
            ? PoissonInversion(stream, entity, counter, lambda)
            : PoissonRejection(stream, entity, counter, lambda);
    }

    /// <summary>
    /// A stable 32-bit stream id: FNV-1a (Fowler, Noll &amp; Vo) over the UTF-8 bytes of the name,
    /// so ids agree across processes and platforms (string.GetHashCode is randomized per process).
    /// Lone surrogates hash as U+FFFD, as Encoding.UTF8 would encode them. 32 bits make collisions
    /// unlikely but possible; register names and check if it matters.
    /// </summary>
    public static uint StreamId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        uint hash = 2166136261;
        Span<byte> utf8 = stackalloc byte[4];
        foreach (Rune rune in name.EnumerateRunes())
        {
            int length = rune.EncodeToUtf8(utf8);
            for (int i = 0; i < length; i++)
            {
                hash = (hash ^ utf8[i]) * 16777619;
            }
        }

        return hash;
    }

    /// <summary>The top 53 bits of hi:lo as a double in [0, 1 - 2^-53].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ToUniform(uint lo, uint hi)
        => ((((ulong)hi << 32) | lo) >> 11) * TwoToMinus53;

    /// <summary>The top 53 bits of hi:lo, plus one, as a double in [2^-53, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ToUniformOpen(uint lo, uint hi)
        => (((((ulong)hi << 32) | lo) >> 11) + 1) * TwoToMinus53;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Block(
        uint stream, uint entity, ulong counter, uint subBlock,
        out uint r0, out uint r1, out uint r2, out uint r3)
        => Philox.Block(
            (uint)counter, (uint)(counter >> 32), entity, stream,
            _k0 ^ (subBlock * SubKeyStep0), _k1 ^ (subBlock * SubKeyStep1),
            out r0, out r1, out r2, out r3);

    /// <summary>Smallest k with U &lt; F(k), walking the pmf up by its ratio recurrence.</summary>
    private int BinomialInversion(uint stream, uint entity, ulong counter, int n, double p)
    {
        double u = Uniform(stream, entity, counter);
        double odds = p / (1.0 - p);
        double pk = Math.Exp(n * LogProbability.Log1P(-p)); // >= e^-42 since n*p <= 30, p <= 1/2
        int k = 0;
        while (u >= pk && k < n)
        {
            u -= pk;
            k++;
            pk *= odds * (n - k + 1) / k;
        }

        return k;
    }

    /// <summary>BTRS with the constants of Hoermann (1993); requires p &lt;= 1/2, n*p &gt;= 10.</summary>
    private int BinomialRejection(uint stream, uint entity, ulong counter, int n, double p)
    {
        double spq = Math.Sqrt(n * p * (1.0 - p));
        double b = 1.15 + 2.53 * spq;
        double a = -0.0873 + 0.0248 * b + 0.01 * p;
        double c = n * p + 0.5;
        double vr = 0.92 - 4.2 / b;
        double alpha = (2.83 + 5.1 / b) * spq;
        double mode = Math.Floor((n + 1.0) * p);
        double logModePmf = LogProbability.Binomial(mode, n, p);

        // Trial j draws its (u, v) pair from sub-block j of the slot (see the type's remarks).
        for (uint j = 0; ; j++)
        {
            Block(stream, entity, counter, j, out uint r0, out uint r1, out uint r2, out uint r3);
            double u = ToUniform(r0, r1) - 0.5;
            double v = ToUniform(r2, r3);
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2.0 * a / us + b) * u + c);
            if (k < 0.0 || k > n)
            {
                continue;
            }

            // Squeeze: points in this box lie under the transformed pmf and need no evaluation.
            if (us >= 0.07 && v <= vr)
            {
                return (int)k;
            }

            double logHat = Math.Log(v * alpha / (a / (us * us) + b));
            if (logHat <= LogProbability.Binomial(k, n, p) - logModePmf)
            {
                return (int)k;
            }
        }
    }

    private long PoissonInversion(uint stream, uint entity, ulong counter, double lambda)
    {
        double u = Uniform(stream, entity, counter);
        double pk = Math.Exp(-lambda);
        long k = 0;
        while (u >= pk)
        {
            u -= pk;
            k++;
            pk *= lambda / k;
            if (pk < NegligibleMass && k > lambda)
            {
                break; // only reachable through rounding of the running sum
            }
        }

        return k;
    }

    /// <summary>PTRS with the constants of Hoermann (1993); requires lambda &gt;= 10.</summary>
    private long PoissonRejection(uint stream, uint entity, ulong counter, double lambda)
    {
        double b = 0.931 + 2.53 * Math.Sqrt(lambda);
        double a = -0.059 + 0.02483 * b;
        double alpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2.0);

        // Trial j draws its (u, v) pair from sub-block j of the slot (see the type's remarks).
        for (uint j = 0; ; j++)
        {
            Block(stream, entity, counter, j, out uint r0, out uint r1, out uint r2, out uint r3);
            double u = ToUniform(r0, r1) - 0.5;
            double v = ToUniform(r2, r3);
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2.0 * a / us + b) * u + lambda + 0.43);
            if (k < 0.0)
            {
                continue;
            }

            if (us >= 0.07 && v <= vr)
            {
                return (long)k;
            }

            if (us < 0.013 && v > us)
            {
                continue;
            }

            double logHat = Math.Log(v * alpha / (a / (us * us) + b));
            if (logHat <= LogProbability.Poisson(k, lambda))
            {
                return (long)k;
            }
        }
    }

    // Kept out of line so that the samplers stay small enough to inline.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ThrowOutOfRange<T>(string name, double value, string message)
        => throw new ArgumentOutOfRangeException(name, value, message);
}

/// <summary>
/// Logarithms of discrete probabilities by the saddle-point expansion of Loader, "Fast and
/// accurate computation of binomial probabilities" (2000, the basis of R's dbinom and dpois).
/// Unlike k ln(lambda) - lambda - ln k!, whose terms cancel to a few digits once they are large,
/// these keep close to full double precision at any argument size.
/// </summary>
internal static class LogProbability
{
    // StirlingError(n) for n = 0..15 (index 0 unused), evaluated to 20 digits with mpmath.
    private static readonly double[] SmallStirlingErrors =
    [
        0.0,
        0.08106146679532725822, 0.041340695955409294094, 0.027677925684998339149,
        0.020790672103765093112, 0.016644691189821192163, 0.013876128823070747999,
        0.011896709945891770095, 0.010411265261972096497, 0.0092554621827127329177,
        0.0083305634333628712565, 0.007573675487951840795, 0.0069428401072095298657,
        0.0064089941880042070684, 0.0059513701127588477356, 0.005554733551962801371,
    ];

    /// <summary>
    /// ln n! - [(n + 1/2) ln n - n + ln sqrt(2 pi)], the error of Stirling's formula, for integer
    /// n &gt;= 1. From n = 16 on, the Stirling series to 1/n^11 is within 2e-18 of it.
    /// </summary>
    internal static double StirlingError(double n)
    {
        if (n < SmallStirlingErrors.Length)
        {
            return SmallStirlingErrors[(int)n];
        }

        // Sum of B_2k / (2k (2k - 1) n^(2k - 1)) for k = 1..6, by Horner's rule in 1 / n^2.
        double inverseSquare = 1.0 / (n * n);
        double series = 1.0 / 1188 - 691.0 / 360360 * inverseSquare;
        series = 1.0 / 1680 - series * inverseSquare;
        series = 1.0 / 1260 - series * inverseSquare;
        series = 1.0 / 360 - series * inverseSquare;
        series = 1.0 / 12 - series * inverseSquare;
        return series / n;
    }

    /// <summary>
    /// The deviance term x ln(x / m) + m - x &gt;= 0. Near x = m the direct form cancels, so it is
    /// summed as (x - m) v + 2x (v^3/3 + v^5/5 + ...) with v = (x - m) / (x + m).
    /// </summary>
    internal static double Bd0(double x, double m)
    {
        if (Math.Abs(x - m) >= 0.1 * (x + m))
        {
            return x * Math.Log(x / m) + m - x;
        }

        double v = (x - m) / (x + m);
        double v2 = v * v;
        double sum = (x - m) * v;
        double term = 2.0 * x * v;
        // |v| < 1/10, so each term is at least 100 times smaller: about eight rounds to converge.
        for (int j = 1; ; j++)
        {
            term *= v2;
            double next = sum + term / (2 * j + 1);
            if (next == sum)
            {
                return sum;
            }

            sum = next;
        }
    }

    /// <summary>ln P(K = k) for K ~ Poisson(lambda), integer k &gt;= 0, lambda &gt; 0.</summary>
    internal static double Poisson(double k, double lambda)
        => k == 0.0
            ? -lambda
            : -StirlingError(k) - Bd0(k, lambda) - 0.5 * Math.Log(2.0 * Math.PI * k);

    /// <summary>ln P(K = k) for K ~ Binomial(n, p), integer 0 &lt;= k &lt;= n, 0 &lt; p &lt; 1.</summary>
    internal static double Binomial(double k, double n, double p)
    {
        if (k == 0.0)
        {
            return n * Log1P(-p);
        }

        if (k == n)
        {
            return n * Math.Log(p);
        }

        double q = 1.0 - p;
        return StirlingError(n) - StirlingError(k) - StirlingError(n - k)
            - Bd0(k, n * p) - Bd0(n - k, n * q)
            + 0.5 * Math.Log(n / (2.0 * Math.PI * k * (n - k)));
    }

    /// <summary>
    /// ln(1 + x) without the cancellation of Math.Log(1 + x) for small x, by Kahan's trick as
    /// analysed in Goldberg, "What every computer scientist should know about floating-point
    /// arithmetic" (1991), theorem 4: the rounding of 1 + x is divided back out.
    /// </summary>
    internal static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
