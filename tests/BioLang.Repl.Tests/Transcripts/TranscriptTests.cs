namespace BioLang.Repl.Tests.Transcripts;

/// <summary>Every <c>*.repl</c> session in this folder, played through the REPL, must print its <c>*.out</c> (README.md).</summary>
public sealed class TranscriptTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Cases => TranscriptFile.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void SessionPrintsItsTranscript(string file)
    {
        var transcript = TranscriptFile.Play(file, _dir.Path);

        TranscriptFile.Verify(file, transcript);
    }
}
