using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>
/// Every frame of every corpus file through the registry: it decodes, or fails with a PixelCodecException that says
/// whether the encoding is unsupported (quarantine) or damaged. Nothing else may escape.
/// </summary>
public sealed class RegistryCorpusTests(ITestOutputHelper output)
{
    [RequiresFact(Requirements.Corpus)]
    public void Decode_EveryCorpusFrame_DecodesOrThrowsPixelCodecException()
    {
        var decoded = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var refused = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, file) in CodecOracle.OpenCorpus("pydicom", "fodicom", "burned-in"))
        {
            if (!PixelData.TryCreate(file.Dataset, out var pixels))
            {
                continue;
            }

            var key = file.TransferSyntax.Name;
            for (var i = 0; i < Math.Max(1, pixels.AvailableFrames); i++)
            {
                try
                {
                    var frame = PixelCodecs.Decode(pixels, file.TransferSyntax, i);
                    Assert.Equal((long)frame.Rows * frame.Columns * frame.SamplesPerPixel * frame.BytesPerSample, frame.Data.LongLength);
                    decoded[key] = decoded.GetValueOrDefault(key) + 1;
                }
                catch (PixelCodecException ex)
                {
                    var reason = key + (ex.IsUnsupported ? " (unsupported)" : " (damaged)");
                    refused[reason] = refused.GetValueOrDefault(reason) + 1;
                }
            }
        }

        foreach (var (k, v) in decoded)
        {
            output.WriteLine($"decoded  {v,4} frame(s): {k}");
        }

        foreach (var (k, v) in refused)
        {
            output.WriteLine($"refused  {v,4} frame(s): {k}");
        }

        Assert.NotEmpty(decoded);
    }
}
