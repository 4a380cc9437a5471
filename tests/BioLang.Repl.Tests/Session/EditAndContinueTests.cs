using BioLang.Hosting;
using BioLang.Repl.Session;
using BioLang.Repl.Tests.Support;
using BioLang.Tests;

namespace BioLang.Repl.Tests.Session;

/// <summary>
/// A live edit is a restart from a checkpoint with the new model: running A for T1, editing and
/// running T2 must give, bit for bit, what restoring A's checkpoint at T1 into the edited model and
/// running T2 gives, whether the restore goes through the embedding API or the REPL's :restore.
/// </summary>
public sealed class EditAndContinueTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The edits, as typed at the prompt: a synapse model redefined (a parameter of it) and a population parameter set.</summary>
    private static readonly string[] Edits = [Networks.StrongerSynapses, "P.tau <- 15<ms>"];

    /// <summary>The same edits written into the script, for the embedding API.</summary>
    private static readonly string EditedScript = Networks.Plastic
        .Replace("parameters scale = 1\n", "parameters scale = 1.5\n")
        .Replace("let P = population 100 Lif", "let P = population 100 Lif (tau = 15<ms>)");

    [Fact]
    public void EditAndContinue_EqualsRestoreFromCheckpointIntoTheEditedModel()
    {
        EditedScript.ShouldNotBe(Networks.Plastic);
        var checkpoint = _dir.File("t1.ck");

        // (a) Run A for 150 ms, save, edit, run 150 ms more.
        using var live = new ReplSession();
        live.Type(Networks.Plastic);
        live.Type("run 150<ms>");
        live.Type($":save {checkpoint}");
        foreach (var edit in Edits)
            live.Type(edit);
        live.Type("run 150<ms>");

        // (b) The embedding API: restore the checkpoint into the edited model, run 150 ms.
        using var restored = BioScript.Compile(EditedScript).RestoreSimulation(checkpoint);
        restored.Steps.ShouldBe(1500);
        restored.Run(TimeSpan.FromMilliseconds(150));

        // (c) The REPL: a new session restores the checkpoint, the same edits, 150 ms.
        using var replayed = new ReplSession();
        replayed.Type($":restore {checkpoint}");
        foreach (var edit in Edits)
            replayed.Type(edit);
        replayed.Type("run 150<ms>");

        var spikes = live.Network!.Spikes("P");
        spikes.Count(s => s.Step >= 1500).ShouldBeGreaterThan(300);
        restored.Network.Spikes("P").ShouldBe(spikes);
        replayed.Network!.Spikes("P").ShouldBe(spikes);
        restored.Network.Capture().ShouldBeIdenticalTo(live.Network!.Capture());
        replayed.Network!.Capture().ShouldBeIdenticalTo(live.Network!.Capture());
    }

    /// <summary>The control: the edits change what happens after T1, so the equality above is not that of two unedited runs.</summary>
    [Fact]
    public void TheEdits_ChangeTheSpikesAfterTheEdit()
    {
        using var edited = new ReplSession();
        using var unedited = new ReplSession();
        foreach (var s in new[] { edited, unedited })
        {
            s.Type(Networks.Plastic);
            s.Type("run 150<ms>");
        }
        foreach (var edit in Edits)
            edited.Type(edit);
        edited.Type("run 150<ms>");
        unedited.Type("run 150<ms>");

        var before = unedited.Network!.Spikes("P").Where(s => s.Step < 1500).ToArray();
        edited.Network!.Spikes("P").Where(s => s.Step < 1500).ShouldBe(before);
        var after = edited.Network!.Spikes("P").Count(s => s.Step >= 1500);
        // Stronger synapses and a longer membrane time constant: more spikes.
        after.ShouldBeGreaterThan((int)(1.2 * unedited.Network!.Spikes("P").Count(s => s.Step >= 1500)));
    }

    /// <summary>What a live edit keeps: the synaptic weights learnt so far, and the membrane potentials, not the model's initial values.</summary>
    [Fact]
    public void RedefiningTheSynapseModel_KeepsTheLearntWeightsAndTheMembranePotentials()
    {
        using var session = new ReplSession();
        session.Type(Networks.Plastic);
        session.Type("run 150<ms>");
        var network = session.Network!;
        var weights = ((double[])network.Capture().Entries["proj/inp->P/var/w"]).ToArray();
        var v = network.Var("P", "v").ToArray();

        session.Type(Networks.StrongerSynapses);

        session.Network.ShouldNotBeSameAs(network);
        ((double[])session.Network!.Capture().Entries["proj/inp->P/var/w"]).ShouldBe(weights);
        session.Network!.Var("P", "v").ShouldBe(v);
        session.Network!.Step.ShouldBe(1500);
    }

    /// <summary>
    /// A population declared again with a new initialiser means it: that variable starts from the
    /// new initial value (it used to keep its state, and the new value was silently ignored); the
    /// variables whose initialisers did not change, the weights and the time carry on.
    /// </summary>
    [Fact]
    public void PopulationDeclaredAgainWithANewInitialValue_StartsThatVariableFromIt()
    {
        using var session = new ReplSession();
        session.Type(Networks.Plastic);
        session.Type("run 50<ms>");
        var before = session.Network!.Capture().Copy();

        session.Type("let P = population 100 Lif (v = -70<mV>)")
            .ShouldBe("P: 100 x Lif (exact); v starts from its new initial value, I keeps its value\n");

        var after = session.Network!.Capture();
        session.Network!.Var("P", "v").ShouldAllBe(v => v == -0.07);
        after.ShouldBeIdenticalTo(before, "pop/P/var/v");
        session.Network!.Step.ShouldBe(500);
    }

    /// <summary>The same for a named connection: a new initial weight is applied to the synapses it keeps.</summary>
    [Fact]
    public void ConnectionDeclaredAgainWithANewInitialWeight_StartsTheWeightsFromIt()
    {
        using var session = new ReplSession();
        session.Type(Networks.Plastic);
        session.Type("let extra = connect wave -> P with Exc fixed_indegree 3");
        session.Type("run 50<ms>");
        var before = session.Network!.Capture().Copy();

        session.Type("let extra = connect wave -> P with Exc (w = 2<mV>) fixed_indegree 3")
            .ShouldBe("extra defined; w starts from its new initial value\n");

        var after = session.Network!.Capture();
        ((double[])after.Entries["proj/extra/var/w"]).ShouldAllBe(w => w == 0.002);
        after.ShouldBeIdenticalTo(before, "proj/extra/var/w");
    }

    /// <summary>Redefining the model the population uses is a live edit, whatever its initialisers say: the state carries on.</summary>
    [Fact]
    public void ModelRedefinedWithANewInitialValue_KeepsTheState()
    {
        using var session = new ReplSession();
        session.Type(Networks.Plastic);
        session.Type("run 50<ms>");
        var v = session.Network!.Var("P", "v").ToArray();

        session.Type(Networks.Plastic[Networks.Plastic.IndexOf("neuron Lif =")..Networks.Plastic.IndexOf("synapse Exc =")].Replace("v = uniform (-65<mV>) (-50<mV>)", "v = -70<mV>"))
            .ShouldBe("Lif defined\n");

        session.Network!.Var("P", "v").ShouldBe(v);
    }
}
