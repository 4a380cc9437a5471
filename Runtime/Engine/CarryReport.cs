using BioLang.Language.Units;

namespace BioLang.Runtime.Engine;

/// <summary>
/// What a network built from a <see cref="StateBag"/> took over from it, and what started from its
/// initial values, in the words a user reads ("population Q (size 50 → 60)"). A checkpoint from
/// which no population and no projection carries anything over was made by another model: a
/// restore refuses it (<see cref="Mismatch"/>) instead of going on silently from initial values at
/// the checkpoint's time. A partial carry (the edit-and-continue case) is fine and says what it left.
/// </summary>
internal sealed class CarryReport
{
    private readonly List<string> _carried = [];
    private readonly HashSet<string> _variables = new(StringComparer.Ordinal);
    private readonly List<string> _notCarried = [];

    /// <summary>Populations and projections that took their state over (whole or in part): "population P".</summary>
    public IReadOnlyList<string> Carried => _carried;

    /// <summary>What started afresh, and what the bag held that the network has no place for.</summary>
    public IReadOnlyList<string> NotCarried => _notCarried;

    /// <summary>The bag's populations and projections, with their sizes: "population A (5 neurons)".</summary>
    public List<string> InBag { get; } = [];

    /// <summary>The network's populations and projections, with their sizes.</summary>
    public List<string> InNetwork { get; } = [];

    /// <summary>The bag's time step and the network's, when they differ: no step count, delay or spike time would mean the same.</summary>
    public (double Saved, double Here)? DtChanged { get; set; }

    /// <summary>A population or projection took its state over: "population P".</summary>
    public void Took(string component) => _carried.Add(component);

    /// <summary>A state variable took its values over, by its key in the bag ("pop/P/var/v").</summary>
    public void TookVariable(string key) => _variables.Add(key);

    public bool CarriedVariable(string key) => _variables.Contains(key);

    public void Left(string what) => _notCarried.Add(what);

    /// <summary>Why the bag cannot be the state of this network, or null when it can.</summary>
    public string? Mismatch =>
        DtChanged is var (saved, here)
            ? $"the checkpoint was saved with dt = {UnitTable.Pretty(saved, Dimension.Time)}, this model has dt = {UnitTable.Pretty(here, Dimension.Time)}"
            : _carried.Count == 0
                ? "no population or projection has the same name and shape"
                  + $" (the checkpoint has {Listing(InBag)}; this model has {Listing(InNetwork)})"
                : null;

    private static string Listing(List<string> components) => components.Count == 0 ? "none" : string.Join(", ", components);

    public static string Neurons(int n) => n == 1 ? "1 neuron" : $"{n} neurons";

    public static string Synapses(int n) => n == 1 ? "1 synapse" : $"{n} synapses";
}
