using System.Diagnostics;
using BioLang.Language.Compilation;
using BioLang.Language.IR;
using BioLang.Language.Text;
using BioLang.Language.Units;
using BioLang.Runtime.Engine;

namespace BioLang.Repl.Session;

public sealed partial class ReplSession
{
    /// <summary>True while a <c>run ... &amp;</c> is going on.</summary>
    public bool IsRunning => _background is { IsCompleted: false };

    /// <summary>Stops a run at the next step boundary (Ctrl-C); everything is kept.</summary>
    public void Interrupt() => _cancel?.Cancel();

    private double? Seconds(string text, out string? error)
    {
        error = null;
        var result = BioCompiler.Compile(SessionScript.Sources([.. _script.Chunks, new Chunk("run", "<run>", $"let __duration = {text}", null)]));
        if (!result.Success)
        {
            error = Language.Diagnostics.DiagnosticRenderer.Render(result.Diagnostics.Where(d => d.IsError));
            return null;
        }
        if (result.Model!.Constants.GetValueOrDefault("__duration") is IrConst { } c && c.Dimension == Dimension.Time && c.Value >= 0)
            return c.Value;
        error = $"'{text}' is not a duration; write it with a time unit, e.g. run 100<ms>\n";
        return null;
    }

    /// <summary><c>run T</c> runs now; <c>run T &amp;</c> runs in the background while the prompt stays usable.</summary>
    private ReplOutcome StartRun(string durationText, bool background)
    {
        if (Seconds(durationText, out var error) is not { } seconds)
            return new ReplOutcome(error!, IsError: true);
        if (_network is null)
            return new ReplOutcome("nothing to run yet: declare a population first\n", IsError: true);
        if (IsRunning)
            return new ReplOutcome("a run is already going on; ':stop' stops it\n", IsError: true);
        var steps = (long)Math.Round(seconds / _network.Dt);
        if (background)
        {
            Launch(_network.Step + steps);
            return new ReplOutcome($"running {UnitTable.Pretty(seconds, Dimension.Time)} in the background; ':time' shows progress, ':stop' stops it\n");
        }
        _cancel = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        try
        {
            var done = _network.Run(steps, _cancel.Token);
            _lastRunWall = watch.Elapsed;
            return new ReplOutcome((done < steps ? $"stopped at t = {UnitTable.Pretty(_network.Time, Dimension.Time)}\n" : "") + Summary());
        }
        finally
        {
            _cancel.Dispose();
            _cancel = null;
        }
    }

    private void Launch(long targetStep)
    {
        _backgroundTarget = targetStep;
        _cancel = new CancellationTokenSource();
        var network = _network!;
        var token = _cancel.Token;
        var watch = Stopwatch.StartNew();
        _background = Task.Run(() =>
        {
            network.Run(targetStep - network.Step, token);
            _lastRunWall = watch.Elapsed;
        });
    }

    /// <summary>
    /// Runs <paramref name="change"/> with no run in flight: a background run is stopped at a step
    /// boundary and resumed afterwards (on the rebuilt network), so edits take effect at the next step.
    /// </summary>
    private void PauseWhile(Action change)
    {
        var resume = IsRunning;
        var target = _backgroundTarget;
        if (resume)
        {
            _cancel!.Cancel();
            _background!.Wait();
        }
        change();
        if (resume && _network is not null && _network.Step < target)
            Launch(target);
    }

    private string Summary()
    {
        var network = _network!;
        var lines = new System.Text.StringBuilder();
        lines.Append($"t = {UnitTable.Pretty(network.Time, Dimension.Time)} ({network.Step} steps; the last run took {_lastRunWall.TotalSeconds:0.###} s)\n");
        foreach (var g in network.Groups)
            lines.Append($"  {g.Name}: {g.TotalSpikes} spikes, {Rate(g, network):0.###} Hz\n");
        return lines.ToString();
    }

    /// <summary>Spikes per neuron per second since the group started counting (a population redefined with a new size starts afresh).</summary>
    private static double Rate(GroupRuntime g, Network network)
    {
        var seconds = (network.Step - g.CountingSince) * network.Dt;
        return seconds > 0 ? g.TotalSpikes / (g.Size * seconds) : 0;
    }

    public void Dispose()
    {
        Interrupt();
        try
        {
            _background?.Wait();
        }
        catch (AggregateException)
        {
        }
        _network?.Dispose();
    }
}
