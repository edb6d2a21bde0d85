using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// <see cref="DeidentificationCheck.BurnedInAnnotation"/>: Burned In Annotation is not YES, and images of kinds that
/// often carry burned-in text are marked NO.
/// </summary>
internal static class BurnedInAnnotationCheck
{
    public static void Check(ValidationRun run, DicomDataset ds)
    {
        if (!ds.Contains(DicomTag.PixelData))
        {
            return;
        }

        var burned = ds.GetString(DicomTag.BurnedInAnnotation)?.Trim();
        var path = DicomTag.BurnedInAnnotation.ToString();
        if (string.Equals(burned, "YES", StringComparison.OrdinalIgnoreCase))
        {
            run.Add(DeidentificationCheck.BurnedInAnnotation, FindingSeverity.Error, path, "BurnedInAnnotation", "Burned In Annotation is YES: the pixels carry identifying text.");
        }
        else if (!string.Equals(burned, "NO", StringComparison.OrdinalIgnoreCase) && LikelyBurnedIn(ds))
        {
            run.Add(DeidentificationCheck.BurnedInAnnotation, FindingSeverity.Warning, path, "BurnedInAnnotation",
                "An image of a kind that often carries burned-in text, with no verified redaction (Burned In Annotation is not NO).");
        }
    }

    /// <summary>Modalities and SOP classes that often carry burned-in text (ultrasound, angiography, secondary capture, documents...).</summary>
    private static bool LikelyBurnedIn(DicomDataset ds)
    {
        var modality = ds.GetString(DicomTag.Modality)?.Trim().ToUpperInvariant();
        if (modality is "US" or "IVUS" or "XA" or "RF" or "ES" or "XC" or "OT" or "SC" or "DOC" or "OP" or "GM" or "SM" or "TG" or "ECG")
        {
            return true;
        }

        var sopClass = ds.GetString(DicomTag.SOPClassUID)?.Trim(' ', '\0') ?? string.Empty;
        return sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.7", StringComparison.Ordinal) || // Secondary Capture family
               sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.104", StringComparison.Ordinal) || // Encapsulated documents
               sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.3.1", StringComparison.Ordinal) || // US multi-frame
               sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.6", StringComparison.Ordinal); // US
    }
}
