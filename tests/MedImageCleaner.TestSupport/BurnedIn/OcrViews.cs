namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>One 8-bit picture of a crop, dark text on a light background, for the tesseract CLI.</summary>
public sealed record OcrView(string Name, byte[] Grey, int Width, int Height);

/// <summary>
/// How the independent reader looks at a crop of a frame's stored values (grey, or the luminance of RGB), upscaled (x3 by default):
/// the frame's min-max view, the crop's own min-max view (any viewer's auto-window on a zoomed region), and the two
/// extreme planes (samples within 0.5 % of the frame's largest, or smallest, value as ink). None uses the header window.
/// </summary>
public static class OcrViews
{
    /// <summary>The views of <paramref name="box"/> in a frame of <paramref name="samplesPerPixel"/> samples, upscaled by <paramref name="scale"/>.</summary>
    public static IReadOnlyList<OcrView> Of(int[] samples, int rows, int columns, int samplesPerPixel, TruthBox box, int scale = 3)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(box);
        var lum = Luminance(samples, rows * columns, samplesPerPixel);
        double min = double.MaxValue, max = double.MinValue;
        foreach (var v in lum)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var crop = new double[box.Width * box.Height];
        double cmin = double.MaxValue, cmax = double.MinValue;
        for (var y = 0; y < box.Height; y++)
        {
            for (var x = 0; x < box.Width; x++)
            {
                var v = lum[((box.Y + y) * columns) + box.X + x];
                crop[(y * box.Width) + x] = v;
                cmin = Math.Min(cmin, v);
                cmax = Math.Max(cmax, v);
            }
        }

        var range = Math.Max(1e-9, max - min);
        var near = range * 0.005;
        return
        [
            View("frame min-max", crop, box, scale, v => (v - min) / range),
            View("crop min-max", crop, box, scale, v => (v - cmin) / Math.Max(1e-9, cmax - cmin)),
            View("max plane", crop, box, scale, v => v >= max - near ? 1 : 0),
            View("min plane", crop, box, scale, v => v <= min + near ? 1 : 0),
        ];
    }

    /// <summary>True when every sample of the crop has the same value (nothing can be read there).</summary>
    public static bool IsFlat(int[] samples, int columns, int samplesPerPixel, TruthBox box)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(box);
        var first = samples[((box.Y * columns) + box.X) * samplesPerPixel];
        for (var y = box.Y; y < box.Bottom; y++)
        {
            for (var i = ((y * columns) + box.X) * samplesPerPixel; i < ((y * columns) + box.Right) * samplesPerPixel; i++)
            {
                if (samples[i] != first)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static double[] Luminance(int[] samples, int pixels, int spp)
    {
        var lum = new double[pixels];
        for (var i = 0; i < pixels; i++)
        {
            lum[i] = spp == 1 ? samples[i] : (0.299 * samples[i * spp]) + (0.587 * samples[(i * spp) + 1]) + (0.114 * samples[(i * spp) + 2]);
        }

        return lum;
    }

    /// <summary>The crop mapped to 0..1 by <paramref name="unit"/>, made dark-on-light (by its median), upscaled bilinear, with a white border.</summary>
    private static OcrView View(string name, double[] crop, TruthBox box, int scale, Func<double, double> unit)
    {
        var u = new double[crop.Length];
        for (var i = 0; i < crop.Length; i++)
        {
            u[i] = Math.Clamp(unit(crop[i]), 0, 1);
        }

        var sorted = (double[])u.Clone();
        Array.Sort(sorted);
        if (sorted[sorted.Length / 2] < 0.5)
        {
            for (var i = 0; i < u.Length; i++)
            {
                u[i] = 1 - u[i];
            }
        }

        const int border = 12;
        var w = (box.Width * scale) + (2 * border);
        var h = (box.Height * scale) + (2 * border);
        var grey = new byte[w * h];
        Array.Fill(grey, (byte)255);
        for (var y = 0; y < box.Height * scale; y++)
        {
            var fy = Math.Clamp(((y + 0.5) / scale) - 0.5, 0, box.Height - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, box.Height - 1);
            var wy = fy - y0;
            for (var x = 0; x < box.Width * scale; x++)
            {
                var fx = Math.Clamp(((x + 0.5) / scale) - 0.5, 0, box.Width - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, box.Width - 1);
                var wx = fx - x0;
                var top = (u[(y0 * box.Width) + x0] * (1 - wx)) + (u[(y0 * box.Width) + x1] * wx);
                var bottom = (u[(y1 * box.Width) + x0] * (1 - wx)) + (u[(y1 * box.Width) + x1] * wx);
                grey[((y + border) * w) + x + border] = (byte)Math.Round(((top * (1 - wy)) + (bottom * wy)) * 255);
            }
        }

        return new OcrView(name, grey, w, h);
    }
}
