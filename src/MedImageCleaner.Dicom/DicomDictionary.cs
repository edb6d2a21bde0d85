using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Globalization;
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
    public static IReadOnlyList<DicomDictionaryEntry> Entries => Tables.Entries;

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
    /// The entries, parsed from the string constant <see cref="GeneratedTable"/>, and the lookup tables: static readonly
    /// fields of a nested class, so the runtime builds them exactly once, thread-safely, on the first lookup.
    /// </summary>
    private static class Tables
    {
        // Initialized in this order: the lookups read Entries.
        public static readonly DicomDictionaryEntry[] Entries = Parse(GeneratedTable);
        public static readonly FrozenDictionary<uint, DicomDictionaryEntry> ByTag = BuildByTag(Entries);
        public static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword = BuildByKeyword(Entries);
        public static readonly DicomDictionaryEntry[] Masked = BuildMasked(Entries);
    }

    /// <summary>
    /// Parses the generated table: one row per line, tag|mask|keyword|name|vrs|vm|retired (see
    /// <see cref="GeneratedTable"/>). Rows with the same VRs share one read-only VR list, and equal VM strings one instance.
    /// </summary>
    private static DicomDictionaryEntry[] Parse(string table)
    {
        var entries = new DicomDictionaryEntry[table.AsSpan().Count('\n') + 1];
        var vrLists = new Dictionary<string, ReadOnlyCollection<DicomVR>>(StringComparer.Ordinal);
        var vms = new Dictionary<string, string>(StringComparer.Ordinal);
        Span<Range> fields = stackalloc Range[8];
        var rest = table.AsSpan();
        var count = 0;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            line = line.TrimEnd('\r'); // in case a checkout turned the generated file's LF into CRLF
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Split(fields, '|') != 7)
            {
                throw BadRow(count, "does not have 7 fields");
            }

            var vrText = new string(line[fields[4]]);
            if (!vrLists.TryGetValue(vrText, out var vrs))
            {
                vrs = ParseVRs(vrText, count);
                vrLists.Add(vrText, vrs);
            }

            var vm = new string(line[fields[5]]);
            if (!vms.TryAdd(vm, vm))
            {
                vm = vms[vm];
            }

            entries[count] = new DicomDictionaryEntry(
                new DicomTag(ParseHex(line[fields[0]], count)),
                ParseHex(line[fields[1]], count),
                new string(line[fields[2]]),
                new string(line[fields[3]]),
                vrs.Count == 0 ? DicomVR.None : vrs[0],
                vrs,
                vm,
                line[fields[6]] switch
                {
                    "Y" => true,
                    "N" => false,
                    _ => throw BadRow(count, "has a retired flag that is neither Y nor N"),
                });
            count++;
        }

        return count == entries.Length ? entries : entries[..count];
    }

    private static uint ParseHex(ReadOnlySpan<char> text, int row) =>
        text.Length == 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw BadRow(row, $"has \"{text}\" where 8 hex digits belong");

    private static ReadOnlyCollection<DicomVR> ParseVRs(string text, int row)
    {
        if (text.Length == 0)
        {
            return ReadOnlyCollection<DicomVR>.Empty;
        }

        var names = text.Split('/');
        var vrs = new DicomVR[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            vrs[i] = DicomVR.Parse(names[i]);
            if (vrs[i] == DicomVR.None)
            {
                throw BadRow(row, $"has \"{names[i]}\", which is not a VR");
            }
        }

        return Array.AsReadOnly(vrs);
    }

    private static InvalidDataException BadRow(int row, string problem) =>
        new($"DicomDictionary.g.cs: row {row + 1} of the generated table {problem}; run the generator again.");

    private static FrozenDictionary<uint, DicomDictionaryEntry> BuildByTag(DicomDictionaryEntry[] entries)
    {
        var d = new Dictionary<uint, DicomDictionaryEntry>(entries.Length);
        foreach (var e in entries)
        {
            if (e.Mask == 0xFFFFFFFF)
            {
                d[e.Tag.Value] = e;
            }
        }

        return d.ToFrozenDictionary();
    }

    private static FrozenDictionary<string, DicomDictionaryEntry> BuildByKeyword(DicomDictionaryEntry[] entries)
    {
        var d = new Dictionary<string, DicomDictionaryEntry>(entries.Length, StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (e.Keyword.Length > 0)
            {
                d.TryAdd(e.Keyword, e);
            }
        }

        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static DicomDictionaryEntry[] BuildMasked(DicomDictionaryEntry[] entries)
    {
        var list = new List<DicomDictionaryEntry>();
        foreach (var e in entries)
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
