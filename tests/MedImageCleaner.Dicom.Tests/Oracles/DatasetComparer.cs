using System.Globalization;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Dicom.Tests.Oracles;

/// <summary>
/// Deep comparison of two datasets (same tags, VRs and values at every depth, same items, same fragments), for the
/// round trip: the dataset read from a file we wrote must equal the dataset it was written from. The only accepted
/// differences are what the writer changes on purpose, each named here.
/// </summary>
internal static class DatasetComparer
{
    /// <summary>Returns the differences between <paramref name="expected"/> (first read) and <paramref name="actual"/> (re-read of what we wrote).</summary>
    public static List<string> Compare(DicomDataset expected, DicomDataset actual)
    {
        var diffs = new List<string>();
        CompareDataset(expected, actual, string.Empty, diffs);
        return diffs;
    }

    /// <summary>True when both values hold the same bytes (compared in chunks, never loading a large value whole).</summary>
    public static bool SameBytes(ValueSource a, ValueSource b, long length)
    {
        if (a.Length < length || b.Length < length)
        {
            return false;
        }

        var bufA = new byte[64 * 1024];
        var bufB = new byte[64 * 1024];
        for (long pos = 0; pos < length;)
        {
            var want = (int)Math.Min(bufA.Length, length - pos);
            var na = a.Read(pos, bufA.AsSpan(0, want));
            var nb = b.Read(pos, bufB.AsSpan(0, want));
            if (na != want || nb != want || !bufA.AsSpan(0, want).SequenceEqual(bufB.AsSpan(0, want)))
            {
                return false;
            }

            pos += want;
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="actual"/> is <paramref name="expected"/> as the writer must store it: the same bytes,
    /// or, for an odd-length value, the same bytes plus the one padding byte of the VR (PS3.5 7.1.1: values have even
    /// length; the writer pads with a space for text and NUL for UI and binary VRs).
    /// </summary>
    public static bool SameValue(ValueSource expected, ValueSource actual, byte paddingByte)
    {
        if (expected.Length == actual.Length)
        {
            return SameBytes(expected, actual, expected.Length);
        }

        if ((expected.Length & 1) == 1 && actual.Length == expected.Length + 1 && SameBytes(expected, actual, expected.Length))
        {
            Span<byte> last = stackalloc byte[1];
            return actual.Read(expected.Length, last) == 1 && last[0] == paddingByte;
        }

        return false;
    }

    private static void CompareDataset(DicomDataset expected, DicomDataset actual, string prefix, List<string> diffs)
    {
        var e = expected.Items;
        var a = actual.Items;
        int i = 0, j = 0;
        while (i < e.Count || j < a.Count)
        {
            if (j >= a.Count || (i < e.Count && e[i].Tag < a[j].Tag))
            {
                diffs.Add($"missing after round trip: {prefix}{e[i].Tag} {e[i].VR}");
                i++;
                continue;
            }

            if (i >= e.Count || a[j].Tag < e[i].Tag)
            {
                diffs.Add($"extra after round trip: {prefix}{a[j].Tag} {a[j].VR}");
                j++;
                continue;
            }

            CompareItem(e[i], a[j], prefix + e[i].Tag.ToString(), diffs);
            i++;
            j++;
        }
    }

    private static void CompareItem(DicomItem expected, DicomItem actual, string path, List<string> diffs)
    {
        switch (expected, actual)
        {
            case (DicomElement x, DicomElement y):
                if (x.VR != y.VR)
                {
                    diffs.Add($"VR differs at {path}: {x.VR} then {y.VR}");
                    return;
                }

                // Group lengths (gggg,0000) outside the file meta are recomputed by the writer from what it writes.
                if (x.Tag.IsGroupLength)
                {
                    return;
                }

                if (!SameValue(x.Value, y.Value, x.VR.PaddingByte))
                {
                    diffs.Add($"value differs at {path} ({x.VR}): length {x.Length} then {y.Length}");
                }

                return;

            case (DicomSequence x, DicomSequence y):
                if (x.VR != y.VR)
                {
                    diffs.Add($"sequence VR differs at {path}: {x.VR} then {y.VR}");
                }

                if (x.Items.Count != y.Items.Count)
                {
                    diffs.Add($"item count differs at {path}: {x.Items.Count} then {y.Items.Count}");
                    return;
                }

                for (var k = 0; k < x.Items.Count; k++)
                {
                    CompareDataset(x.Items[k], y.Items[k], path + "[" + k.ToString(CultureInfo.InvariantCulture) + "]/", diffs);
                }

                return;

            case (DicomFragmentSequence x, DicomFragmentSequence y):
                if (x.VR != y.VR)
                {
                    diffs.Add($"pixel sequence VR differs at {path}: {x.VR} then {y.VR}");
                }

                // Fragments are items, and items have even length (PS3.5 A.4): an odd fragment is written with a NUL.
                if (!SameValue(x.OffsetTable, y.OffsetTable, 0))
                {
                    diffs.Add($"basic offset table differs at {path}: length {x.OffsetTable.Length} then {y.OffsetTable.Length}");
                }

                if (x.Fragments.Count != y.Fragments.Count)
                {
                    diffs.Add($"fragment count differs at {path}: {x.Fragments.Count} then {y.Fragments.Count}");
                    return;
                }

                for (var k = 0; k < x.Fragments.Count; k++)
                {
                    if (!SameValue(x.Fragments[k], y.Fragments[k], 0))
                    {
                        diffs.Add($"fragment {k} differs at {path}: length {x.Fragments[k].Length} then {y.Fragments[k].Length}");
                    }
                }

                return;

            default:
                diffs.Add($"kind differs at {path}: {expected.GetType().Name} then {actual.GetType().Name}");
                return;
        }
    }
}
