using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Dicom.Tests.Oracles;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Imaging;

/// <summary>
/// Every JPEG 2000 corpus file either decodes (OpenCV, through <see cref="CoreCodecs"/>) to exactly what GDCM's
/// <c>gdcmconv --raw</c> writes, frame by frame and sample by sample, or is refused as unsupported with the reason
/// listed in <see cref="ExpectedUnsupported"/>; a file gdcmconv itself cannot decode must be refused by us too. A file
/// on none of these paths fails, and so does a listed file that starts decoding (update the list).
/// </summary>
public sealed class Jpeg2000CorpusTests(ITestOutputHelper output)
{
    /// <summary>
    /// Files we refuse, and why (checked: OpenCV cannot give their samples exactly). Empty since signed components
    /// decode: fodicom/CT1_J2KI, pydicom/693_J2KI.dcm, pydicom/JPEG2000.dcm and pydicom/MR_small_jp2klossless.dcm
    /// (signed 16-bit, 5/3 and 9/7) must now equal gdcmconv --raw.
    /// </summary>
    internal static readonly Dictionary<string, string> ExpectedUnsupported = new(StringComparer.Ordinal);

    private static readonly TransferSyntax[] Syntaxes =
    [
        TransferSyntax.Jpeg2000Lossless, TransferSyntax.Jpeg2000, TransferSyntax.Jpeg2000Part2Lossless, TransferSyntax.Jpeg2000Part2,
        TransferSyntax.HTJ2KLossless, TransferSyntax.HTJ2KLosslessRPCL, TransferSyntax.HTJ2K,
    ];

    public static IEnumerable<object[]> Files() => CodecOracle.CorpusCases(Syntaxes);

    [RequiresTheory(Requirements.Corpus, "gdcmconv")]
    [MemberData(nameof(Files))]
    public void Decode_Jpeg2000CorpusFile_EqualsGdcmconvOrIsUnsupported(string file)
    {
        CoreCodecs.EnsureRegistered();
        var path = Path.Combine(TestCorpus.CorpusRoot, file);
        using var f = DicomFile.Open(path);
        Assert.True(PixelData.TryCreate(f.Dataset, out var pixels), "no pixel data");

        var refused = new List<(int Frame, PixelCodecException Error)>();
        var frames = new DecodedFrame?[pixels.AvailableFrames];
        for (var i = 0; i < frames.Length; i++)
        {
            try
            {
                frames[i] = PixelCodecs.Decode(pixels, f.TransferSyntax, i);
            }
            catch (PixelCodecException ex)
            {
                refused.Add((i, ex));
            }
        }

        var tmp = Path.Combine(Path.GetTempPath(), "mic-j2k-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            var run = CodecOracle.RunTool("gdcmconv", "--raw", path, tmp);
            if (run.ExitCode != 0)
            {
                // GDCM (OpenJPEG) cannot decode it either (a damaged codestream): every frame must be refused.
                output.WriteLine($"{file}: gdcmconv --raw refuses it; we refused {refused.Count} of {frames.Length} frames: {(refused.Count > 0 ? refused[0].Error.Message : "-")}");
                Assert.Equal(frames.Length, refused.Count);
                return;
            }

            if (ExpectedUnsupported.TryGetValue(file, out var why))
            {
                output.WriteLine($"{file}: expected unsupported ({why}); refused {refused.Count} of {frames.Length} frames: {(refused.Count > 0 ? refused[0].Error.Message : "-")}");
                Assert.True(refused.Count > 0, $"{file} now decodes: compare it with gdcmconv and take it off the list.");
                foreach (var (frame, error) in refused)
                {
                    Assert.True(error.IsUnsupported, $"{file} frame {frame}: {error.Message}");
                }

                return;
            }

            Assert.True(refused.Count == 0, $"{file}: refused frame {(refused.Count > 0 ? refused[0].Frame : -1)}: {(refused.Count > 0 ? refused[0].Error.Message : string.Empty)}");
            using var r = DicomFile.Open(tmp);
            Assert.True(PixelData.TryCreate(r.Dataset, out var refPixels));
            Assert.Equal(refPixels.AvailableFrames, frames.Length);
            long samples = 0;
            long equal = 0;
            var maxDiff = 0;
            for (var i = 0; i < frames.Length; i++)
            {
                var ours = frames[i]!;
                var theirs = PixelCodecs.Decode(refPixels, r.TransferSyntax, i);
                Assert.Equal(theirs.Rows, ours.Rows);
                Assert.Equal(theirs.Columns, ours.Columns);
                Assert.Equal(theirs.SamplesPerPixel, ours.SamplesPerPixel);
                Assert.Equal(theirs.PhotometricInterpretation.Trim(), ours.PhotometricInterpretation);
                var a = CodecOracle.Samples(ours);
                var b = CodecOracle.Samples(theirs);
                for (var k = 0; k < a.Length; k++)
                {
                    var d = Math.Abs(a[k] - b[k]);
                    equal += d == 0 ? 1 : 0;
                    maxDiff = Math.Max(maxDiff, d);
                }

                samples += a.Length;
            }

            output.WriteLine($"{file}: frames {frames.Length}, samples {samples}, equal {equal}, max |diff| {maxDiff}, photometric {frames[0]!.PhotometricInterpretation}");
            Assert.True(equal == samples, $"{file}: {samples - equal} samples differ from gdcmconv --raw (max {maxDiff}).");
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    [Fact]
    public void EnsureRegistered_CalledConcurrently_RegistersOnce()
    {
        Parallel.For(0, 8, _ => CoreCodecs.EnsureRegistered());
        Assert.True(PixelCodecs.TryGetDecoder(TransferSyntax.Jpeg2000Lossless, out var d));
        Assert.Equal("OpenCV JPEG 2000", d.Name);
        Assert.True(PixelCodecs.TryGetDecoder(TransferSyntax.HTJ2K, out _));
    }
}
