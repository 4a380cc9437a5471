using System.Collections.Immutable;
using Sprache;
using static BioLang.Language.Syntax.Parsing.Lexical;

namespace BioLang.Language.Syntax.Parsing;

/// <summary>
/// Committing variants of Sprache's combinators. Sprache backtracks out of a half-parsed element
/// and then reports the error where it gave up, which is often far from the real mistake; these
/// fail at the real mistake once an element has consumed input.
/// </summary>
internal static class Combinators
{
    private static bool ConsumedBeyond(IInput start, IInput failureAt) => failureAt.Position > SkipWhite(start).Position;

    /// <summary>Replaces the expectations of a failure that happened before anything was consumed.</summary>
    public static Parser<T> Expecting<T>(this Parser<T> parser, string name) =>
        input =>
        {
            var result = parser(input);
            if (result.WasSuccessful || ConsumedBeyond(input, result.Remainder))
                return result;
            return Result.Failure<T>(SkipWhite(input), result.Message, [name]);
        };

    /// <summary>Zero or more; an element that fails after consuming input fails the whole.</summary>
    public static Parser<ImmutableArray<T>> ManyCommit<T>(this Parser<T> parser) =>
        input =>
        {
            var items = ImmutableArray.CreateBuilder<T>();
            var rest = input;
            while (true)
            {
                var r = parser(rest);
                if (!r.WasSuccessful)
                    return ConsumedBeyond(rest, r.Remainder)
                        ? Result.Failure<ImmutableArray<T>>(r.Remainder, r.Message, r.Expectations)
                        : Result.Success(items.ToImmutable(), rest);
                if (r.Remainder.Position == rest.Position)
                    return Result.Success(items.ToImmutable(), rest);
                items.Add(r.Value);
                rest = r.Remainder;
            }
        };

    /// <summary>Optional (null when absent); fails if the element fails after consuming input.</summary>
    public static Parser<T?> OptionalCommit<T>(this Parser<T> parser) where T : class =>
        input =>
        {
            var r = parser(input);
            if (r.WasSuccessful)
                return Result.Success<T?>(r.Value, r.Remainder);
            return ConsumedBeyond(input, r.Remainder)
                ? Result.Failure<T?>(r.Remainder, r.Message, r.Expectations)
                : Result.Success<T?>(null, input);
        };

    /// <summary>Optional for value types (null when absent); fails if the element fails after consuming input.</summary>
    public static Parser<T?> OptionalValue<T>(this Parser<T> parser) where T : struct =>
        input =>
        {
            var r = parser(input);
            if (r.WasSuccessful)
                return Result.Success<T?>(r.Value, r.Remainder);
            return ConsumedBeyond(input, r.Remainder)
                ? Result.Failure<T?>(r.Remainder, r.Message, r.Expectations)
                : Result.Success<T?>(null, input);
        };

    /// <summary>One or more elements separated by <paramref name="separator"/>; after a separator an element is required.</summary>
    public static Parser<ImmutableArray<T>> SeparatedBy<T>(this Parser<T> parser, Parser<string> separator) =>
        input =>
        {
            var first = parser(input);
            if (!first.WasSuccessful)
                return Result.Failure<ImmutableArray<T>>(first.Remainder, first.Message, first.Expectations);
            var items = ImmutableArray.CreateBuilder<T>();
            items.Add(first.Value);
            var rest = first.Remainder;
            while (true)
            {
                var sep = separator(rest);
                if (!sep.WasSuccessful)
                    return Result.Success(items.ToImmutable(), rest);
                var next = parser(sep.Remainder);
                if (!next.WasSuccessful)
                    return Result.Failure<ImmutableArray<T>>(next.Remainder, next.Message, next.Expectations);
                items.Add(next.Value);
                rest = next.Remainder;
            }
        };

    /// <summary>
    /// Runs <paramref name="parser"/> on the input cut just before the first of <paramref name="words"/>
    /// that stands outside brackets, so it cannot read that word (and what follows) as part of itself.
    /// </summary>
    public static Parser<T> BeforeWord<T>(Parser<T> parser, IReadOnlyCollection<string> words) =>
        input =>
        {
            var whole = (BoundedInput)input;
            var text = whole.Source;
            var cut = whole.End;
            var depth = 0;
            for (var i = whole.Position; i < whole.End && cut == whole.End; i++)
            {
                var c = text[i];
                if (c is '(' or '[' or '{')
                    depth++;
                else if (c is ')' or ']' or '}')
                    depth--;
                else if ((char.IsLetter(c) || c == '_') && (i == 0 || !IsWordChar(text[i - 1])))
                {
                    var end = i;
                    while (end < whole.End && IsWordChar(text[end]))
                        end++;
                    if (depth == 0 && words.Contains(text[i..end]))
                        cut = i;
                    i = end - 1;
                }
            }
            var result = parser(new BoundedInput(whole.Text, text, whole.Position, cut));
            var rest = new BoundedInput(whole.Text, text, result.Remainder.Position, whole.End);
            return result.WasSuccessful
                ? Result.Success(result.Value, SkipWhite(rest))
                : Result.Failure<T>(rest, result.Message, result.Expectations);
        };

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '\'';

    /// <summary>Left-associative operator chain that commits once an operator has been read.</summary>
    public static Parser<T> Chain<T>(Parser<string> op, Parser<T> operand, Func<string, T, T, T> apply) =>
        input =>
        {
            var first = operand(input);
            if (!first.WasSuccessful)
                return first;
            var acc = first.Value;
            var rest = first.Remainder;
            while (true)
            {
                var o = op(rest);
                if (!o.WasSuccessful)
                    return Result.Success(acc, rest);
                var r = operand(o.Remainder);
                if (!r.WasSuccessful)
                    return r;
                acc = apply(o.Value, acc, r.Value);
                rest = r.Remainder;
            }
        };
}
