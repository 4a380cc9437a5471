using BioLang.Tests;
using BioLang.Runtime.Engine;

namespace BioLang.Runtime.Tests.Engine;

/// <summary>
/// Whole-projection synapse kernels (clock-driven equations, periodic blocks) split their rows across the workers
/// when they write only their own synapse: the result must not depend on the number of workers.
/// </summary>
public sealed class ParallelSynapseTests
{
    /// <summary>
    /// 400 Poisson inputs onto 250 neurons, all to all: 100 000 plastic synapses with a clock-driven eligibility
    /// trace, event-driven STDP traces, per-synapse random draws and a periodic reward-gated weight update reading
    /// the postsynaptic neuron.
    /// </summary>
    private const string Eligibility = """
        neuron Reader =
            parameters tau = 10<ms>
            state
                v = 0
                reward = 0
            equations
                dv/dt = -v / tau
                dreward/dt = -reward / 200<ms>
            spike when v > 1
            reset
                v <- 0
                reward += 0.5

        synapse Learning =
            state
                w = 0.05 + 0.01 * rand ()
                c = 0
                apre = 0
                apost = 0
            equations
                dc/dt = -c / 1<s>
            equations (event-driven)
                dapre/dt = -apre / 20<ms>
                dapost/dt = -apost / 20<ms>
            on pre
                post.v += w
                apre += 0.1
                c += apost
            on post
                apost += 0.1
                c -= apre
            every 5<ms>
                w <- clip (w + 0.01 * post.reward * c + 0.001 * randn ()) 0 0.2

        let inputs = poisson 400 20<Hz>
        let P = population 250 Reader
        connect inputs -> P with Learning
        monitor spikes P
        """;

    [Fact]
    public void PeriodicAndClockDrivenSynapseKernels_GiveTheSameResultOnOneAndTwoWorkers()
    {
        var model = Simulate.Compile(Eligibility);
        using var one = Simulate.Run(model, threads: 1, seed: 5, seconds: 0.3);
        using var two = Simulate.Run(model, threads: 2, seed: 5, seconds: 0.3);

        var projection = two.Projections.Single();
        projection.SynapseCount.ShouldBe(100_000);
        // Large enough for the split: at least MinSynapsesPerWorker synapses for each of two workers.
        projection.SynapseCount.ShouldBeGreaterThanOrEqualTo(2 * ProjectionRuntime.MinSynapsesPerWorker);
        two.Spikes("P").Length.ShouldBeGreaterThan(100);
        two.Spikes("P").ShouldBe(one.Spikes("P"));
        two.Capture().ShouldBeIdenticalTo(one.Capture());
        // The weights did move out of their initial range [0.05, 0.06): the periodic block ran on every synapse's row.
        var w = projection.Arrays.Vars[0];
        w.Count(x => x < 0.05 || x >= 0.06).ShouldBeGreaterThan(w.Length / 2);
    }

    /// <summary>
    /// 4000 inputs at 100 Hz onto 500 neurons, all to all: about 20 000 synaptic events per step, enough for the
    /// delivery to be split by postsynaptic range across two workers. Each neuron sums its inputs in the same order
    /// as on one thread, so the result is the same bit for bit.
    /// </summary>
    private const string Dense = """
        neuron Integrator =
            parameters tau = 10<ms>
            state v = 0
            equations
                dv/dt = -v / tau
            spike when v > 2
            reset
                v <- 0

        synapse Counted =
            state
                w = 0.001 * rand ()
                uses = 0
            on pre
                post.v += w
                uses += 1

        let inputs = poisson 4000 100<Hz>
        let P = population 500 Integrator
        connect inputs -> P with Counted
        monitor spikes P
        """;

    [Fact]
    public void SpikeDelivery_SplitByPostsynapticRange_GivesTheSameResultOnOneAndTwoWorkers()
    {
        var model = Simulate.Compile(Dense);
        using var one = Simulate.Run(model, threads: 1, seed: 5, seconds: 0.05);
        using var two = Simulate.Run(model, threads: 2, seed: 5, seconds: 0.05);

        one.Projections.Single().ParallelDeliveries.ShouldBe(0);
        two.Projections.Single().ParallelDeliveries.ShouldBeGreaterThan(400, "most of the 500 steps");
        two.Spikes("P").Length.ShouldBeGreaterThan(200);
        two.Spikes("P").ShouldBe(one.Spikes("P"));
        two.Capture().ShouldBeIdenticalTo(one.Capture());
        // Every event was counted once, by one worker.
        two.Projections.Single().Arrays.Vars[1].Sum().ShouldBe(two.Projections.Single().Events);
    }

    /// <summary>
    /// Pair STDP in single precision, 6000 inputs at 50 Hz onto 400 neurons that fire at some tens of Hz: each postsynaptic
    /// spike visits 6000 synapses, enough for <c>on post</c> to be split across two workers by columns (and delivery by
    /// postsynaptic range). The result must equal the one-thread result bit for bit.
    /// </summary>
    [Fact]
    public void OnPost_SplitByColumns_GivesTheSameResultOnOneAndTwoWorkers()
    {
        var model = Simulate.Compile("""
            open Plasticity

            neuron Integrator =
                parameters tau = 10<ms>
                state v = 0
                equations
                    dv/dt = -v / tau
                spike when v > 1
                reset
                    v <- 0

            synapse Exc =
                state w = 0.0008 * rand ()
                on pre
                    post.v += w

            precision = single
            let inputs = poisson 6000 50<Hz>
            let P = population 400 Integrator
            connect inputs -> P with Exc + StdpAdditive (wmax = 0.002)
            monitor spikes P
            """);
        using var one = Simulate.Run(model, threads: 1, seed: 9, seconds: 0.05);
        using var two = Simulate.Run(model, threads: 2, seed: 9, seconds: 0.05);

        var projection = two.Projections.Single();
        one.Projections.Single().ParallelOnPost.ShouldBe(0);
        projection.ParallelOnPost.ShouldBeGreaterThan(50);
        two.Spikes("P").ShouldBe(one.Spikes("P"));
        two.Capture().ShouldBeIdenticalTo(one.Capture());
    }
}
