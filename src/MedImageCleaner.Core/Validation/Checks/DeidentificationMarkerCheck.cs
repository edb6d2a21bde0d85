using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// <see cref="DeidentificationCheck.DeidentificationMarker"/>: Patient Identity Removed is YES and De-identification
/// Method (or its code sequence) is present.
/// </summary>
internal static class DeidentificationMarkerCheck
{
    public static void Check(ValidationRun run, DicomDataset ds)
    {
        if (!string.Equals(ds.GetString(DicomTag.PatientIdentityRemoved)?.Trim(), "YES", StringComparison.Ordinal))
        {
            run.Add(DeidentificationCheck.DeidentificationMarker, FindingSeverity.Error, DicomTag.PatientIdentityRemoved.ToString(), "PatientIdentityRemoved", "Patient Identity Removed is not YES.");
        }

        var hasText = ds.GetStrings(DicomTag.DeidentificationMethod).Any(t => t.Trim().Length > 0);
        var hasCodes = ds.TryGetSequence(DicomTag.DeidentificationMethodCodeSequence, out var codes) && codes.Items.Count > 0;
        if (!hasText && !hasCodes)
        {
            run.Add(DeidentificationCheck.DeidentificationMarker, FindingSeverity.Error, DicomTag.DeidentificationMethod.ToString(), "DeidentificationMethod",
                "Neither De-identification Method nor De-identification Method Code Sequence is present.");
        }
    }
}
