namespace BioLang.Runtime;
internal static class Placeholder { }
