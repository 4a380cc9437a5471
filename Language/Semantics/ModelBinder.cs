using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Syntax;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

/// <summary>A neuron model bound for one population, with the scope a synapse reads it through.</summary>
internal sealed record BoundNeuron(NeuronModelIR Model, ModelScope Scope);

/// <summary>
/// Binds model declarations into IR: a neuron model per population (its overrides applied), and a
/// synapse composed of its blocks per projection.
/// </summary>
internal sealed class ModelBinder(ExpressionBinder expressions, DiagnosticBag diagnostics)
{
    private readonly StatementBinder _statements = new(expressions);

    private ModelRef? _composing;
    private readonly HashSet<(string Model, string Name)> _clashed = [];

    /// <summary>The network's time step, for periods written in terms of dt (<c>every dt</c>).</summary>
    public double Dt { get; set; } = 1e-4;

    private static readonly IReadOnlySet<VarScope> NeuronWrites = new HashSet<VarScope> { VarScope.Neuron };
    private static readonly IReadOnlySet<VarScope> SynapseWrites = new HashSet<VarScope> { VarScope.Synapse, VarScope.Pre, VarScope.Post };
    private static readonly IReadOnlySet<VarScope> SynapseOwnWrites = new HashSet<VarScope> { VarScope.Synapse };

    /// <param name="displayName">The name the population used (a variant's name, not its base's).</param>
    public BoundNeuron BindNeuron(ModelDecl decl, ImmutableArray<NamedArgExpr> overrides, string population, int size, string? displayName = null)
    {
        var shown = displayName ?? decl.Name;
        var scope = new ModelScope(decl.Name, VarScope.Neuron);
        var sizes = ImmutableDictionary<string, double>.Empty.Add("N", size);
        var constants = new BindingContext(ContextKind.Constant) { Own = scope, Sizes = sizes };
        var neuron = new BindingContext(ContextKind.Neuron) { Own = scope, Sizes = sizes };
        var pending = overrides.ToDictionary(o => o.Name, o => o);

        CheckSingletons(decl);
        var promoted = new List<StateVarIR>();
        var parameters = BindParameters(decl, scope, constants, neuron, pending, promoted, 0);
        var state = promoted.ToImmutableArray().AddRange(BindState(decl, scope, neuron, pending, null, promoted.Count));
        foreach (var o in pending.Values)
            diagnostics.Error(DiagnosticCodes.UnknownName, o.NameSpan,
                $"'{decl.Name}' has no parameter or state variable '{o.Name}'" + Suggestions.DidYouMean(o.Name, parameters.Select(p => p.Name).Concat(state.Select(s => s.Name))));
        var equations = BindEquations(decl, scope, neuron, state, allowEventDriven: false);

        IrExpr? threshold = null;
        ImmutableArray<IrStmt> reset = [];
        IrExpr? refractory = null;
        IntegrationMethod? method = null;
        Span? methodSpan = null;
        var periodic = ImmutableArray.CreateBuilder<PeriodicIR>();
        foreach (var section in decl.Sections)
        {
            switch (section)
            {
                case EverySection every:
                    if (Periodic(every, neuron, NeuronWrites, "a neuron's periodic block (which may change only the neuron's own state)") is { } p)
                        periodic.Add(p);
                    break;
                case SummedSection s:
                    diagnostics.Error(DiagnosticCodes.UnknownSection, s.Span, $"'summed' belongs in a synapse model, not in neuron '{decl.Name}'");
                    break;
                case ThresholdSection t:
                    threshold = expressions.BindCondition(t.Condition, neuron, "the spike condition");
                    break;
                case ResetSection r:
                    reset = _statements.Bind(r.Statements, neuron, NeuronWrites, "a reset (which may change only the neuron's own state)");
                    break;
                case RefractorySection r:
                    refractory = expressions.BindExpecting(r.Duration, neuron, Dimension.Time, "the refractory period");
                    break;
                case MethodSection m:
                    method = Method(m);
                    methodSpan = m.MethodSpan;
                    break;
                case OnSection or DelaySection:
                    diagnostics.Error(DiagnosticCodes.UnknownSection, section.Span, $"'{FirstWord(section)}' belongs in a synapse model, not in neuron '{decl.Name}'");
                    break;
            }
        }
        if (decl.Kind == ModelKind.Rate)
        {
            if (threshold is not null || !reset.IsEmpty || refractory is not null)
                diagnostics.Error(DiagnosticCodes.WrongKind, decl.NameSpan, $"rate model '{decl.Name}' does not spike; use 'neuron' for a model with 'spike when', 'reset' or 'refractory'");
            if (!state.Any(s => s.Name == "r"))
                diagnostics.Error(DiagnosticCodes.MissingSection, decl.NameSpan, $"rate model '{decl.Name}' needs a state variable 'r', its output rate");
        }
        else if (threshold is null && (!reset.IsEmpty || refractory is not null))
            diagnostics.Error(DiagnosticCodes.MissingSection, decl.NameSpan, $"neuron '{decl.Name}' has a reset or refractory period but no 'spike when' condition");
        var (chosen, linear) = Integration.Choose($"population {population} ({shown})", state, equations, method, methodSpan, decl.NameSpan, diagnostics);
        var model = new NeuronModelIR(shown, parameters, state, equations, chosen, linear, threshold, reset, refractory, decl.NameSpan)
        {
            Periodic = periodic.ToImmutable(),
            IsRate = decl.Kind == ModelKind.Rate,
        };
        return new BoundNeuron(model, scope);
    }

    /// <summary>Composes the blocks of <c>with A + B (x = 1)</c> into one synapse for a projection.</summary>
    /// <param name="partial">Whether the blocks are checked without the blocks they will be composed with (an unused plasticity rule), so a name they lack is not an error.</param>
    public SynapseIR? BindSynapse(IReadOnlyList<(ModelDecl Decl, ModelRef Ref)> blocks, ModelScope pre, ModelScope post, int preSize, int postSize, out IrExpr? delay, out Span? delaySpan, bool partial = false)
    {
        blocks = [.. blocks.Select((b, k) => (Compose(b.Decl, b.Ref, blocks.Take(k).Select(x => x.Decl)), b.Ref))];
        var name = string.Join(" + ", blocks.Select(b => b.Decl.Name));
        var scope = new ModelScope(name, VarScope.Synapse) { Unknown = partial };
        var sizes = ImmutableDictionary<string, double>.Empty.Add("N_pre", preSize).Add("N_post", postSize);
        var constants = new BindingContext(ContextKind.Constant) { Own = scope, Sizes = sizes };
        var synapse = new BindingContext(ContextKind.Synapse) { Own = scope, Pre = pre, Post = post, Sizes = sizes };
        var parameters = ImmutableArray.CreateBuilder<ParamIR>();
        var state = ImmutableArray.CreateBuilder<StateVarIR>();
        var owner = new Dictionary<string, string>();
        delay = null;
        delaySpan = null;

        foreach (var (decl, reference) in blocks)
        {
            _composing = reference;
            CheckSingletons(decl);
            var renames = reference.Renames.ToDictionary(r => r.From, r => r.To);
            var pending = reference.Overrides.ToDictionary(o => renames.GetValueOrDefault(o.Name, o.Name), o => o with { Name = renames.GetValueOrDefault(o.Name, o.Name) });
            var promoted = new List<StateVarIR>();
            foreach (var p in BindParameters(decl, scope, constants, synapse, pending, promoted, state.Count, owner))
                parameters.Add(p);
            state.AddRange(promoted);
            foreach (var s in BindState(decl, scope, synapse, pending, owner, state.Count))
                state.Add(s);
            foreach (var o in pending.Values)
                diagnostics.Error(DiagnosticCodes.UnknownName, o.NameSpan,
                    $"'{decl.Name}' has no parameter or state variable '{o.Name}'" + Suggestions.DidYouMean(o.Name, Declared(decl)));
        }
        _composing = null;
        var allState = state.ToImmutable();
        var equations = ImmutableArray.CreateBuilder<OdeIR>();
        var onPre = ImmutableArray.CreateBuilder<IrStmt>();
        var onPost = ImmutableArray.CreateBuilder<IrStmt>();
        var periodic = ImmutableArray.CreateBuilder<PeriodicIR>();
        var summed = ImmutableArray.CreateBuilder<SummedIR>();
        IntegrationMethod? method = null;
        Span? methodSpan = null;
        foreach (var (decl, _) in blocks)
            RegisterAliases(decl, scope, owner);
        foreach (var (decl, _) in blocks)
        {
            equations.AddRange(BindEquations(decl, scope, synapse, allState, allowEventDriven: true));
            foreach (var section in decl.Sections)
            {
                switch (section)
                {
                    case OnSection { Event: "pre" } on:
                        onPre.AddRange(_statements.Bind(on.Statements, synapse, SynapseWrites, "a synapse handler"));
                        break;
                    case OnSection { Event: "post" } on:
                        onPost.AddRange(_statements.Bind(on.Statements, synapse, SynapseWrites, "a synapse handler"));
                        break;
                    case OnSection on:
                        diagnostics.Error(DiagnosticCodes.UnknownSection, on.EventSpan, $"a synapse reacts to 'on pre' or 'on post', not 'on {on.Event}'" + Suggestions.DidYouMean(on.Event, ["pre", "post"]));
                        break;
                    case DelaySection d:
                        delay = expressions.BindExpecting(d.Delay, synapse, Dimension.Time, "a delay");
                        delaySpan = d.Span;
                        break;
                    case MethodSection m:
                        method = Method(m);
                        methodSpan = m.MethodSpan;
                        break;
                    case EverySection every:
                        if (Periodic(every, synapse, SynapseOwnWrites, "a synapse's periodic block (which may change only the synapse's own state)") is { } p)
                            periodic.Add(p);
                        break;
                    case SummedSection s:
                        if (Summed(s, synapse) is { } sum)
                            summed.Add(sum);
                        break;
                    case ThresholdSection or ResetSection or RefractorySection:
                        diagnostics.Error(DiagnosticCodes.UnknownSection, section.Span, $"'{FirstWord(section)}' belongs in a neuron model, not in {decl.Kind.ToString().ToLowerInvariant()} '{decl.Name}'");
                        break;
                }
            }
        }
        var eqs = equations.ToImmutable();
        foreach (var group in eqs.GroupBy(e => e.Var).Where(g => g.Count() > 1))
            diagnostics.Error(DiagnosticCodes.Duplicate, group.Last().Span, $"'{allState[group.Key].Name}' has more than one differential equation");
        CheckEventDriven(eqs, allState, periodic);
        var (chosen, linear) = Integration.Choose($"synapse {name}", allState, eqs, method, methodSpan, blocks[0].Decl.NameSpan, diagnostics, VarScope.Synapse);
        return new SynapseIR(name, parameters.ToImmutable(), allState, eqs, onPre.ToImmutable(), onPost.ToImmutable())
        {
            Method = chosen,
            Linear = linear,
            Periodic = periodic.ToImmutable(),
            Summed = summed.ToImmutable(),
        };
    }

    /// <summary>
    /// Event-driven variables are advanced in closed form from their last event to the next, so each
    /// must be dx/dt = a·x + b with constants a and b (a trace: dx/dt = −x/τ).
    /// </summary>
    /// <remarks>
    /// A coefficient may also read synaptic variables that only events change (a per-synapse time
    /// constant, <c>Stdp (tau_pre = uniform 10&lt;ms&gt; 30&lt;ms&gt;)</c>): between two events they are constant.
    /// </remarks>
    private void CheckEventDriven(ImmutableArray<OdeIR> equations, ImmutableArray<StateVarIR> state, IEnumerable<PeriodicIR> periodic)
    {
        var changing = equations.Select(e => e.Var).ToHashSet();
        var written = new HashSet<VarRef>();
        foreach (var p in periodic)
            Writes(p.Statements, written);
        bool Steady(IrExpr e) => !Affine.Contains(e, v => v.Scope is VarScope.Pre or VarScope.Post or VarScope.Local
                                                     || (v.Scope == VarScope.Synapse && (changing.Contains(v.Index) || written.Contains(v))))
                                 && !Mentions(e);
        foreach (var eq in equations.Where(e => e.Timing == OdeTiming.Event))
        {
            var self = new VarRef(VarScope.Synapse, eq.Var, state[eq.Var].Name);
            var form = Affine.Extract(eq.Rhs, v => v == self);
            var ok = form is not null && form.Coefficients.Values.All(Steady) && Steady(form.Rest);
            if (!ok)
                diagnostics.Error(DiagnosticCodes.MethodNotApplicable, eq.Span,
                    $"an (event-driven) equation is solved exactly between events, so d{self.Name}/dt must be linear in {self.Name} alone with constant coefficients (such as -{self.Name} / tau); make it clock-driven otherwise");
        }
    }

    private static void Writes(IEnumerable<IrStmt> statements, ISet<VarRef> into)
    {
        foreach (var s in statements)
        {
            switch (s)
            {
                case IrAssign a: into.Add(a.Target); break;
                case IrIf i: Writes(i.Then, into); Writes(i.Else, into); break;
            }
        }
    }

    /// <summary>True when the expression depends on time, a random draw or a host value: not constant between events.</summary>
    private static bool Mentions(IrExpr e) => e switch
    {
        IrSpecial { Kind: Special.Time } or IrRandom or IrHost => true,
        IrUnary u => Mentions(u.Operand),
        IrBinary b => Mentions(b.Left) || Mentions(b.Right),
        IrCall c => c.Arguments.Any(Mentions),
        IrCond c => Mentions(c.Condition) || Mentions(c.Then) || Mentions(c.Else),
        _ => false,
    };

    private PeriodicIR? Periodic(EverySection every, BindingContext ctx, IReadOnlySet<VarScope> writes, string where)
    {
        var bound = expressions.BindExpecting(every.Interval, ctx with { Kind = ContextKind.Constant }, Dimension.Time, "the period of 'every'");
        var interval = Folder.Evaluate(WithDt(bound));
        var statements = _statements.Bind(every.Statements, ctx, writes, where);
        if (bound is IrError)
            return null;
        if (interval is null)
        {
            diagnostics.Error(DiagnosticCodes.NotConstant, every.Interval.Span, "the period of 'every' must be known at compile time, such as 'every 10<ms>' or 'every dt'");
            return null;
        }
        if (interval <= 0)
        {
            diagnostics.Error(DiagnosticCodes.BadValue, every.Interval.Span, "the period of 'every' must be positive");
            return null;
        }
        return new PeriodicIR(interval.Value, statements, every.Span);
    }

    private IrExpr WithDt(IrExpr e) => e switch
    {
        IrSpecial { Kind: Special.Dt } s => new IrConst(Dt, Dimension.Time, s.Span),
        IrUnary u => u with { Operand = WithDt(u.Operand) },
        IrBinary b => b with { Left = WithDt(b.Left), Right = WithDt(b.Right) },
        IrCall c => c with { Arguments = [.. c.Arguments.Select(WithDt)] },
        IrCond c => c with { Condition = WithDt(c.Condition), Then = WithDt(c.Then), Else = WithDt(c.Else) },
        _ => e,
    };

    private SummedIR? Summed(SummedSection s, BindingContext ctx)
    {
        var value = expressions.Bind(s.Value, ctx);
        if (s.Target is not MemberExpr { Qualifier: "post" } target)
        {
            diagnostics.Error(DiagnosticCodes.NotAssignable, s.Target.Span, "'summed' sets a variable of the postsynaptic neuron: summed post.x = ...");
            return null;
        }
        if (ctx.Post is { Unknown: true } && ctx.Post.Lookup(target.Name) is null)
            return null;
        if (ctx.Post?.Lookup(target.Name) is not VarEntry v)
        {
            diagnostics.Error(DiagnosticCodes.UnknownName, target.Span,
                $"the postsynaptic model '{ctx.Post?.ModelName}' has no state variable '{target.Name}'" + Suggestions.DidYouMean(target.Name, ctx.Post?.Entries.Keys ?? []));
            return null;
        }
        if (value is IrError)
            return null;
        if (value.Type != IrType.Real || (value.Dimension != v.Dimension && !ExpressionBinder.IsLiteralZero(s.Value)))
        {
            diagnostics.Error(DiagnosticCodes.AssignmentDimension, s.Value.Span, $"'post.{target.Name}' has dimension {v.Dimension}, but the summed value has {value.Dimension}");
            return null;
        }
        return new SummedIR(new VarRef(VarScope.Post, v.Index, v.Name), value, s.Span);
    }

    /// <summary>
    /// Applies a block's <c>x as y</c> renames and <c>shared x</c> declarations before it is
    /// composed: renamed names (and overrides written with the old name) follow the new name; a
    /// shared variable's declaration is dropped so the block uses the earlier block's.
    /// </summary>
    private ModelDecl Compose(ModelDecl decl, ModelRef reference, IEnumerable<ModelDecl> earlier)
    {
        var own = Declared(decl).Concat(decl.Sections.OfType<EquationsSection>().SelectMany(s => s.Items.OfType<AliasEquation>()).Select(a => a.Name)).ToHashSet();
        var map = new Dictionary<string, string>();
        foreach (var rename in reference.Renames)
        {
            if (!own.Contains(rename.From))
                diagnostics.Error(DiagnosticCodes.UnknownName, rename.Span, $"'{decl.Name}' has no parameter or state variable '{rename.From}' to rename" + Suggestions.DidYouMean(rename.From, own));
            else
                map[rename.From] = rename.To;
        }
        var renamed = AstRename.Apply(decl, map);
        if (reference.Shared.IsEmpty)
            return renamed;
        var before = earlier.SelectMany(Declared).ToHashSet();
        var shared = new HashSet<string>();
        foreach (var s in reference.Shared)
        {
            if (!own.Contains(s.Name))
                diagnostics.Error(DiagnosticCodes.UnknownName, s.Span, $"'{decl.Name}' declares no '{s.Name}' to share" + Suggestions.DidYouMean(s.Name, own));
            else if (!before.Contains(s.Name))
                diagnostics.Error(DiagnosticCodes.UnknownName, s.Span, $"'shared {s.Name}': no block before '{decl.Name}' declares '{s.Name}'; put the block that owns it first");
            else
                shared.Add(s.Name);
        }
        return renamed with
        {
            Sections = [.. renamed.Sections.Select(section => section switch
            {
                ParametersSection p => p with { Items = [.. p.Items.Where(d => !shared.Contains(d.Name))] },
                StateSection p => p with { Items = [.. p.Items.Where(d => !shared.Contains(d.Name))] },
                EquationsSection e => e with { Items = [.. e.Items.Where(q => !shared.Contains(q.Name))] },
                _ => section,
            })],
        };
    }

    private static IEnumerable<string> Declared(ModelDecl decl) =>
        decl.Sections.OfType<ParametersSection>().SelectMany(s => s.Items.Select(i => i.Name))
            .Concat(decl.Sections.OfType<StateSection>().SelectMany(s => s.Items.Select(i => i.Name)));

    private static string FirstWord(Section s) => s.Span.Text.Split(' ', '\n')[0];

    private void CheckSingletons(ModelDecl decl)
    {
        foreach (var group in decl.Sections.GroupBy(s => s switch
                 {
                     ThresholdSection => "spike when",
                     ResetSection => "reset",
                     RefractorySection => "refractory",
                     MethodSection => "method",
                     DelaySection => "delay",
                     _ => null,
                 }).Where(g => g.Key is not null && g.Count() > 1))
            diagnostics.Error(DiagnosticCodes.Duplicate, group.Last().Span, $"'{decl.Name}' has more than one '{group.Key}' section");
    }

    /// <remarks>
    /// A parameter given a per-element value at the use site (<c>population 10 Lif (tau = 10&lt;ms&gt; + i * 1&lt;ms&gt;)</c>)
    /// becomes a constant state variable of that population, one value per neuron, as Brian2 allows.
    /// </remarks>
    private ImmutableArray<ParamIR> BindParameters(ModelDecl decl, ModelScope scope, BindingContext ctx, BindingContext perElement,
        Dictionary<string, NamedArgExpr> overrides, List<StateVarIR> promoted, int firstIndex, Dictionary<string, string>? owner = null)
    {
        var result = ImmutableArray.CreateBuilder<ParamIR>();
        foreach (var item in decl.Sections.OfType<ParametersSection>().SelectMany(s => s.Items))
        {
            if (!Claim(scope, item.Name, item.NameSpan, decl.Name, owner))
                continue;
            var value = Folder.Fold(expressions.Bind(item.Value, ctx));
            if (overrides.Remove(item.Name, out var o))
            {
                var overridden = Folder.Fold(expressions.Bind(o.Value, perElement));
                // A parameter declared dimensionless takes the dimension it is given at the use site, so one
                // rule serves weights in nS, nA or mV (StdpAdditive (wmax = 5<nS>)); the model's equations are
                // checked again with it, so a wrong dimension is still caught where it is used.
                if (overridden is not IrError && value is not IrError && value.Dimension.IsDimensionless && overridden.Type == IrType.Real)
                    value = value with { Dimension = overridden.Dimension };
                if (overridden is not IrError && value is not IrError && overridden.Dimension != value.Dimension && !ExpressionBinder.IsLiteralZero(o.Value))
                    diagnostics.Error(DiagnosticCodes.DimensionMismatch, o.Value.Span, $"'{item.Name}' has dimension {value.Dimension}, but the new value has {overridden.Dimension}");
                else if (overridden is not IrError && !Folder.IsConstant(overridden) && overridden.Type == IrType.Real)
                {
                    var index = firstIndex + promoted.Count;
                    scope.Set(new VarEntry(index, value.Dimension, item.Name, item.NameSpan));
                    promoted.Add(new StateVarIR(item.Name, value.Dimension, overridden with { Dimension = value.Dimension }, item.NameSpan));
                    continue;
                }
                else if (overridden is not IrError)
                    value = overridden with { Dimension = value.Dimension };
            }
            if (value is IrError)
            {
                scope.Set(new ParamEntry(new ParamIR(item.Name, double.NaN, Dimension.None, item.NameSpan)));
                continue;
            }
            if (!Folder.TryValue(value, out var number))
            {
                diagnostics.Error(DiagnosticCodes.NotConstant, item.Value.Span,
                    $"parameter '{item.Name}' must be a constant; to give each neuron its own value, declare it under 'state'");
                number = double.NaN;
            }
            var param = new ParamIR(item.Name, number, value.Dimension, item.NameSpan);
            scope.Set(new ParamEntry(param));
            result.Add(param);
        }
        return result.ToImmutable();
    }

    private ImmutableArray<StateVarIR> BindState(ModelDecl decl, ModelScope scope, BindingContext ctx, Dictionary<string, NamedArgExpr> overrides, Dictionary<string, string>? owner = null, int firstIndex = 0)
    {
        var result = ImmutableArray.CreateBuilder<StateVarIR>();
        foreach (var item in decl.Sections.OfType<StateSection>().SelectMany(s => s.Items))
        {
            if (!Claim(scope, item.Name, item.NameSpan, decl.Name, owner))
                continue;
            var init = expressions.Bind(item.Value, ctx);
            if (init is not IrError && init.Type != IrType.Real)
                init = expressions.Error(item.Value.Span, DiagnosticCodes.NeedsNumber, "a state variable holds a number, not a condition");
            if (overrides.Remove(item.Name, out var o))
            {
                var overridden = expressions.Bind(o.Value, ctx);
                if (overridden is not IrError && init is not IrError && overridden.Dimension != init.Dimension && !ExpressionBinder.IsLiteralZero(o.Value))
                    diagnostics.Error(DiagnosticCodes.DimensionMismatch, o.Value.Span, $"'{item.Name}' has dimension {init.Dimension}, but the new initial value has {overridden.Dimension}");
                else if (overridden is not IrError)
                    init = overridden;
            }
            var index = firstIndex + result.Count;
            scope.Set(new VarEntry(index, init.Dimension, item.Name, item.NameSpan));
            result.Add(new StateVarIR(item.Name, init.Dimension, init, item.NameSpan));
        }
        if (owner is null)
            RegisterAliases(decl, scope, null);
        return result.ToImmutable();
    }

    /// <summary>Adds a name to the scope, reporting a clash (and, for composed synapses, which block had it first).</summary>
    private bool Claim(ModelScope scope, string name, Span span, string model, Dictionary<string, string>? owner)
    {
        if (scope.Lookup(name) is { } existing)
        {
            if (owner is not null && owner.TryGetValue(name, out var o) && o != model && _composing is { } reference)
            {
                // A clash between composed blocks is the user's composition, so say it at the 'with'.
                _clashed.Add((model, name));
                diagnostics.Error(DiagnosticCodes.Duplicate, reference.Span,
                    $"'{model}' and '{o}' both define '{name}' (at {span.Location} and {existing.Span?.Location ?? "?"}); "
                    + $"rename one with '{model} ({name} as {name}_2)' or use one variable with '{model} (shared {name})'");
                return false;
            }
            diagnostics.Error(DiagnosticCodes.Duplicate, span, $"'{name}' is already defined (at {existing.Span?.Location ?? "?"})");
            return false;
        }
        if (owner is not null)
            owner[name] = model;
        scope.Set(new PendingEntry(name, span));
        return true;
    }

    private void RegisterAliases(ModelDecl decl, ModelScope scope, Dictionary<string, string>? owner)
    {
        foreach (var alias in decl.Sections.OfType<EquationsSection>().SelectMany(s => s.Items).OfType<AliasEquation>())
            if (Claim(scope, alias.Name, alias.NameSpan, decl.Name, owner))
                scope.Set(new AliasEntry(alias.Name, alias.Value, alias.NameSpan));
    }

    private ImmutableArray<OdeIR> BindEquations(ModelDecl decl, ModelScope scope, BindingContext ctx, IReadOnlyList<StateVarIR> state, bool allowEventDriven)
    {
        var result = ImmutableArray.CreateBuilder<OdeIR>();
        var seen = new HashSet<int>();
        foreach (var section in decl.Sections.OfType<EquationsSection>())
        {
            if (section.Timing == EquationTiming.EventDriven && !allowEventDriven)
                diagnostics.Error(DiagnosticCodes.WrongKind, section.Span, "(event-driven) equations belong to synapses; a neuron's equations are integrated every step");
            var timing = section.Timing == EquationTiming.EventDriven ? OdeTiming.Event : OdeTiming.Clock;
            foreach (var eq in section.Items.OfType<OdeEquation>())
            {
                if (eq.Name.Length == 0 || _clashed.Contains((decl.Name, eq.Name)))
                    continue;
                if (scope.Unknown && scope.Lookup(eq.Name) is null)
                {
                    // A variable of a block this one will be composed with: the right-hand side can still be checked.
                    expressions.Bind(eq.Value, ctx);
                    continue;
                }
                if (scope.Lookup(eq.Name) is not VarEntry v)
                {
                    diagnostics.Error(DiagnosticCodes.UnknownName, eq.NameSpan,
                        scope.Lookup(eq.Name) is ParamEntry
                            ? $"'{eq.Name}' is a parameter; declare it under 'state' to give it a differential equation"
                            : $"d{eq.Name}/dt: '{eq.Name}' is not a state variable of '{decl.Name}'" + Suggestions.DidYouMean(eq.Name, state.Select(s => s.Name)));
                    continue;
                }
                if (!seen.Add(v.Index))
                {
                    diagnostics.Error(DiagnosticCodes.Duplicate, eq.NameSpan, $"'{eq.Name}' has more than one differential equation");
                    continue;
                }
                var rhs = expressions.Bind(eq.Value, ctx);
                if (rhs is IrError)
                    continue;
                var expected = v.Dimension / Dimension.Time;
                if (rhs.Type != IrType.Real)
                    diagnostics.Error(DiagnosticCodes.NeedsNumber, eq.Value.Span, $"d{eq.Name}/dt must be a number, not a condition");
                else if (rhs.Dimension != expected && !ExpressionBinder.IsLiteralZero(eq.Value))
                    diagnostics.Error(DiagnosticCodes.EquationDimension, eq.Value.Span,
                        $"d{eq.Name}/dt must have dimension {expected} ({eq.Name} is {v.Dimension}, per second), but the right-hand side has {rhs.Dimension}"
                        + (rhs.Dimension == v.Dimension ? $"; divide by a time constant" : ""));
                else
                    result.Add(new OdeIR(v.Index, rhs, eq.UnlessRefractory, timing, eq.Span));
            }
        }
        return result.ToImmutable();
    }

    private IntegrationMethod? Method(MethodSection m)
    {
        if (Integration.Names.TryGetValue(m.Method, out var method))
            return method;
        diagnostics.Error(DiagnosticCodes.UnknownMethod, m.MethodSpan,
            $"unknown integration method '{m.Method}'; expected exact, exponential_euler, euler, rk2 or rk4" + Suggestions.DidYouMean(m.Method, Integration.Names.Keys));
        return null;
    }
}
