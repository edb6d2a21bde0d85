using System.Collections.Frozen;

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
    private static readonly FrozenDictionary<uint, DicomDictionaryEntry> ByTag = BuildByTag();
    private static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword = BuildByKeyword();
    private static readonly DicomDictionaryEntry[] Masked = BuildMasked();

    /// <summary>Every entry, in tag order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => GeneratedEntries;

    /// <summary>Looks up a tag, including repeating groups (50xx, 60xx, 7Fxx...).</summary>
    public static bool TryGet(DicomTag tag, out DicomDictionaryEntry entry)
    {
        if (ByTag.TryGetValue(tag.Value, out entry!))
        {
            return true;
        }

        foreach (var e in Masked)
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
    public static bool TryGet(string keyword, out DicomDictionaryEntry entry) => ByKeyword.TryGetValue(keyword, out entry!);

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

        return [.. list];
    }
}
