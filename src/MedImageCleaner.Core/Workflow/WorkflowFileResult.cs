using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Results;

namespace MedImageCleaner.Core.Workflow;

/// <summary>Where one input ended up after the whole workflow.</summary>
public enum WorkflowFileStatus
{
    /// <summary>De-identified (and, as asked, cleaned of burned-in text, validated and converted); the output is in the destination.</summary>
    Completed,

    /// <summary>The destination already held exactly this output (a rerun that had to redo the file).</summary>
    Unchanged,

    /// <summary>A previous run finished this input with the same key and settings: nothing was redone.</summary>
    Skipped,

    /// <summary>The file could not be made safe (undecodable pixels, text left, validation failed): it is in the quarantine with a reason file.</summary>
    Quarantined,

    /// <summary>The input could not be processed (not DICOM, unreadable, destination taken): nothing was written; see ErrorId.</summary>
    Failed,
}

/// <summary>A validation finding as the workflow reports it (check id and where; never a value).</summary>
/// <param name="CheckId">The stable check id.</param>
/// <param name="Severity">Error, Warning or Info.</param>
/// <param name="Path">The element path, or null for file-level findings.</param>
/// <param name="Keyword">The attribute keyword, when known.</param>
/// <param name="Message">What was found (no value).</param>
public sealed record WorkflowFinding(string CheckId, string Severity, string? Path, string? Keyword, string Message);

/// <summary>What validation said about one output.</summary>
/// <param name="Passed">Whether the file passed.</param>
/// <param name="Score">0..100.</param>
/// <param name="Findings">The findings (no values).</param>
public sealed record WorkflowValidation(bool Passed, double Score, IReadOnlyList<WorkflowFinding> Findings)
{
    /// <summary>"Passed (score 100)" or "Failed (score 60: CheckA, CheckB)": flat text for tables and CSV.</summary>
    public override string ToString()
    {
        var checks = string.Join(", ", Findings.Where(f => f.Severity == "Error").Select(f => f.CheckId).Distinct(StringComparer.Ordinal));
        return $"{(Passed ? "Passed" : "Failed")} (score {Score.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(checks.Length > 0 ? ": " + checks : string.Empty)})";
    }
}

/// <summary>The outcome of Invoke-DicomDeidentification for one input file. Holds no PHI: paths are the input's and the output's.</summary>
public sealed record WorkflowFileResult
{
    private readonly FlatCollection<string> _convertedFiles = FlatCollection.Empty<string>();
    private readonly FlatCollection<string> _damage = FlatCollection.Empty<string>();
    private readonly FlatCollection<string> _warnings = FlatCollection.Empty<string>();
    private readonly FlatCollection<RedactedTextBox> _redactedBoxes = FlatCollection.Empty<RedactedTextBox>();
    private readonly CountDictionary _actionCounts = CountDictionary.Empty;

    /// <summary>The de-identified output (or, when quarantined, the quarantined file; when failed, where it would have gone or the input).</summary>
    public required string FullName { get; init; }

    /// <summary>The input file.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The output (or quarantined) file's name.</summary>
    public string Name => Path.GetFileName(FullName);

    /// <summary>The input file's name.</summary>
    public string SourceName => Path.GetFileName(SourcePath);

    /// <summary>Where the file ended up.</summary>
    public WorkflowFileStatus Status { get; init; }

    /// <summary>The modality of the input (a defined term, not PHI), when it has one.</summary>
    public string? Modality { get; init; }

    /// <summary>The pseudonymous patient ID written.</summary>
    public string? PseudoPatientId { get; init; }

    /// <summary>Attributes per de-identification action (Keep, Remove, Zero, Dummy, Clean, Uid).</summary>
    public IReadOnlyDictionary<string, int> ActionCounts { get => _actionCounts; init => _actionCounts = CountDictionary.From(value); }

    /// <summary>What the burned-in text step did (null when not asked).</summary>
    public TextRedactionStatus? TextRedaction { get; init; }

    /// <summary>The boxes filled by the burned-in text step (no text).</summary>
    public IReadOnlyList<RedactedTextBox> RedactedBoxes { get => _redactedBoxes; init => _redactedBoxes = FlatCollection.From(value); }

    /// <summary>Whether every redacted frame was verified (null when not redacted or not verified).</summary>
    public bool? TextVerified { get; init; }

    /// <summary>The validation of the output (null when not asked, or when the file never got that far).</summary>
    public WorkflowValidation? Validation { get; init; }

    /// <summary>The image files written by the conversion step.</summary>
    public IReadOnlyList<string> ConvertedFiles { get => _convertedFiles; init => _convertedFiles = FlatCollection.From(value); }

    /// <summary>The quarantined file, when quarantined.</summary>
    public string? QuarantinePath { get; init; }

    /// <summary>A stable error or quarantine reason id.</summary>
    public string? ErrorId { get; init; }

    /// <summary>The message that goes with ErrorId (no values).</summary>
    public string? Message { get; init; }

    /// <summary>Notes (codes), never values.</summary>
    public IReadOnlyList<string> Warnings { get => _warnings; init => _warnings = FlatCollection.From(value); }

    /// <summary>What is missing from a damaged input (no values); empty for a sound input.</summary>
    public IReadOnlyList<string> Damage { get => _damage; init => _damage = FlatCollection.From(value); }

    /// <summary>True when the input is damaged (quarantined as InputDamaged unless -AllowDamagedInput).</summary>
    public bool InputDamaged => Damage.Count > 0;

    /// <summary>SHA-256 of the input.</summary>
    public string? SourceSha256 { get; init; }

    /// <summary>SHA-256 of the output.</summary>
    public string? OutputSha256 { get; init; }

    /// <summary>Time spent on this file.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The number of boxes the burned-in text step filled.</summary>
    public int BoxCount => RedactedBoxes.Count;

    /// <summary>The number of images the conversion step wrote.</summary>
    public int ImageCount => ConvertedFiles.Count;

    /// <summary>Whether validation passed (null when not asked or not reached).</summary>
    public bool? ValidationPassed => Validation?.Passed;

    /// <summary>The validation score, 0..100 (null when not asked or not reached).</summary>
    public double? ValidationScore => Validation?.Score;

    /// <inheritdoc/>
    public override string ToString() => FullName;
}
