using System.Text.RegularExpressions;

namespace BioLang.Repl.Tests;

/// <summary>
/// The real <c>biolang</c> as a child process: exit codes (0 success, 1 a problem with the input,
/// 2 a run that failed), compiler-style messages, and never a stack trace.
/// </summary>
public sealed class CommandLineProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_GoodFile_ExitsZeroAndReportsTheMethods()
    {
        var r = Cli.Process("check", "examples/coba.bnn");

        r.ExitCode.ShouldBe(0, r.ToString());
        r.Out.ShouldContain("population P: 4000 x Coba, integrated with euler");
        r.Out.TrimEnd().ShouldEndWith("examples/coba.bnn: ok");
        r.ShouldHaveNoStackTrace();
    }

    /// <summary>A broken script, the code it must produce and where (line, column).</summary>
    public static TheoryData<string, string, int, int> BadScripts => new()
    {
        { "neuron X =\n    state\n        v = 0<mV>\n    equations\n        dv/dt = v / 1<mV>\nlet P = population 3 X\nrun 1<ms>\n", "BL0202", 5, 17 },
        { "let P = population 3 Nope\nrun 1<ms>\n", "BL0101", 1, 22 },
        { "let x = (1 +\n", "BL0003", 1, 9 },
        { "neuron X =\n\tstate\n", "BL0002", 2, 1 },
        { "let P = population 3 Lif\n(* never closed\n", "BL0003", 2, 1 },
        { "let N = 10\nlet N = 20\n", "BL0102", 2, 5 },
        { "dt = -1<ms>\n", "BL0110", 1, 6 },
    };

    [Theory]
    [MemberData(nameof(BadScripts))]
    public void Check_BadFile_ExitsOneWithACompilerStyleError(string text, string code, int line, int column)
    {
        var path = _dir.Write("bad.bnn", text);

        var r = Cli.Process("check", path);

        r.ExitCode.ShouldBe(1, r.ToString());
        var first = r.Error.Split('\n')[0];
        first.ShouldMatch($@"^{Regex.Escape(path)}\({line},{column}\): error {code}: \S", r.ToString());
        r.ShouldHaveNoStackTrace();
    }

    [Fact]
    public void Check_And_Run_GarbageOrMissingFiles_FailCleanly()
    {
        var garbage = _dir.File("garbage.bnn");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4000).Select(k => (byte)(k * 7919 % 251)).ToArray());
        foreach (var args in new[] { new[] { "check", garbage }, ["run", garbage], ["check", "no/such/file.bnn"], ["run", "no/such/file.bnn"], ["run", _dir.Path] })
        {
            var r = Cli.Process(args);
            r.ExitCode.ShouldBe(1, r.ToString());
            r.Error.ShouldMatch(@"error BL\d{4}: ", r.ToString());
            r.ShouldHaveNoStackTrace();
        }
    }

    public static TheoryData<string[], string> BadOptions => new()
    {
        { ["run", "examples/coba.bnn", "--duration", "abc"], "--duration" },
        { ["run", "examples/coba.bnn", "--duration", "5mV"], "unit of time" },
        { ["run", "examples/coba.bnn", "--threads", "0"], "--threads" },
        { ["run", "examples/coba.bnn", "--set", "N"], "NAME=VALUE" },
        { ["run", "examples/coba.bnn", "--set", "N=5<mV>"], "BL0201" },
        { ["run", "examples/coba.bnn", "--set", "nonsense=3"], "BL0101" },
        { ["run", "examples/coba.bnn", "--set", "N=(1 +"], "BL000" },
        { ["run", "examples/coba.bnn", "--seed", "-3"], "--seed" },
        { ["run", "examples/coba.bnn", "--backend", "quantum"], "quantum" },
        { ["frobnicate"], "frobnicate" },
        { ["run"], "Required argument missing" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Run_BadOptions_ExitOneWithAMessage(string[] args, string mentions)
    {
        var r = Cli.Process(args);

        r.ExitCode.ShouldBe(1, r.ToString());
        r.Error.ShouldContain(mentions, Case.Sensitive, r.ToString());
        r.ShouldHaveNoStackTrace();
    }

    /// <summary>
    /// A value that is no number gives one error, naming the constant and what it takes; what depends on
    /// the constant (cuba's slices and connections use N) does not report again.
    /// </summary>
    [Theory]
    [InlineData("N=abc", "BL0101", "expected a number for N, as in 'let N = 4000'")]
    [InlineData("N=", "BL0001", "expected a number for N, as in 'let N = 4000'")]
    [InlineData("N=(1 +", "BL0003", "expected a number for N, as in 'let N = 4000'")]
    [InlineData("N=5<mV>", "BL0201", "expected a number for N, as in 'let N = 4000'")]
    public void Run_SetToSomethingNotANumber_GivesOneErrorNamingTheConstant(string assignment, string code, string message)
    {
        var r = Cli.Process("run", "examples/cuba.bnn", "--set", assignment);

        r.ExitCode.ShouldBe(1, r.ToString());
        var errors = r.Error.Split('\n').Where(line => line.Contains(": error ")).ToList();
        errors.ShouldHaveSingleItem(r.ToString()).ShouldStartWith($"--set N(1,");
        errors[0].ShouldContain($"error {code}: {message}");
        r.ShouldHaveNoStackTrace();
    }

    [Fact]
    public void Run_NothingToRun_ExitsOne()
    {
        var r = Cli.Process("run", _dir.Write("empty.bnn", "let N = 3\n"));

        r.ExitCode.ShouldBe(1, r.ToString());
        r.Error.ShouldContain("nothing to run");
        r.ShouldHaveNoStackTrace();
    }

    [Fact]
    public void Run_BlowUp_ExitsTwoWithBL0601_AndWritesNothing()
    {
        var script = _dir.Write("boom.bnn", """
            neuron U =
                state
                    v = 1<mV>
                equations
                    dv/dt = v / 1<ms>
                method euler
            dt = 10<ms>
            let P = population 3 U
            monitor spikes P
            monitor P.v
            run 10<s>
            """);
        var output = _dir.File("out");

        var r = Cli.Process("run", script, "--out", output);

        r.ExitCode.ShouldBe(2, r.ToString());
        r.Error.ShouldStartWith($"{script}(5,9): error BL0601: v of neuron 0 in population 'P' became +infinity");
        r.Error.ShouldContain("dv/dt = v / 1<ms>");
        r.ShouldHaveNoStackTrace();
        (Directory.Exists(output) ? Directory.GetFileSystemEntries(output) : []).ShouldBeEmpty();
    }

    [Fact]
    public void Run_NetworkTooBigForMemory_IsRefusedWithBL0602()
    {
        // 10^10 synapses: about 190 GB, far beyond this machine, and beyond one int-indexed projection.
        var script = _dir.Write("huge.bnn", """
            neuron Dot =
                state
                    x = 0
            synapse Syn =
                on pre
                    post.x += 1
            let P = population 100000 Dot
            connect P -> P with Syn all_to_all
            run 1<ms>
            """);
        var output = _dir.File("out");

        var r = Cli.Process("run", script, "--out", output);

        r.ExitCode.ShouldBe(2, r.ToString());
        r.Error.ShouldContain("error BL0602");
        r.Error.ShouldContain("nothing was allocated");
        r.ShouldHaveNoStackTrace();
        Directory.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public void Run_OutputPathIsAFile_ExitsTwoWithBL0603()
    {
        var script = _dir.Write("ok.bnn", "let P = poisson 5 10<Hz>\nmonitor spikes P\nrun 10<ms>\n");
        var notADirectory = _dir.Write("taken", "precious");

        var r = Cli.Process("run", script, "--out", notADirectory, "--no-plots");

        r.ExitCode.ShouldBe(2, r.ToString());
        r.Error.ShouldContain("error BL0603");
        r.ShouldHaveNoStackTrace();
        File.ReadAllText(notADirectory).ShouldBe("precious");
    }

    [Fact]
    public void Run_FailingWrite_LeavesOnlyCompleteFiles()
    {
        var script = _dir.Write("two.bnn", """
            let P = poisson 20 200<Hz>
            monitor spikes P
            monitor rate P every 1<ms>
            run 50<ms>
            """);
        var output = _dir.File("out");
        // A directory where the rate table should go: the write of rate_P.csv fails after spikes_P.* were written.
        Directory.CreateDirectory(Path.Combine(output, "rate_P.csv"));

        var r = Cli.Process("run", script, "--out", output, "--no-plots");

        r.ExitCode.ShouldBe(2, r.ToString());
        r.Error.ShouldContain("error BL0603");
        r.ShouldHaveNoStackTrace();
        var entries = Directory.GetFileSystemEntries(output).Select(Path.GetFileName).ToArray();
        entries.ShouldNotContain(e => e!.EndsWith(".tmp") || e.StartsWith('.'), string.Join(", ", entries));
        entries.ShouldNotContain("summary.json");
        // What was written is whole: the spike table and its .npy agree row for row.
        var (_, rows) = OutputFiles.ReadCsv(Path.Combine(output, "spikes_P.csv"));
        rows.Length.ShouldBeGreaterThan(50);
        OutputFiles.ReadNpy(Path.Combine(output, "spikes_P.npy")).Data.ShouldBe(rows.SelectMany(x => x));
    }
}
