namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>
/// A base image in the representation one header variant describes (<see cref="HeaderVariant"/>): its own copy of the
/// frames (the text is burned into them), bits, sign, photometric interpretation, rescale and windows.
/// </summary>
public sealed record PixelVariant(
    BaseImage Source,
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsStored,
    bool IsSigned,
    string Photometric,
    IReadOnlyList<int[]> Frames,
    double RescaleIntercept,
    double RescaleSlope,
    IReadOnlyList<(double Center, double Width)> Windows)
{
    /// <summary>The representation of <paramref name="source"/> under <paramref name="variant"/> (RGB: always native, no window).</summary>
    public static PixelVariant Apply(BaseImage source, HeaderVariant variant, Random rng)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rng);
        var frames = source.Frames.Select(f => (int[])f.Clone()).ToList();
        if (!source.IsGrey)
        {
            return new PixelVariant(source, source.Rows, source.Columns, 3, 8, false, "RGB", frames, 0, 1, []);
        }

        var (min, max) = source.Range();
        var range = Math.Max(1, max - min);
        switch (variant)
        {
            case HeaderVariant.EightBitHiddenByWindow:
            {
                // 0-255 in a 16-bit container; displayed through -1024 + 40/400 the whole frame is below the window.
                var invert = source.Photometric == "MONOCHROME1";
                foreach (var f in frames)
                {
                    for (var i = 0; i < f.Length; i++)
                    {
                        var v = (int)Math.Round((f[i] - min) * 255.0 / range);
                        f[i] = invert ? 255 - v : v;
                    }
                }

                return new PixelVariant(source, source.Rows, source.Columns, 1, 16, false, "MONOCHROME2", frames, -1024, 1, [(40, 400)]);
            }

            case HeaderVariant.Rescaled:
            {
                var scale = range > 4095 ? 4095.0 / range : 1.0;
                foreach (var f in frames)
                {
                    for (var i = 0; i < f.Length; i++)
                    {
                        f[i] = (int)Math.Round((f[i] - min) * scale);
                    }
                }

                var intercept = rng.Next(2) == 0 ? -1024 : -1000;
                var slope = rng.Next(2) == 0 ? 1.0 : 0.5;
                var top = (int)Math.Round(range * scale);
                return new PixelVariant(source, source.Rows, source.Columns, 1, 12, false, source.Photometric, frames, intercept, slope,
                    [DataWindow(0, top, intercept, slope)]);
            }

            case HeaderVariant.PolarityFlipped:
            {
                foreach (var f in frames)
                {
                    for (var i = 0; i < f.Length; i++)
                    {
                        f[i] = min + max - f[i];
                    }
                }

                var photometric = source.Photometric == "MONOCHROME1" ? "MONOCHROME2" : "MONOCHROME1";
                return new PixelVariant(source, source.Rows, source.Columns, 1, source.BitsStored, source.IsSigned, photometric, frames,
                    source.RescaleIntercept, source.RescaleSlope, [DataWindow(min, max, source.RescaleIntercept, source.RescaleSlope)]);
            }

            case HeaderVariant.SeveralWindows:
            {
                var ri = source.RescaleIntercept;
                var rs = source.RescaleSlope;
                var low = min + (range * 0.1);
                var high = min + (range * 0.9);
                return new PixelVariant(source, source.Rows, source.Columns, 1, source.BitsStored, source.IsSigned, source.Photometric, frames, ri, rs,
                [
                    DataWindow(min, max, ri, rs),
                    ((low * rs) + ri, Math.Max(1, range * 0.1 * rs)),
                    ((high * rs) + ri, Math.Max(1, range * 0.1 * rs)),
                ]);
            }

            default:
            {
                var window = source.Window ?? DataWindow(min, max, source.RescaleIntercept, source.RescaleSlope);
                return new PixelVariant(source, source.Rows, source.Columns, 1, source.BitsStored, source.IsSigned, source.Photometric, frames,
                    source.RescaleIntercept, source.RescaleSlope, [window]);
            }
        }
    }

    /// <summary>The smallest and largest stored value over all frames.</summary>
    public (int Min, int Max) Range()
    {
        int min = int.MaxValue, max = int.MinValue;
        foreach (var f in Frames)
        {
            foreach (var v in f)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return (min, max);
    }

    /// <summary>A window over the stored range [min, max] in rescaled units.</summary>
    private static (double Center, double Width) DataWindow(double min, double max, double intercept, double slope) =>
        ((((min + max) / 2) * slope) + intercept, Math.Max(1, (max - min) * slope));
}
