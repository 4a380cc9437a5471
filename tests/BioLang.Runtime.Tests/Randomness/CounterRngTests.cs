using BioLang.Runtime.Randomness;

namespace BioLang.Runtime.Tests.Randomness;

public class CounterRngTests
{
    private const double TwoToMinus53 = 1.0 / (1UL << 53);
    private const int N = 100_000;

    private static readonly CounterRng Rng = new(0x0123_4567_89AB_CDEF);

    // ---- layout, determinism, edges -------------------------------------------------------

    [Fact]
    public void Draws_follow_the_documented_block_layout()
    {
        var rng = new CounterRng(0xAAAA_BBBB_CCCC_DDDD);
        const ulong Counter = 0x1111_2222_3333_4444;
        Philox.Block(0x3333_4444, 0x1111_2222, 77, 5, 0xCCCC_DDDD, 0xAAAA_BBBB,
            out uint r0, out uint r1, out uint r2, out uint r3);

        rng.Seed.ShouldBe(0xAAAA_BBBB_CCCC_DDDDUL);
        rng.Uniform(5, 77, Counter).ShouldBe(CounterRng.ToUniform(r0, r1));
        rng.UniformOpen(5, 77, Counter).ShouldBe(CounterRng.ToUniformOpen(r0, r1));
        double boxMuller = Math.Sqrt(-2 * Math.Log(CounterRng.ToUniformOpen(r0, r1)))
            * Math.Cos(2 * Math.PI * CounterRng.ToUniform(r2, r3));
        rng.Normal(5, 77, Counter).ShouldBe(boxMuller);
        rng.Exponential(5, 77, Counter, 4.0).ShouldBe(-Math.Log(CounterRng.ToUniformOpen(r0, r1)) / 4.0);
        double geometric = Math.Ceiling(Math.Log(CounterRng.ToUniformOpen(r0, r1)) / Math.Log(0.75));
        rng.Geometric(5, 77, Counter, 0.25).ShouldBe((long)geometric);
    }

    [Fact]
    public void Uniform_conversions_keep_the_top_53_bits_and_exclude_the_wrong_endpoint()
    {
        CounterRng.ToUniform(0, 0).ShouldBe(0.0);
        CounterRng.ToUniform(uint.MaxValue, uint.MaxValue).ShouldBe(1.0 - TwoToMinus53);
        CounterRng.ToUniform(uint.MaxValue, uint.MaxValue).ShouldBeLessThan(1.0);
        CounterRng.ToUniform(0, 0x8000_0000).ShouldBe(0.5);
        CounterRng.ToUniform(1u << 11, 0).ShouldBe(TwoToMinus53);
        CounterRng.ToUniform((1u << 11) - 1, 0).ShouldBe(0.0);

        CounterRng.ToUniformOpen(0, 0).ShouldBe(TwoToMinus53);
        CounterRng.ToUniformOpen(0, 0).ShouldBeGreaterThan(0.0);
        CounterRng.ToUniformOpen(uint.MaxValue, uint.MaxValue).ShouldBe(1.0);
    }

    [Fact]
    public void Every_coordinate_changes_the_draw()
    {
        var rng = new CounterRng(42);
        double baseline = rng.Uniform(1, 2, 3);

        rng.Uniform(1, 2, 3).ShouldBe(baseline);
        new CounterRng(42).Uniform(1, 2, 3).ShouldBe(baseline);
        rng.Uniform(9, 2, 3).ShouldNotBe(baseline);
        rng.Uniform(1, 9, 3).ShouldNotBe(baseline);
        rng.Uniform(1, 2, 4).ShouldNotBe(baseline);
        rng.Uniform(1, 2, 3 + (1UL << 32)).ShouldNotBe(baseline);
        new CounterRng(43).Uniform(1, 2, 3).ShouldNotBe(baseline);
        new CounterRng(42 + (1UL << 32)).Uniform(1, 2, 3).ShouldNotBe(baseline);
    }

    [Fact]
    public void Results_do_not_depend_on_thread_count_or_order()
    {
        const int Count = 20_000;
        var sequential = new double[Count];
        for (int i = Count - 1; i >= 0; i--)
        {
            sequential[i] = MixedDraw(i);
        }

        var parallel = new double[Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        Parallel.For(0, Count, options, i => parallel[i] = MixedDraw(i));

        parallel.ShouldBe(sequential);
    }

    private static double MixedDraw(int i)
    {
        uint entity = (uint)(i % 97);
        ulong counter = (ulong)i;
        return Rng.Uniform(1, entity, counter) + Rng.Normal(2, entity, counter)
            + Rng.Exponential(3, entity, counter, 2.0) + Rng.Geometric(4, entity, counter, 0.01)
            + Rng.Binomial(5, entity, counter, 500, 0.4) + Rng.Poisson(6, entity, counter, 250.0)
            + (Rng.Bernoulli(7, entity, counter, 0.3) ? 1 : 0);
    }

    [Fact]
    public void Degenerate_parameters_give_their_certain_outcome()
    {
        Rng.Geometric(1, 1, 1, 1.0).ShouldBe(1);
        Rng.Geometric(1, 1, 1, 1.5).ShouldBe(1);
        Rng.Geometric(1, 1, 1, 0.0).ShouldBe(long.MaxValue);
        Rng.Bernoulli(1, 1, 1, 0.0).ShouldBeFalse();
        Rng.Bernoulli(1, 1, 1, 1.0).ShouldBeTrue();
        Rng.Binomial(1, 1, 1, 0, 0.5).ShouldBe(0);
        Rng.Binomial(1, 1, 1, 40, 0.0).ShouldBe(0);
        Rng.Binomial(1, 1, 1, 40, 1.0).ShouldBe(40);
        Rng.Poisson(1, 1, 1, 0.0).ShouldBe(0);
    }

    [Fact]
    public void Invalid_parameters_throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Rng.Geometric(1, 1, 1, -0.1));
        Should.Throw<ArgumentOutOfRangeException>(() => Rng.Geometric(1, 1, 1, double.NaN));
        Should.Throw<ArgumentOutOfRangeException>(() => Rng.Bernoulli(1, 1, 1, double.NaN));
        Should.Throw<ArgumentOutOfRangeException>(() => Rng.Binomial(1, 1, 1, -1, 0.5));
        Should.Throw<ArgumentOutOfRangeException>(() => Rng.Binomial(1, 1, 1, 10, double.NaN));
        Should.Throw<ArgumentOutOfRangeException>(() => Rng.Poisson(1, 1, 1, -1.0));
        Should.Throw<ArgumentOutOfRangeException>(() => Rng.Poisson(1, 1, 1, double.PositiveInfinity));
        Should.Throw<ArgumentNullException>(() => CounterRng.StreamId(null!));
    }

    // FNV-1a 32-bit reference vectors ("", "a", "foobar" from the FNV specification); the
    // non-ASCII ones were hashed over their UTF-8 bytes with an independent Python FNV-1a.
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    [InlineData("\u011f", 0x70900ae4u)]
    [InlineData("\U0001D11E", 0x3b79d038u)]
    public void StreamId_is_FNV1a_of_the_UTF8_bytes(string name, uint expected)
        => CounterRng.StreamId(name).ShouldBe(expected);

    [Fact]
    public void Sampling_allocates_nothing()
    {
        double sink = MixedDraw(0) + CounterRng.StreamId("exc:poisson");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sink += MixedDraw(i) + CounterRng.StreamId("exc:poisson");
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
        sink.ShouldNotBe(double.NaN);
    }

    // ---- continuous distributions ---------------------------------------------------------

    [Fact]
    public void Uniform_has_mean_one_half_variance_one_twelfth_and_passes_Kolmogorov_Smirnov()
    {
        double[] u = Sample(i => Rng.Uniform(10, 0, (ulong)i));

        u.ShouldAllBe(x => x >= 0.0 && x < 1.0);
        Stats.ShouldMatchMoments(u, 0.5, 1.0 / 12, 1.0 / 80);
        Stats.KolmogorovSmirnov(u, x => x).ShouldBeLessThan(Stats.KolmogorovBound(N));
    }

    [Fact]
    public void UniformOpen_and_ranged_uniform_have_the_right_support_and_mean()
    {
        double[] open = Sample(i => Rng.UniformOpen(11, 0, (ulong)i));
        double[] ranged = Sample(i => Rng.Uniform(12, 0, (ulong)i, -3.0, 5.0));

        open.ShouldAllBe(x => x > 0.0 && x <= 1.0);
        Stats.ShouldMatchMoments(open, 0.5, 1.0 / 12, 1.0 / 80);
        ranged.ShouldAllBe(x => x >= -3.0 && x < 5.0);
        Stats.ShouldMatchMoments(ranged, 1.0, 64.0 / 12, 4096.0 / 80);
    }

    [Fact]
    public void Normal_passes_Kolmogorov_Smirnov_against_the_exact_CDF()
    {
        double[] z = Sample(i => Rng.Normal(13, 0, (ulong)i));
        double[] scaled = Sample(i => Rng.Normal(14, 0, (ulong)i, 10.0, 2.0));

        Stats.ShouldMatchMoments(z, 0.0, 1.0, 3.0);
        Stats.KolmogorovSmirnov(z, Stats.NormalCdf).ShouldBeLessThan(Stats.KolmogorovBound(N));
        Stats.ShouldMatchMoments(scaled, 10.0, 4.0, 48.0);
        // Positive control: the same statistic rejects a normal whose scale is off by 6 %.
        Stats.KolmogorovSmirnov(z, x => Stats.NormalCdf(x / 1.06))
            .ShouldBeGreaterThan(Stats.KolmogorovBound(N));
    }

    [Fact]
    public void Normal_cdf_helper_matches_tabulated_values()
    {
        // Abramowitz & Stegun 7.1.26 has |error| <= 1.5e-7 in erf, so half that in the CDF.
        (double X, double Phi)[] table =
        [
            (0.0, 0.5), (1.0, 0.84134474606854294859), (-1.0, 0.15865525393145705141),
            (1.96, 0.97500210485177956379), (-3.0, 0.0013498980316300945267),
            (5.0, 0.99999971334842812081), (-6.0, 9.865876450376981407e-10),
        ];
        foreach (var (x, phi) in table)
        {
            Stats.NormalCdf(x).ShouldBe(phi, 8e-8);
        }
    }

    [Fact]
    public void Exponential_has_mean_and_variance_of_its_rate()
    {
        const double Rate = 2.5;
        double[] x = Sample(i => Rng.Exponential(15, 0, (ulong)i, Rate));

        x.ShouldAllBe(v => v >= 0.0 && double.IsFinite(v));
        Stats.ShouldMatchMoments(x, 1 / Rate, 1 / (Rate * Rate), 9 / Math.Pow(Rate, 4));
        Stats.KolmogorovSmirnov(x, v => 1 - Math.Exp(-Rate * v)).ShouldBeLessThan(Stats.KolmogorovBound(N));
    }

    // ---- discrete distributions -----------------------------------------------------------

    [Theory]
    [InlineData(1e-5)]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void Geometric_has_mean_one_over_p_and_variance_q_over_p_squared(double p)
    {
        double[] k = Sample(i => Rng.Geometric(20, 0, (ulong)i, p));
        double q = 1 - p;
        double variance = q / (p * p);

        k.ShouldAllBe(v => v >= 1);
        Stats.ShouldMatchMoments(k, 1 / p, variance, variance * variance * (9 + p * p / q));
    }

    // For p = 1e-12, 1 - p rounds at the fifth significant digit of p, so dividing by
    // Math.Log(1 - p) would move each spike by ~1e8 steps; ln(1 - p) = -p - p^2/2 - ... is exact here.
    [Fact]
    public void Geometric_keeps_full_precision_for_tiny_probabilities()
    {
        const double P = 1e-12;
        var rng = new CounterRng(0x0000_0002_0000_0001);
        for (uint counter = 0; counter < 20; counter++)
        {
            Philox.Block(counter, 0, 0, 30, 1, 2, out uint r0, out uint r1, out _, out _);
            double expected = Math.Ceiling(Math.Log(CounterRng.ToUniformOpen(r0, r1)) / (-P - P * P / 2));

            ((double)rng.Geometric(30, 0, counter, P)).ShouldBe(expected, 1.0);
        }
    }

    [Fact]
    public void Geometric_matches_the_first_success_law_of_per_step_Bernoulli_trials()
    {
        const double P = 0.2;
        var pmf = new double[60];
        for (int k = 1; k < pmf.Length; k++)
        {
            pmf[k] = Math.Pow(1 - P, k - 1) * P;
        }

        long[] counts = Stats.Histogram(Sample(i => Rng.Geometric(21, 0, (ulong)i, P)), pmf.Length);
        Stats.ShouldFitChiSquare(counts, pmf);
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Bernoulli_frequency_matches_p(double p)
    {
        double frequency = Sample(i => Rng.Bernoulli(22, 0, (ulong)i, p) ? 1.0 : 0.0).Average();
        frequency.ShouldBe(p, 5 * Math.Sqrt(p * (1 - p) / N));
    }

    [Theory]
    [InlineData(20, 0.3)]       // inversion
    [InlineData(50, 0.9)]       // inversion of the reflected rare outcome
    [InlineData(1_000_000, 1e-5)]
    [InlineData(1000, 0.3)]     // BTRS
    [InlineData(1000, 0.7)]     // BTRS, reflected
    [InlineData(100_000, 0.001)]
    [InlineData(2_000_000_000, 0.5)]
    public void Binomial_has_mean_np_and_variance_npq(int n, double p)
    {
        double[] k = Sample(i => Rng.Binomial(23, 0, (ulong)i, n, p));
        double variance = n * p * (1 - p);
        double fourthCentral = variance * (1 + 3 * (variance - 2 * p * (1 - p)));

        k.ShouldAllBe(v => v >= 0 && v <= n);
        Stats.ShouldMatchMoments(k, n * p, variance, fourthCentral);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(29.9)]  // inversion, just below the switch
    [InlineData(30.0)]  // PTRS from here
    [InlineData(100.0)]
    [InlineData(1e4)]
    [InlineData(1e9)]
    public void Poisson_has_mean_and_variance_lambda(double lambda)
    {
        double[] k = Sample(i => Rng.Poisson(24, 0, (ulong)i, lambda));

        k.ShouldAllBe(v => v >= 0);
        Stats.ShouldMatchMoments(k, lambda, lambda, 3 * lambda * lambda + lambda);
    }

    [Fact]
    public void Poisson_3_counts_fit_the_pmf_and_reject_a_three_percent_error()
    {
        long[] counts = Stats.Histogram(Sample(i => Rng.Poisson(25, 0, (ulong)i, 3.0)), 40);

        Stats.ShouldFitChiSquare(counts, Stats.PoissonPmf(3.0, 40));
        Stats.ChiSquareExceedsBound(counts, Stats.PoissonPmf(3.09, 40)).ShouldBeTrue();
    }

    [Fact]
    public void Rejection_samplers_fit_their_pmf()
    {
        long[] poisson = Stats.Histogram(Sample(i => Rng.Poisson(26, 0, (ulong)i, 100.0)), 250);
        Stats.ShouldFitChiSquare(poisson, Stats.PoissonPmf(100.0, 250));

        const int Trials = 1000;
        const double P = 0.3;
        var pmf = new double[Trials + 1];
        pmf[0] = Math.Pow(1 - P, Trials);
        for (int k = 1; k <= Trials; k++)
        {
            pmf[k] = pmf[k - 1] * (Trials - k + 1) / k * P / (1 - P);
        }

        long[] binomial = Stats.Histogram(Sample(i => Rng.Binomial(27, 0, (ulong)i, Trials, P)), Trials + 1);
        Stats.ShouldFitChiSquare(binomial, pmf);
    }

    // A rejection sampler that took its extra blocks from the neighbouring counter or entity
    // would repeat its neighbour's draw whenever it rejects, correlating the two.
    [Fact]
    public void Rejection_samplers_do_not_borrow_blocks_from_neighbouring_slots()
    {
        double[] byCounter = Sample(i => Rng.Poisson(28, 0, (ulong)i, 1000.0));
        double[] byEntity = Sample(i => Rng.Binomial(29, (uint)i, 0, 1000, 0.5));

        Stats.LagOneCorrelation(byCounter).ShouldBe(0.0, 5 / Math.Sqrt(N));
        Stats.LagOneCorrelation(byEntity).ShouldBe(0.0, 5 / Math.Sqrt(N));
    }

    // ---- log-probabilities (reference values from mpmath at 50 digits, via log-gamma) -------

    [Theory]
    [InlineData(1, 0.08106146679532725822)]
    [InlineData(15, 0.005554733551962801371)]
    [InlineData(16, 0.0052076559196096404407)]
    [InlineData(35, 0.0023808876082341119857)]
    [InlineData(1e6, 8.3333333333330555556e-8)]
    public void StirlingError_matches_reference_values(double n, double expected)
        => LogProbability.StirlingError(n).ShouldBe(expected, 1e-15 * expected);

    [Fact]
    public void StirlingError_table_agrees_with_summed_logarithms()
    {
        double logFactorial = 0;
        for (int n = 1; n <= 40; n++)
        {
            logFactorial += Math.Log(n);
            double stirling = (n + 0.5) * Math.Log(n) - n + 0.5 * Math.Log(2 * Math.PI);
            LogProbability.StirlingError(n).ShouldBe(logFactorial - stirling, 1e-13, $"n = {n}");
        }
    }

    [Theory]
    [InlineData(1000, 1001, 0.0004996669164668331906)]
    [InlineData(1e6, 1e6 + 1, 4.9999966666691666647e-7)]
    [InlineData(30, 29.5, 0.0042135494914370264326)]
    [InlineData(5, 50, 33.48707453502977158)]
    [InlineData(7, 3.2, 1.6793153747474268833)]
    public void Bd0_matches_reference_values(double x, double m, double expected)
        => LogProbability.Bd0(x, m).ShouldBe(expected, 1e-14 * expected);

    [Theory]
    [InlineData(0, 2.5, -2.5)]
    [InlineData(1, 0.5, -1.1931471805599453094)]
    [InlineData(3, 3, -1.4959226032237259266)]
    [InlineData(100, 100, -3.2223569567543533405)]
    [InlineData(1e6, 1e6 + 500, -7.9516522444722290635)]
    [InlineData(1e12, 1e12 + 1e6, -15.234448757835946846)]
    public void Poisson_log_pmf_matches_reference_values(double k, double lambda, double expected)
        => LogProbability.Poisson(k, lambda).ShouldBe(expected, 1e-12 * Math.Abs(expected));

    [Theory]
    [InlineData(0, 1000, 0.001, -1.000500333583533521)]
    [InlineData(5, 20, 0.25, -1.5978495582456195364)]
    [InlineData(300, 1000, 0.3, -3.5928057905186981179)]
    [InlineData(1000, 1000, 0.3, -1203.9728043259360296)]
    [InlineData(49990, 100000, 0.5, -5.9842565651433078676)]
    [InlineData(7, 1e9, 1e-8, -2.4070657111070946036)]
    public void Binomial_log_pmf_matches_reference_values(double k, double n, double p, double expected)
        => LogProbability.Binomial(k, n, p).ShouldBe(expected, 1e-12 * Math.Abs(expected));

    [Theory]
    [InlineData(1e-10, 9.9999999995000003644e-11)]
    [InlineData(-1e-5, -0.000010000050000333336651)]
    [InlineData(-0.5, -0.69314718055994530942)]
    [InlineData(0.75, 0.55961578793542268627)]
    [InlineData(-0.999999, -13.81551055793551844)]
    public void Log1P_matches_reference_values(double x, double expected)
        => LogProbability.Log1P(x).ShouldBe(expected, 4e-16 * Math.Abs(expected));

    private static double[] Sample(Func<int, double> draw)
    {
        var x = new double[N];
        for (int i = 0; i < N; i++)
        {
            x[i] = draw(i);
        }

        return x;
    }

    private static class Stats
    {
        /// <summary>
        /// Sample mean and variance within 5 standard errors of the truth; the variance's
        /// standard error is sqrt((mu4 - sigma^4) / n) with mu4 the fourth central moment.
        /// </summary>
        public static void ShouldMatchMoments(double[] x, double mean, double variance, double fourthCentral)
        {
            double sampleMean = x.Average();
            double sampleVariance = x.Sum(v => (v - sampleMean) * (v - sampleMean)) / (x.Length - 1);

            sampleMean.ShouldBe(mean, 5 * Math.Sqrt(variance / x.Length), "mean");
            double varianceError = Math.Sqrt((fourthCentral - variance * variance) / x.Length);
            sampleVariance.ShouldBe(variance, 5 * varianceError, "variance");
        }

        /// <summary>The Kolmogorov–Smirnov distance sup |F_n - F| to a continuous CDF.</summary>
        public static double KolmogorovSmirnov(double[] x, Func<double, double> cdf)
        {
            double[] sorted = [.. x];
            Array.Sort(sorted);
            double distance = 0;
            for (int i = 0; i < sorted.Length; i++)
            {
                double f = cdf(sorted[i]);
                double above = (i + 1.0) / sorted.Length - f;
                double below = f - (double)i / sorted.Length;
                distance = Math.Max(distance, Math.Max(above, below));
            }

            return distance;
        }

        /// <summary>
        /// The Dvoretzky–Kiefer–Wolfowitz inequality with Massart's (1990) constant,
        /// P(sup |F_n - F| &gt; e) &lt;= 2 exp(-2 n e^2), holds for every n: solved for a
        /// false-alarm probability of 1e-6.
        /// </summary>
        public static double KolmogorovBound(int n) => Math.Sqrt(Math.Log(2 / 1e-6) / (2.0 * n));

        /// <summary>Phi(x) via erf from Abramowitz &amp; Stegun 7.1.26 (|error| &lt;= 1.5e-7).</summary>
        public static double NormalCdf(double x)
        {
            double z = Math.Abs(x) / Math.Sqrt(2);
            double t = 1 / (1 + 0.3275911 * z);
            double poly = t * (0.254829592 + t * (-0.284496736
                + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
            double erf = 1 - poly * Math.Exp(-z * z);
            return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
        }

        /// <summary>Counts of each integer value; the last bin also takes every larger value.</summary>
        public static long[] Histogram(double[] x, int bins)
        {
            var counts = new long[bins];
            foreach (double v in x)
            {
                counts[(int)Math.Min(v, bins - 1)]++;
            }

            return counts;
        }

        /// <summary>pmf[k] for k &lt; length - 1 by the ratio recurrence; the last entry is unused.</summary>
        public static double[] PoissonPmf(double lambda, int length)
        {
            var pmf = new double[length];
            pmf[0] = Math.Exp(-lambda);
            for (int k = 1; k < length; k++)
            {
                pmf[k] = pmf[k - 1] * lambda / k;
            }

            return pmf;
        }

        public static void ShouldFitChiSquare(long[] counts, double[] pmf)
        {
            var (statistic, bound) = ChiSquare(counts, pmf);
            statistic.ShouldBeLessThan(bound);
        }

        public static bool ChiSquareExceedsBound(long[] counts, double[] pmf)
        {
            var (statistic, bound) = ChiSquare(counts, pmf);
            return statistic > bound;
        }

        /// <summary>
        /// Pearson's statistic against pmf[0..L-2] plus the tail mass in the last bin, with
        /// adjacent bins pooled until each expects at least 10. The bound is the 5-sigma upper
        /// quantile (false alarm about 3e-7) by the Wilson–Hilferty (1931) cube-root approximation.
        /// </summary>
        private static (double Statistic, double Bound) ChiSquare(long[] counts, double[] pmf)
        {
            long n = counts.Sum();
            var expected = new double[counts.Length];
            for (int k = 0; k < counts.Length - 1; k++)
            {
                expected[k] = n * pmf[k];
            }

            expected[^1] = n - expected[..^1].Sum();
            double[] remaining = new double[counts.Length + 1];
            for (int k = counts.Length - 1; k >= 0; k--)
            {
                remaining[k] = remaining[k + 1] + expected[k];
            }

            double statistic = 0, binExpected = 0;
            long binObserved = 0;
            int bins = 0;
            for (int k = 0; k < counts.Length; k++)
            {
                binExpected += expected[k];
                binObserved += counts[k];
                if ((binExpected >= 10 && remaining[k + 1] >= 10) || k == counts.Length - 1)
                {
                    statistic += (binObserved - binExpected) * (binObserved - binExpected) / binExpected;
                    bins++;
                    binExpected = 0;
                    binObserved = 0;
                }
            }

            int df = bins - 1;
            double h = 2.0 / (9 * df);
            return (statistic, df * Math.Pow(1 - h + 5 * Math.Sqrt(h), 3));
        }

        public static double LagOneCorrelation(double[] x)
        {
            double mean = x.Average();
            double covariance = 0, variance = 0;
            for (int i = 0; i < x.Length; i++)
            {
                variance += (x[i] - mean) * (x[i] - mean);
                if (i > 0)
                {
                    covariance += (x[i] - mean) * (x[i - 1] - mean);
                }
            }

            return covariance / variance;
        }
    }
}
