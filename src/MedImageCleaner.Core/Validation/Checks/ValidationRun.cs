using MedImageCleaner.Core.Phi;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// The state of checking one file, shared by the checks: the file and its bytes, the profile it was made with, the
/// original's identifying values (when known) and the findings so far.
/// </summary>
internal sealed class ValidationRun
{
    public ValidationRun(ValidationOptions options, DicomFile file, byte[]? bytes, string path, CancellationToken token)
    {
        Options = options;
        File = file;
        Bytes = bytes;
        Path = path;
        Token = token;
    }

    public ValidationOptions Options { get; }

    public DicomFile File { get; }

    /// <summary>The whole file, or null when it was too large to hold in memory.</summary>
    public byte[]? Bytes { get; }

    public string Path { get; }

    public CancellationToken Token { get; }

    public List<ValidationFinding> Findings { get; } = [];

    /// <summary>What the file's profile does to each attribute; set first by the validator, before any check runs.</summary>
    public ProfileExpectation? Expectation { get; set; }

    /// <summary>The expectation, once set.</summary>
    public ProfileExpectation Profile => Expectation ?? throw new InvalidOperationException("The profile expectation is read before it is set.");

    /// <summary>Where the original's values came from: None, Original or AuditVault.</summary>
    public string ResidualSource { get; set; } = "None";

    /// <summary>The original's identifying values, or null when unknown.</summary>
    public List<IdentifyingValue>? OriginalValues { get; set; }

    /// <summary>The original's values as a detector context, or null when unknown.</summary>
    public PhiContext? OriginalContext { get; set; }

    public void Add(string check, FindingSeverity severity, string path, string? keyword, string message, string? value = null) =>
        Findings.Add(new ValidationFinding(check, severity, path, keyword, message) { Value = Options.IncludeValues ? value : null });

    /// <summary>The value of an item for a finding, or null unless values were asked for.</summary>
    public string? ValueOf(DicomItem item)
    {
        if (!Options.IncludeValues || item is not DicomElement e || e.Length > 1024)
        {
            return null;
        }

        return e.VR.IsString ? File.Dataset.DecodeString(e) : Convert.ToHexString(e.Value.GetBytes().Span);
    }

    /// <summary>True for an element with no value, or only spaces and NULs.</summary>
    public static bool IsBlank(DicomElement e)
    {
        var span = e.Value.Length > 4096 ? default : e.Value.GetBytes().Span;
        return e.Length == 0 || (e.Length <= 4096 && span.IndexOfAnyExcept((byte)' ', (byte)0) < 0);
    }

    /// <summary>Sorts the findings by check (in the order of <see cref="DeidentificationCheck.All"/>), then by path.</summary>
    public void SortFindings() => Findings.Sort(static (a, b) =>
    {
        var c = IndexOf(a.CheckId).CompareTo(IndexOf(b.CheckId));
        return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
    });

    private static int IndexOf(string check)
    {
        var all = DeidentificationCheck.All;
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i] == check)
            {
                return i;
            }
        }

        return all.Count;
    }
}
