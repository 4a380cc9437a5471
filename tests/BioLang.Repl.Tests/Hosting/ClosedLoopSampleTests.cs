using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BioLang.Repl.Tests.Hosting;

/// <summary>
/// The sample host examples/hosts/ClosedLoop (a two-armed bandit, see its README) builds on its
/// own and, run for 150 trials, learns: whichever arm pays 0.8, the network ends up choosing it,
/// while with learning switched off its choices stay at chance. Reward reaches the script: the
/// dopamine level of its motor neurons follows the sign of the reward prediction error.
/// </summary>
public sealed partial class ClosedLoopSampleTests
{
    private static readonly string Project = Path.Combine(Cli.Root, "examples", "hosts", "ClosedLoop", "ClosedLoop.csproj");

    /// <summary>The configuration this test assembly was built in, so the sample reuses the same build of the runtime.</summary>
    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    [Fact]
    public async Task Sample_BuildsRunsAndLearnsTheArmThatPays()
    {
        var build = await Dotnet("build", Project, "-c", Configuration, "--nologo", "-v", "q", "--disable-build-servers");
        build.ExitCode.ShouldBe(0, build.ToString());

        var runs = await Task.WhenAll(
            Run(),
            Run("--best-b"),
            Run("--no-learning"));

        var (a, b, control) = (runs[0], runs[1], runs[2]);
        foreach (var r in runs)
        {
            r.ExitCode.ShouldBe(0, r.ToString());
            r.Error.ShouldBeEmpty(r.ToString());
            r.Out.ShouldContain("simulated 30 s of network time", Case.Sensitive, r.ToString());
            // The host wrote reward - mean into 'reward'; the neurons' 'da' followed its sign.
            var (rewarded, unrewarded) = Dopamine(r);
            rewarded.ShouldBeGreaterThan(0.1, r.ToString());
            unrewarded.ShouldBeLessThan(-0.1, r.ToString());
        }

        // Learning: the paying arm, whichever it is, is chosen in at least 3 of 4 of the last 50 trials.
        BestArmChosen(a).Last.ShouldBeGreaterThanOrEqualTo(0.75, a.ToString());
        BestArmChosen(b).Last.ShouldBeGreaterThanOrEqualTo(0.75, b.ToString());
        BestArmChosen(a).Last.ShouldBeGreaterThan(BestArmChosen(a).First, a.ToString());
        BestArmChosen(b).Last.ShouldBeGreaterThan(BestArmChosen(b).First, b.ToString());
        // Choosing the 0.8 arm that often pays well above chance (0.5): 0.6 is 3.5 sd under 0.8 for 50 trials.
        RewardRate(a).Last.ShouldBeGreaterThan(0.6, a.ToString());
        RewardRate(b).Last.ShouldBeGreaterThan(0.6, b.ToString());
        // The control: without learning, weights stay put and the choices stay at chance (0.5 ± 3.5 sd).
        control.Out.ShouldContain("mean w  A 3.00 mV  B 3.00 mV", Case.Sensitive, control.ToString());
        BestArmChosen(control).Last.ShouldBeInRange(0.25, 0.75, control.ToString());
    }

    private static Task<CliResult> Run(params string[] options) =>
        Dotnet(["run", "--project", Project, "-c", Configuration, "--no-build", "--", "--trials", "150", "--seed", "1", .. options]);

    private static (double Rewarded, double Unrewarded) Dopamine(CliResult r)
    {
        var m = DopamineLine().Match(r.Out);
        m.Success.ShouldBeTrue(r.ToString());
        return (Number(m.Groups[1].Value), Number(m.Groups[2].Value));
    }

    private static (double First, double Last) BestArmChosen(CliResult r) => FirstAndLast(BestArmLine().Match(r.Out), r);

    private static (double First, double Last) RewardRate(CliResult r) => FirstAndLast(RewardRateLine().Match(r.Out), r);

    private static (double First, double Last) FirstAndLast(Match m, CliResult r)
    {
        m.Success.ShouldBeTrue(r.ToString());
        return (Number(m.Groups[1].Value), Number(m.Groups[2].Value));
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"dopamine in the script after feedback: rewarded ([-+]\d\.\d+), unrewarded ([-+]\d\.\d+)")]
    private static partial Regex DopamineLine();

    [GeneratedRegex(@"best arm \([AB]\) chosen: first 50 trials (\d\.\d+), last 50 trials (\d\.\d+)")]
    private static partial Regex BestArmLine();

    [GeneratedRegex(@"reward rate: first 50 trials (\d\.\d+), last 50 trials (\d\.\d+)")]
    private static partial Regex RewardRateLine();

    /// <summary>Runs the dotnet CLI from the repository root, without the test host's MSBuild settings.</summary>
    private static async Task<CliResult> Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Cli.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        // Set by 'dotnet test' for its own MSBuild; a child build finds its SDK by itself.
        foreach (var key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" })
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet " + string.Join(' ', args) + " did not finish");
        }
        return new CliResult(process.ExitCode, await output, await error);
    }
}
