namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <summary>
/// Brings a subsampled component to full size the way IJG libjpeg 6b (dcmtk's dcmdjpeg) does with its default
/// "fancy" upsampling: a triangle filter for 2:1 horizontal (h2v1) and 2:1 both ways (h2v2) when the component is
/// wider than two samples, replication otherwise. Edge rows are repeated, edge columns use the end-point rule.
/// </summary>
internal static class JpegUpsampler
{
    public static ushort[] Upsample(JpegDecoder.Component c, int hMax, int vMax, int width, int height)
    {
        if (hMax % c.H != 0 || vMax % c.V != 0)
        {
            throw new PixelCodecException("The JPEG sampling factors are not integer ratios.") { IsUnsupported = true };
        }

        var hr = hMax / c.H;
        var vr = vMax / c.V;
        var result = new ushort[width * height];
        var src = c.Plane;
        var stride = c.Stride;
        if (hr == 1 && vr == 1)
        {
            for (var y = 0; y < height; y++)
            {
                src.AsSpan(y * stride, width).CopyTo(result.AsSpan(y * width, width));
            }

            return result;
        }

        var fancy = c.Width > 2;
        if (fancy && hr == 2 && vr == 1)
        {
            var row = new ushort[c.Width * 2];
            for (var y = 0; y < height; y++)
            {
                H2V1(src.AsSpan(y * stride, c.Width), row);
                row.AsSpan(0, width).CopyTo(result.AsSpan(y * width, width));
            }

            return result;
        }

        if (fancy && hr == 2 && vr == 2)
        {
            var row = new ushort[c.Width * 2];
            for (var y = 0; y < height; y++)
            {
                var r = y >> 1;
                var other = (y & 1) == 0 ? Math.Max(r - 1, 0) : Math.Min(r + 1, c.Height - 1);
                H2V2(src.AsSpan(r * stride, c.Width), src.AsSpan(other * stride, c.Width), row);
                row.AsSpan(0, width).CopyTo(result.AsSpan(y * width, width));
            }

            return result;
        }

        for (var y = 0; y < height; y++)
        {
            var line = src.AsSpan(y / vr * stride);
            var o = result.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                o[x] = line[x / hr];
            }
        }

        return result;
    }

    private static void H2V1(ReadOnlySpan<ushort> input, Span<ushort> output)
    {
        var n = input.Length;
        int v = input[0];
        output[0] = (ushort)v;
        output[1] = (ushort)(((v * 3) + input[1] + 2) >> 2);
        var o = 2;
        for (var i = 1; i < n - 1; i++)
        {
            v = input[i] * 3;
            output[o++] = (ushort)((v + input[i - 1] + 1) >> 2);
            output[o++] = (ushort)((v + input[i + 1] + 2) >> 2);
        }

        v = input[n - 1];
        output[o++] = (ushort)(((v * 3) + input[n - 2] + 1) >> 2);
        output[o] = (ushort)v;
    }

    private static void H2V2(ReadOnlySpan<ushort> near, ReadOnlySpan<ushort> far, Span<ushort> output)
    {
        var n = near.Length;
        var thisSum = (near[0] * 3) + far[0];
        var nextSum = (near[1] * 3) + far[1];
        output[0] = (ushort)(((thisSum * 4) + 8) >> 4);
        output[1] = (ushort)(((thisSum * 3) + nextSum + 7) >> 4);
        var lastSum = thisSum;
        thisSum = nextSum;
        var o = 2;
        for (var i = 1; i < n - 1; i++)
        {
            nextSum = (near[i + 1] * 3) + far[i + 1];
            output[o++] = (ushort)(((thisSum * 3) + lastSum + 8) >> 4);
            output[o++] = (ushort)(((thisSum * 3) + nextSum + 7) >> 4);
            lastSum = thisSum;
            thisSum = nextSum;
        }

        output[o++] = (ushort)(((thisSum * 3) + lastSum + 8) >> 4);
        output[o] = (ushort)(((thisSum * 4) + 7) >> 4);
    }
}

/// <summary>YCbCr to RGB with the fixed-point constants (16 fraction bits) and rounding of IJG libjpeg's jdcolor.</summary>
internal static class JpegColor
{
    private const int ScaleBits = 16;
    private const int OneHalf = 1 << (ScaleBits - 1);
    private const int Fix1402 = 91881;
    private const int Fix1772 = 116130;
    private const int Fix071414 = 46802;
    private const int Fix034414 = 22554;

    public static void YCbCrToRgb(ushort[] yPlane, ushort[] cbPlane, ushort[] crPlane, ushort[] rgb, int precision)
    {
        var max = (1 << precision) - 1;
        var center = 1 << (precision - 1);
        for (var i = 0; i < yPlane.Length; i++)
        {
            int y = yPlane[i];
            var cb = cbPlane[i] - center;
            var cr = crPlane[i] - center;
            var r = y + (((Fix1402 * cr) + OneHalf) >> ScaleBits);
            var g = y + (((-Fix034414 * cb) + OneHalf + (-Fix071414 * cr)) >> ScaleBits);
            var b = y + (((Fix1772 * cb) + OneHalf) >> ScaleBits);
            rgb[3 * i] = Clamp(r, max);
            rgb[(3 * i) + 1] = Clamp(g, max);
            rgb[(3 * i) + 2] = Clamp(b, max);
        }
    }

    private static ushort Clamp(int v, int max) => (ushort)(v < 0 ? 0 : v > max ? max : v);
}
