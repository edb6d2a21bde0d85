using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Tests.Pixels;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Dicom.Tests.Oracles;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Redaction;

/// <summary>
/// Acceptance 1 through the service, on the written file: the burned-in corpus cleaned to a destination, the output
/// re-read with our reader and rendered to PNG; the tesseract CLI (its own process) reads none of the tokens it reads
/// on the original; at most 5% of the non-text area changes; outside the reported boxes the pixels are the source's
/// (all three sources are lossless); dciodvfy finds no new error and dcmdump reads the file; Burned In Annotation is NO
/// only when verified. Also: overlays and icon images leave the output (acceptance "overlays and icons").
/// </summary>
public sealed class BurnedInCorpusTests(ITestOutputHelper output)
{
    /// <summary>The CLI confidence from which a reading of the original is text (its speckle readings stay below 50).</summary>
    private const double TextConfidence = 60;

    [RequiresTheory(Requirements.Corpus, Requirements.Ocr, "dcmdump", "tesseract", "dciodvfy")]
    [InlineData("us_siemens_rgb.dcm")]
    [InlineData("rgb_institution_text.dcm")]
    [InlineData("j2k_rgb_text.dcm")]
    public void Process_BurnedInCorpusFile_OutputUnreadableAndOtherwiseIntact(string name)
    {
        var path = RedactionTestSupport.CorpusPath("burned-in", name);

        using var scratch = RedactionTestSupport.NewScratch();
        using var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(path));
        output.WriteLine($"{name}: status {result.Status} ({result.ErrorId}), {result.Frames} frames, {result.Boxes.Count} boxes, verified {result.Verified}, " +
                         $"{result.VerificationFindings.Count} findings, altered {result.AlteredFraction:P2}, {result.SourceTransferSyntax} -> {result.TransferSyntax}");
        foreach (var box in result.Boxes)
        {
            output.WriteLine("  box " + box);
        }

        Assert.True(result.Status == TextRedactionStatus.Redacted, $"status {result.Status} ({result.ErrorId})");
        Assert.True(File.Exists(result.FullName));

        // Every measure is taken and printed before the verdict, so one run reports all of them.
        var failures = new List<string>();
        var before = RedactionTestSupport.DecodeAll(path);
        var after = RedactionTestSupport.DecodeAll(result.FullName);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            var scale = Math.Max(1, Math.Round(1000.0 / Math.Max(before[i].Columns, before[i].Rows)));
            var pngBefore = Path.Combine(scratch.Root, $"before-{i}.png");
            var pngAfter = Path.Combine(scratch.Root, $"after-{i}.png");
            PixelTestSupport.WritePng(before[i], pngBefore, scale);
            PixelTestSupport.WritePng(after[i], pngAfter, scale);
            if (Environment.GetEnvironmentVariable("MIC_KEEP_PNG") is { Length: > 0 } keep)
            {
                File.Copy(pngBefore, Path.Combine(keep, $"{name}-service-before-{i}.png"), overwrite: true);
                File.Copy(pngAfter, Path.Combine(keep, $"{name}-service-after-{i}.png"), overwrite: true);
            }

            var tokensBefore = CliTokens(pngBefore, TextConfidence);
            var tokensAfter = CliTokens(pngAfter, 0);
            var surviving = tokensBefore.Intersect(tokensAfter, StringComparer.Ordinal).Count();

            // The text area: every word the CLI finds on the original, also on each colour channel alone (red text on
            // grey has little luminance contrast, yet it is text, not image).
            var wordBoxes = PixelTestSupport.CliWordBoxes(PixelTestSupport.RunTesseractCli(pngBefore, 11, tsv: true), scale).ToList();
            foreach (var channel in ChannelsOf(before[i]))
            {
                var pngChannel = Path.Combine(scratch.Root, $"before-{i}-channel.png");
                PixelTestSupport.WritePng(channel, pngChannel, scale);
                wordBoxes.AddRange(PixelTestSupport.CliWordBoxes(PixelTestSupport.RunTesseractCli(pngChannel, 11, tsv: true), scale));
            }

            var textMask = PixelTestSupport.Mask(before[i].Columns, before[i].Rows, wordBoxes.Select(b => b.Inflate(3, 3)));
            var changed = PixelTestSupport.Changed(before[i], after[i]);
            long textArea = 0, nonTextChanged = 0;
            for (var p = 0; p < changed.Length; p++)
            {
                textArea += textMask[p] ? 1 : 0;
                nonTextChanged += changed[p] && !textMask[p] ? 1 : 0;
            }

            var nonText = nonTextChanged / (double)(changed.Length - textArea);
            var outside = RedactionTestSupport.ChangedOutside(before[i], after[i], RedactionTestSupport.BoxesOf(result, i));
            output.WriteLine($"  frame {i}: CLI tokens before {tokensBefore.Count}, after {tokensAfter.Count}, surviving {surviving}; " +
                             $"non-text altered {nonText:P2}; pixels changed outside the boxes {outside}");

            if (tokensBefore.Count == 0)
            {
                failures.Add($"frame {i}: the CLI reads no token on the original, the test would prove nothing");
            }

            if (surviving > 0)
            {
                failures.Add($"frame {i}: {surviving} of the original's text tokens still read by the CLI");
            }

            if (nonText > 0.05)
            {
                failures.Add($"frame {i}: non-text altered {nonText:P2}");
            }

            if (outside > 0)
            {
                failures.Add($"frame {i}: {outside} pixels changed outside the reported boxes");
            }
        }

        var errorsBefore = Dciodvfy.Run(path).Errors;
        var errorsAfter = Dciodvfy.Run(result.FullName).Errors;
        var newErrors = errorsAfter.Except(errorsBefore, StringComparer.Ordinal).ToList();
        output.WriteLine($"  dciodvfy errors: input {errorsBefore.Count}, output {errorsAfter.Count}, new {newErrors.Count}");
        foreach (var e in newErrors)
        {
            output.WriteLine("    new: " + e);
        }

        Assert.Empty(newErrors);
        Assert.True(Dcmdump.Run(result.FullName, utf8: false).Ok, "dcmdump cannot read the output");
        var burnedIn = RedactionTestSupport.ValueOf(result.FullName, RedactionTestSupport.BurnedInAnnotation);
        Assert.Equal(result.Verified == true ? "NO" : "YES", burnedIn);
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [RequiresFact(Requirements.Corpus, Requirements.Ocr, "dcmdump")]
    public void Process_OverlayAndIconImage_RemovedFromOutput()
    {
        var path = RedactionTestSupport.CorpusPath("pydicom", "examples_overlay.dcm");

        Assert.True(HasOverlayOrIcon(path), "the corpus file should hold an overlay and an icon image");
        using var scratch = RedactionTestSupport.NewScratch();
        using var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(path));
        output.WriteLine($"status {result.Status}, overlays removed {result.OverlaysRemoved}, icons removed {result.IconsRemoved}, boxes {result.Boxes.Count}");

        Assert.True(result.Status is TextRedactionStatus.Redacted or TextRedactionStatus.NoTextFound, $"status {result.Status} ({result.ErrorId})");
        Assert.Equal(1, result.OverlaysRemoved);
        Assert.Equal(1, result.IconsRemoved);
        Assert.False(HasOverlayOrIcon(result.FullName), "the output still has a 60xx group or an Icon Image Sequence");
    }

    /// <summary>True when dcmdump shows an overlay element (60xx) or an Icon Image Sequence anywhere in the file.</summary>
    private static bool HasOverlayOrIcon(string path)
    {
        var dump = Dcmdump.Run(path, utf8: false);
        Assert.True(dump.Ok, "dcmdump cannot read the file");
        return dump.Raw.StdOut.Split('\n').Any(l =>
        {
            var t = l.TrimStart();
            return t.StartsWith("(60", StringComparison.Ordinal) || t.StartsWith("(0088,0200)", StringComparison.Ordinal);
        });
    }

    /// <summary>Each sample of an 8-bit colour frame as a grey frame of its own (nothing for grey frames).</summary>
    private static IEnumerable<DecodedFrame> ChannelsOf(DecodedFrame frame)
    {
        if (frame.SamplesPerPixel != 3 || frame.BitsAllocated != 8)
        {
            yield break;
        }

        var pixels = frame.Rows * frame.Columns;
        for (var c = 0; c < 3; c++)
        {
            var data = new byte[pixels];
            for (var p = 0; p < pixels; p++)
            {
                data[p] = frame.Data[(p * 3) + c];
            }

            yield return new DecodedFrame(frame.Rows, frame.Columns, 1, 8, 8, false, "MONOCHROME2", data);
        }
    }

    /// <summary>
    /// The tokens the CLI reads (default and sparse segmentation, TSV) with at least <paramref name="minimumConfidence"/>
    /// that hold a letter or digit. The original's text tokens are its confident readings (the CLI also "reads" a few
    /// low-confidence letter pairs in speckle and colour flow); on the output every reading counts.
    /// </summary>
    private static HashSet<string> CliTokens(string png, double minimumConfidence)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tsv in new[] { PixelTestSupport.RunTesseractCli(png, tsv: true), PixelTestSupport.RunTesseractCli(png, 11, tsv: true) })
        {
            foreach (var line in tsv.Split('\n'))
            {
                var f = line.Split('\t');
                if (f.Length < 12 || f[0] != "5" || !double.TryParse(f[10], System.Globalization.CultureInfo.InvariantCulture, out var conf) || conf < minimumConfidence)
                {
                    continue;
                }

                tokens.UnionWith(PixelTestSupport.Tokens(f[11]));
            }
        }

        tokens.RemoveWhere(t => !t.Any(char.IsLetterOrDigit));
        return tokens;
    }
}
