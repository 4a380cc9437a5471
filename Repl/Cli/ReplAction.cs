using BioLang.Repl.Session;
using BioLang.Repl.Terminal;

namespace BioLang.Repl.Cli;

/// <summary><c>biolang repl [FILE]</c>: a terminal line editor when there is a terminal, plain lines from a pipe otherwise.</summary>
internal static class ReplAction
{
    public static int Execute(FileInfo? file, ulong? seed, int threads)
    {
        using var session = new ReplSession(new ReplOptions { Seed = seed, Threads = Math.Max(1, threads) });
        var interactive = TerminalReader.IsSupported;
        if (interactive)
            session.WarmUpCSharp();
        if (interactive)
            Console.WriteLine("BioLang REPL. ':help' lists the commands, ':quit' leaves.");
        if (file is not null)
        {
            var outcome = session.Submit($":load {file.FullName}");
            (outcome.IsError ? Console.Error : Console.Out).Write(outcome.Output);
        }
        IInputReader reader = interactive
            ? new TerminalReader(session, Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".biolang_history"))
            : new PlainReader(Console.In);
        return ReplLoop.Run(session, reader, Console.Out, Console.Error);
    }
}
