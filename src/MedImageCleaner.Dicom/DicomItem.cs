using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Dicom;

/// <summary>One entry of a dataset: an element with a value, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomItem
{
    protected DicomItem(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The VR (as read from the file for explicit VR, from the dictionary for implicit VR).</summary>
    public DicomVR VR { get; }

    public override string ToString() => $"{Tag} {VR}";
}

/// <summary>An element with a value (every VR but SQ, and not encapsulated pixel data).</summary>
public sealed class DicomElement : DicomItem
{
    public DicomElement(DicomTag tag, DicomVR vr, ValueSource value)
        : base(tag, vr)
    {
        Value = value;
    }

    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
        : this(tag, vr, ValueSource.FromBytes(value))
    {
    }

    /// <summary>The value bytes (little-endian), in memory or referenced in the source file.</summary>
    public ValueSource Value { get; }

    /// <summary>The value length in bytes, as read (odd lengths are kept; the writer pads).</summary>
    public long Length => Value.Length;
}

/// <summary>A sequence of items, each a nested dataset.</summary>
public sealed class DicomSequence : DicomItem
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
        : this(tag, DicomVR.SQ, items)
    {
    }

    /// <summary>Creates a sequence read with a VR other than SQ (UN with undefined length, PS3.5 6.2.2).</summary>
    public DicomSequence(DicomTag tag, DicomVR vr, IEnumerable<DicomDataset>? items)
        : base(tag, vr)
    {
        if (items is not null)
        {
            Items.AddRange(items);
        }
    }

    /// <summary>The items.</summary>
    public List<DicomDataset> Items { get; } = [];

    /// <summary>True when the sequence was read with undefined length (informational; the writer chooses its own).</summary>
    public bool WasUndefinedLength { get; init; }
}

/// <summary>Encapsulated pixel data: the basic offset table item, then one item per fragment (PS3.5 A.4).</summary>
public sealed class DicomFragmentSequence : DicomItem
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, ValueSource offsetTable, IEnumerable<ValueSource> fragments)
        : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = [.. fragments];
    }

    /// <summary>The basic offset table (first item), possibly empty.</summary>
    public ValueSource OffsetTable { get; }

    /// <summary>The fragments, kept as-is.</summary>
    public List<ValueSource> Fragments { get; }
}
