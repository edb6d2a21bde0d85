using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs.Jpeg;

/// <summary>Every JPEG corpus file decodes to exactly what dcmtk's dcmdjpeg (default options) writes, frame by frame.</summary>
public sealed class JpegCorpusTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> LosslessFiles() => CodecOracle.CorpusCases(TransferSyntax.JpegLossless, TransferSyntax.JpegLosslessSV1);

    public static IEnumerable<object[]> LossyFiles() => CodecOracle.CorpusCases(TransferSyntax.JpegBaseline, TransferSyntax.JpegExtended);

    [RequiresTheory(Requirements.Corpus, "dcmdjpeg")]
    [MemberData(nameof(LosslessFiles))]
    public void Decode_LosslessCorpusFile_EqualsDcmdjpeg(string file) => Check(file);

    [RequiresTheory(Requirements.Corpus, "dcmdjpeg")]
    [MemberData(nameof(LossyFiles))]
    public void Decode_LossyCorpusFile_EqualsDcmdjpeg(string file) => Check(file);

    private void Check(string file)
    {
        var path = CodecOracle.ResolveCase(file);
        Assert.NotNull(path);

        using (var probe = DicomFile.Open(path))
        {
            if (!PixelData.TryCreate(probe.Dataset, out _))
            {
                output.WriteLine($"{file}: no pixel data, nothing to decode.");
                return;
            }
        }

        using var tmp = new JpegOracle.TempDir();
        var reference = tmp.File("ref.dcm");
        var source = path;
        var run = CodecOracle.RunTool("dcmdjpeg", source, reference);
        if (run.ExitCode != 0)
        {
            // dcmtk cannot parse the dataset: give it our clean re-encoding of the same file (pixel items unchanged).
            output.WriteLine($"dcmdjpeg refuses {file} ({FirstLine(run.StdErr)}); comparing on our rewrite of it.");
            source = tmp.File("clean.dcm");
            using (var f = DicomFile.Open(path))
            {
                f.Save(source);
            }

            run = CodecOracle.RunTool("dcmdjpeg", source, reference);
            if (run.ExitCode != 0)
            {
                // dcmtk finds no decodable JPEG data (e.g. a frame of zeros labelled JPEG): we must refuse every frame.
                output.WriteLine($"dcmdjpeg refuses our rewrite too ({FirstLine(run.StdErr)}): every frame must be refused.");
                using var f = DicomFile.Open(path);
                Assert.True(PixelData.TryCreate(f.Dataset, out var pixels));
                for (var i = 0; i < pixels.AvailableFrames; i++)
                {
                    var ex = Record.Exception(() => PixelCodecs.Decode(pixels, f.TransferSyntax, i));
                    Assert.IsType<PixelCodecException>(ex);
                    output.WriteLine($"frame {i} refused: {ex.Message}");
                }

                return;
            }
        }

        var result = JpegOracle.Compare(source, reference);
        output.WriteLine($"{file}: {result}");
        if (KnownRefusals.TryGetValue(file, out var why) && result.Refused.Count > 0)
        {
            output.WriteLine($"{file}: refused frames are expected: {why}");
            foreach (var (frame, reason) in result.Refused)
            {
                Assert.True(reason.Contains("frame size differs", StringComparison.Ordinal), $"{file} frame {frame}: {reason}");
            }

            Assert.True(result.Mismatch is null && result.Equal == result.Samples, $"{file}: {result}");
            return;
        }

        Assert.True(result.Identical, $"{file}: {result}");
    }

    /// <summary>
    /// Files with frames we refuse on purpose. fodicom/multiframe.dcm: 23 of its 140 JPEG frames are 55x240, 240x121 or
    /// 55x121 in a 240x240 image; dcmdjpeg copies their samples into the start of the frame and leaves the rest black,
    /// which is not the picture. We report those frames damaged (quarantine) rather than give wrong pixels.
    /// </summary>
    private static readonly Dictionary<string, string> KnownRefusals = new(StringComparer.Ordinal)
    {
        ["fodicom/multiframe.dcm"] = "frames whose JPEG size differs from Rows x Columns",
    };

    private static string FirstLine(string text)
    {
        var t = text.Trim();
        var nl = t.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? t : t[..nl];
    }
}
