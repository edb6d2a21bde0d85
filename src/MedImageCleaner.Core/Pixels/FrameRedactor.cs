using System.Buffers.Binary;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// Fills boxes of a <see cref="DecodedFrame"/> in place, in its own representation: every sample of the pixel, 8/16/32
/// bits, signed or not. Grey frames get the darkest value present in the frame (the minimum, or the maximum for
/// MONOCHROME1), so the fill looks like the background and never becomes a padding value or leaves the stored range;
/// a box whose text is drawn in that darkest value gets the value of its surroundings instead (every stroke changes).
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
        var list = new List<PixelBox>();
        foreach (var b in boxes)
        {
            var c = b.ClipTo(cols, rows);
            if (!c.IsEmpty)
            {
                list.Add(c);
            }
        }

        if (list.Count == 0)
        {
            return 0;
        }

        var darkest = FillPixel(frame);
        var pixelBytes = darkest.Length;
        var data = frame.Data.AsSpan();
        var mask = new bool[rows * cols];
        var fills = new byte[list.Count][];
        for (var k = 0; k < list.Count; k++)
        {
            // Decided on the original pixels, before any box is filled.
            fills[k] = BoxFill(frame, list[k], darkest);
        }

        long altered = 0;
        for (var k = 0; k < list.Count; k++)
        {
            var c = list[k];
            for (var y = c.Y; y < c.Bottom; y++)
            {
                var row = y * cols;
                for (var x = c.X; x < c.Right; x++)
                {
                    if (!mask[row + x])
                    {
                        mask[row + x] = true;
                        altered++;
                        fills[k].CopyTo(data.Slice((row + x) * pixelBytes, pixelBytes));
                    }
                }
            }
        }

        return altered;
    }

    /// <summary>
    /// The fill of one box: the darkest value, unless text in the box is drawn in that very value (2% or more of the
    /// box already has it: filling with it would leave those strokes' pixels as they were); then the median of the
    /// ring of pixels around the box (its background), so every stroke changes. A box that is mostly the darkest value lies
    /// on a dark background and gets the darkest. Colour frames always get the darkest.
    /// </summary>
    private static byte[] BoxFill(DecodedFrame frame, PixelBox box, byte[] darkest)
    {
        if (frame.SamplesPerPixel != 1)
        {
            return darkest;
        }

        var cols = frame.Columns;
        var bytes = frame.BytesPerSample;
        var data = frame.Data.AsSpan();
        long same = 0;
        for (var y = box.Y; y < box.Bottom; y++)
        {
            for (var x = box.X; x < box.Right; x++)
            {
                same += data.Slice(((y * cols) + x) * bytes, bytes).SequenceEqual(darkest) ? 1 : 0;
            }
        }

        // Mostly the darkest value: the box lies on a dark background (text brighter than it), which the darkest fills.
        if (same * 50 < box.Area || same * 10 > box.Area * 6)
        {
            return darkest;
        }

        var stored = Math.Clamp(frame.BitsStored, 1, frame.BitsAllocated);
        var ring = new List<(long Value, int Index)>();
        var ringBox = box.Inflate(1, 1).ClipTo(cols, frame.Rows);
        for (var y = ringBox.Y; y < ringBox.Bottom; y++)
        {
            for (var x = ringBox.X; x < ringBox.Right; x++)
            {
                if (!box.Contains(new PixelBox(x, y, 1, 1)))
                {
                    var i = (y * cols) + x;
                    ring.Add((GreyView.ReadStored(frame, i, stored), i));
                }
            }
        }

        if (ring.Count == 0)
        {
            return darkest;
        }

        ring.Sort(static (a, b) => a.Value.CompareTo(b.Value));
        var median = ring[ring.Count / 2].Index;
        return data.Slice(median * bytes, bytes).ToArray();
    }

    /// <summary>The number of pixels in the union of <paramref name="boxes"/>, clipped to <paramref name="cols"/> x <paramref name="rows"/>.</summary>
    internal static long UnionArea(IEnumerable<PixelBox> boxes, int cols, int rows)
    {
        var mask = new bool[rows * cols];
        long area = 0;
        foreach (var b in boxes)
        {
            var c = b.ClipTo(cols, rows);
            for (var y = c.Y; y < c.Bottom; y++)
            {
                for (var x = c.X; x < c.Right; x++)
                {
                    if (!mask[(y * cols) + x])
                    {
                        mask[(y * cols) + x] = true;
                        area++;
                    }
                }
            }
        }

        return area;
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
