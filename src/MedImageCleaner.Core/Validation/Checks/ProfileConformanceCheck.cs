using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// <see cref="DeidentificationCheck.ProfileConformance"/>: no attribute the profile removes (X) or empties (Z) still holds
/// a value, at any depth.
/// </summary>
internal static class ProfileConformanceCheck
{
    /// <summary>Checks one item; true when it was reported (its sequence items are then not checked again).</summary>
    public static bool Check(ValidationRun run, DicomItem item, string path, string? keyword, bool inRemoved)
    {
        var expectation = run.Profile;
        if (inRemoved || item.Tag.IsPrivate || expectation.ActionFor(item.Tag, item.VR) is not { } action)
        {
            return false;
        }

        var hasValue = item switch
        {
            DicomSequence s => s.Items.Count > 0,
            DicomElement e => !ValidationRun.IsBlank(e),
            _ => true,
        };
        var severity = expectation.KeptAsRequested.Contains(DeidentificationEngine.SiteRulesNote) ? FindingSeverity.Warning : FindingSeverity.Error;
        if (action == DeidentificationAction.Remove && hasValue)
        {
            run.Add(DeidentificationCheck.ProfileConformance, severity, path, keyword, "The profile removes this attribute (X), but it holds a value.", run.ValueOf(item));
            return true;
        }

        if (action == DeidentificationAction.Zero && hasValue)
        {
            run.Add(DeidentificationCheck.ProfileConformance, severity, path, keyword, "The profile empties this attribute (Z), but it holds a value.", run.ValueOf(item));
            return true;
        }

        if (action == DeidentificationAction.Remove)
        {
            run.Add(DeidentificationCheck.ProfileConformance, FindingSeverity.Info, path, keyword, "The profile removes this attribute (X); it is present but empty.");
        }

        return false;
    }
}
