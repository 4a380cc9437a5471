namespace BioLang.Language.Diagnostics;

/// <summary>
/// The stable diagnostic codes. A code never changes meaning once published; docs/diagnostics.md
/// lists them with an example each.
/// </summary>
public static class DiagnosticCodes
{
    // Syntax: BL00xx
    public const string Syntax = "BL0001";
    public const string TabIndent = "BL0002";
    public const string Unterminated = "BL0003";
    public const string UnknownDeclaration = "BL0004";
    public const string UnknownSection = "BL0005";
    public const string UseArrowToAssign = "BL0006";

    // Names and structure: BL01xx
    public const string UnknownName = "BL0101";
    public const string Duplicate = "BL0102";
    public const string UnknownUnit = "BL0103";
    public const string UnknownModule = "BL0104";
    public const string WrongKind = "BL0105";
    public const string MissingSection = "BL0106";
    public const string NotAssignable = "BL0107";
    public const string Arity = "BL0108";
    public const string NotConstant = "BL0109";
    public const string BadValue = "BL0110";
    public const string OpenCycle = "BL0111";
    public const string UnknownSetting = "BL0112";
    public const string AliasCycle = "BL0113";

    // Units and types: BL02xx
    public const string DimensionMismatch = "BL0201";
    public const string EquationDimension = "BL0202";
    public const string AssignmentDimension = "BL0203";
    public const string NeedsDimensionless = "BL0204";
    public const string NeedsBoolean = "BL0205";
    public const string BadExponent = "BL0206";
    public const string NeedsNumber = "BL0207";

    // Locality: BL03xx
    public const string NonLocalRead = "BL0301";

    // Integration: BL04xx
    public const string MethodNotApplicable = "BL0401";
    public const string MethodChosen = "BL0402";
    public const string UnknownMethod = "BL0403";

    // Network construction: BL05xx
    public const string SizeMismatch = "BL0501";
    public const string IndexOutOfRange = "BL0502";
    public const string PoissonSaturated = "BL0503";

    // Runtime: BL06xx
    public const string NotFinite = "BL0601";
    public const string OutOfMemory = "BL0602";
    public const string Io = "BL0603";
}
