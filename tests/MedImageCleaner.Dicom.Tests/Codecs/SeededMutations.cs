using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>The outcome of a seeded mutation run.</summary>
/// <param name="Seed">The seed, derived from the source's name.</param>
/// <param name="Iterations">Mutations tried.</param>
/// <param name="Decoded">Mutations that decoded.</param>
/// <param name="Refused">Mutations refused with a <see cref="PixelCodecException"/>.</param>
internal sealed record MutationOutcome(int Seed, int Iterations, int Decoded, int Refused)
{
    public override string ToString() => $"{Iterations} mutations, {Decoded} decoded, {Refused} refused (seed {Seed})";
}

/// <summary>
/// The seeded mutation loop of the decoders' robustness tests (JPEG in Dicom.Tests, JPEG 2000 in Core.Tests, linked
/// there): every mutation either decodes or throws <see cref="PixelCodecException"/> (any other exception fails with
/// the seed and iteration), and the whole run finishes within a timeout (no hang).
/// </summary>
internal static class SeededMutations
{
    /// <summary>A seed stable across runs (string.GetHashCode is randomised), from <paramref name="start"/> and <paramref name="source"/>.</summary>
    public static int Seed(string source, int start)
    {
        var seed = start;
        foreach (var ch in source)
        {
            seed = unchecked((seed * 31) + ch) & 0x7FFFFFFF;
        }

        return seed;
    }

    /// <summary>The pixel data of a clone of <paramref name="dataset"/> whose one frame is <paramref name="codestream"/>.</summary>
    public static PixelData WithFrame(DicomDataset dataset, byte[] codestream)
    {
        var ds = dataset.Clone();
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ValueSource.Empty, [ValueSource.FromBytes(codestream)]));
        Assert.True(PixelData.TryCreate(ds, out var pixels));
        return pixels;
    }

    /// <summary>
    /// Applies <paramref name="mutate"/> <paramref name="iterations"/> times to <paramref name="codestream"/> with one
    /// seeded <see cref="Random"/> and hands each result to <paramref name="decode"/>, on a worker thread.
    /// </summary>
    public static async Task<MutationOutcome> RunAsync(
        string source, int seedStart, int iterations, TimeSpan timeout, byte[] codestream, Func<byte[], Random, byte[]> mutate, Action<byte[]> decode)
    {
        var seed = Seed(source, seedStart);
        var rng = new Random(seed);
        var decoded = 0;
        var refused = 0;
        var run = Task.Run(() =>
        {
            for (var i = 0; i < iterations; i++)
            {
                var mutated = mutate(codestream, rng);
                try
                {
                    decode(mutated);
                    decoded++;
                }
                catch (PixelCodecException)
                {
                    refused++;
                }
                catch (Exception ex)
                {
                    Assert.Fail($"seed {seed}, iteration {i}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                }
            }
        });
        var finished = await Task.WhenAny(run, Task.Delay(timeout));
        Assert.True(finished == run, "the decoder did not finish (hang?)");
        await run;
        return new MutationOutcome(seed, iterations, decoded, refused);
    }
}
