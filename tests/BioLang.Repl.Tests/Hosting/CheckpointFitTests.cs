using BioLang.Hosting;
using BioLang.Repl.Session;
using BioLang.Repl.Tests.Support;
using BioLang.Tests;

namespace BioLang.Repl.Tests.Hosting;

/// <summary>
/// A checkpoint restored into a model other than the one that saved it. What matches (name and
/// shape) carries over and the rest is listed; a checkpoint that shares nothing with the model, or
/// was saved with another dt, is refused with a message saying what does not match, and changes
/// nothing (it used to succeed silently: the model's initial values, at the checkpoint's time).
/// </summary>
public sealed class CheckpointFitTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary><see cref="Networks.Plastic"/> with a population Q of <paramref name="q"/> neurons, run for 50 ms and saved.</summary>
    private string Saved(int q = 50, string extra = "")
    {
        var path = _dir.File($"plastic-{q}.ck");
        using var sim = BioScript.Compile(Networks.Plastic + $"\nlet Q = population {q} Lif\n{extra}").CreateSimulation(seed: 3);
        sim.Run(TimeSpan.FromMilliseconds(50));
        sim.SaveCheckpoint(path);
        return path;
    }

    [Fact]
    public void UnrelatedModel_IsRefusedByTheApi_SayingWhatDoesNotMatch()
    {
        var path = Saved();
        var other = BioScript.Compile("open Neurons\nopen Synapses\nlet B = population 7 Lif\nlet C = poisson 3 10<Hz>\nconnect C -> B with Delta all_to_all\n");

        var e = Should.Throw<InvalidDataException>(() => other.RestoreSimulation(path));

        e.Message.ShouldStartWith("the checkpoint does not fit this model: no population or projection has the same name and shape (the checkpoint has ");
        e.Message.ShouldContain("population P (100 neurons)");
        e.Message.ShouldContain("population Q (50 neurons)");
        e.Message.ShouldContain("projection inp->P (");
        e.Message.ShouldEndWith("; this model has population B (7 neurons), population C (3 neurons), projection C->B (21 synapses))");
    }

    /// <summary>The same names with other shapes share nothing either.</summary>
    [Fact]
    public void SameNamesOtherShapes_AreRefused()
    {
        var path = Saved();
        var resized = BioScript.Compile(Networks.Plastic.Replace("poisson 200", "poisson 201").Replace("poisson 20 ", "poisson 21 ").Replace("population 100", "population 101") + "\nlet Q = population 51 Lif\n");

        Should.Throw<InvalidDataException>(() => resized.RestoreSimulation(path)).Message
            .ShouldContain("no population or projection has the same name and shape");
    }

    /// <summary>Step counts, delays and spike times mean other times under another dt.</summary>
    [Fact]
    public void AnotherDt_IsRefused()
    {
        var path = Saved();
        var finer = BioScript.Compile(Networks.Plastic + "\nlet Q = population 50 Lif\ndt = 0.05<ms>\n");

        Should.Throw<InvalidDataException>(() => finer.RestoreSimulation(path)).Message
            .ShouldBe("the checkpoint does not fit this model: the checkpoint was saved with dt = 100 us, this model has dt = 50 us");
    }

    /// <summary>The edit-and-continue case: most shapes match; what does not starts afresh and is listed, the rest continues exactly.</summary>
    [Fact]
    public void PartialMatch_CarriesWhatFits_AndListsTheRest()
    {
        var path = Saved(extra: "let Gone = population 4 Lif\n");
        using var saved = BioScript.Compile(Networks.Plastic + "\nlet Q = population 50 Lif\nlet Gone = population 4 Lif\n").RestoreSimulation(path);
        var edited = BioScript.Compile(Networks.Plastic + "\nlet Q = population 60 Lif\nlet R = population 10 Lif\n");

        using var restored = edited.RestoreSimulation(path);

        saved.NotCarried.ShouldBeEmpty();
        restored.NotCarried.ShouldBe(["population Q (size 50 → 60)", "population R (not in the checkpoint)", "population Gone (only in the checkpoint)"]);
        restored.Steps.ShouldBe(500);
        restored.Population("P").Read("v").ShouldBe(saved.Population("P").Read("v"));
        restored.Projection("inp->P").Read("w").ShouldBe(saved.Projection("inp->P").Read("w"));
    }

    /// <summary>Variables the checkpoint does not have (a model with a new state variable) are listed by population.</summary>
    [Fact]
    public void NewStateVariable_IsListed()
    {
        var path = Saved();
        var counting = BioScript.Compile(Networks.Plastic.Replace("        I = 0<mV>\n", "        I = 0<mV>\n        n = 0\n").Replace("        v <- v_rest\n", "        v <- v_rest\n        n += 1\n")
                                         + "\nlet Q = population 50 Lif\n");

        using var restored = counting.RestoreSimulation(path);

        restored.NotCarried.ShouldBe(["population P: n (not in the checkpoint)", "population Q: n (not in the checkpoint)"]);
    }

    /// <summary>
    /// The REPL restores a checkpoint with its own script; when a file that script opens has since
    /// changed, the restore says what no longer fits, or, when nothing does, refuses and leaves the
    /// session exactly as it was.
    /// </summary>
    [Fact]
    public void Repl_RestoreWhoseOpenedFileChanged_SaysWhatDidNotCarry_OrRefuses()
    {
        var net = _dir.Write("net.bnn", Networks.Plastic + "\nlet Q = population 50 Lif\n");
        var path = _dir.File("repl.ck");
        using (var saving = new ReplSession())
        {
            saving.Type($"open \"{net}\"");
            saving.Type("run 50<ms>");
            saving.Type($":save {path}");
        }

        File.WriteAllText(net, Networks.Plastic + "\nlet Q = population 60 Lif\n");
        using var session = new ReplSession();
        session.Type($":restore {path}").ShouldBe($"restored t = 50 ms from {path}; not carried: population Q (size 50 → 60)\n");

        File.WriteAllText(net, "open Neurons\nlet B = population 7 Lif\n");
        session.Type("run 10<ms>");
        var before = session.Network!.Capture().Copy();
        var script = session.Type(":script");

        var refusal = session.TypeBad($":restore {path}");

        refusal.ShouldStartWith($"error: cannot restore '{path}': the checkpoint does not fit the model its script builds now: no population or projection has the same name and shape (the checkpoint has ");
        refusal.ShouldEndWith("; this model has population B (7 neurons))\n");
        session.Network!.Capture().ShouldBeIdenticalTo(before);
        session.Type(":script").ShouldBe(script);
        session.Type(":time").ShouldStartWith("t = 60 ms (600 steps");
    }
}
