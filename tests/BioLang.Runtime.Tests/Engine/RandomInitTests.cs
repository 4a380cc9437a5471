using BioLang.Tests;
namespace BioLang.Runtime.Tests.Engine;

/// <summary>Random initial values: each draw has its distribution, and different variables, neurons and synapses draw independently.</summary>
public sealed class RandomInitTests
{
    private static double Mean(double[] x) => x.Average();

    private static double Variance(double[] x)
    {
        var m = x.Average();
        return x.Sum(v => (v - m) * (v - m)) / (x.Length - 1);
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        var cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }

    [Fact]
    public void NeuronState_DrawsHaveTheirDistributions_AndAreIndependent()
    {
        const int n = 20_000;
        using var network = Simulate.Build(Simulate.Compile($$"""
            neuron R =
                state
                    a = rand ()
                    b = rand ()
                    c = randn ()
                    d = uniform (-2<mV>) (6<mV>)
                    e = normal (3<mV>) (0.5<mV>)
                    f = rand () + rand ()
            let P = population {{n}} R
            """));

        var a = network.Var("P", "a");
        var b = network.Var("P", "b");
        var c = network.Var("P", "c");
        var d = network.Var("P", "d");
        var e = network.Var("P", "e");
        var f = network.Var("P", "f");
        var se = 1 / Math.Sqrt(n);

        a.ShouldAllBe(x => x >= 0 && x < 1);
        Mean(a).ShouldBe(0.5, 5 * Math.Sqrt(1.0 / 12) * se);
        Variance(a).ShouldBe(1.0 / 12, 5 * Math.Sqrt(1.0 / 180) * se);
        Mean(c).ShouldBe(0, 5 * se);
        Variance(c).ShouldBe(1, 5 * Math.Sqrt(2) * se);
        d.ShouldAllBe(x => x >= -2e-3 && x < 6e-3);
        Mean(d).ShouldBe(2e-3, 5 * 8e-3 / Math.Sqrt(12) * se);
        Mean(e).ShouldBe(3e-3, 5 * 0.5e-3 * se);
        Math.Sqrt(Variance(e)).ShouldBe(0.5e-3, 5 * 0.5e-3 / Math.Sqrt(2) * se);
        // Two draws in one expression are two draws: the sum of two uniforms has variance 1/6, not 4/12.
        Variance(f).ShouldBe(1.0 / 6, 5 * 0.05 * se);

        // Variables, and neighbouring neurons, are uncorrelated.
        foreach (var (x, y, what) in new[] { (a, b, "a, b"), (a, c, "a, c"), (b, c, "b, c"), (c, e, "c, e"), (a, a.Skip(1).Append(a[0]).ToArray(), "neighbours") })
            Correlation(x, y).ShouldBe(0, 5 * se, what);
    }

    [Fact]
    public void NeuronState_DifferentPopulationsDrawDifferently()
    {
        using var network = Simulate.Build(Simulate.Compile("""
            neuron R =
                state
                    a = rand ()
            let P = population 1000 R
            let Q = population 1000 R
            """));

        Correlation(network.Var("P", "a"), network.Var("Q", "a")).ShouldBe(0, 5 / Math.Sqrt(1000));
    }

    [Fact]
    public void SynapseState_DrawsAreIndependentPerSynapse()
    {
        using var network = Simulate.Build(Simulate.Compile("""
            neuron Dot =
                state
                    x = 0
            synapse S =
                state
                    w = rand ()
                    q = randn ()
                on pre
                    post.x += w
            let A = population 100 Dot
            let B = population 100 Dot
            connect A -> B with S all_to_all
            """));

        var p = network.Projections.Single();
        var w = p.Arrays.Vars[0];
        var q = p.Arrays.Vars[1];
        w.Length.ShouldBe(10_000);
        var se = 1 / Math.Sqrt(w.Length);
        Mean(w).ShouldBe(0.5, 5 * Math.Sqrt(1.0 / 12) * se);
        Variance(q).ShouldBe(1, 5 * Math.Sqrt(2) * se);
        Correlation(w, q).ShouldBe(0, 5 * se);
        // Synapse s and s + 100 (same post, next pre) are independent.
        Correlation(w[..9900], w[100..]).ShouldBe(0, 5 / Math.Sqrt(9900));
    }
}
