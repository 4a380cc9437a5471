using System.Security.Cryptography;
using BioLang.Hosting;
using BioLang.Repl.Session;
using BioLang.Repl.Tests.Support;
using BioLang.Tests;

namespace BioLang.Repl.Tests.Hosting;

/// <summary>
/// Checkpoints: a restored run continues bit for bit as the run that was saved (plastic weights,
/// STDP traces, spikes in flight, Poisson generators, monitors), and a damaged or foreign file is
/// refused with a message and changes nothing.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan T2 = TimeSpan.FromMilliseconds(150);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CompiledModel Model { get; } = BioScript.Compile(Networks.Plastic);

    [Fact]
    public void RestoredRun_ContinuesBitForBitAsTheSavedOne()
    {
        var path = _dir.File("t1.ck");
        using var saved = Model.CreateSimulation(seed: 7);
        saved.Run(T1);
        var atSave = saved.Network.Capture().Copy();
        saved.SaveCheckpoint(path);
        saved.Run(T2);

        using var restored = Model.RestoreSimulation(path);
        restored.Steps.ShouldBe(1500);
        restored.Network.Capture().ShouldBeIdenticalTo(atSave);
        restored.Run(T2);

        // What the checkpoint had to carry to get this right was there to carry.
        ((int[])atSave.Entries["proj/inp->P/slots/items"]).Length.ShouldBeGreaterThan(0, "spikes in flight at the save");
        ((int[])atSave.Entries["proj/P->P/slots/items"]).Length.ShouldBeGreaterThan(0, "spikes in flight at the save");
        ((double[])atSave.Entries["proj/inp->P/var/apost"]).ShouldContain(x => x != 0, "STDP traces");
        saved.Network.Spikes("P").Count(s => s.Step >= 1500).ShouldBeGreaterThan(300);

        restored.Network.Spikes("P").ShouldBe(saved.Network.Spikes("P"));
        restored.Network.Capture().ShouldBeIdenticalTo(saved.Network.Capture());
        restored.Projection("inp->P").Read("w").ShouldBe(saved.Projection("inp->P").Read("w"));
        restored.Population("P").Read("v").ShouldBe(saved.Population("P").Read("v"));
    }

    /// <summary>In single precision the synaptic state and last-event steps live in one packed record per synapse; they travel all the same.</summary>
    [Fact]
    public void SinglePrecision_RestoredRunContinuesBitForBit()
    {
        var model = BioScript.Compile(Networks.Plastic + "\nprecision = single\n");
        var path = _dir.File("single.ck");
        using var saved = model.CreateSimulation(seed: 7);
        saved.Run(T1);
        var atSave = saved.Network.Capture().Copy();
        saved.SaveCheckpoint(path);
        saved.Run(T2);

        using var restored = model.RestoreSimulation(path);
        restored.Network.Capture().ShouldBeIdenticalTo(atSave);
        ((int[])atSave.Entries["proj/inp->P/lastUpdate"]).Max().ShouldBeGreaterThan(1000, "last-event steps");
        ((double[])atSave.Entries["proj/inp->P/var/apre"]).ShouldContain(x => x != 0, "STDP traces");
        restored.Run(T2);

        restored.Network.Spikes("P").ShouldBe(saved.Network.Spikes("P"));
        restored.Network.Capture().ShouldBeIdenticalTo(saved.Network.Capture());
        restored.Projection("inp->P").Read("w").ShouldBe(saved.Projection("inp->P").Read("w"));
    }

    /// <summary>Saving reads the network and changes nothing in it: a run saved half-way equals one that was never saved.</summary>
    [Fact]
    public void Saving_DoesNotDisturbTheRun()
    {
        using var saved = Model.CreateSimulation(seed: 7);
        saved.Run(T1);
        saved.SaveCheckpoint(_dir.File("t1.ck"));
        saved.Run(T2);

        using var straight = Model.CreateSimulation(seed: 7);
        straight.Run(T1 + T2);

        saved.Network.Capture().ShouldBeIdenticalTo(straight.Network.Capture());
        // The weights learnt on the way are part of what is compared.
        saved.Projection("inp->P").Read("w").ShouldNotBe(Model.CreateSimulation(seed: 7).Projection("inp->P").Read("w"));
    }

    [Fact]
    public void SameState_GivesTheSameBytes()
    {
        using var sim = Model.CreateSimulation(seed: 7);
        sim.Run(T1);
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        sim.SaveCheckpoint(first);
        sim.SaveCheckpoint(second);
        sim.SaveCheckpoint(_dir.File("t1.ck"));

        second.ToArray().ShouldBe(first.ToArray());
        File.ReadAllBytes(_dir.File("t1.ck")).ShouldBe(first.ToArray());
    }

    /// <summary>The REPL's :save and :restore carry the same state as the API's.</summary>
    [Fact]
    public void ReplSaveAndRestore_RoundTripBitForBit()
    {
        var path = _dir.File("repl.ck");
        using var session = new ReplSession();
        session.Type(Networks.Plastic);
        session.Type("P.tau <- 12<ms>");
        session.Type("run 150<ms>");
        session.Type($":save {path}");
        session.Type("run 150<ms>");
        var continued = session.Network!.Capture().Copy();

        session.Type(Networks.StrongerSynapses);
        session.Type($":restore {path}").ShouldBe($"restored t = 150 ms from {path}\n");
        session.Type("run 150<ms>");

        session.Network!.Capture().ShouldBeIdenticalTo(continued);
        // The parameter typed at the prompt travelled with the checkpoint, the later edit did not.
        session.Type(":inspect P").ShouldContain("tau        12 ms");
        session.Type(":script").ShouldContain("parameters scale = 1\n");
    }

    /// <summary>Damaged or foreign files, and the message each must give.</summary>
    public static TheoryData<string, string> Damages => new()
    {
        { "flipped byte in the state", "checksum does not match" },
        { "flipped byte in the digest", "checksum does not match" },
        { "truncated by 100 bytes", "truncated" },
        { "truncated to 24 bytes", "truncated" },
        { "truncated to 5 bytes", "not a BioLang checkpoint" },
        { "empty", "not a BioLang checkpoint" },
        { "version 2", "format version 2; this BioLang reads version 1" },
        { "a script instead", "not a BioLang checkpoint" },
    };

    private byte[] Damage(string damage)
    {
        using var sim = Model.CreateSimulation(seed: 7);
        sim.Run(TimeSpan.FromMilliseconds(20));
        using var stream = new MemoryStream();
        sim.SaveCheckpoint(stream);
        var bytes = stream.ToArray();
        switch (damage)
        {
            case "flipped byte in the state":
                bytes[bytes.Length / 2] ^= 0x10;
                return bytes;
            case "flipped byte in the digest":
                bytes[^1] ^= 0x01;
                return bytes;
            case "truncated by 100 bytes":
                return bytes[..^100];
            case "truncated to 24 bytes":
                return bytes[..24];
            case "truncated to 5 bytes":
                return bytes[..5];
            case "empty":
                return [];
            case "version 2":
            {
                // A well-formed file of another format version: the digest is right, only the version is not.
                var magic = "BIOLANG-CHECKPOINT".Length;
                BitConverter.TryWriteBytes(bytes.AsSpan(magic, 4), 2).ShouldBeTrue();
                SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes.AsSpan(bytes.Length - 32));
                return bytes;
            }
            default:
                return System.Text.Encoding.UTF8.GetBytes(Networks.Plastic);
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void DamagedCheckpoint_IsRefusedByTheApi(string damage, string message)
    {
        var path = _dir.File("damaged.ck");
        File.WriteAllBytes(path, Damage(damage));

        var e = Should.Throw<InvalidDataException>(() => Model.RestoreSimulation(path));

        e.Message.ShouldContain(message);
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void DamagedCheckpoint_IsRefusedByTheReplAndChangesNothing(string damage, string message)
    {
        var path = _dir.File("damaged.ck");
        File.WriteAllBytes(path, Damage(damage));
        using var session = new ReplSession();
        session.Type(Networks.Plastic.Replace("let P = population 100 Lif", "let P = population 10 Lif"));
        session.Type("run 10<ms>");
        var before = session.Network!.Capture().Copy();
        var script = session.Type(":script");

        session.TypeBad($":restore {path}").ShouldBe($"error: {ExpectedMessage(message, damage)}\n");

        session.Network!.Capture().ShouldBeIdenticalTo(before);
        session.Type(":script").ShouldBe(script);
    }

    private static string ExpectedMessage(string part, string damage) => damage switch
    {
        "version 2" => "the checkpoint has format version 2; this BioLang reads version 1",
        "truncated to 24 bytes" => "the checkpoint is truncated",
        _ when part == "not a BioLang checkpoint" => "not a BioLang checkpoint (the file does not start with the checkpoint marker)",
        _ => "the checkpoint is corrupt or truncated (its checksum does not match)",
    };

    /// <summary>A save that cannot be written fails with a message and leaves its target as it was, with no temporary file beside it.</summary>
    [Fact]
    public void FailedSave_LeavesTheTargetAsItWas()
    {
        var target = Directory.CreateDirectory(_dir.File("occupied.ck")).FullName;
        File.WriteAllText(Path.Combine(target, "inside.txt"), "kept");
        using var sim = Model.CreateSimulation(seed: 7);
        sim.Run(TimeSpan.FromMilliseconds(10));

        Should.Throw<IOException>(() => sim.SaveCheckpoint(target));

        using var session = new ReplSession();
        session.Type("open Neurons\nlet P = population 2 Lif");
        session.TypeBad($":save {target}").ShouldStartWith($"error: cannot save a checkpoint to '{target}': ");
        var blocked = _dir.Write("file", "a file, not a folder");
        var inside = Path.Combine(blocked, "x.ck");
        session.TypeBad($":save {inside}").ShouldStartWith($"error: cannot save a checkpoint to '{inside}': ");

        Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order().ShouldBe(["file", "occupied.ck"]);
        Directory.GetFileSystemEntries(target).Select(Path.GetFileName).ShouldBe(["inside.txt"]);
        File.ReadAllText(blocked).ShouldBe("a file, not a folder");
    }

    /// <summary>A save over an existing checkpoint replaces it whole.</summary>
    [Fact]
    public void SaveOverAnExistingCheckpoint_ReplacesIt()
    {
        var path = _dir.File("t.ck");
        using var sim = Model.CreateSimulation(seed: 7);
        sim.Run(TimeSpan.FromMilliseconds(10));
        sim.SaveCheckpoint(path);
        sim.Run(TimeSpan.FromMilliseconds(10));

        sim.SaveCheckpoint(path);

        using var restored = Model.RestoreSimulation(path);
        restored.Steps.ShouldBe(200);
        Directory.GetFiles(_dir.Path).Select(Path.GetFileName).ShouldBe(["t.ck"]);
    }
}
