using BioLang.Language.IR;
using BioLang.Runtime.Engine;

namespace BioLang.Repl.Session;

/// <summary>
/// What declaring a population (or a named connection) again does to its state. The user who
/// writes <c>let P = population 100 Lif (v = -70&lt;mV&gt;)</c> where P had other initial values means
/// them: each state variable whose initialiser changed starts from its new initial value, and every
/// other one keeps its state, as in any live edit. Only a declaration typed again does this, and
/// only when its text changed: redefining the model a population uses (or reloading a file whose
/// population lines did not change) keeps the state wherever the shapes match, which is the
/// edit-and-continue contract (an edit is the state restored into the edited model).
/// </summary>
internal sealed record Reinitialisation(string Name, string Prefix, IReadOnlyList<string> Fresh, IReadOnlyList<string> Others)
{
    /// <summary>The re-declarations among <paramref name="changes"/> that change some initial value, from the model before to the model after.</summary>
    public static List<Reinitialisation> Of(IEnumerable<Chunk> changes, IReadOnlyList<Chunk> before, ModelIR? old, ModelIR next)
    {
        var result = new List<Reinitialisation>();
        if (old is null)
            return result;
        foreach (var change in changes)
        {
            if (!change.Key.StartsWith("name:", StringComparison.Ordinal)
                || before.FirstOrDefault(c => c.Key == change.Key) is not { } previous
                || Body(previous) == Body(change))
                continue;
            var name = change.Key["name:".Length..];
            // A population of another size starts afresh altogether.
            if (old.Populations.FirstOrDefault(p => p.Name == name)?.Size is { } size && next.Populations.FirstOrDefault(p => p.Name == name)?.Size is { } resized && size != resized)
                continue;
            if (States(old, name) is not var (was, _) || States(next, name) is not var (now, prefix))
                continue;
            var fresh = now.Where(v => was.Any(w => w.Name == v.Name && w.Dimension == v.Dimension && IrPrinter.Print(w.Init) != IrPrinter.Print(v.Init)))
                .Select(v => v.Name).ToList();
            if (fresh.Count > 0)
                result.Add(new Reinitialisation(name, prefix, fresh, [.. now.Select(v => v.Name).Except(fresh)]));
        }
        return result;
    }

    /// <summary>The state variables of the population or projection <paramref name="name"/>, and where the state bag keeps them.</summary>
    private static (IReadOnlyList<StateVarIR> State, string Prefix)? States(ModelIR model, string name) =>
        model.Populations.FirstOrDefault(p => p.Name == name) is NeuronGroupIR g ? (g.Model.State, $"pop/{name}")
        : model.Projections.FirstOrDefault(p => p.Name == name) is { } p ? (p.Synapse.State, $"proj/{name}")
        : null;

    /// <summary>A declaration's text without the blank lines and columns that keep it at its place in a file.</summary>
    private static string Body(Chunk chunk) => chunk.Text.TrimStart('\n', ' ');

    /// <summary>Leaves the fresh variables out of the state to carry, so the new network starts them from their initial values.</summary>
    public void Apply(StateBag carry)
    {
        foreach (var variable in Fresh)
            carry.Remove($"{Prefix}/var/{variable}");
    }

    /// <summary>What the echo adds: "; v starts from its new initial value, I keeps its value" (the kept ones as the new network carried them).</summary>
    public string Describe(CarryReport? carried)
    {
        var kept = Others.Where(v => carried?.CarriedVariable($"{Prefix}/var/{v}") == true).ToList();
        return $"; {string.Join(", ", Fresh)} {(Fresh.Count == 1 ? "starts from its new initial value" : "start from their new initial values")}"
               + (kept.Count == 0 ? "" : $", {string.Join(", ", kept)} {(kept.Count == 1 ? "keeps its value" : "keep their values")}");
    }
}
