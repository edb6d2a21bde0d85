using System.Collections.Frozen;

namespace MedImageCleaner.Dicom;

/// <summary>A transfer syntax (PS3.5 section 10, PS3.6 Annex A): how a dataset and its pixel data are encoded.</summary>
public sealed class TransferSyntax : IEquatable<TransferSyntax>
{
    private static readonly FrozenDictionary<string, TransferSyntax> Known;

    private TransferSyntax(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated, bool retired = false)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsRetired = retired;
    }

    static TransferSyntax()
    {
        var all = new[]
        {
            ImplicitVRLittleEndian, ExplicitVRLittleEndian, EncapsulatedUncompressed, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian,
            JpegBaseline, JpegExtended, JpegLossless, JpegLosslessSV1, JpegLSLossless, JpegLSNearLossless,
            Jpeg2000Lossless, Jpeg2000, Jpeg2000Part2Lossless, Jpeg2000Part2, HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K, RLELossless,
            E("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 & 5)", true),
            E("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)", true),
            E("1.2.840.10008.1.2.4.54", "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9)", true),
            E("1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)", true),
            E("1.2.840.10008.1.2.4.56", "JPEG Full Progression, Non-Hierarchical (Process 11 & 13)", true),
            E("1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15)", true),
            E("1.2.840.10008.1.2.4.59", "JPEG Extended, Hierarchical (Process 16 & 18)", true),
            E("1.2.840.10008.1.2.4.60", "JPEG Extended, Hierarchical (Process 17 & 19)", true),
            E("1.2.840.10008.1.2.4.61", "JPEG Spectral Selection, Hierarchical (Process 20 & 22)", true),
            E("1.2.840.10008.1.2.4.62", "JPEG Spectral Selection, Hierarchical (Process 21 & 23)", true),
            E("1.2.840.10008.1.2.4.63", "JPEG Full Progression, Hierarchical (Process 24 & 26)", true),
            E("1.2.840.10008.1.2.4.64", "JPEG Full Progression, Hierarchical (Process 25 & 27)", true),
            E("1.2.840.10008.1.2.4.65", "JPEG Lossless, Hierarchical (Process 28)", true),
            E("1.2.840.10008.1.2.4.66", "JPEG Lossless, Hierarchical (Process 29)", true),
            E("1.2.840.10008.1.2.4.94", "JPIP Referenced"),
            E("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate"),
            E("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
            E("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
            E("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
            E("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
            E("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
            E("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
            E("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
            E("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
            E("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
            E("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
            E("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"),
            E("1.2.840.10008.1.2.4.112", "JPEG XL"),
            E("1.2.840.10008.1.2.4.204", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
            E("1.2.840.10008.1.2.7.1", "SMPTE ST 2110-20 Uncompressed Progressive Active Video"),
            E("1.2.840.10008.1.2.7.2", "SMPTE ST 2110-20 Uncompressed Interlaced Active Video"),
            E("1.2.840.10008.1.2.7.3", "SMPTE ST 2110-30 PCM Digital Audio"),
        };
        var d = new Dictionary<string, TransferSyntax>(StringComparer.Ordinal);
        foreach (var ts in all)
        {
            d[ts.Uid] = ts;
        }

        Known = d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static TransferSyntax ImplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);

    public static TransferSyntax ExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);

    public static TransferSyntax EncapsulatedUncompressed { get; } = new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, false, false, true);

    public static TransferSyntax DeflatedExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);

    public static TransferSyntax ExplicitVRBigEndian { get; } = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false, retired: true);

    public static TransferSyntax JpegBaseline { get; } = E("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)");

    public static TransferSyntax JpegExtended { get; } = E("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)");

    public static TransferSyntax JpegLossless { get; } = E("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)");

    public static TransferSyntax JpegLosslessSV1 { get; } = E("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])");

    public static TransferSyntax JpegLSLossless { get; } = E("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression");

    public static TransferSyntax JpegLSNearLossless { get; } = E("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression");

    public static TransferSyntax Jpeg2000Lossless { get; } = E("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)");

    public static TransferSyntax Jpeg2000 { get; } = E("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression");

    public static TransferSyntax Jpeg2000Part2Lossless { get; } = E("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)");

    public static TransferSyntax Jpeg2000Part2 { get; } = E("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression");

    public static TransferSyntax HTJ2KLossless { get; } = E("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)");

    public static TransferSyntax HTJ2KLosslessRPCL { get; } = E("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)");

    public static TransferSyntax HTJ2K { get; } = E("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression");

    public static TransferSyntax RLELossless { get; } = E("1.2.840.10008.1.2.5", "RLE Lossless");

    /// <summary>The UID.</summary>
    public string Uid { get; }

    /// <summary>The name from PS3.6 Annex A.</summary>
    public string Name { get; }

    /// <summary>True when the dataset carries explicit VRs.</summary>
    public bool IsExplicitVR { get; }

    /// <summary>True for Explicit VR Big Endian (retired).</summary>
    public bool IsBigEndian { get; }

    /// <summary>True when the dataset after the file meta is deflated.</summary>
    public bool IsDeflated { get; }

    /// <summary>True when pixel data is encapsulated (compressed or fragmented).</summary>
    public bool IsEncapsulated { get; }

    /// <summary>True when the transfer syntax is retired.</summary>
    public bool IsRetired { get; }

    /// <summary>True when this UID is not one the library knows; it is then treated as encapsulated explicit VR LE.</summary>
    public bool IsUnknown { get; private init; }

    /// <summary>All transfer syntaxes the library knows.</summary>
    public static IEnumerable<TransferSyntax> All => Known.Values;

    /// <summary>Finds a transfer syntax by UID; unknown UIDs give an encapsulated explicit VR LE syntax flagged <see cref="IsUnknown"/> (PS3.5 10.1: any syntax not listed encodes its dataset as explicit VR LE).</summary>
    public static TransferSyntax Lookup(string uid)
    {
        var clean = uid.TrimEnd('\0', ' ');
        return Known.TryGetValue(clean, out var ts)
            ? ts
            : new TransferSyntax(clean, "Unknown transfer syntax", true, false, false, true) { IsUnknown = true };
    }

    public bool Equals(TransferSyntax? other) => other is not null && Uid == other.Uid;

    public override bool Equals(object? obj) => obj is TransferSyntax t && Equals(t);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Uid);

    public override string ToString() => Name;

    private static TransferSyntax E(string uid, string name, bool retired = false) => new(uid, name, true, false, false, true, retired);
}
