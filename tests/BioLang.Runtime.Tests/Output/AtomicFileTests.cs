using System.Text;
using BioLang.Runtime.Output;

namespace BioLang.Runtime.Tests.Output;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_CreatesMissingDirectoryAndLeavesOnlyTheTarget()
    {
        var path = Path.Combine(_dir.Path, "a", "b", "out.bin");

        AtomicFile.Write(path, s => s.Write([1, 2, 3]));

        File.ReadAllBytes(path).ShouldBe(new byte[] { 1, 2, 3 });
        Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Length.ShouldBe(1);
    }

    [Fact]
    public void Write_GoesThroughHiddenTempFileInTargetDirectory()
    {
        var path = _dir.File("out.txt");
        string[] seenDuringWrite = [];

        AtomicFile.Write(path, s =>
        {
            s.WriteByte((byte)'x');
            seenDuringWrite = _dir.Entries();
        });

        var temp = seenDuringWrite.ShouldHaveSingleItem();
        temp.ShouldStartWith(".");
        temp.ShouldEndWith(".tmp");
        _dir.Entries().ShouldBe(["out.txt"]);
    }

    [Fact]
    public void ThrowingWriter_LeavesNeitherTargetNorTempFile()
    {
        var path = _dir.File("out.bin");

        Should.Throw<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100_000]);
            throw new InvalidOperationException("boom");
        }));

        _dir.Entries().ShouldBeEmpty();
    }

    [Fact]
    public void ThrowingWriter_KeepsOldContentOfExistingTarget()
    {
        var path = _dir.File("out.txt");
        File.WriteAllText(path, "old");

        Should.Throw<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("new partial content"u8);
            throw new InvalidOperationException("boom");
        }));

        File.ReadAllText(path).ShouldBe("old");
        _dir.Entries().ShouldBe(["out.txt"]);
    }

    [Fact]
    public void Write_ReplacesExistingTarget()
    {
        var path = _dir.File("out.txt");
        File.WriteAllText(path, "old and longer");

        AtomicFile.WriteAllText(path, "new");

        File.ReadAllText(path).ShouldBe("new");
    }

    [Fact]
    public void WriterThatClosesTheStream_StillCommits()
    {
        var path = _dir.File("out.txt");

        AtomicFile.Write(path, s =>
        {
            using var writer = new StreamWriter(s);
            writer.Write("closed by writer");
        });

        File.ReadAllText(path).ShouldBe("closed by writer");
        _dir.Entries().ShouldBe(["out.txt"]);
    }

    [Fact]
    public void WriteAllText_IsUtf8WithoutByteOrderMark()
    {
        var path = _dir.File("out.txt");

        AtomicFile.WriteAllText(path, "µs");

        File.ReadAllBytes(path).ShouldBe(Encoding.UTF8.GetBytes("µs"));
        File.ReadAllBytes(path).Length.ShouldBe(3);
    }

    [Fact]
    public void UncommittedPendingFile_IsDiscarded()
    {
        var path = _dir.File("out.txt");

        using (var pending = AtomicFile.Begin(path))
            pending.Stream.WriteByte(1);

        _dir.Entries().ShouldBeEmpty();
    }
}
