using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Tests.Pixels;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Tests.Codecs;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Redaction;

/// <summary>
/// Acceptance 2 and 3 through the service: synthetic files with text at known places, in every syntax we decode
/// (made by dcmtk and GDCM), cleaned with <c>-TransferSyntax Keep</c>: at least 98% of the ground-truth ink is filled
/// in the written pixels, RLE and JPEG lossless stay in their syntax (and dcmtk decodes the result to our pixels), the
/// other syntaxes fall back to Explicit VR Little Endian with a warning, lossy sources keep Lossy Image Compression 01.
/// </summary>
public sealed class BurnedInSyntaxTests(ITestOutputHelper output)
{
    public static TheoryData<SyntheticRepresentation, int, SourceEncoding> Cases()
    {
        var data = new TheoryData<SyntheticRepresentation, int, SourceEncoding>();
        foreach (var encoding in Enum.GetValues<SourceEncoding>())
        {
            data.Add(SyntheticRepresentation.Grey8, 1, encoding);
            data.Add(SyntheticRepresentation.Rgb, 1, encoding);
            data.Add(SyntheticRepresentation.Grey8, 3, encoding);
            if (encoding is not SourceEncoding.JpegBaseline)
            {
                // 8-bit only: baseline JPEG; 12 bits at most: extended JPEG (the 16-bit fixture stores 12, MONOCHROME1 10).
                data.Add(SyntheticRepresentation.Grey16, 1, encoding);
                data.Add(SyntheticRepresentation.Monochrome1, 1, encoding);
            }
        }

        return data;
    }

    [RequiresTheory(Requirements.Ocr, "dcmdump", "dcmcrle", "dcmdrle", "dcmcjpeg", "dcmdjpeg", "dcmcjpls", "dcmdjpls", "gdcmconv")]
    [MemberData(nameof(Cases))]
    public void Process_KeepSyntax_CoversTextAndKeepsOrFallsBack(SyntheticRepresentation representation, int frames, SourceEncoding encoding)
    {
        var (encoderTool, decoderTool) = RedactionTestSupport.ToolsOf(encoding);
        using var scratch = RedactionTestSupport.NewScratch();
        var (cols, rows) = representation == SyntheticRepresentation.Rgb ? (640, 480) : (512, 512);
        var native = Path.Combine(scratch.Source, $"{representation}-{frames}.dcm");
        var truth = RedactionTestSupport.WriteSynthetic(native, representation, cols, rows, frames, seed: cols + (int)representation);
        var input = RedactionTestSupport.Compress(native, encoding, scratch.Root);
        var sourceSyntax = RedactionTestSupport.SyntaxOf(encoding);
        var sourceLossy = RedactionTestSupport.ValueOf(input, RedactionTestSupport.LossyImageCompression) == "01";
        var before = RedactionTestSupport.DecodeAll(input);

        using var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine, RedactionOutputSyntax.Keep);
        var result = service.Process(new BurnedInTextRequest(input));

        Assert.True(result.Status == TextRedactionStatus.Redacted, $"status {result.Status} ({result.ErrorId}): {result.Message} {string.Join("; ", result.VerificationFindings)}");
        Assert.Equal(frames, result.Frames);
        var after = RedactionTestSupport.DecodeAll(result.FullName);
        Assert.Equal(frames, after.Count);
        var coverages = new List<double>();
        for (var i = 0; i < frames; i++)
        {
            var boxes = RedactionTestSupport.BoxesOf(result, i);
            coverages.Add(RedactionTestSupport.Coverage(after[i], boxes, truth[i]));
            var nonText = NonTextAltered(before[i], after[i], truth[i]);
            foreach (var t in truth[i])
            {
                var covered = RedactionTestSupport.Coverage(after[i], boxes, [t]);
                if (covered < 0.98)
                {
                    output.WriteLine($"  frame {i}: string of {t.Text.Length} characters at {t.Ink} ({(t.DarkOnLight ? "dark on light" : "light on dark")}): {covered:P1} covered");
                }
            }

            if (nonText > 0.05)
            {
                output.WriteLine($"  frame {i}: non-text altered {nonText:P2}; boxes: {string.Join(", ", result.Boxes.Where(b => b.Frame == i))}");
            }
            Assert.True(nonText <= 0.05, $"frame {i}: non-text altered {nonText:P2}");
        }

        // The syntaxes we have a lossless encoder for (RLE, JPEG lossless, JPEG-LS lossless) are kept.
        var keeps = sourceSyntax == TransferSyntax.RLELossless || sourceSyntax == TransferSyntax.JpegLosslessSV1 || sourceSyntax == TransferSyntax.JpegLossless ||
            sourceSyntax == TransferSyntax.JpegLSLossless;
        var expectedSyntax = keeps ? sourceSyntax : TransferSyntax.ExplicitVRLittleEndian;
        var lossy = RedactionTestSupport.ValueOf(result.FullName, RedactionTestSupport.LossyImageCompression);
        output.WriteLine(
            $"{representation} x{frames} {encoding}: coverage {string.Join(" / ", coverages.Select(c => c.ToString("P2")))}, " +
            $"{result.Boxes.Count} boxes, output {result.TransferSyntax}, warnings {result.Warnings.Count}, verified {result.Verified}, " +
            $"source lossy {sourceLossy}, output lossy {lossy ?? "-"}, {result.Duration.TotalMilliseconds:F0} ms");

        Assert.All(coverages, c => Assert.True(c >= 0.98, $"coverage {c:P2}"));
        Assert.Equal(expectedSyntax.Uid, result.TransferSyntax);
        Assert.Equal(expectedSyntax.Uid, CodecOracle.SyntaxOf(result.FullName));
        if (keeps)
        {
            Assert.Empty(result.Warnings);
            AssertDcmtkDecodes(decoderTool!, result.FullName, after, scratch.Root);
        }
        else if (sourceSyntax.IsEncapsulated)
        {
            Assert.Contains(result.Warnings, w => w.StartsWith("KeepSyntaxNotPossible", StringComparison.Ordinal));
        }

        var mustBeLossy = sourceLossy || encoding is SourceEncoding.JpegBaseline or SourceEncoding.JpegExtended or SourceEncoding.JpegLsNearLossless;
        if (mustBeLossy)
        {
            Assert.Equal("01", lossy);
        }

        Assert.Equal(result.Verified == true ? "NO" : "YES", RedactionTestSupport.ValueOf(result.FullName, RedactionTestSupport.BurnedInAnnotation));
    }

    /// <summary>The output decoded by dcmtk (dcmdrle/dcmdjpeg/dcmdjpls) holds exactly the pixels our reader decodes from it.</summary>
    private static void AssertDcmtkDecodes(string tool, string path, List<DecodedFrame> ours, string workDir)
    {
        var decoded = Path.Combine(workDir, "dcmtk-" + Path.GetFileName(path));
        var r = CodecOracle.Run(tool, path, decoded);
        Assert.True(r.ExitCode == 0, $"{tool} could not decode the output (exit status {r.ExitCode})");
        var theirs = CodecOracle.DcmtkPixelBytes(decoded, workDir);
        Assert.NotNull(theirs);
        var all = ours.SelectMany(f => f.Data).ToArray();
        // dcmtk pads an odd-length value by one byte.
        Assert.InRange(theirs.Length - all.Length, 0, 1);
        Assert.Equal(-1, CodecOracle.FirstDifference(all, theirs.AsSpan(0, all.Length)));
    }

    private static double NonTextAltered(DecodedFrame before, DecodedFrame after, List<DrawnText> truth)
    {
        var near = PixelTestSupport.Mask(before.Columns, before.Rows, truth.Select(t => t.Ink.Inflate(4, 4)));
        var changed = PixelTestSupport.Changed(before, after);
        long nonText = 0, altered = 0;
        for (var i = 0; i < changed.Length; i++)
        {
            if (!near[i])
            {
                nonText++;
                altered += changed[i] ? 1 : 0;
            }
        }

        return altered / (double)nonText;
    }
}
