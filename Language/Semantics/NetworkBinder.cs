using System.Collections.Immutable;
using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

/// <summary>A list constant, <c>let times = [1&lt;ms&gt;; 5&lt;ms&gt;]</c>, bound where a list is expected.</summary>
internal sealed record ListSymbol(string Name, Expr List, Span? Span) : GlobalSymbol(Name, Span)
{
    public override string Kind => "list";
}

/// <summary>
/// Binds the network: constants, functions and models first (so models may be used before they are
/// declared), then populations, connections, monitors and runs in source order.
/// </summary>
internal sealed partial class NetworkBinder
{
    private static readonly string[] Settings = ["dt", "seed", "precision"];

    private readonly Globals _globals = new();
    private readonly DiagnosticBag _diagnostics;
    private readonly ExpressionBinder _expressions;
    private readonly ModelBinder _models;
    private readonly List<PopulationIR> _populations = [];
    private readonly List<ModelScope?> _neuronScopes = [];
    private readonly List<ProjectionIR> _projections = [];
    private readonly List<MonitorIR> _monitors = [];
    private readonly List<RunIR> _runs = [];
    private readonly List<HostIR> _hosts = [];
    private readonly HashSet<string> _settingsSeen = [];
    private double _dt = 1e-4;
    private ulong? _seed;
    private Precision _precision = Precision.Double;

    private readonly Dictionary<string, ConstantOverride> _overrides;

    private readonly List<(PopulationSetting Setting, Expr Value)> _settings;
    private readonly List<(int Population, ImmutableArray<IrStmt> Statements)> _assignments = [];

    /// <param name="overrides">New values for top-level constants (<c>biolang run --set g=5</c>), parsed.</param>
    /// <param name="settings">Population parameter overrides and state assignments (the REPL's <c>P.x &lt;- value</c>).</param>
    public NetworkBinder(DiagnosticBag diagnostics, IReadOnlyDictionary<string, ConstantOverride>? overrides = null, IReadOnlyList<(PopulationSetting, Expr)>? settings = null)
    {
        _overrides = overrides?.ToDictionary() ?? [];
        _settings = settings?.ToList() ?? [];
        _diagnostics = diagnostics;
        _expressions = new ExpressionBinder(_globals, diagnostics);
        _models = new ModelBinder(_expressions, diagnostics);
    }

    private static readonly BindingContext ConstantContext = new(ContextKind.Constant);

    public ModelIR Bind(IReadOnlyList<Decl> declarations)
    {
        foreach (var decl in declarations)
        {
            switch (decl)
            {
                case ModelDecl m:
                    Declare(new ModelSymbol(m.Name, m), m.NameSpan);
                    break;
                case LetDecl { Parameters.Length: > 0 } f:
                    Declare(new FunctionSymbol(f.Name, f), f.NameSpan);
                    break;
            }
        }
        foreach (var decl in declarations)
        {
            switch (decl)
            {
                case LetDecl { Parameters.Length: 0 } let:
                    Constant(let);
                    break;
                case SettingDecl setting:
                    Setting(setting);
                    break;
                case HostDecl host:
                    if (Folder.Fold(_expressions.Bind(host.Value, ConstantContext)) is IrConst { } initial)
                    {
                        Declare(new HostSymbol(host.Name, _hosts.Count, initial.Dimension, host.NameSpan), host.NameSpan);
                        _hosts.Add(new HostIR(host.Name, initial.Dimension, initial.Value, host.Span));
                    }
                    else
                        _diagnostics.Error(DiagnosticCodes.NotConstant, host.Value.Span, $"the initial value of host '{host.Name}' must be a number known at compile time");
                    break;
            }
        }
        _models.Dt = _dt;
        foreach (var decl in declarations)
        {
            switch (decl)
            {
                case PopulationDecl p:
                    Population(p);
                    break;
                case SubgroupDecl g:
                    // A slice that fails still declares its name, as a failed population does, so its uses stay quiet.
                    Declare(Slice(g.Slice) is { } slice
                        ? new PopulationSymbol(g.Name, slice with { Display = g.Name }, g.NameSpan)
                        : new ConstantSymbol(g.Name, new IrError(g.NameSpan), g.NameSpan), g.NameSpan);
                    break;
                case ConnectDecl c:
                    Connect(c);
                    break;
                case MonitorDecl m:
                    Monitor(m);
                    break;
                case RunDecl r:
                    var duration = _expressions.BindExpecting(r.Duration, ConstantContext, Dimension.Time, "a run's duration");
                    if (Folder.Evaluate(duration) is { } seconds)
                    {
                        if (seconds < 0 || double.IsNaN(seconds))
                            _diagnostics.Error(DiagnosticCodes.BadValue, r.Duration.Span, "a run's duration cannot be negative");
                        else
                            _runs.Add(new RunIR(seconds, r.Span));
                    }
                    break;
            }
        }
        foreach (var (setting, value) in _settings)
            _diagnostics.Error(DiagnosticCodes.UnknownName, value.Span,
                $"there is no population '{setting.Population}'" + Suggestions.DidYouMean(setting.Population, _globals.Symbols.Values.OfType<PopulationSymbol>().Select(p => p.Name)));
        CheckUnusedModels(declarations);
        ReportUnusedOverrides();
        return new ModelIR(_dt, _seed, _precision, [.. _populations], [.. _projections], [.. _monitors], [.. _runs]) {
            Hosts = [.. _hosts],
            Assignments = [.. _assignments],
            Constants = _globals.Symbols.Values.OfType<ConstantSymbol>().Where(c => c.Value is IrConst or IrBool).ToImmutableDictionary(c => c.Name, c => c.Value),
        };
    }

    /// <summary>
    /// A model nothing uses is still checked, so a library file or a model being written reports its
    /// errors before it is used: a neuron model bound once for a population of one, a synapse model
    /// or plasticity rule for neurons not known yet (what it reads or writes of <c>pre.</c> and
    /// <c>post.</c> is checked when a connection uses it; a plasticity rule may also use names of the
    /// blocks it will be composed with).
    /// </summary>
    private void CheckUnusedModels(IReadOnlyList<Decl> declarations)
    {
        var used = declarations.OfType<PopulationDecl>().Select(p => p.Model)
            .Concat(declarations.OfType<ConnectDecl>().SelectMany(c => c.Synapse).Select(s => s.Name))
            .OfType<string>().ToHashSet();
        // A model used through a variant of it is used.
        foreach (var name in used.ToList())
        {
            var model = (_globals.Lookup(name) as ModelSymbol)?.Declaration;
            while (model?.Base is { } variantOf && used.Add(variantOf.Name))
                model = (_globals.Lookup(variantOf.Name) as ModelSymbol)?.Declaration;
        }
        var info = new DiagnosticBag();
        var checker = new ModelBinder(new ExpressionBinder(_globals, info), info) { Dt = _dt };
        foreach (var model in declarations.OfType<ModelDecl>().Where(m => m.Base is null && !used.Contains(m.Name)))
        {
            switch (model.Kind)
            {
                case ModelKind.Neuron or ModelKind.Rate:
                    checker.BindNeuron(model, [], model.Name, 1);
                    break;
                case ModelKind.Synapse or ModelKind.Plasticity:
                    var unknown = new ModelScope("(not connected yet)", VarScope.Pre) { Unknown = true };
                    checker.BindSynapse([(model, new ModelRef(model.Name, [], model.NameSpan))], unknown, unknown.As(VarScope.Post), 1, 1, out _, out _,
                        partial: model.Kind == ModelKind.Plasticity);
                    break;
            }
        }
        // Only errors are worth reporting for a model nobody instantiates (not, say, the method chosen).
        _diagnostics.AddRange(info.Items.Where(d => d.IsError));
    }

    private void Declare(GlobalSymbol symbol, Span span)
    {
        if (!_globals.TryAdd(symbol, out var existing))
            _diagnostics.Error(DiagnosticCodes.Duplicate, span,
                $"'{symbol.Name}' is already defined as a {existing!.Kind}" + (existing.Span is { } s ? $" at {s.Location}" : ""));
    }

    private void Constant(LetDecl let)
    {
        if (let.Value is ListExpr or RangeExpr)
        {
            Declare(new ListSymbol(let.Name, let.Value, let.NameSpan), let.NameSpan);
            return;
        }
        var value = Folder.Fold(_expressions.Bind(let.Value, ConstantContext));
        if (_overrides.Remove(let.Name, out var replacement))
            value = Override(let, value, replacement);
        if (value is not (IrConst or IrBool or IrError))
            value = _expressions.Error(let.Value.Span, DiagnosticCodes.NotConstant, $"'{let.Name}' must be a constant known at compile time");
        Declare(new ConstantSymbol(let.Name, value, let.NameSpan), let.NameSpan);
    }

    private void Setting(SettingDecl setting)
    {
        if (!Settings.Contains(setting.Name))
        {
            var span = new Span(setting.Span.Source, setting.Span.Start, setting.Span.Start + setting.Name.Length);
            _diagnostics.Error(DiagnosticCodes.UnknownSetting, span,
                $"unknown setting '{setting.Name}' (settings are {string.Join(", ", Settings)}; to define a constant write 'let {setting.Name} = ...')" + Suggestions.DidYouMean(setting.Name, Settings));
            return;
        }
        if (!_settingsSeen.Add(setting.Name))
            _diagnostics.Error(DiagnosticCodes.Duplicate, setting.Span, $"'{setting.Name}' is set twice");
        switch (setting.Name)
        {
            case "dt":
                if (Folder.Evaluate(_expressions.BindExpecting(setting.Value, ConstantContext, Dimension.Time, "dt")) is { } dt)
                {
                    if (dt > 0 && double.IsFinite(dt))
                        _dt = dt;
                    else
                        _diagnostics.Error(DiagnosticCodes.BadValue, setting.Value.Span, "dt must be positive");
                }
                break;
            case "seed":
                if (Integer(setting.Value, "the seed", 0, long.MaxValue) is { } seed)
                    _seed = (ulong)seed;
                break;
            case "precision":
                if (setting.Value is NameExpr { Name: "single" or "double" } p)
                    _precision = p.Name == "single" ? Precision.Single : Precision.Double;
                else
                    _diagnostics.Error(DiagnosticCodes.BadValue, setting.Value.Span, "precision is 'single' or 'double'");
                break;
        }
    }

    /// <summary>A compile-time integer in [min, max], or null after reporting why not.</summary>
    private long? Integer(Expr expr, string what, long min, long max)
    {
        var bound = Folder.Fold(_expressions.Bind(expr, ConstantContext));
        if (bound is IrError)
            return null;
        if (bound is not IrConst { } c || !c.Dimension.IsDimensionless)
        {
            _diagnostics.Error(DiagnosticCodes.BadValue, expr.Span, $"{what} must be a dimensionless whole number known at compile time");
            return null;
        }
        if (c.Value != Math.Round(c.Value) || c.Value < min || c.Value > max)
        {
            _diagnostics.Error(DiagnosticCodes.BadValue, expr.Span, $"{what} must be a whole number from {min} to {max}, but is {c.Value}");
            return null;
        }
        return (long)c.Value;
    }

    private int Steps(Expr? every, string what)
    {
        if (every is null)
            return 1;
        if (Folder.Evaluate(_expressions.BindExpecting(every, ConstantContext, Dimension.Time, what)) is not { } seconds)
            return 1;
        var steps = Math.Round(seconds / _dt);
        if (steps < 1 || Math.Abs(steps * _dt - seconds) > 1e-9 * seconds)
        {
            _diagnostics.Error(DiagnosticCodes.BadValue, every.Span, $"{what} must be a positive multiple of dt ({UnitTable.Format(_dt, Dimension.Time)})");
            return 1;
        }
        return (int)steps;
    }
}
