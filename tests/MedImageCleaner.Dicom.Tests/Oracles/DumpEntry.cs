namespace MedImageCleaner.Dicom.Tests.Oracles;

/// <summary>What a flattened dump line stands for.</summary>
internal enum DumpKind
{
    /// <summary>An element with a value.</summary>
    Element,

    /// <summary>A sequence (SQ, or UN of undefined length read as a sequence).</summary>
    Sequence,

    /// <summary>One item of a sequence.</summary>
    Item,

    /// <summary>Encapsulated pixel data (a pixel sequence).</summary>
    PixelSequence,

    /// <summary>One item of a pixel sequence: the basic offset table (index 0) or a fragment.</summary>
    Fragment,
}

/// <summary>
/// One node of a dataset flattened the way dcmdump prints it: a path such as "(0008,1140)[0]/(0008,1150)"
/// (items as [n], pixel items as {n} with {0} the basic offset table), the VR, the value length and the value in
/// dcmdump's notation (text for string VRs with trailing padding removed; hex bytes, hex words or numbers otherwise).
/// </summary>
/// <param name="Path">Tag path, upper-case hex.</param>
/// <param name="Kind">What the node is.</param>
/// <param name="VR">The VR as printed ("na" for items, "pi" for pixel items, "SQ" for sequences).</param>
/// <param name="Length">The value length; null where it is not compared (sequences, items, undefined lengths).</param>
/// <param name="Value">The value in dcmdump notation; null when not available (not loaded, or not compared).</param>
internal sealed record DumpEntry(string Path, DumpKind Kind, string VR, long? Length, string? Value)
{
    public override string ToString() => $"{Path} {VR} len={Length?.ToString() ?? "-"} [{Value ?? "(not compared)"}]";
}
