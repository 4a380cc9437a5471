using System.Diagnostics;
using BioLang.Repl.Tests.Support;

namespace BioLang.Repl.Tests;

/// <summary>
/// The real <c>biolang repl</c> with its standard input redirected (the pipe adapter): bad input
/// prints its diagnostic on stderr and the session goes on; the exit code is 0 at :quit or at the
/// end of the input.
/// </summary>
public sealed class ReplProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Model = Networks.Leaky;

    [Fact]
    public void BadLines_PrintDiagnosticsOnStderr_AndTheSessionGoesOn()
    {
        var r = Repl(Model + """
            let P = population 3 Leaky (drive = 20<mV> + i * 5<mV>)
            let x = 3 +
            let Q = population 2 Leeky
            P.tau <- 5<mV>
            :frobnicate
            run 5<mV>
            run 100<ms>
            :quit
            run 100<ms>
            """);

        r.ExitCode.ShouldBe(0, r.ToString());
        r.Error.ShouldContain(">(1,12): error BL0001: ", Case.Sensitive, r.ToString());
        r.Error.ShouldContain("error BL0101: unknown neuron model 'Leeky'; did you mean 'Leaky'?", Case.Sensitive, r.ToString());
        r.Error.ShouldContain("error BL0201: ", Case.Sensitive, r.ToString());
        r.Error.ShouldContain("unknown command ':frobnicate'", Case.Sensitive, r.ToString());
        r.Error.ShouldContain("'5<mV>' is not a duration", Case.Sensitive, r.ToString());
        r.Out.ShouldNotContain("error", Case.Insensitive, r.ToString());
        r.Out.ShouldNotContain("not a duration", Case.Sensitive, r.ToString());
        // The run after the bad lines is that of a session without them (basics.repl: 31 spikes), and nothing runs after :quit.
        r.Out.ShouldContain("t = 100 ms (1000 steps; ", Case.Sensitive, r.ToString());
        r.Out.ShouldContain("  P: 31 spikes, 103.333 Hz", Case.Sensitive, r.ToString());
        r.Out.ShouldNotContain("t = 200 ms", Case.Sensitive, r.ToString());
        r.ShouldHaveNoStackTrace();
    }

    [Fact]
    public void EndOfInput_EndsTheSessionWithExitCodeZero_EvenInsideAnOpenBracket()
    {
        var r = Repl(Model + "let P = population 3 Leaky\nrun 10<ms>\nlet broken = (1 +");

        r.ExitCode.ShouldBe(0, r.ToString());
        r.Out.ShouldContain("t = 10 ms (100 steps; ", Case.Sensitive, r.ToString());
        r.Error.ShouldContain("error BL0003: '(' is never closed", Case.Sensitive, r.ToString());
        r.ShouldHaveNoStackTrace();
    }

    /// <summary>
    /// An unclosed bracket is reported where it opened, and the statements after it run: the pipe
    /// ends the broken input at the next line that starts one, instead of swallowing every line up
    /// to an empty one (which made the run below vanish without a word).
    /// </summary>
    [Fact]
    public void UnclosedBracket_IsReportedWhereItOpened_AndTheLinesAfterItRun()
    {
        var r = Repl(Model + """
            let broken = max (1 +
            let P = population 3 Leaky (drive = 20<mV> + i * 5<mV>)
            monitor spikes P
            run 100<ms>
            let xs = [1;
                2
            let after = 4
            :quit
            """);

        r.ExitCode.ShouldBe(0, r.ToString());
        r.Error.ShouldContain(">(1,18): error BL0003: '(' is never closed", Case.Sensitive, r.ToString());
        r.Error.ShouldContain(">(1,10): error BL0003: '[' is never closed", Case.Sensitive, r.ToString());
        r.Error.ShouldNotContain("BL0001", Case.Sensitive, r.ToString());
        r.Out.ShouldContain("P: 3 x Leaky (exact)\nmonitor added\n", Case.Sensitive, r.ToString());
        // The same 31 spikes as in a session without the broken line (basics.repl).
        r.Out.ShouldContain("  P: 31 spikes, 103.333 Hz", Case.Sensitive, r.ToString());
        r.Out.ShouldEndWith("after = 4\n", Case.Sensitive, r.ToString());
        r.ShouldHaveNoStackTrace();
    }

    [Fact]
    public void FileArgument_IsLoadedFirst()
    {
        var file = _dir.Write("leaky.bnn", Model + "let P = population 3 Leaky (drive = 20<mV> + i * 5<mV>)\nmonitor spikes P\n");

        var r = Repl("run 100<ms>\n:inspect\n", file);

        r.ExitCode.ShouldBe(0, r.ToString());
        r.Out.ShouldContain("P: 3 x Leaky (exact)", Case.Sensitive, r.ToString());
        r.Out.ShouldContain("  P: 31 spikes, 103.333 Hz", Case.Sensitive, r.ToString());
        r.Error.ShouldBeEmpty(r.ToString());
    }

    /// <summary>A file with an error is refused whole (not even its first line is applied); the session goes on.</summary>
    [Fact]
    public void BadFileArgument_PrintsItsDiagnostics_AndTheSessionGoesOn()
    {
        var file = _dir.Write("bad.bnn", "open Neurons\nlet P = population 3 Lif (tau_m = 5<mV>)\n");

        var r = Repl(":inspect\nopen Neurons\nlet Q = population 2 Lif (I = 2<nA>)\nrun 10<ms>\n", file);

        r.ExitCode.ShouldBe(0, r.ToString());
        r.Error.ShouldContain($"{file}(2,35): error BL0201: ", Case.Sensitive, r.ToString());
        r.Out.ShouldStartWith("nothing declared yet\n", Case.Sensitive, r.ToString());
        r.Out.ShouldContain("Q: 2 x Lif", Case.Sensitive, r.ToString());
        r.Out.ShouldContain("t = 10 ms (100 steps; ", Case.Sensitive, r.ToString());
        r.ShouldHaveNoStackTrace();
    }

    /// <summary>Runs <c>dotnet biolang.dll repl [file]</c> with <paramref name="input"/> on its standard input.</summary>
    private static CliResult Repl(string input, string? file = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Cli.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "biolang.dll"));
        start.ArgumentList.Add("repl");
        if (file is not null)
            start.ArgumentList.Add(file);
        start.Environment.Remove("BIOLANG_DEBUG");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input.Replace("\r\n", "\n"));
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("biolang repl did not finish");
        }
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }
}
