namespace MedImageCleaner.Core.Files;

/// <summary>
/// Stable error ids of per-file failures that several services report (the cmdlets' FullyQualifiedErrorId starts with
/// them): one spelling, one place.
/// </summary>
public static class FileErrorIds
{
    /// <summary>The input is not a DICOM Part 10 file (or a raw data set that can be read as one).</summary>
    public const string NotDicomFile = "NotDicomFile";

    /// <summary>The input cannot be read: an I/O error, denied access, or a damaged DICOM stream.</summary>
    public const string DicomReadFailed = "DicomReadFailed";

    /// <summary>The output could not be written.</summary>
    public const string WriteFailed = "WriteFailed";
}
