using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Dicom;

/// <summary>An ordered set of DICOM items (kept in ascending tag order), a top-level dataset or a sequence item.</summary>
public sealed class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items;
    private DicomCharacterSet? _characterSet;

    public DicomDataset()
        : this(16)
    {
    }

    public DicomDataset(int capacity) => _items = new List<DicomItem>(capacity);

    /// <summary>The dataset holding the sequence this item belongs to (null at top level).</summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>Number of items.</summary>
    public int Count => _items.Count;

    /// <summary>The items in tag order.</summary>
    public IReadOnlyList<DicomItem> Items => _items;

    /// <summary>The character set for text values: this dataset's (0008,0005), else the parent's, else the default.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null)
            {
                return _characterSet;
            }

            if (TryGetElement(DicomTag.SpecificCharacterSet, out var cs))
            {
                _characterSet = DicomCharacterSet.FromTerms(SplitAscii(cs.Value.GetBytes().Span, keepEmpty: true));
                return _characterSet;
            }

            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>True when the tag is present.</summary>
    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>Gets an item by tag.</summary>
    public bool TryGet(DicomTag tag, out DicomItem item)
    {
        var i = IndexOf(tag);
        item = i >= 0 ? _items[i] : null!;
        return i >= 0;
    }

    /// <summary>Gets a value element by tag (not a sequence).</summary>
    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        var i = IndexOf(tag);
        element = (i >= 0 ? _items[i] as DicomElement : null)!;
        return element is not null;
    }

    /// <summary>Gets a sequence by tag.</summary>
    public bool TryGetSequence(DicomTag tag, out DicomSequence sequence)
    {
        var i = IndexOf(tag);
        sequence = (i >= 0 ? _items[i] as DicomSequence : null)!;
        return sequence is not null;
    }

    /// <summary>Adds an item, or replaces the item with the same tag.</summary>
    public void AddOrUpdate(DicomItem item)
    {
        if (item is DicomSequence seq)
        {
            foreach (var ds in seq.Items)
            {
                ds.Parent = this;
            }
        }

        if (item.Tag == DicomTag.SpecificCharacterSet)
        {
            _characterSet = null;
        }

        var n = _items.Count;
        if (n == 0 || _items[n - 1].Tag < item.Tag)
        {
            _items.Add(item);
            return;
        }

        var i = IndexOf(item.Tag);
        if (i >= 0)
        {
            _items[i] = item;
        }
        else
        {
            _items.Insert(~i, item);
        }
    }

    /// <summary>Sets a text value, encoded with this dataset's character set; multiple values are joined with backslash.</summary>
    public void AddOrUpdate(DicomTag tag, DicomVR vr, string value)
    {
        var bytes = vr.IsCharacterSetText ? CharacterSet.Encode(value, vr) : Encoding.ASCII.GetBytes(value);
        AddOrUpdate(new DicomElement(tag, vr, bytes));
    }

    /// <summary>Sets a US value.</summary>
    public void AddOrUpdate(DicomTag tag, ushort value)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        AddOrUpdate(new DicomElement(tag, DicomVR.US, b));
    }

    /// <summary>Removes an item; returns true when it was present.</summary>
    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0)
        {
            return false;
        }

        if (tag == DicomTag.SpecificCharacterSet)
        {
            _characterSet = null;
        }

        _items.RemoveAt(i);
        return true;
    }

    /// <summary>Removes every item matching a predicate; returns how many were removed.</summary>
    public int RemoveAll(Predicate<DicomItem> match) => _items.RemoveAll(match);

    /// <summary>The decoded text of a string element (all values, backslash separated, trailing padding removed), or null.</summary>
    public string? GetString(DicomTag tag)
    {
        if (!TryGetElement(tag, out var e))
        {
            return null;
        }

        return DecodeString(e);
    }

    /// <summary>Decodes a string element with this dataset's character set; trailing spaces and NULs are removed.</summary>
    public string DecodeString(DicomElement element)
    {
        var bytes = element.Value.GetBytes().Span;
        if (element.VR.IsCharacterSetText || element.VR == DicomVR.UN)
        {
            return CharacterSet.Decode(bytes, element.VR).TrimEnd(' ', '\0');
        }

        return Latin1.GetString(bytes).TrimEnd(' ', '\0');
    }

    /// <summary>The values of a string element split at backslashes (each trimmed of padding), or an empty array.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        var s = GetString(tag);
        if (s is null)
        {
            return [];
        }

        var parts = s.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Trim(' ', '\0');
        }

        return parts;
    }

    /// <summary>Reads a numeric value (US, SS, UL, SL, IS, DS, FL, FD, UV, SV), value index <paramref name="index"/>.</summary>
    public bool TryGetNumber(DicomTag tag, out double value, int index = 0)
    {
        value = 0;
        if (!TryGetElement(tag, out var e) || index < 0)
        {
            return false;
        }

        var vr = e.VR;
        if (vr == DicomVR.IS || vr == DicomVR.DS)
        {
            var parts = GetStrings(tag);
            return index < parts.Length &&
                   double.TryParse(parts[index], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        var unit = vr.UnitSize;
        if (vr == DicomVR.OB || vr == DicomVR.UN)
        {
            return false;
        }

        if (e.Length < (long)(index + 1) * unit || unit == 1)
        {
            return false;
        }

        Span<byte> b = stackalloc byte[8];
        if (e.Value.Read((long)index * unit, b[..unit]) != unit)
        {
            return false;
        }

        value = vr.Code switch
        {
            _ when vr == DicomVR.US || vr == DicomVR.OW => BinaryPrimitives.ReadUInt16LittleEndian(b),
            _ when vr == DicomVR.SS => BinaryPrimitives.ReadInt16LittleEndian(b),
            _ when vr == DicomVR.UL || vr == DicomVR.OL => BinaryPrimitives.ReadUInt32LittleEndian(b),
            _ when vr == DicomVR.SL => BinaryPrimitives.ReadInt32LittleEndian(b),
            _ when vr == DicomVR.FL || vr == DicomVR.OF => BinaryPrimitives.ReadSingleLittleEndian(b),
            _ when vr == DicomVR.FD || vr == DicomVR.OD => BinaryPrimitives.ReadDoubleLittleEndian(b),
            _ when vr == DicomVR.UV || vr == DicomVR.OV => BinaryPrimitives.ReadUInt64LittleEndian(b),
            _ when vr == DicomVR.SV => BinaryPrimitives.ReadInt64LittleEndian(b),
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }

    /// <summary>Reads an integer value, or <paramref name="defaultValue"/> when absent or not a number.</summary>
    public int GetInt32(DicomTag tag, int defaultValue) =>
        TryGetNumber(tag, out var v) && v >= int.MinValue && v <= int.MaxValue ? (int)v : defaultValue;

    /// <summary>All items at every depth, parents before children, with each item's dataset.</summary>
    public IEnumerable<(DicomDataset Dataset, DicomItem Item, int Depth)> Walk()
    {
        var stack = new Stack<(DicomDataset, int, int)>();
        stack.Push((this, 0, 0));
        while (stack.Count > 0)
        {
            var (ds, index, depth) = stack.Pop();
            if (index >= ds._items.Count)
            {
                continue;
            }

            var item = ds._items[index];
            stack.Push((ds, index + 1, depth));
            yield return (ds, item, depth);
            if (item is DicomSequence seq)
            {
                for (var k = seq.Items.Count - 1; k >= 0; k--)
                {
                    stack.Push((seq.Items[k], 0, depth + 1));
                }
            }
        }
    }

    /// <summary>A deep copy of the item structure; values are shared (they are immutable).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset(_items.Count) { _characterSet = _characterSet };
        foreach (var item in _items)
        {
            copy._items.Add(item is DicomSequence s ? CloneSequence(s, copy) : item);
        }

        return copy;
    }

    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    internal void AppendUnchecked(DicomItem item) => _items.Add(item);

    internal static Encoding Latin1 { get; } = Encoding.Latin1;

    internal static string[] SplitAscii(ReadOnlySpan<byte> value, bool keepEmpty)
    {
        var s = Latin1.GetString(value).TrimEnd(' ', '\0');
        var parts = s.Split('\\');
        var list = new List<string>(parts.Length);
        foreach (var p in parts)
        {
            var t = p.Trim(' ', '\0');
            if (keepEmpty || t.Length > 0)
            {
                list.Add(t);
            }
        }

        return [.. list];
    }

    private static DicomSequence CloneSequence(DicomSequence s, DicomDataset parent)
    {
        var items = new List<DicomDataset>(s.Items.Count);
        foreach (var ds in s.Items)
        {
            var c = ds.Clone();
            c.Parent = parent;
            items.Add(c);
        }

        return new DicomSequence(s.Tag, s.VR, items) { WasUndefinedLength = s.WasUndefinedLength };
    }

    private int IndexOf(DicomTag tag)
    {
        var items = _items;
        int lo = 0, hi = items.Count - 1;
        var v = tag.Value;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var m = items[mid].Tag.Value;
            if (m == v)
            {
                return mid;
            }

            if (m < v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
