using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.TestSupport.BurnedIn;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// Issue 11, item 4: the burned-in text benchmark. First the generator is shown to be trustworthy (the files hold exactly
/// the glyphs of the ground truth; an OCR we did not write reads most PHI words in them; every axis is covered; the same
/// seed gives the same files). Then the acceptance gate of issue 11 (as far as it is met; see the gate test), and
/// Test-Deidentification -CheckPixels on the same files.
/// </summary>
public sealed class BurnedInBenchmarkTests(BurnedInBenchmarkFixture fixture, ITestOutputHelper output) : IClassFixture<BurnedInBenchmarkFixture>
{
    [BurnedInBenchmarkFact]
    public void Generate_GateSubset_FilesHoldExactlyTheBurnedGlyphs()
    {
        var corpus = fixture.Corpus;
        Assert.Empty(corpus.MissingBases);
        long inkPixels = 0, coveredPixels = 0;
        foreach (var c in corpus.Cases)
        {
            var frames = BurnedInScorer.ReadFrames(c.Path);
            Assert.Equal(c.Frames, frames.Count);
            var file = frames[0];
            var spp = c.SamplesPerPixel;
            for (var i = 0; i < c.Rows * c.Columns; i++)
            {
                var a = c.Coverage[i] / 255.0;
                var moved = false;
                for (var s = 0; s < spp; s++)
                {
                    var before = c.BaseFrame[(i * spp) + s];
                    var expected = (int)Math.Round(before + ((c.TextSamples[s] - before) * a), MidpointRounding.AwayFromZero);
                    Assert.True(expected == file[(i * spp) + s], $"{c.Id}: pixel {i} sample {s} is {file[(i * spp) + s]}, the burn gives {expected}.");
                    moved |= expected != before;
                }

                Assert.True(moved == c.Ink[0][i], $"{c.Id}: pixel {i}: the ink mask says {c.Ink[0][i]}, the file says {moved}.");
                Assert.True(!moved || c.Coverage[i] > 0, $"{c.Id}: pixel {i} changed outside the glyph mask.");
                inkPixels += moved ? 1 : 0;
                coveredPixels += c.Coverage[i] > 0 ? 1 : 0;
            }

            // Every word's box holds ink, inside the frame.
            foreach (var w in c.Words)
            {
                Assert.True(w.Box.X >= 0 && w.Box.Y >= 0 && w.Box.Right <= c.Columns && w.Box.Bottom <= c.Rows, $"{c.Id}: a word box leaves the frame.");
            }
        }

        output.WriteLine($"{corpus.Cases.Count} cases; {inkPixels} of {coveredPixels} glyph-mask pixels changed in frame 0 ({inkPixels / (double)coveredPixels:P1}).");
        Assert.True(inkPixels >= 0.9 * coveredPixels, "Less than 90 % of the glyph mask shows in the stored values: the text is drawn where it cannot be seen.");
    }

    [BurnedInBenchmarkFact]
    public void Generate_GateSubset_CoversEveryModalityAndAxis()
    {
        var cases = fixture.Corpus.Cases;
        foreach (var c in cases)
        {
            output.WriteLine($"{c.Id}: {c.ViewClass}, {c.Header}, {c.Photometric}, {c.Font} {c.TextHeight} px{(c.AntiAliased ? " AA" : string.Empty)}, {c.Lines.Count} line(s), BIA {c.BurnedInAnnotation ?? "absent"}, header {(c.HeaderMatchesText ? "matches" : "differs")}{(c.Notes is null ? string.Empty : "; " + c.Notes)}");
        }

        Assert.Subset(cases.Select(c => c.Modality).ToHashSet(), new HashSet<string> { "CT", "MR", "CR", "MG", "DX", "NM", "US" });
        Assert.Contains(cases, c => c.Frames > 1 && c.SamplesPerPixel == 1);
        Assert.Contains(cases, c => c.Frames > 1 && c.SamplesPerPixel == 3);
        Assert.Contains(cases, c => c.Rows * c.Columns >= 700_000);
        foreach (var v in Enum.GetValues<TextValueClass>())
        {
            Assert.Contains(cases, c => c.ValueClass == v);
        }

        foreach (var h in Enum.GetValues<HeaderVariant>())
        {
            Assert.Contains(cases, c => c.Header == h);
        }

        Assert.Contains(cases, c => c.WindowHidesText);
        Assert.Contains(cases, c => c.Windows.Count > 0 && !c.WindowHidesText);
        Assert.Contains(cases, c => c.Placement == TextPlacement.Anatomy);
        Assert.True(cases.Select(c => c.Placement).Distinct().Count() >= 4, "Fewer than four placements used.");
        Assert.Contains(cases, c => c.Photometric == "MONOCHROME1");
        Assert.Contains(cases, c => c.AntiAliased);
        Assert.Contains(cases, c => !c.AntiAliased);
        Assert.Contains(cases, c => c.Lines.Count == 1);
        Assert.Contains(cases, c => c.Lines.Count >= 4);
        Assert.Contains(cases, c => c.TextHeight <= 10);
        Assert.Contains(cases, c => c.TextHeight >= 16);
        Assert.Contains(cases, c => c.BurnedInAnnotation == "NO");
        Assert.Contains(cases, c => c.HeaderMatchesText);
        Assert.Contains(cases, c => !c.HeaderMatchesText);
        Assert.Contains(cases, c => c.RescaleIntercept != 0);
        Assert.True(cases.Select(c => c.Font).Distinct().Count() >= Math.Min(3, BenchmarkEnvironment.Fonts.Count), "Too few fonts used.");
    }

    [BurnedInBenchmarkFact]
    public void Generate_SameSeed_SameFiles()
    {
        var again = BurnedInCorpusGenerator.Generate(Path.Combine(fixture.Work, "again"), new BurnedInGeneratorOptions(CasesPerBase: 1));
        var once = BurnedInCorpusGenerator.Generate(Path.Combine(fixture.Work, "once"), new BurnedInGeneratorOptions(CasesPerBase: 1));
        Assert.Equal(once.Cases.Count, again.Cases.Count);
        for (var i = 0; i < once.Cases.Count; i++)
        {
            Assert.True(File.ReadAllBytes(once.Cases[i].Path).AsSpan().SequenceEqual(File.ReadAllBytes(again.Cases[i].Path)), $"{once.Cases[i].Id} differs between two runs.");
        }
    }

    [BurnedInBenchmarkFact]
    public void Generate_GateSubset_IndependentOcrReadsMostPhiWordsInTheOriginals()
    {
        var cases = fixture.Corpus.Cases;
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c => fixture.Scorer.ReadableInOriginal(c));
        int phi = 0, read = 0;
        foreach (var c in cases)
        {
            var words = c.Words.Where(w => w.IsPhi).Select(w => w.Text).Distinct(StringComparer.Ordinal).ToList();
            var readable = fixture.Scorer.ReadableInOriginal(c);
            phi += words.Count;
            read += readable.Count;
            // Synthetic values only: printing them is safe.
            output.WriteLine($"{c.Id} ({c.ViewClass}, {c.TextHeight} px): {readable.Count}/{words.Count} read; not read: {string.Join(' ', words.Except(readable))}");
        }

        output.WriteLine($"tesseract CLI reads {read} of {phi} PHI words in the generated files ({read / (double)phi:P1}).");
        Assert.True(read >= 0.75 * phi, $"The independent OCR reads only {read} of {phi} PHI words in the originals: the fixtures are not readable enough for the benchmark to mean anything.");
        Assert.True(cases.Count(c => fixture.Scorer.ReadableInOriginal(c).Count > 0) >= 0.9 * cases.Count, "In more than 10 % of the files not one PHI word is readable.");
    }

    /// <summary>
    /// Issue 11's acceptance on the gate subset, as far as it is met today, so that no change can make it worse: no
    /// file failed, at most 2 % quarantined, at least 98 % of the glyph pixels covered, at most 2 % of the other pixels
    /// changed (all four are the issue's own thresholds), and, where the issue asks for 0 words read and every word box
    /// changed: no PHI word readable and every word box changed (both the issue's own, met since block completion,
    /// the value planes and the second pass over what verification reads). The Bench section prints the issue's
    /// thresholds next to the measurements.
    /// </summary>
    [BurnedInBenchmarkFact]
    [Trait("Category", "BurnedInGate")]
    public void RemoveBurnedText_DefaultOptions_MeetsTheGatesAsFarAsMeasured()
    {
        var scores = fixture.DefaultScores;
        output.WriteLine(BurnedInReport.Markdown(scores, "Gate subset, Auto + verify (defaults)"));
        foreach (var s in scores.Where(s => s.ReadableAfter.Count > 0 || s.BoxesChanged < s.Boxes || s.PartlyCovered.Count > 0 || s.GlyphCoverage < 0.98 || s.NonTextChangedFraction > 0.02 || s.Quarantined || s.Failed))
        {
            output.WriteLine($"{s.Case.Id} ({s.Case.ViewClass}): {s.Status}{(s.ErrorId is null ? string.Empty : " " + s.ErrorId)}; read after: {string.Join(' ', s.ReadableAfter)}; " +
                $"boxes {s.BoxesChanged}/{s.Boxes}; partly covered: {string.Join(' ', s.PartlyCovered)}; glyph {s.GlyphCoverage:P1}; non-text {s.NonTextChangedFraction:P2}");
        }

        var all = ScoreSummary.Of("all", scores);
        Assert.Equal(0, all.Failed);
        Assert.True(all.ReadableAfter == 0, $"{all.ReadableAfter} PHI words are still readable by the tesseract CLI after redaction (of {all.ReadableBefore} readable before; issue 11: 0).");
        Assert.True(all.Boxes == all.BoxesChanged, $"{all.Boxes - all.BoxesChanged} of {all.Boxes} word boxes are untouched (issue 11: none).");
        Assert.True(all.PartlyCovered == 0, $"{all.PartlyCovered} PHI words have less than 80 % of their glyph pixels covered: legible to the eye, whatever the CLI reads.");
        Assert.True(all.GlyphCoverage >= 0.98, $"Glyph pixels covered: {all.GlyphCoverage:P1} (gate: 98 %).");
        Assert.True(all.NonTextChangedFraction <= 0.02, $"Non-text pixels changed: {all.NonTextChangedFraction:P2} (gate: 2 %).");
        Assert.True(all.QuarantinedFraction <= 0.02, $"Files quarantined: {all.Quarantined} of {all.Cases} (gate: 2 %).");
    }

    /// <summary>
    /// Test-Deidentification -CheckPixels (the independent reader, not the redactor's detector): every generated file
    /// whose planted PHI the tesseract CLI can read fails, whatever the view, position or size; every redacted output in
    /// which the CLI reads no PHI word passes.
    /// </summary>
    [BurnedInBenchmarkFact]
    public void CheckPixels_PlantedPhi_FailsEveryReadableFileAndPassesCleanedOutputs()
    {
        // Every other case (all modalities, views, positions and sizes still come up): the reader is slow by design.
        var scores = fixture.DefaultScores;
        using var validator = new DeidentificationValidator(new ValidationOptions { CheckPixels = true });
        var missed = new List<string>();
        var falseAlarms = new List<string>();
        int planted = 0, clean = 0;
        for (var i = 0; i < scores.Count; i += 2)
        {
            var s = scores[i];
            var c = s.Case;
            if (fixture.Scorer.ReadableInOriginal(c).Count > 0)
            {
                planted++;
                if (!PixelTextFails(validator, c.Path))
                {
                    missed.Add($"{c.Id} ({c.ViewClass}, {c.Placement}, {c.TextHeight} px)");
                }
            }

            if (s.Status is "Redacted" or "NoTextFound" && s.ReadableAfter.Count == 0)
            {
                var cleaned = fixture.DefaultOutput(c);
                if (File.Exists(cleaned))
                {
                    clean++;
                    if (PixelTextFails(validator, cleaned))
                    {
                        falseAlarms.Add(c.Id);
                    }
                }
            }
        }

        output.WriteLine($"-CheckPixels: {planted - missed.Count} of {planted} files with readable planted PHI fail; {clean - falseAlarms.Count} of {clean} clean outputs pass.");
        output.WriteLine("missed: " + string.Join(", ", missed));
        output.WriteLine("false alarms: " + string.Join(", ", falseAlarms));
        Assert.True(planted >= 15, $"Only {planted} files with readable planted PHI: the check is not exercised.");
        Assert.True(clean >= 10, $"Only {clean} cleaned outputs to check: the check is not exercised.");
        Assert.Empty(missed);
        Assert.True(falseAlarms.Count <= Math.Max(1, clean / 50), $"{falseAlarms.Count} of {clean} clean outputs fail -CheckPixels.");
    }

    private static bool PixelTextFails(DeidentificationValidator validator, string path)
    {
        var report = validator.Validate(new ValidationRequest(path));
        return report.Findings.Any(f => f.CheckId == DeidentificationCheck.PixelText && f.Severity == FindingSeverity.Error);
    }
}
