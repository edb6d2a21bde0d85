using System.IO.Compression;

namespace MedImageCleaner.Dicom.IO;

/// <summary>How a file is written.</summary>
public sealed record DicomWriteOptions
{
    /// <summary>Our Implementation Class UID (2.25 form, from a UUID generated for this product).</summary>
    public const string DefaultImplementationClassUid = "2.25.245150272894171026456318009887707906507";

    /// <summary>Our Implementation Version Name (SH, at most 16 characters).</summary>
    public const string DefaultImplementationVersionName = "MEDIMGCLEAN_010";

    /// <summary>Default options: Explicit VR Little Endian for native pixel data, the source syntax for encapsulated data.</summary>
    public static DicomWriteOptions Default { get; } = new();

    /// <summary>Options that keep the source transfer syntax.</summary>
    public static DicomWriteOptions KeepSource { get; } = new() { KeepSourceTransferSyntax = true };

    /// <summary>The transfer syntax to write; null chooses automatically (see <see cref="KeepSourceTransferSyntax"/>).</summary>
    public TransferSyntax? TransferSyntax { get; init; }

    /// <summary>Write with the transfer syntax the file was read with (when <see cref="TransferSyntax"/> is null).</summary>
    public bool KeepSourceTransferSyntax { get; init; }

    /// <summary>The Implementation Class UID written in the file meta.</summary>
    public string ImplementationClassUid { get; init; } = DefaultImplementationClassUid;

    /// <summary>The Implementation Version Name written in the file meta.</summary>
    public string ImplementationVersionName { get; init; } = DefaultImplementationVersionName;

    /// <summary>Keep file meta elements other than the ones regenerated (Source AE Title, private information...).</summary>
    public bool KeepOtherFileMetaElements { get; init; } = true;

    /// <summary>Deflate level for Deflated Explicit VR Little Endian.</summary>
    public CompressionLevel DeflateLevel { get; init; } = CompressionLevel.Optimal;
}
