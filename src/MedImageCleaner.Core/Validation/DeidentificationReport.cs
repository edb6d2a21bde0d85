namespace MedImageCleaner.Core.Validation;

/// <summary>How much a finding of <see cref="DeidentificationValidator"/> weighs.</summary>
public enum FindingSeverity
{
    /// <summary>Worth knowing; never fails a file.</summary>
    Info,

    /// <summary>Needs a look; fails a file only with -Strict.</summary>
    Warning,

    /// <summary>A leak or a broken file: fails the file.</summary>
    Error,
}

/// <summary>The stable identifiers of the checks of <see cref="DeidentificationValidator"/>.</summary>
public static class DeidentificationCheck
{
    /// <summary>The file parses back fully (Error when not; reader warnings are Warnings).</summary>
    public const string Parse = "Parse";

    /// <summary>Every UID is well formed: at most 64 characters, digits and dots, no empty or leading-zero component (Error).</summary>
    public const string UidFormat = "UidFormat";

    /// <summary>Overlay text attributes (60xx) hold no text, overlay bit planes hold no readable PHI.</summary>
    public const string OverlayContent = "OverlayContent";

    /// <summary>No attribute the profile removes or empties still holds a value, at any depth (Error).</summary>
    public const string ProfileConformance = "ProfileConformance";

    /// <summary>Patient Identity Removed is YES and De-identification Method (or its code sequence) is present (Error).</summary>
    public const string DeidentificationMarker = "DeidentificationMarker";

    /// <summary>No private attribute other than the safe ones of PS3.15 Table E.3.10-1 (Error; Warning for creators).</summary>
    public const string PrivateAttribute = "PrivateAttribute";

    /// <summary>Text values hold no names, dates, IDs, phone numbers, e-mail or street addresses.</summary>
    public const string PhiPattern = "PhiPattern";

    /// <summary>No identifying value of the original (from -Original or the audit vault) is in the output (Error).</summary>
    public const string ResidualIdentifier = "ResidualIdentifier";

    /// <summary>Burned In Annotation is not YES; images of modalities that carry burned-in text are marked NO.</summary>
    public const string BurnedInAnnotation = "BurnedInAnnotation";

    /// <summary>With -CheckPixels: OCR of every frame finds no text that reads as PHI (Error).</summary>
    public const string PixelText = "PixelText";

    /// <summary>Every check id, in the order the checks run.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Parse, UidFormat, OverlayContent, ProfileConformance, DeidentificationMarker, PrivateAttribute, PhiPattern, ResidualIdentifier,
        BurnedInAnnotation, PixelText,
    ];
}

/// <summary>
/// One problem in one file. Holds no value unless the caller asked for it (<see cref="ValidationOptions.IncludeValues"/>).
/// </summary>
/// <param name="CheckId">The check (see <see cref="DeidentificationCheck"/>).</param>
/// <param name="Severity">Error, Warning or Info.</param>
/// <param name="Path">Where: an element path like (0008,1140)[0]/(0008,1155), "frame 0" for pixels, or empty for the file.</param>
/// <param name="Keyword">The PS3.6 keyword of the attribute, when known.</param>
/// <param name="Message">What was found (fixed text, never the value).</param>
public sealed record ValidationFinding(string CheckId, FindingSeverity Severity, string Path, string? Keyword, string Message)
{
    /// <summary>The offending value; null unless asked for (it may be PHI).</summary>
    public string? Value { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Severity} {CheckId} {Path} {Keyword}: {Message}";
}

/// <summary>The result of checking one de-identified file.</summary>
public sealed record DeidentificationReport
{
    /// <summary>The file checked.</summary>
    public required string FullName { get; init; }

    /// <summary>The checked file's name.</summary>
    public string Name => System.IO.Path.GetFileName(FullName);

    /// <summary>The checks with errors or warnings, comma-separated (flat text for tables and CSV).</summary>
    public string FailedChecks => string.Join(",", Findings.Where(f => f.Severity != FindingSeverity.Info).Select(f => f.CheckId).Distinct(StringComparer.Ordinal));

    /// <summary>True when no finding fails the file (no Error; with Strict, no Warning either).</summary>
    public required bool Passed { get; init; }

    /// <summary>0..100: 100 without findings; each Error takes 25, each Warning 5.</summary>
    public required int Score { get; init; }

    /// <summary>The findings, in check order.</summary>
    public IReadOnlyList<ValidationFinding> Findings { get; init; } = [];

    /// <summary>The profile options the file was checked against (recovered from the file or given).</summary>
    public string Profile { get; init; } = string.Empty;

    /// <summary>True when the options were recovered from the file's De-identification Method attributes.</summary>
    public bool ProfileFromFile { get; init; }

    /// <summary>What the residual-identifier scan compared with: None, Original or AuditVault.</summary>
    public string ResidualSource { get; init; } = "None";

    /// <summary>Whether Strict was in force.</summary>
    public bool Strict { get; init; }

    /// <summary>A stable error id when the file could not be checked at all (NotDicomFile, DicomReadFailed...).</summary>
    public string? ErrorId { get; init; }

    /// <summary>The error message (no values).</summary>
    public string? Message { get; init; }

    /// <summary>Time spent.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Number of findings with severity Error.</summary>
    public int ErrorCount => Count(FindingSeverity.Error);

    /// <summary>Number of findings with severity Warning.</summary>
    public int WarningCount => Count(FindingSeverity.Warning);

    /// <inheritdoc/>
    public override string ToString() => FullName;

    private int Count(FindingSeverity severity)
    {
        var n = 0;
        foreach (var f in Findings)
        {
            n += f.Severity == severity ? 1 : 0;
        }

        return n;
    }
}

/// <summary>The result of checking many files (-Summary).</summary>
public sealed record DeidentificationSummary
{
    /// <summary>Files given (before sampling).</summary>
    public int Files { get; init; }

    /// <summary>Files checked (after sampling).</summary>
    public int Checked { get; init; }

    /// <summary>Checked files that passed.</summary>
    public int Passed { get; init; }

    /// <summary>Checked files that failed (including files that could not be read).</summary>
    public int Failed { get; init; }

    /// <summary>Findings per check id (every severity).</summary>
    public IReadOnlyDictionary<string, int> FindingsByCheck { get; init; } = new Dictionary<string, int>();

    /// <summary>Error findings per check id.</summary>
    public IReadOnlyDictionary<string, int> ErrorsByCheck { get; init; } = new Dictionary<string, int>();

    /// <summary>The failed files.</summary>
    public IReadOnlyList<string> FailedFiles { get; init; } = [];

    /// <summary>True when every checked file passed and at least one was checked.</summary>
    public bool AllPassed => Checked > 0 && Failed == 0;
}

/// <summary>Adds reports up into a <see cref="DeidentificationSummary"/>.</summary>
public sealed class DeidentificationSummaryBuilder
{
    private readonly SortedDictionary<string, int> _byCheck = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly List<string> _failed = [];
    private int _checked;
    private int _passed;

    /// <summary>Files given, sampled or not.</summary>
    public int Files { get; set; }

    /// <summary>Adds one report.</summary>
    public void Add(DeidentificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _checked++;
        if (report.Passed)
        {
            _passed++;
        }
        else
        {
            _failed.Add(report.FullName);
        }

        foreach (var f in report.Findings)
        {
            _byCheck[f.CheckId] = _byCheck.GetValueOrDefault(f.CheckId) + 1;
            if (f.Severity == FindingSeverity.Error)
            {
                _errors[f.CheckId] = _errors.GetValueOrDefault(f.CheckId) + 1;
            }
        }
    }

    /// <summary>The summary so far.</summary>
    public DeidentificationSummary Build() => new()
    {
        Files = Files,
        Checked = _checked,
        Passed = _passed,
        Failed = _checked - _passed,
        FindingsByCheck = new Dictionary<string, int>(_byCheck),
        ErrorsByCheck = new Dictionary<string, int>(_errors),
        FailedFiles = [.. _failed],
    };
}
