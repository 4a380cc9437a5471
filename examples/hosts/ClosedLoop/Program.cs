// A closed loop between C# and a BioLang script: a two-armed bandit.
//
//   dotnet run --project examples/hosts/ClosedLoop -- [--trials 300] [--seed 1] [--best-b] [--no-learning]
//
// Arm A pays with probability 0.8, arm B with 0.2 (the other way round with --best-b). Each trial the host switches the sensory
// input on for 100 ms and counts the spikes of the two halves of the motor population as they
// happen (OnSpikes); the half that fired more is the choice. The host draws the reward and
// writes the reward prediction error into the script's host value 'reward' for 50 ms; the
// script's motor neurons turn it into a dopamine level and their synapses learn from it
// (bandit.bnn). Chance is a reward rate of 0.5, always choosing A gives 0.8.

using System.Globalization;
using BioLang.Hosting;

var trials = Option("--trials", 300);
var seed = (ulong)Option("--seed", 1);
var best = args.Contains("--best-b") ? 1 : 0;
double[] payoff = best == 0 ? [0.8, 0.2] : [0.2, 0.8];
var trialTime = TimeSpan.FromMilliseconds(100);
var feedbackTime = TimeSpan.FromMilliseconds(50);
var pauseTime = TimeSpan.FromMilliseconds(50);
const double SensoryRate = 40; // Hz, while a trial is on

// --no-learning replaces the script's learning rate by 0: the control, in which choices stay at chance.
var constants = args.Contains("--no-learning") ? new Dictionary<string, string> { ["learning_rate"] = "0" } : [];
var model = BioScript.CompileFile(Path.Combine(AppContext.BaseDirectory, "bandit.bnn"), new BioScriptOptions { Constants = constants });
using var sim = model.CreateSimulation(seed);
var armSize = sim.Population("motor").Size / 2;

var votes = new int[2];
sim.OnSpikes("motor", (_, _, neurons) =>
{
    foreach (var n in neurons)
        votes[n < armSize ? 0 : 1]++;
});

// The environment's own randomness, independent of the network's.
var environment = new Random((int)seed);
var meanReward = 0.5;
var rewards = new List<int>();
var choices = new List<int>();
var daRewarded = new List<double>();
var daUnrewarded = new List<double>();

for (var trial = 0; trial < trials; trial++)
{
    votes[0] = votes[1] = 0;
    sim.SetHost("drive", SensoryRate);
    sim.Run(trialTime);
    sim.SetHost("drive", 0);
    var choice = votes[0] != votes[1] ? (votes[0] > votes[1] ? 0 : 1) : environment.Next(2);
    var reward = environment.NextDouble() < payoff[choice] ? 1 : 0;
    choices.Add(choice);
    rewards.Add(reward);

    // The dopamine signal is the reward prediction error; the script reads it as 'reward'.
    sim.SetHost("reward", reward - meanReward);
    sim.Run(feedbackTime);
    var da = sim.Population("motor").Read("da").Average();
    (reward == 1 ? daRewarded : daUnrewarded).Add(da);
    meanReward += 0.05 * (reward - meanReward);
    sim.SetHost("reward", 0);
    sim.Run(pauseTime);

    if ((trial + 1) % 50 == 0)
    {
        var block = Enumerable.Range(trial - 49, 50);
        var w = sim.Projection("sensory->motor").Read("w");
        var (pre, post) = sim.Projection("sensory->motor").Connections();
        var wA = Enumerable.Range(0, w.Length).Where(s => post[s] < armSize).Average(s => w[s]) * 1e3;
        var wB = Enumerable.Range(0, w.Length).Where(s => post[s] >= armSize).Average(s => w[s]) * 1e3;
        Console.WriteLine(Invariant($"trials {trial - 48,3}-{trial + 1,3}: reward rate {block.Average(k => rewards[k]):0.00}, best arm chosen {block.Average(k => choices[k] == best ? 1.0 : 0.0):0.00}, mean w  A {wA:0.00} mV  B {wB:0.00} mV"));
    }
}

// The first and the last 50 trials: before and after learning.
var edge = Math.Min(50, trials);
double Rate(IEnumerable<int> outcomes) => outcomes.Average();
double Best(IEnumerable<int> picks) => picks.Average(c => c == best ? 1.0 : 0.0);
Console.WriteLine(Invariant($"dopamine in the script after feedback: rewarded {Mean(daRewarded):+0.000;-0.000}, unrewarded {Mean(daUnrewarded):+0.000;-0.000}"));
Console.WriteLine(Invariant($"reward rate: first {edge} trials {Rate(rewards.Take(edge)):0.00}, last {edge} trials {Rate(rewards.TakeLast(edge)):0.00} (chance 0.50, best arm 0.80)"));
Console.WriteLine(Invariant($"best arm ({"AB"[best]}) chosen: first {edge} trials {Best(choices.Take(edge)):0.00}, last {edge} trials {Best(choices.TakeLast(edge)):0.00}"));
Console.WriteLine(Invariant($"simulated {sim.Time.TotalSeconds:0.#} s of network time"));
return 0;

static double Mean(List<double> values) => values.Count == 0 ? double.NaN : values.Average();

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
