using System.Globalization;
using System.Text;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>One spelling of an original identifying value to look for in the output bytes. Holds PHI: never log it.</summary>
/// <param name="Bytes">The bytes searched for (case-folded).</param>
/// <param name="Source">The value it was made from.</param>
internal sealed record ResidualNeedle(byte[] Bytes, IdentifyingValue Source);

/// <summary>One place the output holds a spelling of an original value.</summary>
/// <param name="Offset">Byte offset in the file.</param>
/// <param name="Needle">What was found.</param>
internal readonly record struct ResidualHit(long Offset, ResidualNeedle Needle);

/// <summary>
/// Searches the raw bytes of an output for the identifying values of its original in the spellings a viewer would show:
/// as written, case-folded, each component of a person name and the name's usual orders, dates as YYYYMMDD,
/// YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY and the like, IDs and UIDs as they are. A hit must stand alone: a letter needle is
/// not part of a longer word, a number is not part of a longer number.
/// </summary>
internal static class ResidualScanner
{
    /// <summary>Shortest needle searched for, letters (shorter ones occur by chance).</summary>
    private const int MinimumText = 4;

    /// <summary>Shortest all-digit needle searched for.</summary>
    private const int MinimumDigits = 5;

    /// <summary>The spellings of <paramref name="values"/>, longest first, each once.</summary>
    public static List<ResidualNeedle> Needles(IEnumerable<IdentifyingValue> values)
    {
        var list = new List<ResidualNeedle>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            foreach (var spelling in Spellings(v))
            {
                var folded = Fold(spelling.Trim());
                if (!Worth(folded) || !seen.Add(folded))
                {
                    continue;
                }

                list.Add(new ResidualNeedle(Encoding.Latin1.GetBytes(folded), v));
                var utf8 = Encoding.UTF8.GetBytes(folded);
                if (!utf8.AsSpan().SequenceEqual(Encoding.Latin1.GetBytes(folded)))
                {
                    list.Add(new ResidualNeedle(utf8, v));
                }
            }
        }

        list.Sort(static (a, b) => b.Bytes.Length.CompareTo(a.Bytes.Length));
        return list;
    }

    /// <summary>Every standalone occurrence of every needle in <paramref name="folded"/> (bytes already case-folded by <see cref="FoldBytes"/>).</summary>
    public static List<ResidualHit> Find(ReadOnlySpan<byte> folded, IReadOnlyList<ResidualNeedle> needles)
    {
        var hits = new List<ResidualHit>();
        foreach (var needle in needles)
        {
            var at = 0;
            while (at < folded.Length)
            {
                var i = folded[at..].IndexOf(needle.Bytes);
                if (i < 0)
                {
                    break;
                }

                var start = at + i;
                var end = start + needle.Bytes.Length;
                if (Standalone(folded, start, end))
                {
                    hits.Add(new ResidualHit(start, needle));
                }

                at = start + 1;
            }
        }

        return hits;
    }

    /// <summary>A case-folded copy: ASCII and Latin-1 lower-case letters made upper case.</summary>
    public static byte[] FoldBytes(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            var b = copy[i];
            if (b is >= (byte)'a' and <= (byte)'z' || (b is >= 0xE0 and <= 0xFE && b != 0xF7))
            {
                copy[i] = (byte)(b - 0x20);
            }
        }

        return copy;
    }

    private static string Fold(string s) => s.ToUpperInvariant();

    private static bool Worth(string folded)
    {
        if (folded.Length == 0)
        {
            return false;
        }

        var digits = true;
        var same = true;
        foreach (var c in folded)
        {
            digits &= char.IsAsciiDigit(c);
            same &= c == folded[0];
        }

        if (same)
        {
            return false;
        }

        return digits ? folded.Length >= MinimumDigits : folded.Length >= MinimumText && !PhiPatterns.NotNames.Contains(folded) && !StandardValues.IsAllowed(folded);
    }

    private static IEnumerable<string> Spellings(IdentifyingValue v)
    {
        yield return v.Value;
        switch (v.Kind)
        {
            case IdentifyingValueKind.PersonName:
                foreach (var s in NameSpellings(v.Value))
                {
                    yield return s;
                }

                break;
            case IdentifyingValueKind.Date:
                foreach (var s in DateSpellings(v.Value))
                {
                    yield return s;
                }

                break;
            case IdentifyingValueKind.Other:
                var digits = new string([.. v.Value.Where(char.IsAsciiDigit)]);
                if (digits.Length >= 7 && digits.Length * 2 >= v.Value.Length)
                {
                    yield return digits;
                }

                break;
        }
    }

    /// <summary>Each group and component of a PN, and the name in "Given Family", "Family Given" and "Family, Given" order.</summary>
    private static IEnumerable<string> NameSpellings(string value)
    {
        foreach (var group in value.Split('='))
        {
            yield return group;
            var parts = group.Split('^');
            foreach (var p in parts)
            {
                foreach (var word in p.Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (word.Length >= 3)
                    {
                        yield return word;
                    }
                }
            }

            if (parts.Length >= 2 && parts[0].Trim().Length > 0 && parts[1].Trim().Length > 0)
            {
                var family = parts[0].Trim();
                var given = parts[1].Trim();
                yield return given + " " + family;
                yield return family + " " + given;
                yield return family + ", " + given;
                yield return family + "," + given;
            }
        }
    }

    /// <summary>A YYYYMMDD date (or a DA range) reformatted the ways dates are written.</summary>
    private static IEnumerable<string> DateSpellings(string value)
    {
        foreach (var piece in value.Split('-', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (piece.Length != 8 || !DateTime.TryParseExact(piece, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                continue;
            }

            foreach (var format in DateFormats)
            {
                yield return d.ToString(format, CultureInfo.InvariantCulture);
            }
        }
    }

    private static readonly string[] DateFormats = ["yyyyMMdd", "yyyy-MM-dd", "yyyy/MM/dd", "yyyy.MM.dd", "MM/dd/yyyy", "dd/MM/yyyy",
                "MM-dd-yyyy", "dd-MM-yyyy", "dd.MM.yyyy", "M/d/yyyy", "d/M/yyyy", "d.M.yyyy", "dd-MMM-yyyy", "d MMM yyyy", "MMM d, yyyy", "MMMM d, yyyy", "d MMMM yyyy"];

    /// <summary>The hit is not part of a longer word or number.</summary>
    private static bool Standalone(ReadOnlySpan<byte> s, int start, int end)
    {
        var first = s[start];
        var last = s[end - 1];
        if (start > 0)
        {
            var before = s[start - 1];
            if ((IsLetter(first) && IsLetter(before)) || (IsDigit(first) && (IsDigit(before) || (before == '.' && start > 1 && IsDigit(s[start - 2])))))
            {
                return false;
            }
        }

        if (end < s.Length)
        {
            var after = s[end];
            if ((IsLetter(last) && IsLetter(after)) || (IsDigit(last) && (IsDigit(after) || (after == '.' && end + 1 < s.Length && IsDigit(s[end + 1])))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLetter(byte b) => b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= 0xC0;

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>Describes where an identifying value came from, without the value.</summary>
    public static string Describe(IdentifyingValue v)
    {
        var keyword = DicomDictionary.GetKeyword(v.Tag) ?? v.Tag.ToString();
        return v.Kind switch
        {
            IdentifyingValueKind.PersonName => "a person name of the original (" + keyword + ")",
            IdentifyingValueKind.Identifier => "an identifier of the original (" + keyword + ")",
            IdentifyingValueKind.Date => "a date of the original (" + keyword + ")",
            IdentifyingValueKind.Uid => "a UID of the original (" + keyword + ")",
            _ => "an identifying value of the original (" + keyword + ")",
        };
    }
}
