using System.Buffers.Binary;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom.Codecs;
using OpenCvSharp;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// The colour-difference view of an RGB or YBR frame: per pixel, how far it is from grey (max minus min of R, G, B;
/// for YBR twice the larger of |Cb - mid| and |Cr - mid|), 8-bit. Coloured text on a grey or dark background (green at
/// luminance 150 on grey 128, red at 76) is nearly invisible in the luminance view and stands out here.
/// </summary>
public static class ColourView
{
    /// <summary>
    /// The view as a new CV_8UC1 Mat, or null when the frame is not colour or has no pixel further than
    /// <see cref="MinimumChroma"/> from grey (a grey image stored as RGB: nothing the luminance view misses).
    /// </summary>
    public static Mat? Create(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.SamplesPerPixel < 3)
        {
            return null;
        }

        NativeLoadOrder.Ensure();
        var pixels = new byte[frame.Rows * frame.Columns];
        var max = Chroma(frame, pixels);
        if (max < MinimumChroma)
        {
            return null;
        }

        var mat = new Mat(frame.Rows, frame.Columns, MatType.CV_8UC1);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, mat.Data, pixels.Length);
        return mat;
    }

    /// <summary>The chroma below which a frame counts as grey (the edge detector's minimum gradient).</summary>
    public const int MinimumChroma = 48;

    /// <summary>Fills <paramref name="output"/>; returns the largest value.</summary>
    private static int Chroma(DecodedFrame frame, byte[] output)
    {
        var data = frame.Data;
        var spp = frame.SamplesPerPixel;
        var bytes = frame.BytesPerSample;
        var ybr = frame.PhotometricInterpretation.StartsWith("YBR", StringComparison.OrdinalIgnoreCase);
        var shift = Math.Max(0, Math.Min(frame.BitsStored, frame.BitsAllocated) - 8);
        var n = output.Length;
        var largest = 0;
        for (var i = 0; i < n; i++)
        {
            var o = i * spp * bytes;
            ColourSamples.Read(data, o, bytes, shift, out var a, out var b, out var c);

            var v = ybr
                ? 2 * Math.Max(Math.Abs(b - 128), Math.Abs(c - 128))
                : Math.Max(a, Math.Max(b, c)) - Math.Min(a, Math.Min(b, c));
            v = Math.Clamp(v, 0, 255);
            output[i] = (byte)v;
            largest = Math.Max(largest, v);
        }

        return largest;
    }
}
