namespace MedImageCleaner.Core.Deidentification;

/// <summary>The numbered error codes of <see cref="ProfileFileException"/> (stable: documented and tested).</summary>
public static class ProfileFileErrorCodes
{
    /// <summary>A property the schema does not have (also inside a rule).</summary>
    public const string UnknownProperty = "MIC-PF001";

    /// <summary>An entry of "options" that is not a PS3.15 E.3 option name.</summary>
    public const string UnknownOption = "MIC-PF002";

    /// <summary>A rule's "tag" that is neither a PS3.6 keyword nor a tag written (gggg,eeee), or one rules cannot change.</summary>
    public const string InvalidTag = "MIC-PF003";

    /// <summary>A rule's "action" that is not Keep, Remove, Zero, Dummy, Clean or Uid (or Uid for a non-UID attribute).</summary>
    public const string InvalidAction = "MIC-PF004";

    /// <summary>A value of the wrong JSON type (a string where a boolean belongs, a fraction where days belong...).</summary>
    public const string WrongType = "MIC-PF005";

    /// <summary>The file is not well-formed JSON (or not UTF-8).</summary>
    public const string InvalidJson = "MIC-PF006";

    /// <summary>"schema" is missing or names a schema this version does not read.</summary>
    public const string UnsupportedSchema = "MIC-PF007";

    /// <summary>Settings that exclude each other (full and modified dates, two actions for one tag...).</summary>
    public const string Contradiction = "MIC-PF008";

    /// <summary>A required property is missing (a rule without "tag" or "action").</summary>
    public const string MissingProperty = "MIC-PF009";

    /// <summary>A value outside its range (prefix length, date offset).</summary>
    public const string OutOfRange = "MIC-PF010";

    /// <summary>The same property twice in one object.</summary>
    public const string DuplicateProperty = "MIC-PF011";

    /// <summary>The file cannot be read (missing, unreadable, larger than <see cref="ProfileFile.MaxFileBytes"/>).</summary>
    public const string Unreadable = "MIC-PF012";
}
