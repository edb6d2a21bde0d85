using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>
/// RLE Lossless against dcmtk: corpus files decode like <c>dcmdrle</c>'s output; our encoder's files decode with
/// <c>dcmdrle</c> to the input; damaged frames throw <see cref="PixelCodecException"/> only.
/// </summary>
public sealed class RleCodecTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mic-rle-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<int, int, int, int, int> Shapes => new()
    {
        { 8, 8, 1, 1, 64 }, { 16, 12, 1, 1, 64 }, { 32, 32, 1, 1, 33 }, { 8, 8, 3, 1, 31 }, { 16, 16, 3, 2, 17 },
        { 32, 24, 3, 2, 9 }, { 8, 8, 1, 3, 300 }, { 16, 16, 1, 4, 1 },
    };

    [RequiresFact(Requirements.Corpus, "dcmdrle", "dcmdump")]
    public void Decode_EveryRleCorpusFile_EqualsDcmdrleOutput()
    {
        int files = 0, frames = 0;
        long samples = 0;
        foreach (var path in TestCorpus.Files("pydicom", "fodicom"))
        {
            if (CodecOracle.SyntaxOf(path) != TransferSyntax.RLELossless.Uid)
            {
                continue;
            }

            var name = Path.GetFileName(path);
            var reference = Path.Combine(_work, name + ".native.dcm");
            var (count, first, n) = CodecOracle.AssertDecodesLike("dcmdrle", path, reference, name, TransferSyntax.RLELossless);
            samples += n;
            output.WriteLine($"{name}: {count} frame(s), BA {first.BitsAllocated}, {first.SamplesPerPixel} sample(s) equal to dcmdrle");
            files++;
            frames += count;
        }

        output.WriteLine($"RLE corpus: {files} files, {frames} frames, {samples} samples equal.");
        Assert.True(files >= 9, "Expected the corpus's RLE files.");
    }

    [RequiresTheory("dcmdrle")]
    [MemberData(nameof(Shapes))]
    public void Encode_SyntheticFrames_DecodeIdenticallyWithDcmdrleAndOurs(int bits, int bitsStored, int samples, int frameCount, int size)
    {
        var frames = new List<DecodedFrame>();
        for (var i = 0; i < frameCount; i++)
        {
            frames.Add(SyntheticImages.Frame(size, size + 3, samples, bits, bitsStored, seed: (bits * 100) + (samples * 10) + i));
        }

        var encoder = new RleFrameEncoder();
        var ds = SyntheticImages.Encapsulated(frames, encoder);
        var bytes = DicomFixtureBuilder.ToBytes(ds, TransferSyntax.RLELossless);

        // Our decoder, through bytes.
        using (var file = DicomFile.Open(bytes))
        {
            CodecOracle.AssertDecodesTo(file, frames, "our decoder, frame ");
        }

        var encoded = Path.Combine(_work, "ours.rle.dcm");
        File.WriteAllBytes(encoded, bytes);
        CodecOracle.AssertDecompressesTo("dcmdrle", encoded, frames, "RLE", "dcmdrle, frame ");
    }

    [RequiresFact(Requirements.Corpus, "dcmdrle")]
    public void Encode_CorpusImages_DcmdrleDecodesToTheSamePixels()
    {
        var encoder = new RleFrameEncoder();
        var (files, _) = CodecOracle.AssertCorpusReencodes(
            encoder, "dcmdrle", _work, d => d is NativeFrameDecoder or RleFrameDecoder, f => f.BitsStored != 1 && encoder.CanEncode(f));
        output.WriteLine($"{files} corpus images re-encoded with our RLE encoder decode identically with dcmdrle.");
        Assert.True(files >= 20);
    }

    [Fact]
    public void Decode_MutatedFrames_ThrowOnlyPixelCodecException()
    {
        var random = new Random(20261125);
        var encoder = new RleFrameEncoder();
        int decodedOk = 0, rejected = 0;
        foreach (var (bits, samples) in new[] { (8, 1), (16, 1), (8, 3), (32, 1), (16, 3) })
        {
            var frame = SyntheticImages.Frame(24, 20, samples, bits, bits, seed: bits + samples);
            var clean = encoder.Encode(frame);
            var template = SyntheticImages.Encapsulated([frame], encoder);
            for (var trial = 0; trial < 300; trial++)
            {
                var pixels = SeededMutations.WithFrame(template, Mutations.Mutate(clean, random));
                try
                {
                    var result = PixelCodecs.Decode(pixels, TransferSyntax.RLELossless, 0);
                    Assert.Equal(frame.Data.Length, result.Data.Length);
                    decodedOk++;
                }
                catch (PixelCodecException)
                {
                    rejected++;
                }
            }
        }

        output.WriteLine($"Mutated RLE frames: {decodedOk} decoded (to the right size), {rejected} rejected with PixelCodecException.");
        Assert.True(rejected > 0);
    }

    [Fact]
    public void EncodeRow_RunsAndLiterals_RoundTrip()
    {
        var random = new Random(5);
        for (var t = 0; t < 500; t++)
        {
            var row = new byte[random.Next(1, 400)];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (i > 0 ? row[i - 1] : (byte)0);
            }

            var encoded = new byte[row.Length + (row.Length / 128) + 2];
            var n = RleFrameEncoder.EncodeRow(row, encoded);
            var back = new byte[row.Length];
            Assert.Equal(row.Length, RleFrameDecoder.DecodeSegment(encoded.AsSpan(0, n), back));
            Assert.Equal(row, back);
        }
    }
}

/// <summary>Seeded damage for the decoders' mutation tests: bit flips, byte changes, truncation, inserted bytes.</summary>
internal static class Mutations
{
    public static byte[] Mutate(byte[] clean, Random random)
    {
        var data = (byte[])clean.Clone();
        switch (random.Next(5))
        {
            case 0:
                for (var k = random.Next(1, 8); k > 0; k--)
                {
                    var at = random.Next(data.Length);
                    data[at] ^= (byte)(1 << random.Next(8));
                }

                return data;
            case 1:
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }

                return data;
            case 2:
                return data.AsSpan(0, random.Next(data.Length)).ToArray();
            case 3:
                // Damage the head (header / marker segments) where length fields live.
                var head = Math.Min(data.Length, 80);
                data[random.Next(head)] = (byte)random.Next(256);
                return data;
            default:
                var insert = random.Next(data.Length);
                var longer = new byte[data.Length + 3];
                data.AsSpan(0, insert).CopyTo(longer);
                longer[insert] = 0xFF;
                longer[insert + 1] = (byte)random.Next(256);
                longer[insert + 2] = (byte)random.Next(256);
                data.AsSpan(insert).CopyTo(longer.AsSpan(insert + 3));
                return longer;
        }
    }
}
