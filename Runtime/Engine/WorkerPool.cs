namespace BioLang.Runtime.Engine;

/// <summary>
/// A fixed team of threads for the phases of a step. A phase is cut into <see cref="Count"/> chunks, and
/// whoever is free claims the next one: the caller too, so when another process holds a worker's core
/// the caller does that worker's chunk itself instead of waiting for the scheduler (on a busy machine a
/// strict hand-off made two threads ten times slower than one). Which thread runs a chunk never changes
/// what it computes. Workers spin briefly between phases (a step's phases are microseconds apart) and
/// sleep when idle longer, so a paused simulation costs no CPU.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private const int SpinIterations = 20_000;

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private Action<int>? _work;
    private long _generation;

    // The phase's generation (its low 32 bits) in the high 32 bits and the next chunk to claim in the low 32:
    // a worker still finishing the previous phase can never claim a chunk of this one.
    private long _claim;
    private int _remaining;
    private int _sleepers;
    private volatile bool _stopping;
    private Exception? _failure;

    public WorkerPool(int count)
    {
        Count = Math.Max(1, count);
        _threads = new Thread[Count - 1];
        for (var w = 1; w < Count; w++)
        {
            var index = w;
            _threads[w - 1] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"biolang-worker-{w}" };
            _threads[w - 1].Start();
        }
    }

    /// <summary>Number of chunks of a phase, and of threads, the calling thread included.</summary>
    public int Count { get; }

    /// <summary>Runs <paramref name="work"/>(w) for every chunk w in [0, Count) and returns when all are done.</summary>
    public void Run(Action<int> work)
    {
        if (Count == 1)
        {
            work(0);
            return;
        }
        _work = work;
        _failure = null;
        Volatile.Write(ref _remaining, Count);
        // The chunks are up for claiming before the workers see the new generation.
        var generation = _generation + 1;
        Interlocked.Exchange(ref _claim, generation << 32);
        Interlocked.Exchange(ref _generation, generation);
        if (Volatile.Read(ref _sleepers) > 0)
            lock (_gate)
                Monitor.PulseAll(_gate);
        RunChunks(work, generation);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _remaining) > 0)
            spinner.SpinOnce(sleep1Threshold: -1);
        if (_failure is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Claims and runs chunks of phase <paramref name="generation"/> until none is left.</summary>
    private void RunChunks(Action<int> work, long generation)
    {
        while (true)
        {
            var claim = Volatile.Read(ref _claim);
            var chunk = (int)(claim & 0xFFFF_FFFF);
            if (claim >>> 32 != (generation & 0xFFFF_FFFF) || chunk >= Count)
                return;
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim)
                continue;
            try
            {
                work(chunk);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            Interlocked.Decrement(ref _remaining);
        }
    }

    private void Loop(int index)
    {
        long seen = 0;
        while (true)
        {
            var spins = 0;
            while (Volatile.Read(ref _generation) == seen && !_stopping)
            {
                if (++spins < SpinIterations)
                {
                    Thread.SpinWait(20);
                    continue;
                }
                lock (_gate)
                {
                    _sleepers++;
                    while (Volatile.Read(ref _generation) == seen && !_stopping)
                        Monitor.Wait(_gate, 50);
                    _sleepers--;
                }
            }
            if (_stopping)
                return;
            seen = Volatile.Read(ref _generation);
            RunChunks(_work!, seen);
        }
    }

    /// <summary>Contiguous ranges of [0, n) for the workers, each a multiple of <paramref name="align"/> long except the last.</summary>
    public static (int Start, int End) Range(int n, int workers, int worker, int align = 64)
    {
        var chunk = (n + workers - 1) / workers;
        chunk = (chunk + align - 1) / align * align;
        var start = Math.Min(n, worker * chunk);
        return (start, Math.Min(n, start + chunk));
    }

    public void Dispose()
    {
        _stopping = true;
        lock (_gate)
            Monitor.PulseAll(_gate);
        foreach (var t in _threads)
            t.Join();
    }
}
