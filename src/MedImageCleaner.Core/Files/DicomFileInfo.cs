namespace MedImageCleaner.Core.Files;

/// <summary>
/// What <see cref="DicomFileInspector"/> learns from a DICOM file's header: identity, SOP class, encoding and image
/// geometry. Patient attributes are exposed for scripts but may be PHI: never log or echo them.
/// </summary>
public sealed record DicomFileInfo
{
    /// <summary>The full path of the file.</summary>
    public required string FullName { get; init; }

    /// <summary>The file name (without directory).</summary>
    public required string Name { get; init; }

    /// <summary>The file size in bytes.</summary>
    public long Length { get; init; }

    /// <summary>SOP Class UID (0008,0016), or the file meta's Media Storage SOP Class UID when the dataset has none.</summary>
    public string? SopClassUid { get; init; }

    /// <summary>The SOP class name from PS3.4/PS3.6 (the UID itself when unknown).</summary>
    public string? SopClassName { get; init; }

    /// <summary>SOP Instance UID (0008,0018), or the file meta's Media Storage SOP Instance UID.</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>Modality (0008,0060).</summary>
    public string? Modality { get; init; }

    /// <summary>The transfer syntax UID the dataset is encoded with.</summary>
    public required string TransferSyntaxUid { get; init; }

    /// <summary>The transfer syntax name.</summary>
    public required string TransferSyntaxName { get; init; }

    /// <summary>Rows (0028,0010); null when the file has no image.</summary>
    public int? Rows { get; init; }

    /// <summary>Columns (0028,0011); null when the file has no image.</summary>
    public int? Columns { get; init; }

    /// <summary>Number of Frames (0028,0008); 1 for a single-frame image, 0 when the file has no image.</summary>
    public int NumberOfFrames { get; init; }

    /// <summary>Bits Allocated (0028,0100).</summary>
    public int? BitsAllocated { get; init; }

    /// <summary>Photometric Interpretation (0028,0004).</summary>
    public string? PhotometricInterpretation { get; init; }

    /// <summary>Burned In Annotation (0028,0301): true for YES, false for NO, null when absent or another value.</summary>
    public bool? BurnedInAnnotation { get; init; }

    /// <summary>True when the header holds any private attribute, at any sequence depth.</summary>
    public bool HasPrivateTags { get; init; }

    /// <summary>Patient Identity Removed (0012,0062): true for YES, false for NO, null when absent or another value.</summary>
    public bool? PatientIdentityRemoved { get; init; }

    /// <summary>Patient's Name (0010,0010). May be PHI.</summary>
    public string? PatientName { get; init; }

    /// <summary>Patient ID (0010,0020). May be PHI.</summary>
    public string? PatientId { get; init; }

    /// <summary>Study Date (0008,0020), as written (YYYYMMDD). May be PHI.</summary>
    public string? StudyDate { get; init; }

    /// <summary>Codes of what the reader tolerated (e.g. OddLength, MissingPreamble), each once. Never values.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What is missing from a damaged file (truncated values, incomplete pixel data...), no values; empty for a sound file.</summary>
    public IReadOnlyList<string> Damage { get; init; } = [];

    /// <summary>True when data is missing from the file (see <see cref="Damage"/>).</summary>
    public bool InputDamaged => Damage.Count > 0;

    /// <summary>
    /// Extra attributes asked for by tag: the key is the keyword, or (GGGG,EEEE) for private or unknown tags; the value
    /// is null when the attribute is absent. Keys compare case-insensitively. Values may be PHI.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; init; } = DicomFileInspector.EmptyAttributes;

    /// <summary>Returns <see cref="FullName"/>.</summary>
    public override string ToString() => FullName;
}
