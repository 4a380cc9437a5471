using BioLang.Tests;
namespace BioLang.Runtime.Tests.Engine;

/// <summary>
/// Poisson groups simulate a Bernoulli(rate·dt) draw per neuron per step (Brian2's PoissonGroup), so a
/// count over n neuron-steps is a sum of Bernoulli variables: mean Σp, variance Σp(1 − p).
/// </summary>
public sealed class InputGroupTests
{
    private const double Dt = 1e-4;

    private static void ShouldBeWithinFiveSigma(double count, double mean, double variance, string what) =>
        count.ShouldBe(mean, 5 * Math.Sqrt(variance), what);

    /// <summary>Within every step the spiking neurons are listed once each, ascending.</summary>
    private static void ShouldBeSortedPerStep((long Step, int Neuron)[] spikes)
    {
        for (var k = 1; k < spikes.Length; k++)
        {
            spikes[k].Step.ShouldBeGreaterThanOrEqualTo(spikes[k - 1].Step);
            if (spikes[k].Step == spikes[k - 1].Step)
                spikes[k].Neuron.ShouldBeGreaterThan(spikes[k - 1].Neuron);
        }
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void Poisson_ConstantRate_CountWithinTheBound_AndCountsArePoissonDispersed(ulong seed)
    {
        const int n = 1000, steps = 10_000;
        const double p = 20 * Dt;
        using var network = Simulate.Run("""
            let P = poisson 1000 20<Hz>
            monitor spikes P
            run 1<s>
            """, seed: seed);

        var spikes = network.Spikes("P");
        ShouldBeSortedPerStep(spikes);
        spikes.ShouldAllBe(s => s.Step >= 0 && s.Step < steps && s.Neuron >= 0 && s.Neuron < n);
        ShouldBeWithinFiveSigma(spikes.Length, (double)n * steps * p, (double)n * steps * p * (1 - p), "total");
        network.Group("P").TotalSpikes.ShouldBe(spikes.Length);

        // Per-neuron counts are Binomial(steps, p): their sample variance estimates steps·p(1 − p) ≈ 20,
        // with standard error sqrt((μ4 − σ⁴)/n) ≈ sqrt((λ + 2λ²)/n) ≈ 0.9.
        var counts = new double[n];
        foreach (var (_, neuron) in spikes)
            counts[neuron]++;
        var mean = counts.Average();
        var variance = counts.Sum(c => (c - mean) * (c - mean)) / (n - 1);
        const double lambda = steps * p;
        variance.ShouldBe(lambda * (1 - p), 5 * Math.Sqrt((lambda + 2 * lambda * lambda) / n));

        // Consecutive steps are independent: counts in the two halves of the run are uncorrelated.
        var first = new double[n];
        foreach (var (step, neuron) in spikes)
            if (step < steps / 2)
                first[neuron]++;
        var second = counts.Zip(first, (all, a) => all - a).ToArray();
        Correlation(first, second).ShouldBe(0, 5 / Math.Sqrt(n));
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        var cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }

    [Fact]
    public void Poisson_RateDependingOnTheNeuron_EachNeuronFiresAtItsOwnRate()
    {
        // Neuron i fires at 4·(i + 1) Hz for 2 s: the counts of the slow and fast halves are separately bounded.
        using var network = Simulate.Run("""
            let P = poisson 50 (fun t i -> (i + 1) * 4<Hz>)
            monitor spikes P
            run 2<s>
            """);

        var spikes = network.Spikes("P");
        ShouldBeSortedPerStep(spikes);
        const long steps = 20_000;
        foreach (var (lo, hi) in new[] { (0, 25), (25, 50) })
        {
            double mean = 0, variance = 0;
            for (var i = lo; i < hi; i++)
            {
                var p = (i + 1) * 4 * Dt;
                mean += steps * p;
                variance += steps * p * (1 - p);
            }
            ShouldBeWithinFiveSigma(spikes.Count(s => s.Neuron >= lo && s.Neuron < hi), mean, variance, $"neurons {lo} .. {hi - 1}");
        }
    }

    [Fact]
    public void Poisson_TimeVaryingRate_FollowsTheRateInEachHalfPeriod()
    {
        // rate(t) = 20 Hz (1 + sin(2π·5 Hz·t)): high in the first half of each 200 ms period, low in the second.
        const int n = 500, steps = 10_000;
        using var network = Simulate.Run("""
            let P = poisson 500 (fun t i -> 20<Hz> * (1 + sin (2 * pi * 5<Hz> * t)))
            monitor spikes P
            run 1<s>
            """);

        var spikes = network.Spikes("P");
        ShouldBeSortedPerStep(spikes);
        static double P(long step) => 20 * (1 + Math.Sin(2 * Math.PI * 5 * step * Dt)) * Dt;
        static bool High(long step) => step % 2000 < 1000;
        foreach (var high in new[] { true, false })
        {
            double mean = 0, variance = 0;
            for (long s = 0; s < steps; s++)
            {
                if (High(s) != high) continue;
                mean += n * P(s);
                variance += n * P(s) * (1 - P(s));
            }
            ShouldBeWithinFiveSigma(spikes.Count(s => High(s.Step) == high), mean, variance, high ? "rising half-periods" : "falling half-periods");
        }
    }

    [Fact]
    public void Poisson_RandomRate_IsDrawnIndependentlyOfTheSpikeDraw()
    {
        // rate = 200 Hz · rand (): p = 0.02·u with u uniform, so the expected count is n·steps·0.01. If the
        // rate's draw and the Bernoulli draw were the same number u, a spike would need u < 0.02·u: never.
        const int n = 200, steps = 5_000;
        using var network = Simulate.Run("""
            let P = poisson 200 (fun t i -> 200<Hz> * rand ())
            monitor spikes P
            run 0.5<s>
            """);

        // Each step: P(spike) = E[0.02 u] = 0.01, and the draws are independent across steps.
        ShouldBeWithinFiveSigma(network.Spikes("P").Length, n * steps * 0.01, n * steps * 0.01 * 0.99, "total");
    }

    [Fact]
    public void Poisson_ZeroRate_NeverFires()
    {
        using var network = Simulate.Run("""
            let P = poisson 100 0<Hz>
            monitor spikes P
            run 100<ms>
            """);
        network.Spikes("P").ShouldBeEmpty();
    }

    [Fact]
    public void SpikeTimes_EmitsEachSpikeInTheStepWhoseIntervalContainsIt()
    {
        // dt = 0.1 ms: 0.3 ms is step 3 (0.3/0.1 is 2.9999... in binary), 2.55 ms step 25, 10 ms step 100.
        using var network = Simulate.Run("""
            dt = 0.1<ms>
            let S = spike_times 3 [(0, 1<ms>); (2, 1<ms>); (1, 2.55<ms>); (0, 10<ms>); (2, 0<ms>); (1, 0.3<ms>); (1, 50<ms>)]
            monitor spikes S
            run 20<ms>
            """);

        network.Spikes("S").ShouldBe([(0, 2), (3, 1), (10, 0), (10, 2), (25, 1), (100, 0)]);
        network.Group("S").TotalSpikes.ShouldBe(6);
    }

    [Fact]
    public void SpikeTimes_ListConstantAndSingleNeuronShorthand()
    {
        using var network = Simulate.Run("""
            dt = 0.5<ms>
            let times = [2<ms>; 3.2<ms>; 7<ms>]
            let S = spike_times 1 times
            monitor spikes S
            run 10<ms>
            """);

        network.Spikes("S").ShouldBe([(4, 0), (6, 0), (14, 0)]);
    }
}
