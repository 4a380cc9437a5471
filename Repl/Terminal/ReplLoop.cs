using BioLang.Repl.Session;
using RadLine;
using Spectre.Console;

namespace BioLang.Repl.Terminal;

/// <summary>Where the REPL reads its input: a line editor on a terminal, or plain lines from a pipe.</summary>
internal interface IInputReader
{
    /// <summary>The next line, or null at the end of the input.</summary>
    string? ReadLine(bool continuation);

    /// <summary>
    /// The line <see cref="ReadLine"/> would return next, without taking it; null at the end of the
    /// input, and always null for a reader that cannot look ahead (a terminal: nothing is typed yet).
    /// </summary>
    string? PeekLine();

    void Remember(string entry);
}

/// <summary>
/// The REPL's loop: reads a whole input (continuing while it is incomplete), submits it to the
/// session, prints what comes back. Ctrl-C stops a run at a step boundary instead of ending the
/// program; a bad line prints its diagnostic and the loop goes on. An input ends, whole or not, at
/// an empty line, at the end of the input, or (when the reader can look ahead, as a pipe can) before
/// a line that starts a new input: an unclosed bracket is reported where it opened and the lines
/// after it still run, instead of being swallowed into the broken input.
/// </summary>
internal static class ReplLoop
{
    public static int Run(ReplSession session, IInputReader input, TextWriter output, TextWriter error)
    {
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            if (session.IsRunning)
            {
                e.Cancel = true;
                session.Interrupt();
            }
        }
        Console.CancelKeyPress += OnCancel;
        try
        {
            while (true)
            {
                var text = input.ReadLine(continuation: false);
                if (text is null)
                    return 0;
                while (!ReplSession.IsComplete(text))
                {
                    if (input.PeekLine() is { } next && ReplSession.EndsBefore(text, next))
                        break;
                    var more = input.ReadLine(continuation: true);
                    if (more is null || more.Trim().Length == 0)
                        break;
                    text += "\n" + more;
                }
                if (text.Trim().Length == 0)
                    continue;
                input.Remember(text);
                var outcome = session.Submit(text);
                (outcome.IsError ? error : output).Write(outcome.Output);
                output.Flush();
                if (outcome.Quit)
                    return 0;
            }
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }
}

/// <summary>Lines from a pipe or a file: no prompt, no editing; one line of look-ahead.</summary>
internal sealed class PlainReader(TextReader reader) : IInputReader
{
    private string? _next;
    private bool _peeked;

    public string? ReadLine(bool continuation)
    {
        var line = _peeked ? _next : reader.ReadLine();
        (_next, _peeked) = (null, false);
        return line;
    }

    public string? PeekLine()
    {
        if (!_peeked)
            (_next, _peeked) = (reader.ReadLine(), true);
        return _next;
    }

    public void Remember(string entry)
    {
    }
}

/// <summary>
/// A terminal: RadLine's line editor with history kept across sessions, completion of keywords,
/// commands and the names the script defines, and keywords highlighted.
/// </summary>
internal sealed class TerminalReader : IInputReader
{
    private readonly LineEditor _editor;
    private readonly LineEditor _continuation;
    private readonly string _historyFile;

    public TerminalReader(ReplSession session, string historyFile)
    {
        _historyFile = historyFile;
        var highlighter = new WordHighlighter();
        foreach (var word in new[] { "neuron", "rate", "synapse", "plasticity", "let", "open", "connect", "monitor", "run", "host", "with", "population", "poisson", "spike_times" })
            highlighter.AddWord(word, new Style(foreground: Color.Blue));
        foreach (var word in new[] { "parameters", "state", "equations", "spike", "when", "reset", "refractory", "method", "on", "pre", "post", "delay", "every", "summed" })
            highlighter.AddWord(word, new Style(foreground: Color.Green));
        _editor = new LineEditor(AnsiConsole.Console, null, null)
        {
            Completion = new Names(session),
            Highlighter = highlighter,
            Prompt = new LineEditorPrompt("bnn> ", "...> "),
        };
        _continuation = new LineEditor(AnsiConsole.Console, null, null)
        {
            Completion = new Names(session),
            Highlighter = highlighter,
            Prompt = new LineEditorPrompt("...> ", "...> "),
        };
        if (File.Exists(historyFile))
            foreach (var line in File.ReadLines(historyFile).TakeLast(500))
                _editor.History.Add(line.Replace("\\n", "\n"));
    }

    public static bool IsSupported => !Console.IsInputRedirected && !Console.IsOutputRedirected && LineEditor.IsSupported(AnsiConsole.Console);

    public string? ReadLine(bool continuation)
    {
        return (continuation ? _continuation : _editor).ReadLine(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>A terminal cannot look ahead: an open bracket keeps the input going until it is closed or an empty line ends it.</summary>
    public string? PeekLine() => null;

    public void Remember(string entry)
    {
        try
        {
            File.AppendAllText(_historyFile, entry.Replace("\n", "\\n") + "\n");
        }
        catch (IOException)
        {
        }
    }

    private sealed class Names(ReplSession session) : ITextCompletion
    {
        public IEnumerable<string>? GetCompletions(string prefix, string word, string suffix) =>
            session.Names.Where(n => n.StartsWith(word, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
    }
}
