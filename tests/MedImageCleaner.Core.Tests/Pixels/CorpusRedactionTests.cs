using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// The burned-in corpus, redacted in Auto mode and read back by the tesseract CLI (an independent process): none of
/// the PHI tokens it reads on the original may survive, and at most 5% of the non-text area may change.
/// </summary>
public sealed class CorpusRedactionTests
{
    private readonly ITestOutputHelper _output;

    public CorpusRedactionTests(ITestOutputHelper output) => _output = output;

    [RequiresTheory(Requirements.Corpus, Requirements.Ocr, "tesseract")]
    [InlineData("us_siemens_rgb.dcm")]
    [InlineData("rgb_institution_text.dcm")]
    // j2k_rgb_text.dcm holds the words red/green/blue and no PHI, so this PHI-token test has nothing to prove on it;
    // Redaction.BurnedInCorpusTests checks that every word the CLI reads on it is gone.
    public void Redact_CorpusFile_CliReadsNoPhiTokenAndAltersLittleNonText(string name)
    {
        var path = Path.Combine(TestCorpus.CorpusRoot, "burned-in", name);
        using var file = DicomFile.Open(path);
        Assert.True(PixelData.TryCreate(file.Dataset, out var pixels));
        Assert.True(PixelCodecs.TryGetDecoder(file.TransferSyntax, out _), "no decoder registered for " + file.TransferSyntax.Name);

        var phi = PhiContextBuilder.Build(file.Dataset);
        var attributes = ImageAttributes.FromDataset(file.Dataset);
        using var engine = new FrameRedactionEngine(new TextRedactionOptions { Methods = TextDetectionMethods.Auto });
        var session = engine.BeginImage(attributes, phi);
        var dir = Directory.CreateTempSubdirectory("mic-burned-in-");
        try
        {
            for (var i = 0; i < pixels.NumberOfFrames; i++)
            {
                var original = PixelCodecs.Decode(pixels, file.TransferSyntax, i);
                var redacted = PixelTestSupport.Copy(original);
                var result = session.Redact(redacted, i);

                // Scale small frames up for the CLI: a stricter reader than the original size.
                var scale = Math.Max(1, Math.Round(1000.0 / Math.Max(original.Columns, original.Rows)));
                var before = Path.Combine(dir.FullName, $"before-{i}.png");
                var after = Path.Combine(dir.FullName, $"after-{i}.png");
                PixelTestSupport.WritePng(original, before, scale);
                PixelTestSupport.WritePng(redacted, after, scale);

                if (Environment.GetEnvironmentVariable("MIC_KEEP_PNG") is { Length: > 0 } keep)
                {
                    File.Copy(before, Path.Combine(keep, name + $"-before-{i}.png"), overwrite: true);
                    File.Copy(after, Path.Combine(keep, name + $"-after-{i}.png"), overwrite: true);
                }

                var phiBefore = PhiTokens(before, phi);
                var phiAfter = PhiTokens(after, phi);
                var tsv = PixelTestSupport.RunTesseractCli(before, 11, tsv: true);
                var textMask = PixelTestSupport.Mask(original.Columns, original.Rows, PixelTestSupport.CliWordBoxes(tsv, scale).Select(b => b.Inflate(3, 3)));
                var changed = PixelTestSupport.Changed(original, redacted);
                long textArea = 0, nonTextChanged = 0;
                for (var p = 0; p < changed.Length; p++)
                {
                    textArea += textMask[p] ? 1 : 0;
                    nonTextChanged += changed[p] && !textMask[p] ? 1 : 0;
                }

                var nonTextFraction = nonTextChanged / (double)(changed.Length - textArea);
                var survivors = phiBefore.Intersect(phiAfter).Count();
                _output.WriteLine(
                    $"{name} frame {i}: {result.Boxes.Count} boxes, altered {result.AlteredPixels} px, non-text altered {nonTextFraction:P2}, " +
                    $"PHI tokens read by the CLI before {phiBefore.Count}, after {phiAfter.Count}, surviving {survivors}; verified {result.Verified} " +
                    $"({result.VerificationReasons.Count} reasons); OCR candidates {result.OcrCandidates}; {result.Elapsed.TotalMilliseconds:F0} ms");
                Assert.True(phiBefore.Count > 0, "the CLI should read PHI on the original, or the test proves nothing");
                Assert.Equal(0, survivors);
                Assert.True(nonTextFraction <= 0.05, $"non-text altered {nonTextFraction:P2}");
                Assert.True(result.Verified, string.Join("; ", result.VerificationReasons));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Tokens the CLI reads (default and sparse segmentation) that are PHI: header values, dates, times, long numbers.</summary>
    private static HashSet<string> PhiTokens(string png, PhiContext phi)
    {
        var text = PixelTestSupport.RunTesseractCli(png) + "\n" + PixelTestSupport.RunTesseractCli(png, 11);
        var header = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in phi.PersonNames.Concat(phi.Identifiers).Concat(phi.OtherValues))
        {
            foreach (var t in PixelTestSupport.Tokens(v.Replace('^', ' ')))
            {
                header.Add(t);
            }
        }

        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in PixelTestSupport.Tokens(text))
        {
            if (header.Contains(t) || PixelTestSupport.DateTimeOrNumber().IsMatch(t))
            {
                result.Add(t);
            }
        }

        return result;
    }
}
