using BioLang.Runtime.Engine;

namespace BioLang.Science.Tests.Support;

/// <summary>One run of a script, shared by the tests that read different parts of it.</summary>
internal sealed class SharedRun(string path, IReadOnlyDictionary<string, string>? constants = null, double? seconds = null)
{
    public Network Network { get; } = Bnn.Run(Bnn.CompileFile(path, constants), seconds);
}
