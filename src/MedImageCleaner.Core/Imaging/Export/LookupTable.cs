using System.Buffers.Binary;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>
/// A DICOM lookup table (Modality LUT, VOI LUT or one Palette Color channel): a descriptor (entry count, 0 meaning
/// 65536; first input value mapped; bits per entry) and the entries. Inputs below the first mapped value give the
/// first entry, inputs past the last give the last entry (PS3.3 C.11.1.1, C.11.2.1.1, C.7.6.3.1.5).
/// </summary>
internal sealed class LookupTable
{
    public LookupTable(int firstMapped, int bitsPerEntry, ushort[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Length == 0)
        {
            throw new ArgumentException("A lookup table needs entries.", nameof(entries));
        }

        FirstMapped = firstMapped;
        BitsPerEntry = Math.Clamp(bitsPerEntry, 1, 16);
        Entries = entries;
    }

    /// <summary>The input value mapped to the first entry.</summary>
    public int FirstMapped { get; }

    /// <summary>Bits per entry (8 to 16), as the descriptor says.</summary>
    public int BitsPerEntry { get; }

    public ushort[] Entries { get; }

    /// <summary>The largest value an entry can hold (2^bits - 1).</summary>
    public int MaximumEntry => (1 << BitsPerEntry) - 1;

    /// <summary>The entry for <paramref name="input"/> (clamped to the table).</summary>
    public ushort this[long input]
    {
        get
        {
            var i = input - FirstMapped;
            return i <= 0 ? Entries[0] : i >= Entries.Length ? Entries[^1] : Entries[i];
        }
    }

    /// <summary>
    /// Reads a table from a descriptor element and a data element of <paramref name="dataset"/>. 8-bit entries may be
    /// packed two per 16-bit word (byte length equal to the entry count) or one per word. Returns false when either
    /// is absent or they disagree.
    /// </summary>
    /// <param name="dataset">The dataset or sequence item holding the elements.</param>
    /// <param name="descriptorTag">The LUT Descriptor.</param>
    /// <param name="dataTag">The LUT Data.</param>
    /// <param name="signedInput">True when inputs are signed (the first mapped value is then read as signed 16-bit).</param>
    /// <param name="table">The table.</param>
    public static bool TryRead(DicomDataset dataset, DicomTag descriptorTag, DicomTag dataTag, bool signedInput, out LookupTable table)
    {
        table = null!;
        if (!dataset.TryGetNumber(descriptorTag, out var count, 0) || !dataset.TryGetNumber(descriptorTag, out var first, 1) ||
            !dataset.TryGetNumber(descriptorTag, out var bits, 2) || !dataset.TryGetElement(dataTag, out var data))
        {
            return false;
        }

        var entries = count is <= 0 or > 65536 ? 65536 : (int)count;
        var firstMapped = (int)first;
        if (signedInput && firstMapped > short.MaxValue)
        {
            firstMapped -= 65536;
        }

        var bytes = data.Value.GetBytes().Span;
        var values = new ushort[entries];
        if (bytes.Length == entries && entries > 1)
        {
            // 8-bit entries packed two per word, in word order (little endian after reading).
            for (var i = 0; i < entries; i++)
            {
                values[i] = bytes[i];
            }
        }
        else if (bytes.Length >= 2 * entries)
        {
            for (var i = 0; i < entries; i++)
            {
                values[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]);
            }
        }
        else
        {
            return false;
        }

        var bitsPerEntry = bits is >= 1 and <= 16 ? (int)bits : 16;
        var mask = (ushort)((1 << bitsPerEntry) - 1);
        for (var i = 0; i < entries; i++)
        {
            values[i] &= mask;
        }

        table = new LookupTable(firstMapped, bitsPerEntry, values);
        return true;
    }
}
