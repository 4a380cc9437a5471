using System.Globalization;
using BioLang.Language.Text;
using Sprache;

namespace BioLang.Language.Syntax.Parsing;

/// <summary>Tokens: identifiers, keywords, operators and number literals, with spans.</summary>
internal static class Lexical
{
    /// <summary>Words that can never be identifiers because expressions would become ambiguous.</summary>
    public static readonly HashSet<string> Reserved =
    [
        "let", "if", "then", "else", "fun", "true", "false", "not", "and", "or", "unless", "with",
        "every", "delay", "where", "when", "open", "no_autapses", "as",
    ];

    private static bool IsWhite(char c) => c is ' ' or '\t' or '\r' or '\n';

    public static IInput SkipWhite(IInput input)
    {
        while (!input.AtEnd && IsWhite(input.Current))
            input = input.Advance();
        return input;
    }

    /// <summary>Runs <paramref name="parser"/> after skipping blanks, then skips trailing blanks; hands the span of what it matched to <paramref name="make"/>.</summary>
    public static Parser<TOut> Spanned<TIn, TOut>(this Parser<TIn> parser, Func<TIn, Span, TOut> make) =>
        input =>
        {
            var start = SkipWhite(input);
            var result = parser(start);
            if (!result.WasSuccessful)
                return Result.Failure<TOut>(result.Remainder, result.Message, result.Expectations);
            var endPos = result.Remainder.Position;
            while (endPos > start.Position && IsWhite(start.Source[endPos - 1]))
                endPos--;
            var text = ((BoundedInput)input).Text;
            return Result.Success(make(result.Value, new Span(text, start.Position, endPos)), SkipWhite(result.Remainder));
        };

    /// <summary>A token: the parser with blanks skipped on both sides.</summary>
    public static Parser<T> Tok<T>(this Parser<T> parser) =>
        input =>
        {
            var result = parser(SkipWhite(input));
            return result.WasSuccessful ? Result.Success(result.Value, SkipWhite(result.Remainder)) : result;
        };

    public static readonly Parser<string> RawIdentifier =
        from first in Parse.Letter.Or(Parse.Char('_'))
        from rest in Parse.LetterOrDigit.Or(Parse.Char('_')).Or(Parse.Char('\'')).Many().Text()
        select first + rest;

    /// <summary>An identifier that is not a reserved word.</summary>
    public static readonly Parser<string> Identifier =
        RawIdentifier.Where(s => !Reserved.Contains(s)).Named("identifier").Tok();

    public static readonly Parser<(string Name, Span Span)> IdentifierWithSpan =
        RawIdentifier.Where(s => !Reserved.Contains(s)).Named("identifier").Spanned((s, span) => (s, span));

    /// <summary>A keyword: the word, not followed by an identifier character.</summary>
    public static Parser<string> Keyword(string word) =>
        RawIdentifier.Where(s => s == word).Named($"'{word}'").Tok();

    /// <summary>An operator symbol that is not the start of a longer one (<c>-</c> is not <c>-&gt;</c>).</summary>
    public static Parser<string> Symbol(string symbol, params string[] notPrefixOf) =>
        input =>
        {
            var start = SkipWhite(input);
            var source = start.Source;
            var pos = start.Position;
            var end = ((BoundedInput)start).End;
            if (pos + symbol.Length > end || string.CompareOrdinal(source, pos, symbol, 0, symbol.Length) != 0)
                return Result.Failure<string>(start, $"expected '{symbol}'", [$"'{symbol}'"]);
            foreach (var longer in notPrefixOf)
                if (pos + longer.Length <= end && string.CompareOrdinal(source, pos, longer, 0, longer.Length) == 0)
                    return Result.Failure<string>(start, $"expected '{symbol}'", [$"'{symbol}'"]);
            var rest = start;
            for (var i = 0; i < symbol.Length; i++)
                rest = rest.Advance();
            return Result.Success(symbol, SkipWhite(rest));
        };

    /// <summary>Digits, an optional fraction and an optional exponent: 10, 0.5, 1e-3, 2.5E+4.</summary>
    public static readonly Parser<string> NumberText =
        from integral in Parse.Digit.AtLeastOnce().Text()
        from fraction in (from dot in Parse.Char('.') from digits in Parse.Digit.AtLeastOnce().Text() select "." + digits).Optional()
        from exponent in (
            from e in Parse.Chars('e', 'E')
            from sign in Parse.Chars('+', '-').Optional()
            from digits in Parse.Digit.AtLeastOnce().Text()
            select "e" + (sign.IsDefined ? sign.Get().ToString() : "") + digits).Optional()
        select integral + fraction.GetOrElse("") + exponent.GetOrElse("");

    public static double ParseNumber(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static readonly Parser<string> StringLiteral =
        (from open in Parse.Char('"')
         from chars in Parse.Char('\\').Then(_ => Parse.AnyChar.Select(Unescape)).Or(Parse.CharExcept("\"\n")).Many().Text()
         from close in Parse.Char('"')
         select chars).Named("string");

    private static char Unescape(char c) => c switch
    {
        'n' => '\n',
        't' => '\t',
        _ => c,
    };
}
