using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Imaging;

/// <summary>
/// Seeded mutations of real JPEG 2000 frames (bit flips, header bytes, truncation, insertion): the OpenCV decoder
/// either decodes or throws <see cref="PixelCodecException"/> — no other exception, no crash of the process, no hang.
/// (A mutation in the entropy-coded data can still decode to other pixels: JPEG 2000 has no checksum; what this test
/// guards is the failure mode.)
/// </summary>
public sealed class Jpeg2000MutationTests(ITestOutputHelper output)
{
    private const int Iterations = 150;

    [RequiresTheory(Requirements.Corpus)]
    [InlineData("burned-in/j2k_rgb_text.dcm")]
    [InlineData("fodicom/GH064.dcm")]
    [InlineData("pydicom/MR_small_jp2klossless.dcm")]
    public async Task Decode_MutatedJ2kFrame_DecodesOrThrowsPixelCodecException(string file)
    {
        var path = Path.Combine(TestCorpus.CorpusRoot, file);
        CoreCodecs.EnsureRegistered();
        using var f = DicomFile.Open(path);
        Assert.True(PixelData.TryCreate(f.Dataset, out var pixels));
        var codestream = pixels.GetFrame(0);
        var outcome = await SeededMutations.RunAsync(
            file,
            11,
            Iterations,
            TimeSpan.FromMinutes(5),
            codestream,
            Mutate,
            mutated => PixelCodecs.Decode(SeededMutations.WithFrame(f.Dataset, mutated), f.TransferSyntax, 0));
        output.WriteLine($"{file}: {outcome}");
        Assert.True(outcome.Refused > 0);
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var data = (byte[])original.Clone();
        switch (rng.Next(4))
        {
            case 0:
                for (var k = rng.Next(1, 4); k > 0; k--)
                {
                    data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8));
                }

                break;
            case 1:
                for (var k = rng.Next(1, 3); k > 0; k--)
                {
                    data[rng.Next(Math.Min(200, data.Length))] = (byte)rng.Next(256);
                }

                break;
            case 2:
                data = data.AsSpan(0, rng.Next(2, data.Length)).ToArray();
                break;
            default:
            {
                var at = rng.Next(data.Length);
                var insert = new byte[rng.Next(1, 16)];
                rng.NextBytes(insert);
                data = [.. data.AsSpan(0, at), .. insert, .. data.AsSpan(at)];
                break;
            }
        }

        return data.Length % 2 == 0 ? data : [.. data, 0];
    }
}
