using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MedImageCleaner.Dicom.Tests.Oracles;

/// <summary>
/// Flattens our datasets into the same <see cref="DumpEntry"/> nodes the dcmdump parser produces, walking with
/// <see cref="DicomDataset.Walk"/> and decoding text with <see cref="DicomDataset.DecodeString"/>.
/// </summary>
internal static class DatasetFlattener
{
    /// <summary>The file meta group followed by the dataset, as dcmdump prints a file.</summary>
    public static List<DumpEntry> Flatten(DicomFile file)
    {
        var list = Flatten(file.FileMetaInfo);
        list.AddRange(Flatten(file.Dataset));
        return list;
    }

    /// <summary>Every node of a dataset at every depth, parents before children.</summary>
    public static List<DumpEntry> Flatten(DicomDataset root)
    {
        var result = new List<DumpEntry>();
        var prefixes = new Dictionary<DicomDataset, string>(ReferenceEqualityComparer.Instance) { [root] = string.Empty };
        foreach (var (ds, item, _) in root.Walk())
        {
            var path = prefixes[ds] + item.Tag.ToString();
            switch (item)
            {
                case DicomSequence seq:
                    // dcmtk turns an undefined-length UN it parses as a sequence (CP-246) into SQ; we keep UN as the VR
                    // to remember how it was encoded. Both are a sequence: compared as "SQ".
                    result.Add(new DumpEntry(path, DumpKind.Sequence, "SQ", null, null));
                    for (var k = 0; k < seq.Items.Count; k++)
                    {
                        var itemPath = path + "[" + k.ToString(CultureInfo.InvariantCulture) + "]";
                        result.Add(new DumpEntry(itemPath, DumpKind.Item, "na", null, null));
                        prefixes[seq.Items[k]] = itemPath + "/";
                    }

                    break;
                case DicomFragmentSequence frags:
                    result.Add(new DumpEntry(path, DumpKind.PixelSequence, frags.VR.ToString(), null, null));
                    result.Add(new DumpEntry(path + "{0}", DumpKind.Fragment, "pi", frags.OffsetTable.Length, null));
                    for (var k = 0; k < frags.Fragments.Count; k++)
                    {
                        result.Add(new DumpEntry(path + "{" + (k + 1).ToString(CultureInfo.InvariantCulture) + "}", DumpKind.Fragment, "pi", frags.Fragments[k].Length, null));
                    }

                    break;
                case DicomElement e:
                    result.Add(new DumpEntry(path, DumpKind.Element, e.VR.ToString(), e.Length, FormatValue(ds, e)));
                    break;
            }
        }

        return result;
    }

    /// <summary>The value in dcmdump's notation, or null when longer than dcmdump loads.</summary>
    public static string? FormatValue(DicomDataset ds, DicomElement e)
    {
        if (e.Length > Dcmdump.LoadLimit)
        {
            return null;
        }

        var vr = e.VR;
        if (vr.IsString)
        {
            return ds.DecodeString(e);
        }

        var b = e.Value.GetBytes().Span;
        var sb = new StringBuilder(b.Length * 3);
        if (vr == DicomVR.OW)
        {
            for (var i = 0; i + 1 < b.Length; i += 2)
            {
                Sep(sb).Append(BinaryPrimitives.ReadUInt16LittleEndian(b[i..]).ToString("x4", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }

        if (vr == DicomVR.AT && b.Length % 4 == 0)
        {
            // AT: pairs of 16-bit values (group, element), printed (gggg,eeee).
            for (var i = 0; i < b.Length; i += 4)
            {
                Sep(sb).Append('(').Append(BinaryPrimitives.ReadUInt16LittleEndian(b[i..]).ToString("x4", CultureInfo.InvariantCulture))
                  .Append(',').Append(BinaryPrimitives.ReadUInt16LittleEndian(b[(i + 2)..]).ToString("x4", CultureInfo.InvariantCulture)).Append(')');
            }

            return sb.ToString();
        }

        var unit = vr == DicomVR.AT ? 4 : vr.UnitSize;
        if (unit == 1 || b.Length % unit != 0)
        {
            // OB, UN and anything dcmtk cannot split into whole values: bytes.
            foreach (var x in b)
            {
                Sep(sb).Append(x.ToString("x2", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }

        for (var i = 0; i < b.Length; i += unit)
        {
            var v = b[i..];
            Sep(sb);
            if (vr == DicomVR.US)
            {
                sb.Append(BinaryPrimitives.ReadUInt16LittleEndian(v));
            }
            else if (vr == DicomVR.SS)
            {
                sb.Append(BinaryPrimitives.ReadInt16LittleEndian(v));
            }
            else if (vr == DicomVR.UL || vr == DicomVR.OL)
            {
                sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(v));
            }
            else if (vr == DicomVR.SL)
            {
                sb.Append(BinaryPrimitives.ReadInt32LittleEndian(v));
            }
            else if (vr == DicomVR.UV || vr == DicomVR.OV)
            {
                sb.Append(BinaryPrimitives.ReadUInt64LittleEndian(v));
            }
            else if (vr == DicomVR.SV)
            {
                sb.Append(BinaryPrimitives.ReadInt64LittleEndian(v));
            }
            else if (vr == DicomVR.FL || vr == DicomVR.OF)
            {
                sb.Append(BinaryPrimitives.ReadSingleLittleEndian(v).ToString("R", CultureInfo.InvariantCulture));
            }
            else if (vr == DicomVR.FD || vr == DicomVR.OD)
            {
                sb.Append(BinaryPrimitives.ReadDoubleLittleEndian(v).ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static StringBuilder Sep(StringBuilder sb) => sb.Length > 0 ? sb.Append('\\') : sb;
}
