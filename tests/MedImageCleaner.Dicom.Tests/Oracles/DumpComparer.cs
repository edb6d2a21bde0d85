using System.Globalization;

namespace MedImageCleaner.Dicom.Tests.Oracles;

/// <summary>
/// Compares dcmdump's view of a file with ours, node by node (path, VR, length, value). The rules that make two
/// different notations of the same content compare equal are listed here, each with its reason.
/// </summary>
internal static class DumpComparer
{
    /// <summary>
    /// Returns the differences (empty when the dumps agree).
    /// </summary>
    /// <param name="dcmtk">dcmdump's nodes from the run without +U8 (structure, lengths, non-character-set text).</param>
    /// <param name="dcmtkUtf8">dcmdump's nodes from the +U8 run, for the values of character-set text; null when that run failed.</param>
    /// <param name="ours">Our nodes.</param>
    public static List<string> Compare(IReadOnlyList<DumpEntry> dcmtk, IReadOnlyList<DumpEntry>? dcmtkUtf8, IReadOnlyList<DumpEntry> ours)
    {
        var diffs = new List<string>();
        var theirs = Index(dcmtk);
        var mine = Index(ours);
        var utf8 = dcmtkUtf8 is null ? null : Index(dcmtkUtf8);
        foreach (var (path, t) in theirs)
        {
            if (!mine.TryGetValue(path, out var o))
            {
                diffs.Add($"missing in ours: {t}");
                continue;
            }

            if (t.Kind != o.Kind)
            {
                diffs.Add($"kind differs at {path}: dcmtk {t.Kind} {t.VR}, ours {o.Kind} {o.VR}");
                continue;
            }

            if (!SameVR(t.VR, o.VR))
            {
                diffs.Add($"VR differs at {path}: dcmtk {t.VR}, ours {o.VR}");
            }

            // Lengths of sequences and items are not compared (both sides null): dcmtk prints the length as found in
            // the file or u/l, we keep no sequence length (the writer computes its own).
            if (t.Length is { } tl && o.Length is { } ol && tl != ol)
            {
                diffs.Add($"length differs at {path} ({o.VR}): dcmtk {tl}, ours {ol}");
            }

            var vr = DicomVR.Parse(o.VR);
            var expected = t.Value;
            if (vr.IsCharacterSetText)
            {
                // Character-set text: the value dcmtk printed after converting to UTF-8 (+U8 run). Without that run
                // (dcmtk could not convert), only plain ASCII text is compared: it reads the same in every character set.
                expected = utf8 is not null
                    ? (utf8.TryGetValue(path, out var u) ? u.Value : null)
                    : (expected is not null && IsPlainAscii(expected) ? expected : null);
            }

            if (expected is not null && o.Value is not null && !SameValue(vr, expected, o.Value))
            {
                diffs.Add($"value differs at {path} ({o.VR}): dcmtk [{Clip(expected)}], ours [{Clip(o.Value)}]");
            }
        }

        foreach (var (path, o) in mine)
        {
            if (!theirs.ContainsKey(path))
            {
                diffs.Add($"extra in ours: {o}");
            }
        }

        return diffs;
    }

    /// <summary>
    /// VR equality with dcmtk's internal pseudo-VRs mapped to what they stand for: "??" is an element dcmtk has no VR
    /// for (private or unknown tag without explicit VR, or a non-standard VR in the file), which we report as UN;
    /// "up" is UL holding a DICOMDIR offset; "xs" is dcmtk's unresolved "US or SS"; "ox" unresolved "OB or OW";
    /// "lt" unresolved "US or OW" (LUT Data).
    /// </summary>
    public static bool SameVR(string dcmtk, string ours) => dcmtk switch
    {
        "??" => ours == "UN",
        "up" => ours == "UL",
        "xs" => ours is "US" or "SS",
        "ox" => ours is "OB" or "OW",
        "lt" => ours is "US" or "SS" or "OW",
        _ => dcmtk == ours,
    };

    private static bool SameValue(DicomVR vr, string dcmtk, string ours)
    {
        if (dcmtk == ours)
        {
            return true;
        }

        if (vr == DicomVR.FL || vr == DicomVR.OF || vr == DicomVR.FD || vr == DicomVR.OD)
        {
            // dcmtk prints floats with its own precision (FD with 17 significant digits, FL with fewer); compare the
            // numbers, exactly for FD/OD and to float precision for FL/OF.
            var a = dcmtk.Split('\\');
            var b = ours.Split('\\');
            if (a.Length != b.Length)
            {
                return false;
            }

            var single = vr == DicomVR.FL || vr == DicomVR.OF;
            for (var i = 0; i < a.Length; i++)
            {
                if (!double.TryParse(a[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ||
                    !double.TryParse(b[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                {
                    if (a[i] != b[i])
                    {
                        return false;
                    }

                    continue;
                }

                if (x.Equals(y))
                {
                    continue;
                }

                var tolerance = single ? 1e-6 : 1e-15;
                if (Math.Abs(x - y) > tolerance * Math.Max(Math.Abs(x), Math.Abs(y)))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    private static bool IsPlainAscii(string s)
    {
        foreach (var c in s)
        {
            if (c >= 0x7F || (c < 0x20 && c != '\t' && c != '\r' && c != '\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, DumpEntry> Index(IReadOnlyList<DumpEntry> entries)
    {
        var d = new Dictionary<string, DumpEntry>(entries.Count, StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var key = e.Path;
            for (var n = 2; d.ContainsKey(key); n++)
            {
                key = e.Path + "~" + n.ToString(CultureInfo.InvariantCulture);
            }

            d[key] = e;
        }

        return d;
    }

    private static string Clip(string s) => s.Length <= 120 ? s : s[..120] + "...";
}
