using System.Buffers.Binary;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// Fills boxes of a <see cref="DecodedFrame"/> in place, in its own representation: every sample of the pixel, 8/16/32
/// bits, signed or not. Grey frames get the darkest value present in the frame (the minimum, or the maximum for
/// MONOCHROME1), so the fill looks like the background and never becomes a padding value or leaves the stored range;
/// RGB gets black; YBR gets Y at its darkest and Cb = Cr = the middle of the range.
/// </summary>
public static class FrameRedactor
{
    /// <summary>Fills <paramref name="boxes"/> (clipped to the frame) and returns the number of pixels set (their union).</summary>
    public static long Fill(DecodedFrame frame, IEnumerable<PixelBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(boxes);
        var cols = frame.Columns;
        var rows = frame.Rows;
        var mask = new bool[rows * cols];
        long altered = 0;
        foreach (var b in boxes)
        {
            var c = b.ClipTo(cols, rows);
            for (var y = c.Y; y < c.Bottom; y++)
            {
                var row = y * cols;
                for (var x = c.X; x < c.Right; x++)
                {
                    if (!mask[row + x])
                    {
                        mask[row + x] = true;
                        altered++;
                    }
                }
            }
        }

        if (altered == 0)
        {
            return 0;
        }

        var fill = FillPixel(frame);
        var pixelBytes = fill.Length;
        var data = frame.Data.AsSpan();
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i])
            {
                fill.CopyTo(data.Slice(i * pixelBytes, pixelBytes));
            }
        }

        return altered;
    }

    /// <summary>The raw bytes of one fill pixel (all samples) for <paramref name="frame"/>.</summary>
    internal static byte[] FillPixel(DecodedFrame frame)
    {
        var spp = frame.SamplesPerPixel;
        var bytes = frame.BytesPerSample;
        var pixel = new byte[spp * bytes];
        var pi = frame.PhotometricInterpretation;
        if (spp >= 3)
        {
            if (pi.StartsWith("YBR", StringComparison.OrdinalIgnoreCase))
            {
                var mid = 1UL << (Math.Clamp(frame.BitsStored, 1, frame.BitsAllocated) - 1);
                for (var s = 1; s < spp; s++)
                {
                    Write(pixel.AsSpan(s * bytes, bytes), mid);
                }
            }

            return pixel;
        }

        // Grey (and palette indices): the darkest stored value present, copied raw.
        var darkestIsMax = string.Equals(pi, "MONOCHROME1", StringComparison.OrdinalIgnoreCase);
        var stored = Math.Clamp(frame.BitsStored, 1, frame.BitsAllocated);
        var n = frame.Rows * frame.Columns;
        var best = 0;
        var bestValue = GreyView.ReadStored(frame, 0, stored);
        for (var i = 1; i < n; i++)
        {
            var v = GreyView.ReadStored(frame, i * spp, stored);
            if (darkestIsMax ? v > bestValue : v < bestValue)
            {
                bestValue = v;
                best = i;
            }
        }

        frame.Data.AsSpan(best * spp * bytes, spp * bytes).CopyTo(pixel);
        return pixel;
    }

    private static void Write(Span<byte> target, ulong value)
    {
        switch (target.Length)
        {
            case 1:
                target[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)value);
                break;
            default:
                BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)value);
                break;
        }
    }
}
