using System.Collections.Frozen;
using System.Numerics;

namespace MedImageCleaner.Dicom;

/// <summary>One row of the PS3.6 data dictionary.</summary>
/// <param name="Tag">The tag; for repeating groups (50xx, 60xx, ...) the tag with the x digits as 0.</param>
/// <param name="Mask">Bits of the tag that must match: 0xFFFFFFFF for a plain tag, 0xFF00FFFF for 50xx/60xx groups.</param>
/// <param name="Keyword">The keyword, e.g. PatientName (empty for a few unnamed rows).</param>
/// <param name="Name">The attribute name.</param>
/// <param name="VR">The VR used when the file does not say (implicit VR): the first of <paramref name="AllowedVRs"/>.</param>
/// <param name="AllowedVRs">Every VR the dictionary allows (e.g. US or SS).</param>
/// <param name="VM">Value multiplicity as written in PS3.6 (1, 1-n, 2-2n...).</param>
/// <param name="IsRetired">True when retired.</param>
public sealed record DicomDictionaryEntry(
    DicomTag Tag,
    uint Mask,
    string Keyword,
    string Name,
    DicomVR VR,
    IReadOnlyList<DicomVR> AllowedVRs,
    string VM,
    bool IsRetired);

/// <summary>The PS3.6 data dictionary (generated from the standard's tables; see <see cref="Edition"/>).</summary>
public static partial class DicomDictionary
{
    /// <summary>Every entry, in tag order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => GeneratedEntries;

    /// <summary>Looks up a tag, including repeating groups (50xx, 60xx, 7Fxx...).</summary>
    public static bool TryGet(DicomTag tag, out DicomDictionaryEntry entry)
    {
        if (Tables.ByTag.TryGetValue(tag.Value, out entry!))
        {
            return true;
        }

        // Repeating groups (50xx, 60xx...) are even groups; an odd group is private and never matches them.
        if (tag.IsPrivate)
        {
            entry = null!;
            return false;
        }

        foreach (var e in Tables.Masked)
        {
            if ((tag.Value & e.Mask) == e.Tag.Value)
            {
                entry = e;
                return true;
            }
        }

        entry = null!;
        return false;
    }

    /// <summary>Looks up a keyword (case-sensitive, as in PS3.6).</summary>
    public static bool TryGet(string keyword, out DicomDictionaryEntry entry) => Tables.ByKeyword.TryGetValue(keyword, out entry!);

    /// <summary>The VR to use for a tag read without explicit VR; UN for private or unknown tags.</summary>
    public static DicomVR GetImplicitVR(DicomTag tag)
    {
        if (tag.IsPrivate)
        {
            return tag.IsPrivateCreator ? DicomVR.LO : DicomVR.UN;
        }

        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        return TryGet(tag, out var e) ? e.VR : DicomVR.UN;
    }

    /// <summary>The keyword of a tag, or null when the tag is private or not in the dictionary.</summary>
    public static string? GetKeyword(DicomTag tag) => !tag.IsPrivate && TryGet(tag, out var e) && e.Keyword.Length > 0 ? e.Keyword : null;

    /// <summary>
    /// The lookup tables, in a nested class so they are built on first use, after <see cref="GeneratedEntries"/> is set:
    /// C# leaves the order of static initializers across the files of a partial class unspecified.
    /// </summary>
    private static class Tables
    {
        public static readonly FrozenDictionary<uint, DicomDictionaryEntry> ByTag = BuildByTag();
        public static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword = BuildByKeyword();
        public static readonly DicomDictionaryEntry[] Masked = BuildMasked();
    }

    private static FrozenDictionary<uint, DicomDictionaryEntry> BuildByTag()
    {
        var d = new Dictionary<uint, DicomDictionaryEntry>(GeneratedEntries.Length);
        foreach (var e in GeneratedEntries)
        {
            if (e.Mask == 0xFFFFFFFF)
            {
                d[e.Tag.Value] = e;
            }
        }

        return d.ToFrozenDictionary();
    }

    private static FrozenDictionary<string, DicomDictionaryEntry> BuildByKeyword()
    {
        var d = new Dictionary<string, DicomDictionaryEntry>(GeneratedEntries.Length, StringComparer.Ordinal);
        foreach (var e in GeneratedEntries)
        {
            if (e.Keyword.Length > 0)
            {
                d.TryAdd(e.Keyword, e);
            }
        }

        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static DicomDictionaryEntry[] BuildMasked()
    {
        var list = new List<DicomDictionaryEntry>();
        foreach (var e in GeneratedEntries)
        {
            if (e.Mask != 0xFFFFFFFF)
            {
                list.Add(e);
            }
        }

        // Most specific mask first (most bits set), so a narrower repeating-group row wins over a wider one; ties by tag.
        list.Sort(static (a, b) =>
        {
            var c = BitOperations.PopCount(b.Mask).CompareTo(BitOperations.PopCount(a.Mask));
            return c != 0 ? c : a.Tag.Value.CompareTo(b.Tag.Value);
        });
        return [.. list];
    }
}
