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
            File.WriteAllBytes(encoded, bytes);
            CodecOracle.AssertDecompressesTo("dcmdjpls", encoded, frames, "JPEG-LS", "dcmdjpls, frame ");
        }
        else
        {
            output.WriteLine("dcmdjpls absent: only our decoder checked.");
        }

        using var file = DicomFile.Open(bytes);
        CodecOracle.AssertDecodesTo(file, frames, "our decoder, frame ");
    }

    [RequiresFact(Requirements.Corpus, "dcmdjpls")]
    public void Encode_CorpusImages_DcmdjplsDecodesToTheSamePixels()
    {
        var encoder = new JpegLsFrameEncoder();
        var (files, frameTotal) = CodecOracle.AssertCorpusReencodes(
            encoder, "dcmdjpls", _work, d => d is NativeFrameDecoder or RleFrameDecoder or JpegLsFrameDecoder, encoder.CanEncode);
        output.WriteLine($"{files} corpus images ({frameTotal} frames) re-encoded with our JPEG-LS encoder decode identically with dcmdjpls.");
        Assert.True(files >= 20);
    }
}
