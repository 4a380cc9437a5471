using BioLang.Runtime.Engine;

namespace BioLang.Runtime.Tests.Engine;

/// <summary>The team that runs a step's phases: every chunk once per phase, whichever thread takes it.</summary>
public sealed class WorkerPoolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryChunkRunsExactlyOncePerPhase(int workers)
    {
        using var pool = new WorkerPool(workers);
        const int Phases = 20_000;
        var runs = new int[Phases * workers];
        for (var phase = 0; phase < Phases; phase++)
        {
            var p = phase;
            pool.Run(chunk => Interlocked.Increment(ref runs[p * workers + chunk]));
        }
        runs.ShouldAllBe(n => n == 1);
    }

    /// <summary>A chunk whose worker is held up does not hold up the phase: the caller, free first, takes the chunks nobody has started.</summary>
    [Fact]
    public void TheCallerTakesChunksNoWorkerHasStarted()
    {
        using var pool = new WorkerPool(4);
        var threads = new int[4];
        var caller = Environment.CurrentManagedThreadId;
        var takenByCaller = 0;
        for (var phase = 0; phase < 2000; phase++)
        {
            pool.Run(chunk => threads[chunk] = Environment.CurrentManagedThreadId);
            takenByCaller += threads.Count(t => t == caller);
        }
        // The caller always takes chunk 0 at least; at 2000 phases it also took others (on a 2-core machine, 4 workers cannot all be running).
        takenByCaller.ShouldBeGreaterThan(2000);
    }

    [Fact]
    public void AnExceptionInAnyChunk_ReachesTheCaller_AndThePoolGoesOn()
    {
        using var pool = new WorkerPool(2);
        for (var bad = 0; bad < 2; bad++)
        {
            var failing = bad;
            var error = Should.Throw<InvalidOperationException>(() => pool.Run(chunk =>
            {
                if (chunk == failing)
                    throw new InvalidOperationException($"chunk {chunk}");
            }));
            error.Message.ShouldBe($"chunk {failing}");
        }
        var done = new bool[2];
        pool.Run(chunk => done[chunk] = true);
        done.ShouldAllBe(d => d);
    }
}
