namespace BioLang.Language.Text;

/// <summary>A range of characters [Start, End) in one source file.</summary>
public readonly record struct Span(SourceText Source, int Start, int End)
{
    public int Length => End - Start;

    public int Line => Source.Position(Start).Line;

    public int Column => Source.Position(Start).Column;

    public string Text => Source.Text[Start..End];

    /// <summary>The smallest span covering both.</summary>
    public Span To(Span other) => new(Source, Math.Min(Start, other.Start), Math.Max(End, other.End));

    /// <summary>"file.bnn(12,7)", the way compilers print a location.</summary>
    public string Location
    {
        get
        {
            var (line, column) = Source.Position(Start);
            return $"{Source.Path}({line},{column})";
        }
    }

    public override string ToString() => Location;
}
