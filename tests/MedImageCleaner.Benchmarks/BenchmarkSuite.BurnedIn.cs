using MedImageCleaner.Core.Pixels;
using MedImageCleaner.TestSupport.BurnedIn;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// Issue 11, item 4: the burned-in text benchmark (<c>--only burnedin</c>). The full generated set (every base image,
/// <see cref="FullCasesPerBase"/> cases each; 3 with --quick) through Remove-BurnedInText's service with the defaults
/// (Auto + verify) and with full-frame OCR, one thread; the tables per modality and view class go into the results, the
/// cases into out/bench/burned-in.json. Then the wider set (<see cref="BaseImageCatalog.LoadWider"/>: other real images
/// the detector was not tuned on), Auto + verify only.
/// </summary>
internal sealed partial class BenchmarkSuite
{
    private const int FullCasesPerBase = 10;

    /// <summary>Cases per base of the wider set (<see cref="BaseImageCatalog.LoadWider"/>).</summary>
    private const int WiderCasesPerBase = 6;

    private int BurnedIn(string work)
    {
        Line("## Burned-in text benchmark (issue 11): generated text over real corpus images");
        Line();
        var missing = BenchmarkEnvironment.MissingPrerequisite();
        if (missing is not null)
        {
            Line($"Not measured: {missing}.");
            Line();
            return 0;
        }

        var perBase = _settings.Quick ? 3 : FullCasesPerBase;
        var corpus = BurnedInCorpusGenerator.Generate(Path.Combine(work, "burned-in", "in"), new BurnedInGeneratorOptions(CasesPerBase: perBase));
        Line($"{corpus.Cases.Count} files ({perBase} per base image, seed {new BurnedInGeneratorOptions().Seed}), {corpus.Cases.Sum(c => c.Frames)} frames; " +
             $"base images: {string.Join(", ", corpus.Bases.Select(b => b.Name))}" +
             (corpus.MissingBases.Count == 0 ? "." : $"; missing: {string.Join(", ", corpus.MissingBases)}."));
        Line();
        _md.Append(BurnedInReport.Method.ReplaceLineEndings("\n"));
        Line();
        var scorer = new BurnedInScorer(Path.Combine(work, "burned-in", "score"));
        var json = new List<string>();
        foreach (var (label, options) in new[]
                 {
                     ("Auto + verify (defaults)", TextRedactionOptions.Default),
                     ("Ocr (full frame) + verify", TextRedactionOptions.Default with { Methods = TextDetectionMethods.Ocr }),
                 })
        {
            Console.WriteLine($"burned-in: {label} on {corpus.Cases.Count} files");
            var scores = scorer.Score(corpus, options, label.Split(' ')[0].ToLowerInvariant(), threads: 1);
            _md.Append(BurnedInReport.Markdown(scores, label));
            json.Add(BurnedInReport.Json(scores, label));
            var all = ScoreSummary.Of("all", scores);
            Console.WriteLine($"burned-in: {label}: {all.ReadableAfter}/{all.ReadableBefore} PHI words readable after, {all.PartlyCovered} partly covered, glyph {all.GlyphCoverage:P1}, non-text {all.NonTextChangedFraction:P2}, quarantined {all.Quarantined}, {all.MedianMsPerFrame:0} ms/frame");
            Metric("burnedin", $"Burned-in benchmark, {label}: PHI words readable after redaction", all.ReadableAfter, "words", "readable in the inputs", all.ReadableBefore, higherIsBetter: false, target: "0");
            Metric("burnedin", $"Burned-in benchmark, {label}: glyph pixels covered", all.GlyphCoverage * 100, "%", "word boxes changed (%)", all.Boxes == 0 ? 0 : all.BoxesChanged * 100.0 / all.Boxes, target: ">= 98 %");
            Metric("burnedin", $"Burned-in benchmark, {label}: PHI words under 80 % covered", all.PartlyCovered, "words", "PHI words", all.PhiWords, higherIsBetter: false, target: "0");
            Metric("burnedin", $"Burned-in benchmark, {label}: non-text pixels changed", all.NonTextChangedFraction * 100, "%", "files quarantined (%)", all.QuarantinedFraction * 100, higherIsBetter: false, target: "<= 2 %");
            Metric("burnedin", $"Burned-in benchmark, {label}: median ms per frame", all.MedianMsPerFrame, "ms/frame", "", null, higherIsBetter: false);
        }

        // The same method over real images the detector was not tuned on: how the results carry over to other anatomy.
        var wider = BurnedInCorpusGenerator.Generate(Path.Combine(work, "burned-in", "wider"), new BurnedInGeneratorOptions(CasesPerBase: _settings.Quick ? 3 : WiderCasesPerBase) { WiderBases = true });
        if (wider.Cases.Count > 0)
        {
            const string label = "Auto + verify, wider bases";
            Line($"### Wider bases: {wider.Cases.Count} files over images the detector was not tuned on ({string.Join(", ", wider.Bases.Select(b => b.Name))})");
            Line();
            Console.WriteLine($"burned-in: {label} on {wider.Cases.Count} files");
            var scores = scorer.Score(wider, TextRedactionOptions.Default, "wider", threads: 1);
            _md.Append(BurnedInReport.Markdown(scores, label));
            json.Add(BurnedInReport.Json(scores, label));
            var all = ScoreSummary.Of("all", scores);
            Metric("burnedin", $"Burned-in benchmark, {label}: PHI words readable after redaction", all.ReadableAfter, "words", "readable in the inputs", all.ReadableBefore, higherIsBetter: false, target: "0");
            Metric("burnedin", $"Burned-in benchmark, {label}: glyph pixels covered", all.GlyphCoverage * 100, "%", "word boxes changed (%)", all.Boxes == 0 ? 0 : all.BoxesChanged * 100.0 / all.Boxes, target: ">= 98 %");
            Metric("burnedin", $"Burned-in benchmark, {label}: non-text pixels changed", all.NonTextChangedFraction * 100, "%", "files quarantined (%)", all.QuarantinedFraction * 100, higherIsBetter: false, target: "<= 2 %");
        }

        var outDir = Path.Combine(BenchmarkEnvironment.RepositoryRoot, "out", "bench");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "burned-in.json"), "[\n" + string.Join(",\n", json) + "\n]\n");
        Line("Every case with its ground truth and scores: out/bench/burned-in.json.");
        Line();
        return 0;
    }
}
