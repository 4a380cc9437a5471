using System.Collections.Immutable;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Text;
using Sprache;
using static BioLang.Language.Syntax.Parsing.Lexical;

namespace BioLang.Language.Syntax.Parsing;

/// <summary>One-line forms of top-level declarations: open, let, settings, connect, monitor, run, model headers.</summary>
internal static class DeclarationGrammar
{
    private static readonly Parser<Expr> Expr = ExpressionGrammar.Expr;

    public static readonly Parser<Decl> Open =
        (from kw in Keyword("open")
         from target in StringLiteral.Tok().Select(s => (s, file: true))
             .Or(Identifier.SeparatedBy(Symbol(".")).Select(parts => (s: string.Join(".", parts), file: false)))
             .Expecting("module name or \"file.bnn\"")
         select target)
        .Spanned((t, span) => (Decl)new OpenDecl(t.s, t.file, span));

    public sealed record LetHeader(string Name, Span NameSpan, ImmutableArray<string> Parameters);

    /// <summary><c>let name params =</c>; what follows decides which declaration it is.</summary>
    public static readonly Parser<LetHeader> LetHead =
        from kw in Keyword("let")
        from name in IdentifierWithSpan.Expecting("name")
        from parameters in Identifier.ManyCommit()
        from eq in Symbol("=", "==").Expecting("'='")
        select new LetHeader(name.Name, name.Span, parameters);

    public static readonly Parser<(string Name, Span Span)> SettingHead =
        from name in IdentifierWithSpan
        from eq in Symbol("=", "==")
        select name;

    /// <summary><c>population 4000 Lif (v_th = -52&lt;mV&gt;)</c>, <c>poisson 1000 15&lt;Hz&gt;</c>, <c>spike_times 2 [(0, 1&lt;ms&gt;)]</c>.</summary>
    public static Parser<PopulationDecl> Population(LetHeader head, Span declStart) =>
        (from kw in Keyword("population")
         from size in ExpressionGrammar.Atom
         from model in IdentifierWithSpan.Expecting("neuron model name")
         from overrides in ExpressionGrammar.NamedArgs.OptionalValue()
         select (kind: PopulationKind.Neurons, size, model: ((string, Span)?)model, overrides: overrides ?? [], arg: (Expr?)null))
        .Or(from kw in Keyword("poisson")
            from size in ExpressionGrammar.Atom
            from rate in ExpressionGrammar.Atom.Expecting("rate")
            select (kind: PopulationKind.Poisson, size, model: ((string, Span)?)null, overrides: ImmutableArray<NamedArgExpr>.Empty, arg: (Expr?)rate))
        .Or(from kw in Keyword("spike_times")
            from size in ExpressionGrammar.Atom
            from times in ExpressionGrammar.Atom.Expecting("list of spikes")
            select (kind: PopulationKind.SpikeTimes, size, model: ((string, Span)?)null, overrides: ImmutableArray<NamedArgExpr>.Empty, arg: (Expr?)times))
        .Spanned((p, span) => new PopulationDecl(head.Name, p.kind, p.size, p.model?.Item1, p.model?.Item2, p.overrides, p.arg, head.NameSpan, declStart.To(span)));

    public static readonly Parser<Expr> PopulationRef =
        ExpressionGrammar.Atom.Where(e => e is NameExpr or SliceExpr).Expecting("population");

    private static readonly Parser<object> ModelArgument =
        (from from_ in IdentifierWithSpan
         from kw in Keyword("as")
         from to in IdentifierWithSpan.Expecting("new name")
         select (from_, to))
        .Spanned((x, span) => (object)new Rename(x.from_.Name, x.to.Name, span))
        .Or(from kw in Keyword("shared")
            from name in IdentifierWithSpan.Expecting("name of the shared variable")
            select (object)new Shared(name.Name, name.Span))
        .Or(ExpressionGrammar.NamedArg.Select(a => (object)a));

    private static readonly Parser<ImmutableArray<object>> ModelArguments =
        from open in Symbol("(")
        from args in ModelArgument.SeparatedBy(Symbol(",")).OptionalValue()
        from close in Symbol(")").Expecting("')'")
        select args ?? [];

    /// <summary>A model used in <c>with</c> or as a variant's base: <c>Stdp (A_pre = 0.005, apre as a1, shared apost)</c>.</summary>
    public static readonly Parser<ModelRef> SynapseTerm =
        (from name in IdentifierWithSpan
         from args in ModelArguments.OptionalValue()
         select (name, args: args ?? []))
        .Spanned((x, span) => new ModelRef(x.name.Name, [.. x.args.OfType<NamedArgExpr>()], span)
        {
            Renames = [.. x.args.OfType<Rename>()],
            Shared = [.. x.args.OfType<Shared>()],
        });

    /// <summary>A rule's name that may not be read as an argument or a delay's operand: what follows it is another option.</summary>
    private static readonly Parser<string> RuleWord =
        RawIdentifier.Where(w => RuleSyntax.Keywords.Contains(w)).Tok();

    private static readonly Parser<RuleSyntax> Rule =
        (from keyword in Keyword("where").Or(Identifier)
         from args in Parse.Not(RuleWord).Then(_ => ExpressionGrammar.Atom).ManyCommit()
         select (keyword, args))
        .Spanned((x, span) => new RuleSyntax(x.keyword, x.args, span));

    /// <summary>
    /// A delay is any expression, so <c>delay 1&lt;ms&gt; probability 0.1</c> would apply <c>1&lt;ms&gt;</c> to
    /// <c>probability</c>; its expression ends before the first rule name outside brackets.
    /// </summary>
    private static readonly Parser<Expr> DelayValue = Combinators.BeforeWord(Expr, RuleSyntax.Keywords);

    private static readonly Parser<ConnectOption> Option =
        Keyword("delay").Then(_ => DelayValue).Spanned((delay, span) => new ConnectOption("delay", null, delay, span))
            .Or(Keyword("no_autapses").Spanned((_, span) => new ConnectOption("no_autapses", null, null, span)))
            .Or(Rule.Select(rule => new ConnectOption("rule", rule, null, rule.Span)));

    /// <summary><c>connect pre -> post with A + B</c> and its options (a rule, a delay, <c>no_autapses</c>) in any order; <see cref="NodeParser"/> checks that none is repeated.</summary>
    public static readonly Parser<ConnectParts> Connect =
        (from kw in Keyword("connect")
         from pre in PopulationRef
         from arrow in Symbol("->").Expecting("'->'")
         from post in PopulationRef
         from with in Keyword("with").Expecting("'with'")
         from synapse in SynapseTerm.SeparatedBy(Symbol("+", "+="))
         from options in Option.ManyCommit()
         select (pre, post, synapse, options))
        .Spanned((x, span) => new ConnectParts(x.pre, x.post, x.synapse, x.options, span));

    private static readonly Parser<MonitorKind> MonitorKindWord =
        from word in RawIdentifier.Where(w => w is "spikes" or "rate" or "weights")
        from space in Parse.WhiteSpace.AtLeastOnce()
        select word switch { "spikes" => MonitorKind.Spikes, "rate" => MonitorKind.Rate, _ => MonitorKind.Weights };

    private static readonly Parser<Expr> ArrowPost = Symbol("->").Then(_ => PopulationRef);

    public static readonly Parser<Decl> Monitor =
        (from kw in Keyword("monitor")
         // Not committing: 'spikes' and 'rate' are not reserved, so 'monitor rate.v' reads the variable of a population named rate.
         from kind in MonitorKindWord.Tok().Optional().Select(k => k.IsDefined ? k.Get() : (MonitorKind?)null)
         from target in (kind is null
             ? ExpressionGrammar.Atom.Where(e => e is MemberExpr).Expecting("'spikes', 'rate', 'weights' or population.variable")
             : PopulationRef)
         from post in (kind == MonitorKind.Weights ? ArrowPost.OptionalCommit() : Parse.Return<Expr?>(null))
         from indices in ExpressionGrammar.Atom.Where(e => e is ListExpr or RangeExpr).OptionalCommit()
         from every in Keyword("every").Then(_ => Expr).OptionalCommit()
         select (kind: kind ?? MonitorKind.State, target, post, indices, every))
        .Spanned((x, span) => (Decl)new MonitorDecl(x.kind, x.target, x.indices, x.every, span) { PostTarget = x.post });

    /// <summary><c>summed post.x = expr</c>.</summary>
    public static readonly Parser<(Expr Target, Expr Value)> Summed =
        from target in ExpressionGrammar.Atom.Where(e => e is MemberExpr).Expecting("post.variable")
        from eq in Symbol("=", "==").Expecting("'='")
        from value in Expr
        select (target, value);

    public static readonly Parser<Decl> Host =
        (from kw in Keyword("host")
         from name in IdentifierWithSpan.Expecting("name")
         from eq in Symbol("=", "==").Expecting("'='")
         from value in Expr
         select (name, value))
        .Spanned((x, span) => (Decl)new HostDecl(x.name.Name, x.value, x.name.Span, span));

    public static readonly Parser<Decl> Run =
        (from kw in Keyword("run")
         from duration in Expr
         select duration)
        .Spanned((d, span) => (Decl)new RunDecl(d, span));

    public sealed record ModelHeader(ModelKind Kind, string Name, Span NameSpan);

    /// <summary>One option after a connect's synapse models: <paramref name="Kind"/> is "rule", "delay" or "no_autapses".</summary>
    public sealed record ConnectOption(string Kind, RuleSyntax? Rule, Expr? Delay, Span Span);

    public sealed record ConnectParts(Expr Pre, Expr Post, ImmutableArray<ModelRef> Synapse, ImmutableArray<ConnectOption> Options, Span Span);

    public static readonly Parser<ModelHeader> ModelHead =
        from kind in Keyword("neuron").Select(_ => ModelKind.Neuron)
            .Or(Keyword("synapse").Select(_ => ModelKind.Synapse))
            .Or(Keyword("plasticity").Select(_ => ModelKind.Plasticity))
            .Or(Keyword("rate").Select(_ => ModelKind.Rate))
        from name in IdentifierWithSpan.Expecting("model name")
        from eq in Symbol("=").Expecting("'='")
        select new ModelHeader(kind, name.Name, name.Span);

    /// <summary><c>(event-driven)</c> or <c>(clock-driven)</c> after <c>equations</c>.</summary>
    public static readonly Parser<EquationTiming> TimingFlag =
        from open in Symbol("(")
        from word in Parse.LetterOrDigit.Or(Parse.Char('-')).Or(Parse.Char('_')).AtLeastOnce().Text().Tok()
            .Where(w => w is "event-driven" or "clock-driven").Expecting("'event-driven' or 'clock-driven'")
        from close in Symbol(")").Expecting("')'")
        select word == "event-driven" ? EquationTiming.EventDriven : EquationTiming.ClockDriven;
}
