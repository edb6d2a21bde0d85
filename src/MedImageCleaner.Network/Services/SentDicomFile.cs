using MedImageCleaner.Dicom;

namespace MedImageCleaner.Network;

/// <summary>A file sent by Send-DicomFile and what the peer answered (no dataset values: UIDs of the standard only).</summary>
public sealed record SentDicomFile
{
    /// <summary>The file sent.</summary>
    public required string FullName { get; init; }

    public string Name => Path.GetFileName(FullName);

    /// <summary>Sent (status 0x0000) or Warning (Bxxx and the other warning codes).</summary>
    public required string Status { get; init; }

    /// <summary>The peer's DIMSE status code.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The status in words with its code, e.g. "Warning: coercion of data elements (0xB000)".</summary>
    public required string StatusText { get; init; }

    /// <summary>The SOP class name.</summary>
    public required string SopClass { get; init; }

    /// <summary>The transfer syntax the data set was sent in.</summary>
    public required string TransferSyntax { get; init; }

    /// <summary>True when the file was re-encoded because the peer did not take its own syntax.</summary>
    public bool Converted { get; init; }

    public int Attempts { get; init; }

    /// <summary>Data set bytes sent.</summary>
    public long Bytes { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>Called AE title, host and port.</summary>
    public required string Peer { get; init; }

    /// <summary>The result object for a store that got a success or warning response.</summary>
    public static SentDicomFile From(StoreResult r, DicomPeer peer)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(peer);
        var code = r.Status ?? 0;
        return new SentDicomFile
        {
            FullName = r.Path,
            Status = DimseStatus.Classify(code) == DimseStatusKind.Success ? "Sent" : "Warning",
            StatusCode = code,
            StatusText = DimseStatus.Describe(code),
            SopClass = r.SopClassUid is null ? string.Empty : DicomUids.GetName(r.SopClassUid),
            TransferSyntax = r.TransferSyntaxUid is null ? string.Empty : Dicom.TransferSyntax.Lookup(r.TransferSyntaxUid).Name,
            Converted = r.Converted,
            Attempts = r.Attempts,
            Bytes = r.Bytes,
            Elapsed = r.Elapsed,
            Peer = peer.ToString(),
        };
    }
}
