using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>Our JPEG-LS lossless encoder: dcmdjpls (CharLS) and our decoder both give back the input exactly.</summary>
public sealed class JpegLsEncoderTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mic-jlse-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 8, 8, 1, 2 }, { 16, 12, 1, 2 }, { 16, 16, 1, 1 }, { 8, 8, 3, 2 }, { 16, 10, 3, 1 }, { 8, 2, 1, 1 }, { 16, 14, 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Encode_SyntheticFrames_DecodeToTheInputWithDcmdjplsAndOurs(int bits, int bitsStored, int samples, int frameCount)
    {
        var frames = new List<DecodedFrame>();
        for (var i = 0; i < frameCount; i++)
        {
            frames.Add(SyntheticImages.Frame(45, 53, samples, bits, bitsStored, seed: (bits * 7) + samples + i));
        }

        var encoder = new JpegLsFrameEncoder();
        var ds = SyntheticImages.Encapsulated(frames, encoder);
        var bytes = DicomFixtureBuilder.ToBytes(ds, TransferSyntax.JpegLSLossless);
        if (CodecOracle.Has("dcmdjpls"))
        {
            var encoded = Path.Combine(_work, "ours.jls.dcm");
            var decoded = Path.Combine(_work, "ours.native.dcm");
            File.WriteAllBytes(encoded, bytes);
            var r = CodecOracle.Run("dcmdjpls", encoded, decoded);
            Assert.True(r.ExitCode == 0, "dcmdjpls refused our JPEG-LS: " + r.StdErr);
            using var theirs = DicomFile.Open(decoded);
            var back = CodecOracle.DecodeAll(theirs);
            Assert.Equal(frames.Count, back.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                RleCodecTests.AssertSameFrame(frames[i], back[i], $"dcmdjpls, frame {i}");
            }
        }
        else
        {
            output.WriteLine("dcmdjpls absent: only our decoder checked.");
        }

        using var file = DicomFile.Open(bytes);
        var ours = CodecOracle.DecodeAll(file);
        for (var i = 0; i < frames.Count; i++)
        {
            RleCodecTests.AssertSameFrame(frames[i], ours[i], $"our decoder, frame {i}");
        }
    }

    [Fact]
    public void Encode_CorpusImages_DcmdjplsDecodesToTheSamePixels()
    {
        if (!TestCorpus.IsAvailable || !CodecOracle.Has("dcmdjpls"))
        {
            output.WriteLine("Skipped: corpus or dcmdjpls absent.");
            return;
        }

        var encoder = new JpegLsFrameEncoder();
        int files = 0, frameTotal = 0;
        foreach (var path in TestCorpus.Files("pydicom", "fodicom"))
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(path);
            }
            catch (DicomReadException)
            {
                continue;
            }

            using (file)
            {
                if (!MedImageCleaner.Dicom.Imaging.PixelData.TryCreate(file.Dataset, out var pixels) || pixels.AvailableFrames == 0 ||
                    !PixelCodecs.TryGetDecoder(file.TransferSyntax, out var decoder) || decoder is not (NativeFrameDecoder or RleFrameDecoder or JpegLsFrameDecoder))
                {
                    continue;
                }

                List<DecodedFrame> frames;
                try
                {
                    frames = CodecOracle.DecodeAll(file);
                }
                catch (PixelCodecException)
                {
                    continue;
                }

                if (!encoder.CanEncode(frames[0]))
                {
                    continue;
                }

                var ds = SyntheticImages.Encapsulated(frames, encoder);
                var encoded = Path.Combine(_work, "c.jls.dcm");
                var decoded = Path.Combine(_work, "c.native.dcm");
                DicomFixtureBuilder.WriteFile(encoded, ds, TransferSyntax.JpegLSLossless);
                var r = CodecOracle.Run("dcmdjpls", encoded, decoded);
                Assert.True(r.ExitCode == 0, $"dcmdjpls refused our JPEG-LS of {Path.GetFileName(path)}: {r.StdErr}");
                using var theirs = DicomFile.Open(decoded);
                var back = CodecOracle.DecodeAll(theirs);
                Assert.Equal(frames.Count, back.Count);
                for (var i = 0; i < frames.Count; i++)
                {
                    RleCodecTests.AssertSameFrame(frames[i], back[i], $"{Path.GetFileName(path)} frame {i}");
                }

                files++;
                frameTotal += frames.Count;
            }
        }

        output.WriteLine($"{files} corpus images ({frameTotal} frames) re-encoded with our JPEG-LS encoder decode identically with dcmdjpls.");
        Assert.True(files >= 20);
    }
}
