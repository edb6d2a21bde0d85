using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>
/// Frames of uncompressed pixel data (every non-encapsulated syntax, and Encapsulated Uncompressed): bits unpacked
/// (BitsAllocated 1 becomes 8), planar configuration 1 interleaved, samples little endian.
/// </summary>
internal sealed class NativeFrameDecoder : IFrameDecoder
{
    public string Name => "Native";

    public bool CanDecode(TransferSyntax syntax) => !syntax.IsEncapsulated || syntax == TransferSyntax.EncapsulatedUncompressed;

    public DecodedFrame Decode(PixelData pixels, TransferSyntax syntax, int index)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.BitsAllocated is not (1 or 8 or 16 or 32))
        {
            throw new PixelCodecException($"BitsAllocated {pixels.BitsAllocated} is not supported.") { IsUnsupported = true };
        }

        if (pixels.Rows <= 0 || pixels.Columns <= 0)
        {
            throw new PixelCodecException("The image has no rows or columns.");
        }

        byte[] raw;
        try
        {
            raw = pixels.GetFrame(index);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new PixelCodecException($"Frame {index} is not present in the pixel data.", ex);
        }

        var bits = pixels.BitsAllocated == 1 ? 8 : pixels.BitsAllocated;
        var bytesPerSample = bits / 8;
        var samples = pixels.SamplesPerPixel;
        var expected = (long)pixels.Rows * pixels.Columns * samples * bytesPerSample;
        if (raw.LongLength < expected)
        {
            throw new PixelCodecException($"Frame {index} holds {raw.LongLength} bytes; {expected} expected.");
        }

        var data = raw.LongLength == expected ? raw : raw.AsSpan(0, (int)expected).ToArray();
        if (samples > 1 && pixels.PlanarConfiguration == 1)
        {
            data = Interleave(data, pixels.Rows * pixels.Columns, samples, bytesPerSample);
        }

        return new DecodedFrame(pixels.Rows, pixels.Columns, samples, bits, pixels.BitsAllocated == 1 ? 1 : pixels.BitsStored,
            pixels.IsSigned, pixels.PhotometricInterpretation, data);
    }

    /// <summary>Planes (RRR..GGG..BBB..) to pixels (RGBRGB...).</summary>
    internal static byte[] Interleave(byte[] planar, int pixelCount, int samples, int bytesPerSample)
    {
        var result = new byte[planar.Length];
        var plane = pixelCount * bytesPerSample;
        for (var s = 0; s < samples; s++)
        {
            for (var p = 0; p < pixelCount; p++)
            {
                Buffer.BlockCopy(planar, (s * plane) + (p * bytesPerSample), result, ((p * samples) + s) * bytesPerSample, bytesPerSample);
            }
        }

        return result;
    }
}
