using BioLang.Repl.Session;

namespace BioLang.Repl.Tests.Support;

/// <summary>Typing into a REPL session from a test.</summary>
internal static class Sessions
{
    /// <summary>Submits <paramref name="text"/>, which must succeed; returns what the session printed.</summary>
    public static string Type(this ReplSession session, string text)
    {
        var outcome = session.Submit(text);
        outcome.IsError.ShouldBeFalse($"'{text}' failed:\n{outcome.Output}");
        return outcome.Output;
    }

    /// <summary>Submits <paramref name="text"/>, which must be refused; returns the message.</summary>
    public static string TypeBad(this ReplSession session, string text)
    {
        var outcome = session.Submit(text);
        outcome.IsError.ShouldBeTrue($"'{text}' should have been refused, but printed:\n{outcome.Output}");
        return outcome.Output;
    }
}
