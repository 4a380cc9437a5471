using System.Text;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Semantics;
using BioLang.Runtime.CodeGen;

namespace BioLang.Runtime.Engine;

/// <summary>
/// What a network will need before anything is allocated, so a network that cannot fit is refused
/// with the estimate instead of dying halfway through a build.
/// </summary>
internal static class MemoryEstimate
{
    /// <summary>Bytes per synapse while building: the row lists (amortised doubling), post and pre indices, the delay.</summary>
    private const double BuildBytesPerSynapse = 2 * sizeof(int) + sizeof(int) + sizeof(int) + sizeof(int);

    public static (long Bytes, string Breakdown) Estimate(ModelIR model)
    {
        var sb = new StringBuilder();
        double total = 0;
        foreach (var p in model.Populations)
        {
            var vars = p is NeuronGroupIR g ? g.Model.State.Length : 0;
            var bytes = (double)p.Size * (vars * sizeof(double) + sizeof(long) + 2 * sizeof(int));
            total += bytes;
            sb.Append($"  population {p.Name}: {p.Size:N0} neurons, {Format(bytes)}\n");
        }
        foreach (var p in model.Projections)
        {
            var synapses = ExpectedSynapses(p);
            var bytes = synapses * (BuildBytesPerSynapse + p.Synapse.State.Length * sizeof(double));
            total += bytes;
            sb.Append($"  projection {p.Name}: about {synapses:N0} synapses, {Format(bytes)}\n");
        }
        return ((long)Math.Min(total, long.MaxValue), sb.ToString());
    }

    /// <summary>Expected synapse count; a rule that depends on (i, j) is sampled on a grid of pairs.</summary>
    public static double ExpectedSynapses(ProjectionIR p)
    {
        double nPre = p.Pre.Count, nPost = p.Post.Count;
        switch (p.Rule)
        {
            case AllToAllRule: return nPre * nPost;
            case OneToOneRule: return nPre;
            case FixedIndegreeRule k: return k.K * nPost;
            case FixedOutdegreeRule k: return k.K * nPre;
            case PairsRule pairs: return pairs.Pairs.Length;
            case ProbabilityRule { P: var expr } when Folder.Evaluate(expr) is { } constant: return constant * nPre * nPost;
        }
        var condition = p.Rule switch
        {
            ProbabilityRule r => r.P,
            PredicateRule r => r.Condition,
            _ => null,
        };
        if (condition is null)
            return nPre * nPost;
        var f = new Interpreter().Pair(Folder.Fold(condition), 1, 1, "estimate");
        const int grid = 48;
        double sum = 0;
        var samples = 0;
        for (var a = 0; a < grid; a++)
        for (var b = 0; b < grid; b++)
        {
            var i = (int)((a + 0.5) * nPre / grid);
            var j = (int)((b + 0.5) * nPost / grid);
            sum += Math.Clamp(f(i, j), 0, 1);
            samples++;
        }
        return sum / samples * nPre * nPost;
    }

    public static string Format(double bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (1 << 30):0.##} GiB" : bytes >= 1 << 20 ? $"{bytes / (1 << 20):0.#} MiB" : $"{bytes / 1024:0.#} KiB";

    /// <summary>Refuses a network whose estimate exceeds what this process can still allocate.</summary>
    public static void Check(ModelIR model, long? availableOverride = null)
    {
        // Synapses are indexed by int: a bigger projection would overflow after its rows were drawn, however much memory there is.
        foreach (var p in model.Projections)
        {
            var synapses = ExpectedSynapses(p);
            if (synapses > Array.MaxLength)
                throw new SimulationException(new Diagnostic(DiagnosticCodes.OutOfMemory, Severity.Error, p.Span,
                    $"projection {p.Name} would have about {synapses:N0} synapses, more than the {Array.MaxLength:N0} one projection can hold; nothing was allocated. Split it into several connections between slices."));
        }
        var (bytes, breakdown) = Estimate(model);
        // The heap's size counts garbage not yet collected (a network built and dropped a moment ago): collect before refusing.
        static long Available(bool collect) => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(collect);
        var available = availableOverride ?? Available(collect: false);
        if (bytes > available * 0.9 && availableOverride is null)
            available = Available(collect: true);
        if (bytes <= available * 0.9)
            return;
        var message = $"the network needs an estimated {Format(bytes)}, but only {Format(available)} is available; nothing was allocated.\n{breakdown.TrimEnd()}";
        throw new SimulationException(new Diagnostic(DiagnosticCodes.OutOfMemory, Severity.Error, null, message));
    }
}
