namespace BioLang.Runtime.Engine;

/// <summary>
/// A fixed team of threads for the phases of a step. The caller is worker 0 and works too. Workers
/// spin briefly between phases (a step's phases are microseconds apart) and sleep when idle longer,
/// so a paused simulation costs no CPU.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private const int SpinIterations = 20_000;

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private Action<int>? _work;
    private long _generation;
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

    /// <summary>Number of workers, the calling thread included.</summary>
    public int Count { get; }

    /// <summary>Runs <paramref name="work"/>(w) for every worker w and returns when all are done.</summary>
    public void Run(Action<int> work)
    {
        if (Count == 1)
        {
            work(0);
            return;
        }
        _work = work;
        _failure = null;
        Volatile.Write(ref _remaining, Count - 1);
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepers) > 0)
            lock (_gate)
                Monitor.PulseAll(_gate);
        try
        {
            work(0);
        }
        finally
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref _remaining) > 0)
                spinner.SpinOnce(sleep1Threshold: -1);
        }
        if (_failure is { } failure)
            throw new AggregateException(failure);
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
            try
            {
                _work!(index);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            Interlocked.Decrement(ref _remaining);
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
