using System.Collections.Immutable;
using BioLang.Language.Compilation;
using BioLang.Language.Diagnostics;
using BioLang.Language.IR;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using BioLang.Language.Units;

namespace BioLang.Language.Semantics;

internal sealed partial class NetworkBinder
{
    private void Population(PopulationDecl p)
    {
        if (Integer(p.Size, "a population's size", 1, int.MaxValue) is not { } n)
        {
            Declare(new ConstantSymbol(p.Name, new IrError(p.NameSpan), p.NameSpan), p.NameSpan);
            return;
        }
        var size = (int)n;
        PopulationIR? population = null;
        ModelScope? scope = null;
        switch (p.Kind)
        {
            case PopulationKind.Neurons:
                switch (_globals.Lookup(p.Model!))
                {
                    case ModelSymbol { Declaration.Kind: ModelKind.Neuron or ModelKind.Rate } model:
                        if (ResolveVariant(model.Declaration, p.Overrides) is not { } resolved)
                            break;
                        var bound = _models.BindNeuron(resolved.Root, WithSettings(p.Name, resolved.Root, resolved.Overrides), p.Name, size, model.Name);
                        population = new NeuronGroupIR(p.Name, size, bound.Model, p.Span);
                        scope = bound.Scope;
                        break;
                    case { } other:
                        _diagnostics.Error(DiagnosticCodes.WrongKind, p.ModelSpan, $"'{p.Model}' is a {other.Kind}; a population needs a neuron model");
                        break;
                    default:
                        _diagnostics.Error(DiagnosticCodes.UnknownName, p.ModelSpan,
                            $"unknown neuron model '{p.Model}'" + Suggestions.DidYouMean(p.Model!, NeuronModels())
                            + ModuleLoader.OpenHint(p.Model!));
                        break;
                }
                break;
            case PopulationKind.Poisson:
                population = Poisson(p, size);
                break;
            case PopulationKind.SpikeTimes:
                population = SpikeTimes(p, size);
                break;
        }
        if (population is null)
        {
            Declare(new ConstantSymbol(p.Name, new IrError(p.NameSpan), p.NameSpan), p.NameSpan);
            return;
        }
        var index = _populations.Count;
        _populations.Add(population);
        _neuronScopes.Add(scope);
        if (population is NeuronGroupIR group && scope is not null)
            Assign(index, group, scope);
        Declare(new PopulationSymbol(p.Name, new PopRefIR(index, 0, size, p.Name), p.NameSpan), p.NameSpan);
    }

    /// <summary>
    /// Follows <c>neuron B = A (x = 1)</c> to the model with sections, collecting overrides: the
    /// base's first, each variant's on top, the use site's last.
    /// </summary>
    private (ModelDecl Root, ImmutableArray<NamedArgExpr> Overrides)? ResolveVariant(ModelDecl decl, ImmutableArray<NamedArgExpr> useSite)
    {
        var chain = new List<ModelDecl>();
        var current = decl;
        while (current.Base is { } b)
        {
            if (chain.Contains(current))
            {
                _diagnostics.Error(DiagnosticCodes.AliasCycle, decl.NameSpan, $"'{decl.Name}' is a variant of itself (through {string.Join(" -> ", chain.Select(c => c.Name))})");
                return null;
            }
            chain.Add(current);
            switch (_globals.Lookup(b.Name))
            {
                case ModelSymbol { Declaration: var next } when next.Kind == decl.Kind:
                    current = next;
                    break;
                case ModelSymbol other:
                    _diagnostics.Error(DiagnosticCodes.WrongKind, b.Span, $"'{current.Name}' is a {decl.Kind.ToString().ToLowerInvariant()} model, but '{b.Name}' is a {other.Kind}");
                    return null;
                default:
                    _diagnostics.Error(DiagnosticCodes.UnknownName, b.Span, $"unknown model '{b.Name}'" + Suggestions.DidYouMean(b.Name, _globals.Symbols.Values.OfType<ModelSymbol>().Select(m => m.Name)) + ModuleLoader.OpenHint(b.Name));
                    return null;
            }
        }
        var merged = new Dictionary<string, NamedArgExpr>();
        foreach (var overrides in chain.Select(c => c.Base!.Overrides).Reverse().Append(useSite))
        {
            // A later level replaces an earlier one's value; within one list a repeat is a slip, as in F# records.
            foreach (var repeat in overrides.GroupBy(o => o.Name).Where(g => g.Count() > 1))
                _diagnostics.Error(DiagnosticCodes.Duplicate, repeat.Last().NameSpan, $"'{repeat.Key}' is given more than one value");
            foreach (var o in overrides)
                merged[o.Name] = o;
        }
        return (current, [.. merged.Values]);
    }

    /// <summary>Parameter settings of this population (the REPL's <c>P.tau_m &lt;- 12&lt;ms&gt;</c>) join its overrides, taking precedence.</summary>
    private ImmutableArray<NamedArgExpr> WithSettings(string population, ModelDecl model, ImmutableArray<NamedArgExpr> overrides)
    {
        var parameters = model.Sections.OfType<ParametersSection>().SelectMany(s => s.Items).Select(d => d.Name).ToHashSet();
        var mine = _settings.Where(s => s.Setting.Population == population && parameters.Contains(s.Setting.Name)).ToList();
        if (mine.Count == 0)
            return overrides;
        foreach (var s in mine)
            _settings.Remove(s);
        var merged = overrides.ToDictionary(o => o.Name);
        foreach (var (setting, value) in mine)
            merged[setting.Name] = new NamedArgExpr(setting.Name, value, value.Span, value.Span);
        return [.. merged.Values];
    }

    /// <summary>State assignments of this population: bound as a reset-like block over its own state, run once by the host.</summary>
    private void Assign(int index, NeuronGroupIR group, ModelScope scope)
    {
        var mine = _settings.Where(s => s.Setting.Population == group.Name).ToList();
        if (mine.Count == 0)
            return;
        var statements = ImmutableArray.CreateBuilder<IrStmt>();
        var ctx = new BindingContext(ContextKind.Neuron) { Own = scope, Sizes = ImmutableDictionary<string, double>.Empty.Add("N", group.Size) };
        foreach (var s in mine)
        {
            _settings.Remove(s);
            var var = group.Model.VarIndex(s.Setting.Name);
            if (var < 0)
            {
                _diagnostics.Error(DiagnosticCodes.UnknownName, s.Value.Span,
                    $"'{group.Model.Name}' has no parameter or state variable '{s.Setting.Name}'"
                    + Suggestions.DidYouMean(s.Setting.Name, group.Model.State.Select(v => v.Name).Concat(group.Model.Parameters.Select(p => p.Name))));
                continue;
            }
            var variable = group.Model.State[var];
            var value = _expressions.BindExpecting(s.Value, ctx, variable.Dimension, $"'{group.Name}.{variable.Name}'");
            if (value is not IrError)
                statements.Add(new IrAssign(new VarRef(VarScope.Neuron, var, variable.Name), value, s.Value.Span));
        }
        if (statements.Count > 0)
            _assignments.Add((index, statements.ToImmutable()));
    }

    private IEnumerable<string> NeuronModels() =>
        _globals.Symbols.Values.OfType<ModelSymbol>().Where(m => m.Declaration.Kind is ModelKind.Neuron or ModelKind.Rate).Select(m => m.Name);

    private PoissonGroupIR? Poisson(PopulationDecl p, int size)
    {
        var ctx = new BindingContext(ContextKind.Rate) { Sizes = ImmutableDictionary<string, double>.Empty.Add("N", size) };
        var rateExpr = p.Argument!;
        if (rateExpr is LambdaExpr lambda)
        {
            if (lambda.Parameters.Length > 2)
            {
                _diagnostics.Error(DiagnosticCodes.Arity, lambda.Span, "a rate function takes the time and the neuron index: fun t i -> ...");
                return null;
            }
            if (lambda.Parameters is [var first, var second] && first == second)
            {
                _diagnostics.Error(DiagnosticCodes.Duplicate, lambda.Span, $"a rate function names both its parameters '{first}'");
                return null;
            }
            var locals = ImmutableDictionary<string, IrExpr>.Empty;
            if (lambda.Parameters.Length > 0)
                locals = locals.Add(lambda.Parameters[0], new IrSpecial(Special.Time, Dimension.Time, lambda.Span));
            if (lambda.Parameters.Length > 1)
                locals = locals.Add(lambda.Parameters[1], new IrSpecial(Special.I, Dimension.None, lambda.Span));
            ctx = ctx with { Locals = locals };
            rateExpr = lambda.Body;
        }
        var rate = _expressions.BindExpecting(rateExpr, ctx, Dimension.Frequency, "a Poisson rate");
        if (rate is IrError)
            return null;
        var constant = Folder.Evaluate(rate);
        if (constant is < 0)
            _diagnostics.Error(DiagnosticCodes.BadValue, rateExpr.Span, "a Poisson rate cannot be negative");
        // Each neuron draws at most one spike per step, with probability rate·dt: from rate·dt = 1 on,
        // it spikes every step and the group fires at 1/dt whatever the rate asked for.
        if (constant is { } hz && hz * _dt >= 1)
            _diagnostics.Warning(DiagnosticCodes.PoissonSaturated, rateExpr.Span,
                $"a Poisson rate of {UnitTable.Pretty(hz, Dimension.Frequency)} is at least 1/dt = {UnitTable.Pretty(1 / _dt, Dimension.Frequency)} (dt = {(_dt * 1e3).ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} ms): "
                + $"a neuron spikes at most once per step, so each fires every step, at {UnitTable.Pretty(1 / _dt, Dimension.Frequency)}; lower the rate or dt");
        return new PoissonGroupIR(p.Name, size, rate, p.Span);
    }

    private Expr ResolveList(Expr e) => e is NameExpr n && _globals.Lookup(n.Name) is ListSymbol list ? list.List : e;

    private SpikeTimesIR? SpikeTimes(PopulationDecl p, int size)
    {
        if (ResolveList(p.Argument!) is not ListExpr list)
        {
            _diagnostics.Error(DiagnosticCodes.BadValue, p.Argument!.Span, "spike_times takes a list of (neuron, time) pairs, e.g. [(0, 10<ms>); (1, 12<ms>)]");
            return null;
        }
        var spikes = new List<(int, double)>();
        foreach (var item in list.Items)
        {
            Expr indexExpr;
            Expr timeExpr;
            if (item is TupleExpr { Items.Length: 2 } pair)
                (indexExpr, timeExpr) = (pair.Items[0], pair.Items[1]);
            else if (size == 1)
                (indexExpr, timeExpr) = (new NumberExpr(0, "0", null, item.Span), item);
            else
            {
                _diagnostics.Error(DiagnosticCodes.BadValue, item.Span, "each spike is a (neuron, time) pair");
                continue;
            }
            var index = Integer(indexExpr, "a neuron index", 0, size - 1);
            var time = Folder.Evaluate(_expressions.BindExpecting(timeExpr, ConstantContext, Dimension.Time, "a spike time"));
            if (time is < 0)
                _diagnostics.Error(DiagnosticCodes.BadValue, timeExpr.Span, "a spike time cannot be negative");
            else if (index is { } i && time is { } t)
                spikes.Add(((int)i, t));
        }
        return new SpikeTimesIR(p.Name, size, [.. spikes.OrderBy(s => s.Item2).ThenBy(s => s.Item1)], p.Span);
    }

    /// <summary>A population, or a slice <c>P[a .. b]</c> of one (inclusive, relative to what it slices).</summary>
    private PopRefIR? PopulationRef(Expr e)
    {
        switch (e)
        {
            case NameExpr n:
                switch (_globals.Lookup(n.Name))
                {
                    case PopulationSymbol p:
                        return p.Ref;
                    case ConstantSymbol { Value: IrError }:
                        return null;
                    case { } other:
                        _diagnostics.Error(DiagnosticCodes.WrongKind, n.Span, $"'{n.Name}' is a {other.Kind}, not a population");
                        return null;
                    default:
                        _diagnostics.Error(DiagnosticCodes.UnknownName, n.Span,
                            $"unknown population '{n.Name}'" + Suggestions.DidYouMean(n.Name, _globals.Symbols.Values.OfType<PopulationSymbol>().Select(s => s.Name)));
                        return null;
                }
            case SliceExpr s:
                return Slice(s);
            default:
                _diagnostics.Error(DiagnosticCodes.WrongKind, e.Span, "expected a population or a slice of one, such as P[0 .. 99]");
                return null;
        }
    }

    private PopRefIR? Slice(SliceExpr s)
    {
        if (PopulationRef(s.Target) is not { } whole)
            return null;
        var from = Integer(s.From, "the first index of a slice", 0, whole.Count - 1);
        var to = Integer(s.To, "the last index of a slice", 0, whole.Count - 1);
        if (from is null || to is null)
            return null;
        if (to < from)
        {
            _diagnostics.Error(DiagnosticCodes.BadValue, s.Span, $"an empty slice: {from} .. {to}");
            return null;
        }
        return new PopRefIR(whole.Population, whole.Start + (int)from, (int)(to - from + 1), $"{whole.Display}[{from}..{to}]");
    }

    private ModelScope ScopeOf(PopRefIR p, VarScope role)
    {
        var scope = _neuronScopes[p.Population];
        return scope is null ? new ModelScope(_populations[p.Population].Name, role) : scope.As(role);
    }

    private void Connect(ConnectDecl c)
    {
        var pre = PopulationRef(c.Pre);
        var post = PopulationRef(c.Post);
        var blocks = new List<(ModelDecl, ModelRef)>();
        foreach (var reference in c.Synapse)
        {
            switch (_globals.Lookup(reference.Name))
            {
                case ModelSymbol { Declaration.Kind: ModelKind.Synapse or ModelKind.Plasticity } model:
                    if (ResolveVariant(model.Declaration, reference.Overrides) is { } resolved)
                        blocks.Add((resolved.Root, reference with { Overrides = resolved.Overrides }));
                    break;
                case { } other:
                    _diagnostics.Error(DiagnosticCodes.WrongKind, reference.Span, $"'{reference.Name}' is a {other.Kind}; 'with' takes synapse models and plasticity rules");
                    break;
                default:
                    _diagnostics.Error(DiagnosticCodes.UnknownName, reference.Span,
                        $"unknown synapse model '{reference.Name}'" + Suggestions.DidYouMean(reference.Name,
                            _globals.Symbols.Values.OfType<ModelSymbol>().Where(m => m.Declaration.Kind is ModelKind.Synapse or ModelKind.Plasticity).Select(m => m.Name))
                        + ModuleLoader.OpenHint(reference.Name));
                    break;
            }
        }
        if (pre is null || post is null || blocks.Count != c.Synapse.Length)
            return;
        if (_populations[post.Population] is not NeuronGroupIR)
        {
            _diagnostics.Error(DiagnosticCodes.WrongKind, c.Post.Span, $"'{post.Display}' is an input group; connections must end on neurons");
            return;
        }
        var synapse = _models.BindSynapse(blocks, ScopeOf(pre, VarScope.Pre), ScopeOf(post, VarScope.Post), pre.Count, post.Count, out var delay, out _);
        var rule = Rule(c.Rule, pre, post);
        if (c.Delay is not null)
        {
            var ctx = new BindingContext(ContextKind.Synapse)
            {
                Sizes = ImmutableDictionary<string, double>.Empty.Add("N_pre", pre.Count).Add("N_post", post.Count),
            };
            delay = _expressions.BindExpecting(c.Delay, ctx, Dimension.Time, "a delay");
        }
        if (delay is not null && Folder.Evaluate(delay) is < 0)
            _diagnostics.Error(DiagnosticCodes.BadValue, c.Delay?.Span ?? c.Span, "a delay cannot be negative");
        if (synapse is null || rule is null || delay is IrError)
            return;
        var name = c.Name ?? $"{pre.Display}->{post.Display}";
        var unique = name;
        for (var k = 2; _projections.Any(p => p.Name == unique); k++)
            unique = $"{name}#{k}";
        if (c.Name is not null)
            Declare(new ProjectionSymbol(c.Name, c.Span), c.Span);
        _projections.Add(new ProjectionIR(unique, pre, post, synapse, rule, delay, c.NoAutapses, c.Span));
    }

    private ConnectRuleIR? Rule(RuleSyntax rule, PopRefIR pre, PopRefIR post)
    {
        var sizes = ImmutableDictionary<string, double>.Empty.Add("N_pre", pre.Count).Add("N_post", post.Count);
        var ctx = new BindingContext(ContextKind.Rule) { Sizes = sizes };
        int expected = rule.Keyword is "all_to_all" or "one_to_one" ? 0 : 1;
        if (!RuleSyntax.Keywords.Contains(rule.Keyword))
        {
            _diagnostics.Error(DiagnosticCodes.UnknownName, rule.Span, $"unknown connection rule '{rule.Keyword}'; expected one of {string.Join(", ", RuleSyntax.Keywords)}" + Suggestions.DidYouMean(rule.Keyword, RuleSyntax.Keywords));
            return null;
        }
        if (rule.Arguments.Length != expected)
        {
            _diagnostics.Error(DiagnosticCodes.Arity, rule.Span, $"'{rule.Keyword}' takes {expected} argument(s)");
            return null;
        }
        switch (rule.Keyword)
        {
            case "all_to_all":
                return new AllToAllRule(rule.Span);
            case "one_to_one":
                if (pre.Count != post.Count)
                {
                    _diagnostics.Error(DiagnosticCodes.SizeMismatch, rule.Span, $"one_to_one needs groups of one size, but {pre.Display} has {pre.Count} neurons and {post.Display} has {post.Count}");
                    return null;
                }
                return new OneToOneRule(rule.Span);
            case "probability":
            {
                var p = _expressions.BindExpecting(LambdaBody(rule.Arguments[0], ref ctx), ctx, Dimension.None, "a connection probability");
                if (Folder.Evaluate(p) is { } value and (< 0 or > 1))
                    _diagnostics.Error(DiagnosticCodes.BadValue, rule.Arguments[0].Span, $"a probability must be between 0 and 1, but is {value}");
                return p is IrError ? null : new ProbabilityRule(p, rule.Span);
            }
            case "fixed_indegree":
                return Integer(rule.Arguments[0], "the in-degree", 0, pre.Count) is { } k ? new FixedIndegreeRule((int)k, rule.Span) : null;
            case "fixed_outdegree":
                return Integer(rule.Arguments[0], "the out-degree", 0, post.Count) is { } m ? new FixedOutdegreeRule((int)m, rule.Span) : null;
            case "where":
            {
                var condition = _expressions.BindCondition(LambdaBody(rule.Arguments[0], ref ctx), ctx, "a connection condition");
                return condition is IrError ? null : new PredicateRule(condition, rule.Span);
            }
            default:
                return Pairs(rule, pre, post);
        }
    }

    /// <summary><c>fun i j -> body</c> binds its parameters to the pre and post indices; a bare expression uses i and j.</summary>
    private Expr LambdaBody(Expr e, ref BindingContext ctx)
    {
        if (e is not LambdaExpr lambda)
            return e;
        if (lambda.Parameters.Length != 2)
        {
            _diagnostics.Error(DiagnosticCodes.Arity, lambda.Span, "a connection rule's function takes the two indices: fun i j -> ...");
            return lambda.Body;
        }
        if (lambda.Parameters[0] == lambda.Parameters[1])
            _diagnostics.Error(DiagnosticCodes.Duplicate, lambda.Span, $"a connection rule's function names both its parameters '{lambda.Parameters[0]}'");
        ctx = ctx with
        {
            Locals = ctx.Locals
                .SetItem(lambda.Parameters[0], new IrSpecial(Special.I, Dimension.None, lambda.Span))
                .SetItem(lambda.Parameters[1], new IrSpecial(Special.J, Dimension.None, lambda.Span)),
        };
        return lambda.Body;
    }

    private PairsRule? Pairs(RuleSyntax rule, PopRefIR pre, PopRefIR post)
    {
        if (ResolveList(rule.Arguments[0]) is not ListExpr list)
        {
            _diagnostics.Error(DiagnosticCodes.BadValue, rule.Arguments[0].Span, "pairs takes a list of (pre, post) index pairs, e.g. [(0, 1); (2, 3)]");
            return null;
        }
        var pairs = ImmutableArray.CreateBuilder<(int, int)>();
        foreach (var item in list.Items)
        {
            if (item is not TupleExpr { Items.Length: 2 } pair)
            {
                _diagnostics.Error(DiagnosticCodes.BadValue, item.Span, "each connection is a (pre, post) pair");
                continue;
            }
            var i = Integer(pair.Items[0], "a presynaptic index", 0, pre.Count - 1);
            var j = Integer(pair.Items[1], "a postsynaptic index", 0, post.Count - 1);
            if (i is not null && j is not null)
                pairs.Add(((int)i, (int)j));
        }
        return new PairsRule(pairs.ToImmutable(), rule.Span);
    }

    private void Monitor(MonitorDecl m)
    {
        switch (m.Kind)
        {
            case MonitorKind.Spikes:
                if (m.Indices is not null)
                    _diagnostics.Error(DiagnosticCodes.BadValue, m.Indices.Span, "to record the spikes of some neurons, monitor a slice: monitor spikes P[0 .. 99]");
                if (m.Every is not null)
                    _diagnostics.Error(DiagnosticCodes.BadValue, m.Every.Span, "spikes are recorded when they happen; 'every' is for state and rate monitors");
                if (PopulationRef(m.Target) is { } target)
                    AddMonitor(new SpikeMonitorIR("spikes_" + target.Display, target, m.Span));
                break;
            case MonitorKind.Rate:
                if (m.Indices is not null)
                    _diagnostics.Error(DiagnosticCodes.BadValue, m.Indices.Span, "to record the rate of some neurons, monitor a slice: monitor rate P[0 .. 99]");
                if (PopulationRef(m.Target) is { } group)
                    AddMonitor(new RateMonitorIR("rate_" + group.Display, group, Steps(m.Every, "a rate bin"), m.Span));
                break;
            case MonitorKind.Weights:
                WeightMonitor(m);
                break;
            default:
                StateMonitor(m);
                break;
        }
    }

    /// <summary><c>monitor weights exc -> P every 1&lt;s&gt;</c> or <c>monitor weights name</c> (a connect named with let): the weights w over time.</summary>
    private void WeightMonitor(MonitorDecl m)
    {
        int index;
        if (m.PostTarget is null && m.Target is NameExpr { Name: var projectionName } && _projections.FindIndex(p => p.Name == projectionName) is >= 0 and var named)
            index = named;
        else if (m.PostTarget is null)
        {
            _diagnostics.Error(DiagnosticCodes.UnknownName, m.Target.Span,
                "monitor weights takes a connection: 'monitor weights pre -> post' or the name of a 'let name = connect ...'"
                + Suggestions.DidYouMean(m.Target.Span.Text, _projections.Select(p => p.Name)));
            return;
        }
        else
        {
            var pre = PopulationRef(m.Target);
            var post = PopulationRef(m.PostTarget);
            if (pre is null || post is null)
                return;
            var matches = _projections.Select((p, k) => (p, k)).Where(x => x.p.Pre == pre && x.p.Post == post).ToList();
            if (matches.Count != 1)
            {
                _diagnostics.Error(matches.Count == 0 ? DiagnosticCodes.UnknownName : DiagnosticCodes.Duplicate, m.Span, matches.Count == 0
                    ? $"there is no connection {pre.Display} -> {post.Display} (declared before this monitor)"
                    : $"there are {matches.Count} connections {pre.Display} -> {post.Display}; name one with 'let name = connect ...' and monitor it by name");
                return;
            }
            index = matches[0].k;
        }
        var projection = _projections[index];
        var var = projection.Synapse.VarIndex("w");
        if (var < 0)
        {
            _diagnostics.Error(DiagnosticCodes.UnknownName, m.Span, $"the synapses of {projection.Name} ({projection.Synapse.Name}) have no state variable 'w' to monitor");
            return;
        }
        ImmutableArray<int>? synapses = null;
        switch (m.Indices is null ? null : ResolveList(m.Indices))
        {
            case RangeExpr range:
                var from = Integer(range.From, "a synapse index", 0, int.MaxValue);
                var to = Integer(range.To, "a synapse index", 0, int.MaxValue);
                if (from is not null && to is not null)
                    synapses = [.. Enumerable.Range((int)from.Value, (int)Math.Max(0, to.Value - from.Value + 1))];
                break;
            case ListExpr list:
                synapses = [.. list.Items.Select(item => Integer(item, "a synapse index", 0, int.MaxValue)).OfType<long>().Select(v => (int)v)];
                break;
        }
        AddMonitor(new WeightMonitorIR($"weights_{projection.Name}", index, var, synapses, Steps(m.Every, "a recording interval"), m.Span));
    }

    private void StateMonitor(MonitorDecl m)
    {
        var member = (MemberExpr)m.Target;
        if (PopulationRef(new NameExpr(member.Qualifier, member.QualifierSpan)) is not { } target)
            return;
        if (_populations[target.Population] is not NeuronGroupIR group)
        {
            _diagnostics.Error(DiagnosticCodes.WrongKind, member.QualifierSpan, $"'{target.Display}' is an input group; it has spikes but no state to record");
            return;
        }
        var var = group.Model.VarIndex(member.Name);
        if (var < 0)
        {
            var message = group.Model.Parameters.Any(p => p.Name == member.Name)
                ? $"'{member.Name}' is a parameter of '{group.Model.Name}', constant; only state variables change"
                : $"'{group.Model.Name}' has no state variable '{member.Name}'" + Suggestions.DidYouMean(member.Name, group.Model.State.Select(s => s.Name));
            _diagnostics.Error(DiagnosticCodes.UnknownName, member.Span, message);
            return;
        }
        var indices = ImmutableArray.CreateBuilder<int>();
        switch (m.Indices is null ? null : ResolveList(m.Indices))
        {
            case null:
                for (var k = 0; k < target.Count; k++)
                    indices.Add(target.Start + k);
                break;
            case RangeExpr range:
                var from = Integer(range.From, "a neuron index", 0, target.Count - 1);
                var to = Integer(range.To, "a neuron index", 0, target.Count - 1);
                if (from is not null && to is not null)
                    for (var k = from.Value; k <= to.Value; k++)
                        indices.Add(target.Start + (int)k);
                break;
            case ListExpr list:
                foreach (var item in list.Items)
                    if (Integer(item, "a neuron index", 0, target.Count - 1) is { } k)
                        indices.Add(target.Start + (int)k);
                break;
        }
        AddMonitor(new StateMonitorIR($"{target.Display}.{member.Name}", target.Population, var, indices.ToImmutable(), Steps(m.Every, "a recording interval"), m.Span));
    }

    /// <summary>
    /// A monitor is named after what it records; a second monitor of the same thing that records it
    /// differently (other neurons, another interval) is named with a suffix, <c>P.v#2</c>, as a
    /// second unnamed connection between two groups is. One that records exactly the same is dropped.
    /// </summary>
    private void AddMonitor(MonitorIR monitor)
    {
        if (_monitors.FirstOrDefault(x => SameRecording(x, monitor)) is { } same)
        {
            _diagnostics.Warning(DiagnosticCodes.Duplicate, monitor.Span,
                $"'{monitor.Name}' is already monitored the same way" + (same.Name == monitor.Name ? "" : $" by '{same.Name}'")
                + (same.Span is { } s ? $" at {s.Location}" : "") + "; this monitor is ignored");
            return;
        }
        var name = monitor.Name;
        for (var k = 2; _monitors.Any(x => x.Name == name); k++)
            name = $"{monitor.Name}#{k}";
        _monitors.Add(monitor with { Name = name });
    }

    private static bool SameRecording(MonitorIR a, MonitorIR b) => (a, b) switch
    {
        (SpikeMonitorIR x, SpikeMonitorIR y) => x.Target == y.Target,
        (RateMonitorIR x, RateMonitorIR y) => x.Target == y.Target && x.BinSteps == y.BinSteps,
        (StateMonitorIR x, StateMonitorIR y) => x.Population == y.Population && x.Var == y.Var && x.IntervalSteps == y.IntervalSteps && x.Indices.SequenceEqual(y.Indices),
        (WeightMonitorIR x, WeightMonitorIR y) => x.Projection == y.Projection && x.Var == y.Var && x.IntervalSteps == y.IntervalSteps
            && (x.Synapses is null ? y.Synapses is null : y.Synapses is not null && x.Synapses.Value.SequenceEqual(y.Synapses.Value)),
        _ => false,
    };
}
