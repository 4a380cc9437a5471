using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using BioLang.Repl.Session;
using BioLang.Repl.Terminal;

namespace BioLang.Repl.Tests.Transcripts;

/// <summary>
/// REPL transcripts as golden files (as tests/BioLang.Language.Tests/Golden/GoldenFile.cs): a
/// <c>.repl</c> file holds what the user types, one line at a time, and the <c>.out</c> next to it
/// the whole session as a terminal shows it (each input after its prompt, then what came back).
/// With BIOLANG_BLESS=1 the test writes the <c>.out</c> instead of comparing it; the diff is the
/// review. See README.md in this folder for the format.
/// </summary>
internal static partial class TranscriptFile
{
    public static bool Blessing => Environment.GetEnvironmentVariable("BIOLANG_BLESS") == "1";

    /// <summary>This folder in the source tree, so blessing rewrites the checked-in files.</summary>
    public static string Root { get; } = Path.GetDirectoryName(ThisFile())!;

    private static string ThisFile([CallerFilePath] string path = "") => path;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Root, "*.repl").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    /// <summary>
    /// Plays <paramref name="file"/> through the pipe adapter (<see cref="ReplLoop"/> with plain
    /// lines), checks its hand-written expectations, and returns the transcript.
    /// </summary>
    public static string Play(string file, string tempDirectory)
    {
        var lines = File.ReadAllText(Path.Combine(Root, file)).Replace("\r\n", "\n").TrimEnd('\n').Split('\n')
            .Select(l => l.Replace("$TMP", tempDirectory)).ToList();
        var transcript = new StringWriter { NewLine = "\n" };
        var reader = new ScriptedReader(lines, transcript);
        using var session = new ReplSession(new ReplOptions { PlotDirectory = Path.Combine(tempDirectory, "plots") });
        var exit = ReplLoop.Run(session, reader, transcript, reader.Errors);
        reader.Finish();
        exit.ShouldBe(0);
        return Normalize(transcript.ToString(), tempDirectory);
    }

    /// <summary>The one part of the REPL's output that changes from run to run: wall times.</summary>
    [GeneratedRegex(@"the last run took \d+(\.\d+)? s")]
    private static partial Regex WallTime();

    /// <summary>Wall times become "N s", the temporary folder "$TMP".</summary>
    public static string Normalize(string text, string tempDirectory) => WithoutWallTimes(text.Replace("\r\n", "\n")).Replace(tempDirectory, "$TMP");

    public static string WithoutWallTimes(string text) => WallTime().Replace(text, "the last run took N s");

    public static void Verify(string file, string actual)
    {
        var expectedPath = Path.Combine(Root, Path.ChangeExtension(file, ".out"));
        if (Blessing)
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }
        File.Exists(expectedPath).ShouldBeTrue($"{expectedPath} is missing; run the tests with BIOLANG_BLESS=1 to create it, then read it");
        var expected = File.ReadAllText(expectedPath).Replace("\r\n", "\n");
        if (expected != actual)
            throw new Xunit.Sdk.XunitException($"{Path.GetFileName(expectedPath)} differs from the session:\n{FirstDifference(expected, actual)}\n--- actual ---\n{actual}");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var x = i < e.Length ? e[i] : "<end of file>";
            var y = i < a.Length ? a[i] : "<end of file>";
            if (x != y)
                return $"line {i + 1}\n  expected: {x}\n  actual:   {y}";
        }
        return "(no line differs)";
    }

    /// <summary>
    /// Feeds the lines to the loop as a user would type them, echoing each after its prompt, and
    /// checks each input's <c>## expect:</c> lines against what it printed once the loop asks for
    /// the next input.
    /// </summary>
    private sealed class ScriptedReader(List<string> lines, StringWriter transcript) : IInputReader
    {
        private int _next;
        private int _outputStart;
        private int _inputLine;
        private string _input = "";
        private readonly List<(string Text, bool Error)> _expected = [];
        private readonly List<(string Text, bool Error)> _pending = [];

        /// <summary>Standard error: it goes into the transcript too, and is remembered per input.</summary>
        public ErrorWriter Errors { get; } = new(transcript);

        public string? ReadLine(bool continuation)
        {
            if (!continuation)
                CheckLastInput();
            while (_next < lines.Count && lines[_next].StartsWith("##", StringComparison.Ordinal))
            {
                var note = lines[_next++];
                transcript.Write(note + "\n");
                if (Expectation().Match(note) is { Success: true } m)
                    _pending.Add((m.Groups[2].Value.Trim(), m.Groups[1].Success));
            }
            if (_next >= lines.Count)
                return null;
            var line = lines[_next++];
            transcript.Write((continuation ? "...> " : "bnn> ") + line + "\n");
            // A blank line at the prompt is no input: the expectations wait for the next one.
            if (!continuation && line.Trim().Length > 0)
            {
                _inputLine = _next;
                _input = line;
                _expected.Clear();
                _expected.AddRange(_pending);
                _pending.Clear();
                Errors.Written = false;
            }
            _outputStart = transcript.GetStringBuilder().Length;
            return line;
        }

        /// <summary>The next line that is not a note, as a pipe would give it next.</summary>
        public string? PeekLine() => lines.Skip(_next).FirstOrDefault(l => !l.StartsWith("##", StringComparison.Ordinal));

        public void Remember(string entry)
        {
        }

        /// <summary>After the last input: its expectations, and none left without an input.</summary>
        public void Finish()
        {
            CheckLastInput();
            _pending.ShouldBeEmpty("'## expect' lines at the end of the file have no input to apply to");
        }

        private void CheckLastInput()
        {
            if (_inputLine == 0)
                return;
            var output = transcript.GetStringBuilder().ToString(_outputStart, transcript.GetStringBuilder().Length - _outputStart);
            var where = $"input at line {_inputLine} ('{_input}') printed:\n{output}";
            var wantsError = _expected.Any(e => e.Error);
            Errors.Written.ShouldBe(wantsError, (wantsError ? "expected an error on stderr; the " : "nothing expected on stderr; the ") + where);
            foreach (var (text, _) in _expected)
                output.ShouldContain(text, Case.Sensitive, where);
            _expected.Clear();
            _inputLine = 0;
        }
    }

    [GeneratedRegex(@"^## expect( error)?:(.*)$")]
    private static partial Regex Expectation();

    internal sealed class ErrorWriter(StringWriter transcript) : TextWriter
    {
        public bool Written { get; set; }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            Written = true;
            transcript.Write(value);
        }

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value))
                return;
            Written = true;
            transcript.Write(value);
        }
    }
}
