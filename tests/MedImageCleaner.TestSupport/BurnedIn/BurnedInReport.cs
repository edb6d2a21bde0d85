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
    double MedianMsPerFrame,
    int PartlyCovered = 0)
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
            scores.Sum(s => s.NonTextChanged), scores.Count(s => s.Quarantined), scores.Count(s => s.Failed), ms.Count == 0 ? 0 : ms[ms.Count / 2],
            scores.Sum(s => s.PartlyCovered.Count));
    }
}

/// <summary>The benchmark's tables (per modality and per view class) as Markdown, and every case as JSON.</summary>
public static class BurnedInReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>How the benchmark is built and scored (Markdown; the Bench section prints it, docs/benchmarks.md holds it).</summary>
    public const string Method = @"How it is built (tests/MedImageCleaner.TestSupport/BurnedIn, seeded, deterministic):

- **Base images**: real corpus files of every modality we have, decoded with our own codecs: CT 512x512 (CT-MONO2-16-ankle
  signed 16-bit, GH1308, IM-0001 12-bit JPEG lossless), MR (GH064 256x256; a 512x512 MR: GH1146 when it decodes, else
  GH064 upscaled; mr_brucker, 4 frames), CR MONOCHROME1 (CR-MONO1-10-chest), an MG-like 800x972 frame (the chest,
  inverted, upscaled with seeded 1 % noise so the texture survives) and a DX-like 1024x768 one (the ankle), NM 1024x256
  (JPEG2000.dcm), US RGB (examples_rgb_color, us_siemens_rgb) and multi-frame colour (examples_ybr_color, multiframe.dcm,
  3 frames each). Annotations already burned into the ultrasound sources are blanked first (fixed rectangles), so the
  only text in a file is ours.
- **Text**: rendered by SkiaSharp (a real TrueType rasteriser) with DejaVu Sans, DejaVu Sans Mono, Liberation Sans and
  Liberation Serif, cap height 8-20 px, anti-aliased or not, into an 8-bit coverage mask, then burned into the stored
  values: `value = round(lerp(pixel, textValue, coverage))`, in every frame. Content: a synthetic patient (name, ID,
  dates, age, institution) as one line or a 4-6 line `Key: Value` block; keys are not PHI, values are.
- **Axes** (rotated with the case index so a few cases per base cover them): text value at the image's largest stored
  value, its smallest, mid-way, or (RGB) a saturated colour; placement in each corner or over anatomy; header variants:
  native, 8-bit values in a 16-bit container with Rescale Intercept -1024 and Window 40/400 (the window hides
  everything), unsigned 12-bit with other rescales, polarity flipped (MONOCHROME1 <-> MONOCHROME2), three windows;
  Burned In Annotation absent, NO or YES; header patient values equal to the burned ones or another identity. Text that
  would not show in the stored values (e.g. minimum-value text over a black corner) is moved or given another value
  class, and the case notes it. ""Window hides"" is measured, not declared: through the first header window the text is
  within 10 % of the grey of the pixels around it.
- **Ground truth**: the coverage mask, the pixels the text actually changed per frame, every line's and word's ink box,
  which words are PHI. The tests check the files against it pixel by pixel.

How it is scored (BurnedInScorer): every file goes through `BurnedInTextService` (the Remove-BurnedInText service) with
the options of the row, a destination folder and a quarantine. Per file:

- **read in input / read after**: PHI words the `tesseract` CLI, in its own process, reads in the block's crop (psm 6,
  x3 and x1) and in each line's crop (psm 7, x3), each through four views of the stored values (frame min-max, crop
  min-max, the planes within 0.5 % of the frame's largest and smallest value); a word counts when the CLI's text contains
  it (case and punctuation ignored; values under three characters are not scored). After redaction every frame is
  read; quarantined files are read too, failed files count their input.
- **glyph px covered**: text pixels whose value changed, or that lie in a flat 5x5 patch of the output (a fill at the
  text's own value, e.g. minimum-value text under the darkest-value fill).
- **word boxes changed**: word ink boxes (per frame) with at least one changed pixel.
- **PHI words < 80 % covered**: PHI words (per frame) with less than 80 % of their glyph pixels covered: a box touched
  but a word left legible to the eye (a surname with two letters boxed), which the CLI may not read.
- **non-text px changed**: pixels outside every word box inflated by 4 px that changed (over-redaction).
- **quarantined / failed** files; **ms/frame**: the result's Duration over its frames (median of the files; one untimed warm-up file first, so the first file does not carry the JIT).

Acceptance (issue 11) on the gate subset (3 cases per base image, the xunit test `RemoveBurnedText_DefaultOptions_
MeetsTheGatesAsFarAsMeasured`, trait `Category=BurnedInGate`): 0 PHI words read after, every word box changed, >= 98 % of
glyph pixels covered, every PHI word 80 % covered or more, <= 2 % of non-text pixels changed, <= 2 % of files
quarantined, none failed. Bench runs 10 cases per
base image (3 with --quick) with the defaults and with full-frame OCR (`-Method Ocr`), one thread, and writes every case
to out/bench/burned-in.json. Run: `dotnet test tests/MedImageCleaner.Core.Tests -c Release --filter
""FullyQualifiedName~BurnedInBenchmark""` and `dotnet pwsh ./build.ps1 -Task Bench -BenchArguments '--only','burnedin'`.
";
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
        sb.Append("| ").Append(name).AppendLine(" | Cases | Frames | PHI words | read in input | read after | glyph px covered | word boxes changed | PHI words < 80 % covered | non-text px changed | quarantined | failed | ms/frame (median) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            sb.Append(Inv, $"| {r.Group} | {r.Cases} | {r.Frames} | {r.PhiWords} | {r.ReadableBefore} | {r.ReadableAfter} | {r.GlyphCoverage:P1} | ")
              .Append(Inv, $"{r.BoxesChanged}/{r.Boxes} | {r.PartlyCovered} | {r.NonTextChangedFraction:P2} | {r.Quarantined} | {r.Failed} | {r.MedianMsPerFrame:0} |")
              .AppendLine();
        }

        sb.AppendLine();
    }
}
