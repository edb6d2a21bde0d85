using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>The totals of a set of scored cases (one table row).</summary>
public sealed record ScoreSummary(
    string Group,
    int Cases,
    int Frames,
    int PhiWords,
    int ReadableBefore,
    int ReadableAfter,
    long GlyphPixels,
    long GlyphCovered,
    int Boxes,
    int BoxesChanged,
    long NonTextPixels,
    long NonTextChanged,
    int Quarantined,
    int Failed,
    double MedianMsPerFrame)
{
    public double GlyphCoverage => GlyphPixels == 0 ? 1 : GlyphCovered / (double)GlyphPixels;

    public double NonTextChangedFraction => NonTextPixels == 0 ? 0 : NonTextChanged / (double)NonTextPixels;

    public double QuarantinedFraction => Cases == 0 ? 0 : Quarantined / (double)Cases;

    /// <summary>The totals of <paramref name="scores"/>.</summary>
    public static ScoreSummary Of(string group, IReadOnlyCollection<CaseScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var ms = scores.Select(s => s.MsPerFrame).Order().ToList();
        return new ScoreSummary(group, scores.Count, scores.Sum(s => s.Case.Frames), scores.Sum(s => s.PhiWords),
            scores.Sum(s => s.ReadableBefore.Count), scores.Sum(s => s.ReadableAfter.Count), scores.Sum(s => s.GlyphPixels),
            scores.Sum(s => s.GlyphCovered), scores.Sum(s => s.Boxes), scores.Sum(s => s.BoxesChanged), scores.Sum(s => s.NonTextPixels),
            scores.Sum(s => s.NonTextChanged), scores.Count(s => s.Quarantined), scores.Count(s => s.Failed), ms.Count == 0 ? 0 : ms[ms.Count / 2]);
    }
}

/// <summary>The benchmark's tables (per modality and per view class) as Markdown, and every case as JSON.</summary>
public static class BurnedInReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <summary>The groupings of the tables: name and key of a case.</summary>
    public static IReadOnlyList<(string Name, Func<CaseScore, string> Key)> Groupings { get; } =
    [
        ("Modality", s => s.Case.Modality + (s.Case.Frames > 1 ? " multi-frame" : string.Empty) + (s.Case.SamplesPerPixel == 3 ? " RGB" : string.Empty)),
        ("Base image", s => s.Case.BaseName),
        ("Text value", s => s.Case.ValueClass.ToString().ToLowerInvariant()),
        ("Header window", s => s.Case.WindowClass),
        ("Placement", s => s.Case.Placement == TextPlacement.Anatomy ? "over anatomy" : "corner"),
        ("Header variant", s => s.Case.Header.ToString()),
        ("View class (value / window / placement)", s => s.Case.ViewClass),
    ];

    /// <summary>Markdown: the overall row, then one table per grouping.</summary>
    public static string Markdown(IReadOnlyList<CaseScore> scores, string title)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var sb = new StringBuilder();
        sb.Append("### ").AppendLine(title).AppendLine();
        Table(sb, "All", [ScoreSummary.Of("all cases", scores)]);
        foreach (var (name, key) in Groupings)
        {
            var rows = scores.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => ScoreSummary.Of(g.Key, g.ToList())).ToList();
            Table(sb, name, rows);
        }

        return sb.ToString();
    }

    /// <summary>JSON: the summary per grouping and every case (ground truth without the masks, and its score).</summary>
    public static string Json(IReadOnlyList<CaseScore> scores, string title)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var groups = Groupings.ToDictionary(
            g => g.Name,
            g => scores.GroupBy(g.Key).OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => ScoreSummary.Of(x.Key, x.ToList())).ToList());
        return JsonSerializer.Serialize(new { title, all = ScoreSummary.Of("all cases", scores), groups, cases = scores }, JsonOptions);
    }

    private static void Table(StringBuilder sb, string name, IReadOnlyList<ScoreSummary> rows)
    {
        sb.Append("| ").Append(name).AppendLine(" | Cases | Frames | PHI words | read in input | read after | glyph px covered | word boxes changed | non-text px changed | quarantined | failed | ms/frame (median) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            sb.Append(Inv, $"| {r.Group} | {r.Cases} | {r.Frames} | {r.PhiWords} | {r.ReadableBefore} | {r.ReadableAfter} | {r.GlyphCoverage:P1} | ")
              .Append(Inv, $"{r.BoxesChanged}/{r.Boxes} | {r.NonTextChangedFraction:P2} | {r.Quarantined} | {r.Failed} | {r.MedianMsPerFrame:0} |")
              .AppendLine();
        }

        sb.AppendLine();
    }
}
