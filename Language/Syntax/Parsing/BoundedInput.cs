using BioLang.Language.Text;
using Sprache;

namespace BioLang.Language.Syntax.Parsing;

/// <summary>
/// Sprache input over a slice [position, end) of a whole file, so that positions (and so spans)
/// are offsets in the file while a parser sees only one logical line and what is indented under it.
/// </summary>
internal sealed class BoundedInput : IInput
{
    private Dictionary<object, object>? _memos;

    public BoundedInput(SourceText text, string clean, int position, int end)
    {
        Text = text;
        Source = clean;
        Position = position;
        End = end;
    }

    public SourceText Text { get; }

    public string Source { get; }

    public int End { get; }

    public int Position { get; }

    public char Current => Source[Position];

    public bool AtEnd => Position >= End;

    public int Line => Text.Position(Position).Line;

    public int Column => Text.Position(Position).Column;

    /// <summary>Sprache's <c>Parse.Ref</c> keeps its left-recursion guard here; Sprache's own Input allocates one per character, this one only when asked.</summary>
    public IDictionary<object, object> Memos => _memos ??= [];

    public IInput Advance()
    {
        if (AtEnd)
            throw new InvalidOperationException("The input is already at the end of the source.");
        return new BoundedInput(Text, Source, Position + 1, End);
    }

    public bool Equals(IInput? other) => other is BoundedInput b && ReferenceEquals(b.Source, Source) && b.Position == Position && b.End == End;

    public override bool Equals(object? obj) => obj is IInput i && Equals(i);

    public override int GetHashCode() => HashCode.Combine(Source, Position, End);
}
