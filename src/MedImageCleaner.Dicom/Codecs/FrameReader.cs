using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>Helpers shared by the decoders: getting a frame's bytes with failures mapped to <see cref="PixelCodecException"/>.</summary>
internal static class FrameReader
{
    /// <summary>The bytes of frame <paramref name="index"/> (see <see cref="PixelData.GetFrame"/>).</summary>
    /// <exception cref="PixelCodecException">The frame is absent, too large, or its bytes cannot be read.</exception>
    public static byte[] Read(PixelData pixels, int index)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        try
        {
            return pixels.GetFrame(index);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new PixelCodecException($"Frame {index} is not present in the pixel data.", ex);
        }
        catch (DicomLimitExceededException ex)
        {
            throw new PixelCodecException($"Frame {index} is too large to decode in memory.", ex) { IsUnsupported = true };
        }
        catch (DicomReadException ex)
        {
            throw new PixelCodecException($"Frame {index} cannot be read from the source.", ex);
        }
        catch (Exception ex) when (ex is IOException or OutOfMemoryException or OverflowException)
        {
            throw new PixelCodecException($"Frame {index} cannot be read ({ex.GetType().Name}).", ex);
        }
    }

    /// <summary>Checks the image description shared by every codec; returns the decoded frame size in bytes.</summary>
    public static int CheckShape(PixelData pixels, int index, int bytesPerSample)
    {
        if (pixels.Rows <= 0 || pixels.Columns <= 0)
        {
            throw new PixelCodecException($"Frame {index}: the image has no rows or columns.");
        }

        if (pixels.SamplesPerPixel is not (1 or 3 or 4))
        {
            throw new PixelCodecException($"Frame {index}: {pixels.SamplesPerPixel} samples per pixel are not supported.") { IsUnsupported = true };
        }

        var size = (long)pixels.Rows * pixels.Columns * pixels.SamplesPerPixel * bytesPerSample;
        if (size > Array.MaxLength)
        {
            throw new PixelCodecException($"Frame {index} is too large to decode in memory.") { IsUnsupported = true };
        }

        return (int)size;
    }
}
