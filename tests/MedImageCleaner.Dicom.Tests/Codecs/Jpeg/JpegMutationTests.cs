using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Codecs.Jpeg;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs.Jpeg;

/// <summary>
/// Seeded mutations of valid JPEG codestreams (byte flips, 0xFF/marker injection, truncation, insertion, deletion):
/// the decoder either decodes or throws <see cref="PixelCodecException"/> — never another exception, never a hang.
/// </summary>
public sealed class JpegMutationTests(ITestOutputHelper output)
{
    private const int Iterations = 400;

    public static IEnumerable<object[]> Sources()
    {
        yield return ["encoder grey8"];
        yield return ["encoder rgb16 restart"];
        yield return ["corpus pydicom/SC_rgb_dcmtk_+eb+cy+n1.dcm"];
        yield return ["corpus pydicom/JPGExtended.dcm"];
        yield return ["corpus fodicom/GH1261.dcm"];
        yield return ["corpus pydicom/examples_ybr_color.dcm"];
    }

    [RequiresTheory(Requirements.Corpus)]
    [MemberData(nameof(Sources))]
    public async Task Decode_MutatedCodestream_DecodesOrThrowsPixelCodecException(string source)
    {
        byte[] codestream;
        int rows;
        int columns;
        if (source.StartsWith("encoder", StringComparison.Ordinal))
        {
            var frame = SyntheticImages.Create(source.Contains("rgb16", StringComparison.Ordinal) ? "rgb16" : "grey8", 24, 40);
            codestream = new JpegLosslessEncoder { RestartInterval = source.EndsWith("restart", StringComparison.Ordinal) ? 40 : 0 }.Encode(frame);
            rows = frame.Rows;
            columns = frame.Columns;
        }
        else
        {
            var path = Path.Combine(TestCorpus.CorpusRoot, source["corpus ".Length..]);
            Assert.True(File.Exists(path), "corpus file missing: " + source);

            using var f = DicomFile.Open(path);
            Assert.True(PixelData.TryCreate(f.Dataset, out var pixels));
            codestream = pixels.GetFrame(0);
            rows = pixels.Rows;
            columns = pixels.Columns;
        }

        // The unmutated stream decodes.
        _ = JpegDecoder.Decode(codestream, new JpegDecodeOptions(rows, columns, true));

        var outcome = await SeededMutations.RunAsync(
            source, 17, Iterations, TimeSpan.FromMinutes(3), codestream, Mutate, mutated => JpegDecoder.Decode(mutated, new JpegDecodeOptions(rows, columns, true)));
        output.WriteLine($"{source}: {outcome}");
        Assert.True(outcome.Refused > 0, "no mutation was detected at all");
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var data = (byte[])original.Clone();
        var kind = rng.Next(6);
        switch (kind)
        {
            case 0:
                for (var k = rng.Next(1, 4); k > 0; k--)
                {
                    data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8));
                }

                return data;
            case 1:
                data[rng.Next(data.Length)] = 0xFF;
                return data;
            case 2:
                // Mutate the headers (first 700 bytes) where tables and frame sizes live.
                for (var k = rng.Next(1, 3); k > 0; k--)
                {
                    data[rng.Next(Math.Min(700, data.Length))] = (byte)rng.Next(256);
                }

                return data;
            case 3:
                return data.AsSpan(0, rng.Next(2, data.Length)).ToArray();
            case 4:
            {
                var at = rng.Next(data.Length);
                var insert = new byte[rng.Next(1, 16)];
                rng.NextBytes(insert);
                return [.. data.AsSpan(0, at), .. insert, .. data.AsSpan(at)];
            }

            default:
            {
                var at = rng.Next(data.Length);
                var len = Math.Min(rng.Next(1, 32), data.Length - at);
                return [.. data.AsSpan(0, at), .. data.AsSpan(at + len)];
            }
        }
    }
}
