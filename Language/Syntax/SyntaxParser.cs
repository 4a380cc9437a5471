using System.Collections.Immutable;
using BioLang.Language.Diagnostics;
using BioLang.Language.Syntax.Ast;
using BioLang.Language.Syntax.Parsing;
using BioLang.Language.Text;
using Sprache;

namespace BioLang.Language.Syntax;

/// <summary>
/// Turns a .bnn file into its syntax tree. The layout pass gives the block structure; each logical
/// line is parsed on its own, so an error in one line is reported and the next line is still parsed.
/// </summary>
public static class SyntaxParser
{
    public static ProgramSyntax Parse(SourceText source, DiagnosticBag diagnostics)
    {
        var layout = Layout.Run(source, diagnostics);
        var parser = new NodeParser(source, layout.Clean, diagnostics);
        var decls = ImmutableArray.CreateBuilder<Decl>();
        foreach (var node in layout.Roots)
            if (parser.Declaration(node) is { } decl)
                decls.Add(decl);
        return new ProgramSyntax(source, decls.ToImmutable());
    }

    /// <summary>Parses one expression (used by the REPL and tests).</summary>
    public static Expr? ParseExpression(SourceText source, DiagnosticBag diagnostics) =>
        ParseExpression(source, 0, source.Text.Length, diagnostics);

    /// <summary>Parses the expression in <c>[start, end)</c> of <paramref name="source"/> (a value typed after <c>P.x &lt;-</c>).</summary>
    public static Expr? ParseExpression(SourceText source, int start, int end, DiagnosticBag diagnostics)
    {
        var layout = Layout.Run(source, diagnostics);
        var parser = new NodeParser(source, layout.Clean, diagnostics);
        return parser.Run(ExpressionGrammar.Expr, start, end, out var expr) ? expr : null;
    }
}

internal sealed class NodeParser(SourceText source, string clean, DiagnosticBag diagnostics)
{
    private static readonly string[] DeclarationWords = ["open", "let", "neuron", "rate", "synapse", "plasticity", "connect", "monitor", "run", "host"];

    private static readonly string[] SectionWords =
        ["parameters", "state", "equations", "spike", "reset", "refractory", "method", "on", "delay", "every", "summed"];

    public Decl? Declaration(LayoutNode node)
    {
        var word = FirstWord(node.Start, node.End);
        var end = node.FullEnd;
        switch (word)
        {
            case "open":
                return Run(DeclarationGrammar.Open, node.Start, end, out var open) ? open : null;
            case "let":
                return Let(node);
            case "neuron" or "synapse" or "plasticity" or "rate":
                return Model(node);
            case "connect":
                return Connect(node.Start, end, null, null);
            case "monitor":
                return Run(DeclarationGrammar.Monitor, node.Start, end, out var monitor) ? monitor : null;
            case "run":
                return Run(DeclarationGrammar.Run, node.Start, end, out var run) ? run : null;
            case "host":
                return Run(DeclarationGrammar.Host, node.Start, end, out var host) ? host : null;
        }
        var setting = DeclarationGrammar.SettingHead(Input(node.Start, end));
        if (setting.WasSuccessful)
        {
            var (name, nameSpan) = setting.Value;
            return Run(ExpressionGrammar.Expr, setting.Remainder.Position, end, out var value)
                ? new SettingDecl(name, value, nameSpan.To(value.Span))
                : null;
        }
        var span = WordSpan(node.Start, node.End);
        diagnostics.Error(DiagnosticCodes.UnknownDeclaration, span,
            $"expected a declaration ({string.Join(", ", DeclarationWords)}, or a setting such as 'dt = 0.1<ms>'), found '{span.Text}'"
            + (word is null ? "" : Suggestions.DidYouMean(word, DeclarationWords)));
        return null;
    }

    private Decl? Let(LayoutNode node)
    {
        var end = node.FullEnd;
        var head = DeclarationGrammar.LetHead(Input(node.Start, end));
        if (!head.WasSuccessful)
        {
            Report(head);
            return null;
        }
        var header = head.Value;
        var rest = head.Remainder.Position;
        var letSpan = new Span(source, node.Start, node.Start + 3);
        switch (FirstWord(rest, end))
        {
            case "population" or "poisson" or "spike_times":
                return Run(DeclarationGrammar.Population(header, letSpan), rest, end, out var population) ? population : null;
            case "connect":
                return Connect(rest, end, header.Name, letSpan);
        }
        if (!Run(ExpressionGrammar.Expr, rest, end, out var value))
            return null;
        var span = letSpan.To(value.Span);
        if (value is SliceExpr slice && header.Parameters.IsEmpty)
            return new SubgroupDecl(header.Name, slice, header.NameSpan, span);
        return new LetDecl(header.Name, header.Parameters, value, header.NameSpan, span);
    }

    /// <summary>A connect whose options (rule, delay, no_autapses) come in any order, each at most once.</summary>
    private ConnectDecl? Connect(int start, int end, string? name, Span? declStart)
    {
        if (!Run(DeclarationGrammar.Connect, start, end, out var parts))
            return null;
        var first = new Dictionary<string, DeclarationGrammar.ConnectOption>();
        foreach (var option in parts.Options)
        {
            if (first.TryGetValue(option.Kind, out var earlier))
            {
                diagnostics.Error(DiagnosticCodes.Duplicate, option.Span, option.Kind == "rule"
                    ? $"a connection has one rule, but '{option.Rule!.Keyword}' follows '{earlier.Span.Text}' (at {earlier.Span.Location})"
                    : $"'{option.Kind}' is given twice in this connect (first at {earlier.Span.Location})");
                continue;
            }
            first[option.Kind] = option;
        }
        var span = declStart?.To(parts.Span) ?? parts.Span;
        return new ConnectDecl(name, parts.Pre, parts.Post, parts.Synapse,
            first.GetValueOrDefault("rule")?.Rule ?? new RuleSyntax("all_to_all", [], parts.Span),
            first.GetValueOrDefault("delay")?.Delay, first.ContainsKey("no_autapses"), span);
    }

    private Decl? Model(LayoutNode node)
    {
        var head = DeclarationGrammar.ModelHead(Input(node.Start, node.End));
        if (!head.WasSuccessful)
        {
            Report(head);
            return null;
        }
        var header = head.Value;
        if (!Lexical.SkipWhite(head.Remainder).AtEnd)
        {
            if (node.Children.Count > 0)
            {
                Expected("a new line: a model either has its own sections or is a variant 'Base (x = ...)', not both", head.Remainder.Position, node.End);
                return null;
            }
            return Run(DeclarationGrammar.SynapseTerm, head.Remainder.Position, node.End, out var variantOf)
                ? new ModelDecl(header.Kind, header.Name, [], header.NameSpan, new Span(source, node.Start, node.End)) { Base = variantOf }
                : null;
        }
        if (node.Children.Count == 0)
            diagnostics.Error(DiagnosticCodes.MissingSection, header.NameSpan, $"{Describe(header.Kind)} '{header.Name}' has no sections; indent its sections (parameters, state, ...) under it");
        var sections = ImmutableArray.CreateBuilder<Section>();
        foreach (var child in node.Children)
            if (Section(child) is { } section)
                sections.Add(section);
        return new ModelDecl(header.Kind, header.Name, sections.ToImmutable(), header.NameSpan, new Span(source, node.Start, node.FullEnd));
    }

    private static string Describe(ModelKind kind) => kind.ToString().ToLowerInvariant();

    private Section? Section(LayoutNode node)
    {
        var word = FirstWord(node.Start, node.End);
        var span = new Span(source, node.Start, node.FullEnd);
        var afterWord = node.Start + (word?.Length ?? 0);
        switch (word)
        {
            case "parameters":
                return new ParametersSection(Items(node, afterWord, StatementGrammar.Definition), span);
            case "state":
                return new StateSection(Items(node, afterWord, StatementGrammar.Definition), span);
            case "equations":
            {
                var timing = EquationTiming.Default;
                var flag = Lexical.SkipWhite(Input(afterWord, node.End));
                if (!flag.AtEnd && flag.Current == '(')
                {
                    var parsed = DeclarationGrammar.TimingFlag(flag);
                    if (!parsed.WasSuccessful)
                    {
                        Report(parsed);
                        return null;
                    }
                    timing = parsed.Value;
                    afterWord = parsed.Remainder.Position;
                }
                var items = Items(node, afterWord, StatementGrammar.Equation);
                foreach (var ode in items.OfType<OdeEquation>().Where(e => e.Name.Length == 0))
                    diagnostics.Error(DiagnosticCodes.Syntax, ode.NameSpan, "a differential equation is written 'dx/dt = ...' for a state variable x");
                return new EquationsSection(timing, items, span);
            }
            case "spike":
            {
                var when = Lexical.Keyword("when")(Input(afterWord, node.FullEnd));
                if (!when.WasSuccessful)
                {
                    Report(when);
                    return null;
                }
                return Run(ExpressionGrammar.Expr, when.Remainder.Position, node.FullEnd, out var condition)
                    ? new ThresholdSection(condition, span)
                    : null;
            }
            case "reset":
                return new ResetSection(Statements(node, afterWord), span);
            case "refractory":
                return Run(ExpressionGrammar.Expr, afterWord, node.FullEnd, out var duration) ? new RefractorySection(duration, span) : null;
            case "delay":
                return Run(ExpressionGrammar.Expr, afterWord, node.FullEnd, out var delay) ? new DelaySection(delay, span) : null;
            case "method":
                return Run(Lexical.IdentifierWithSpan, afterWord, node.FullEnd, out var method) ? new MethodSection(method.Name, method.Span, span) : null;
            case "every":
            {
                // The interval runs to the end of the header line; the block is indented below.
                return Run(ExpressionGrammar.Expr, afterWord, node.End, out var interval)
                    ? new EverySection(interval, Block(node.Children), span)
                    : null;
            }
            case "summed":
                return Run(DeclarationGrammar.Summed, afterWord, node.FullEnd, out var summed)
                    ? new SummedSection(summed.Target, summed.Value, span)
                    : null;
            case "on":
            {
                if (!Run(Lexical.IdentifierWithSpan, afterWord, node.End, out var ev, allowRest: true, out var afterEvent))
                    return null;
                return new OnSection(ev.Name, Statements(node, afterEvent), ev.Span, span);
            }
        }
        var wordSpan = WordSpan(node.Start, node.End);
        diagnostics.Error(DiagnosticCodes.UnknownSection, wordSpan,
            $"expected a model section ({string.Join(", ", SectionWords)}), found '{wordSpan.Text}'"
            + (word is null ? "" : Suggestions.DidYouMean(word, SectionWords)));
        return null;
    }

    /// <summary>The items of a section: what follows its keyword on the same line and each line indented under it, split at top-level ';'.</summary>
    private ImmutableArray<T> Items<T>(LayoutNode node, int inlineStart, Parser<T> item)
    {
        var result = ImmutableArray.CreateBuilder<T>();
        foreach (var (start, end) in SplitTopLevel(inlineStart, node.End))
            if (Run(item, start, end, out var value))
                result.Add(value);
        foreach (var child in node.Children)
        foreach (var (start, end) in SplitTopLevel(child.Start, child.FullEnd))
            if (Run(item, start, end, out var value))
                result.Add(value);
        return result.ToImmutable();
    }

    /// <summary>A statement block: inline after the keyword, and/or the lines indented under it.</summary>
    private ImmutableArray<Stmt> Statements(LayoutNode node, int inlineStart) =>
        [.. InlineStatements(inlineStart, node.End), .. Block(node.Children)];

    private ImmutableArray<Stmt> Block(IReadOnlyList<LayoutNode> nodes)
    {
        var result = ImmutableArray.CreateBuilder<Stmt>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            switch (FirstWord(node.Start, node.End))
            {
                case "if" when IfChain(nodes, ref i, node.Start) is { } chain:
                    result.AddRange(chain);
                    continue;
                case "else":
                    diagnostics.Error(DiagnosticCodes.Syntax, WordSpan(node.Start, node.End),
                        "'else' without an 'if': an 'else' line follows the block of an 'if ... then' line, at the same indentation");
                    continue;
            }
            result.AddRange(InlineStatements(node.Start, node.FullEnd));
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// An <c>if c then</c> line (its block indented below, or one statement after <c>then</c>) and the
    /// <c>else</c> line after it, if any. An <c>else if c then</c> line starts another chain, so
    /// <c>if .. else if .. else</c> lowers to nested ifs. Null when the line is an ordinary one-line
    /// statement (<c>if c then x &lt;- 1 else x &lt;- 2</c>), which the statement grammar reads; empty
    /// when the chain has an error (reported), its blocks and else lines read for their own errors.
    /// </summary>
    private ImmutableArray<Stmt>? IfChain(IReadOnlyList<LayoutNode> nodes, ref int i, int start)
    {
        var node = nodes[i];
        var elseFollows = i + 1 < nodes.Count && FirstWord(nodes[i + 1].Start, nodes[i + 1].End) == "else";
        var header = StatementGrammar.IfHeader(Input(start, node.End));
        var afterThen = header.WasSuccessful ? Lexical.SkipWhite(header.Remainder) : null;
        if (afterThen is { AtEnd: false } && !elseFollows)
            return null;
        if (!header.WasSuccessful)
        {
            if (node.Children.Count == 0 && !elseFollows)
                return null;
            Report(header);
        }
        var then = afterThen is { AtEnd: false } ? InlineStatements(afterThen.Position, node.FullEnd) : Block(node.Children);
        var otherwise = ImmutableArray<Stmt>.Empty;
        if (elseFollows)
        {
            var elseNode = nodes[++i];
            var afterElse = elseNode.Start + "else".Length;
            otherwise = FirstWord(afterElse, elseNode.End) == "if" && IfChain(nodes, ref i, SkipBlank(afterElse, elseNode.End)) is { } nested
                ? nested
                : Statements(elseNode, afterElse);
        }
        if (!header.WasSuccessful)
            return [];
        return [new IfStmt(header.Value, then, otherwise, new Span(source, start, nodes[i].FullEnd))];
    }

    private ImmutableArray<Stmt> InlineStatements(int start, int end)
    {
        var result = ImmutableArray.CreateBuilder<Stmt>();
        foreach (var (partStart, partEnd) in SplitTopLevel(start, end))
            if (Run(StatementGrammar.Statement, partStart, partEnd, out var stmt))
                result.Add(Checked(stmt));
        return result.ToImmutable();
    }

    /// <summary>Brian2 writes <c>v = v_r</c>; BioLang assigns with <c>&lt;-</c>, as F# does for mutation.</summary>
    private Stmt Checked(Stmt stmt)
    {
        switch (stmt)
        {
            case AssignStmt { Op: "=" } assign:
                diagnostics.Error(DiagnosticCodes.UseArrowToAssign, assign.Span,
                    $"'=' defines, it does not assign; write '{assign.Target.Span.Text} <- {assign.Value.Span.Text}'");
                return assign with { Op = "<-" };
            case IfStmt ifStmt:
                return ifStmt with { Then = [.. ifStmt.Then.Select(Checked)], Else = [.. ifStmt.Else.Select(Checked)] };
            default:
                return stmt;
        }
    }

    // ---- running Sprache parsers over slices of the file --------------------------------------

    private BoundedInput Input(int start, int end) => new(source, clean, start, end);

    public bool Run<T>(Parser<T> parser, int start, int end, out T value) =>
        Run(parser, start, end, out value, allowRest: false, out _);

    private bool Run<T>(Parser<T> parser, int start, int end, out T value, bool allowRest, out int stop)
    {
        var result = parser(Input(start, end));
        value = result.WasSuccessful ? result.Value : default!;
        stop = result.WasSuccessful ? result.Remainder.Position : start;
        if (!result.WasSuccessful)
        {
            Report(result);
            return false;
        }
        var rest = Lexical.SkipWhite(result.Remainder);
        if (!allowRest && !rest.AtEnd)
        {
            Expected("end of line", rest.Position, end);
            return false;
        }
        return true;
    }

    private void Report<T>(IResult<T> failure)
    {
        var at = failure.Remainder;
        var end = at is BoundedInput b ? b.End : clean.Length;
        var expectations = failure.Expectations.Distinct().ToList();
        Expected(expectations.Count == 0 ? null : JoinOr(expectations), at.Position, end);
    }

    private void Expected(string? what, int position, int end)
    {
        var (found, length) = Token(position, end);
        var span = new Span(source, position, position + length);
        var message = what is null ? $"unexpected {found}" : $"expected {what}, found {found}";
        diagnostics.Error(DiagnosticCodes.Syntax, span, message);
    }

    private static string JoinOr(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1];

    /// <summary>The token at a position, for "found ..." in messages.</summary>
    private (string Text, int Length) Token(int position, int end)
    {
        if (position >= end)
            return ("end of line", 0);
        var c = clean[position];
        var i = position;
        if (char.IsLetterOrDigit(c) || c == '_')
            while (i < end && (char.IsLetterOrDigit(clean[i]) || clean[i] is '_' or '.' && char.IsDigit(c)))
                i++;
        else
            i++;
        return ($"'{clean[position..i]}'", i - position);
    }

    private string? FirstWord(int start, int end)
    {
        var i = start;
        while (i < end && char.IsWhiteSpace(clean[i])) i++;
        var s = i;
        while (i < end && (char.IsLetterOrDigit(clean[i]) || clean[i] == '_')) i++;
        return i > s ? clean[s..i] : null;
    }

    private Span WordSpan(int start, int end)
    {
        var (_, length) = Token(start, end);
        return new Span(source, start, start + Math.Max(1, length));
    }

    /// <summary>Splits [start, end) at ';' outside brackets and strings; empty parts are dropped.</summary>
    private IEnumerable<(int Start, int End)> SplitTopLevel(int start, int end)
    {
        var depth = 0;
        var partStart = start;
        for (var i = start; i < end; i++)
        {
            var c = clean[i];
            if (c == '"')
            {
                i++;
                while (i < end && clean[i] != '"') i += clean[i] == '\\' ? 2 : 1;
            }
            else if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == ';' && depth == 0)
            {
                if (!IsBlank(partStart, i)) yield return (partStart, i);
                partStart = i + 1;
            }
        }
        if (!IsBlank(partStart, end)) yield return (partStart, end);
    }

    private int SkipBlank(int start, int end)
    {
        while (start < end && char.IsWhiteSpace(clean[start])) start++;
        return start;
    }

    private bool IsBlank(int start, int end)
    {
        for (var i = start; i < end; i++)
            if (!char.IsWhiteSpace(clean[i])) return false;
        return true;
    }
}
