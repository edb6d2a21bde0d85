using System.Buffers.Binary;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom.Codecs;
using OpenCvSharp;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// Normalized 8-bit grey views of a <see cref="DecodedFrame"/> for detection: what a viewer shows, as luminance
/// (bright = displayed bright). 16/32-bit grey is rescaled and windowed (the header window, else the 0.5-99.5
/// percentile range); MONOCHROME1 is inverted; RGB becomes luminance, YBR its Y.
/// </summary>
public static class GreyView
{
    /// <summary>The view as a new CV_8UC1 Mat (Rows x Columns). The caller disposes it.</summary>
    public static Mat Create(DecodedFrame frame, ImageAttributes? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        NativeLoadOrder.Ensure();
        attributes ??= ImageAttributes.None;
        var pixels = new byte[frame.Rows * frame.Columns];
        if (frame.SamplesPerPixel >= 3)
        {
            Luminance(frame, pixels);
        }
        else
        {
            Grey(frame, attributes, pixels);
        }

        var mat = new Mat(frame.Rows, frame.Columns, MatType.CV_8UC1);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, mat.Data, pixels.Length);
        return mat;
    }

    /// <summary>The view as a byte array (row-major, Columns bytes per row).</summary>
    public static byte[] CreateBytes(DecodedFrame frame, ImageAttributes? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        attributes ??= ImageAttributes.None;
        var pixels = new byte[frame.Rows * frame.Columns];
        if (frame.SamplesPerPixel >= 3)
        {
            Luminance(frame, pixels);
        }
        else
        {
            Grey(frame, attributes, pixels);
        }

        return pixels;
    }

    private static void Luminance(DecodedFrame frame, byte[] output)
    {
        var data = frame.Data;
        var spp = frame.SamplesPerPixel;
        var bytes = frame.BytesPerSample;
        var ybr = frame.PhotometricInterpretation.StartsWith("YBR", StringComparison.OrdinalIgnoreCase);
        var shift = Math.Max(0, Math.Min(frame.BitsStored, frame.BitsAllocated) - 8);
        var n = output.Length;
        for (var i = 0; i < n; i++)
        {
            var o = i * spp * bytes;
            ColourSamples.Read(data, o, bytes, shift, out var r, out var g, out var b);

            var y = ybr ? r : ((299 * r) + (587 * g) + (114 * b) + 500) / 1000;
            output[i] = (byte)Math.Clamp(y, 0, 255);
        }
    }

    private static void Grey(DecodedFrame frame, ImageAttributes a, byte[] output)
    {
        var n = output.Length;
        var spp = frame.SamplesPerPixel;
        var invert = string.Equals(frame.PhotometricInterpretation, "MONOCHROME1", StringComparison.OrdinalIgnoreCase);
        var stored = Math.Clamp(frame.BitsStored, 1, frame.BitsAllocated);
        if (frame.BitsAllocated == 8 && stored == 8 && !frame.IsSigned)
        {
            var data = frame.Data;
            for (var i = 0; i < n; i++)
            {
                var v = data[i * spp];
                output[i] = invert ? (byte)(255 - v) : v;
            }

            return;
        }

        // Stored values (masked, sign-extended) as doubles after the modality rescale.
        var values = new double[n];
        double min = double.MaxValue, max = double.MinValue;
        for (var i = 0; i < n; i++)
        {
            var v = (ReadStored(frame, i * spp, stored) * a.RescaleSlope) + a.RescaleIntercept;
            values[i] = v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        double low, high;
        if (a.WindowCenter is { } c && a.WindowWidth is { } w)
        {
            // PS3.3 C.11.2.1.2.1 linear window.
            low = c - 0.5 - ((w - 1) / 2);
            high = c - 0.5 + ((w - 1) / 2);
        }
        else
        {
            (low, high) = Percentiles(values, min, max);
        }

        var scale = high > low ? 255.0 / (high - low) : 0;
        for (var i = 0; i < n; i++)
        {
            var v = values[i];
            var g = v <= low ? 0 : v >= high ? 255 : (int)((v - low) * scale + 0.5);
            output[i] = (byte)(invert ? 255 - g : g);
        }
    }

    /// <summary>The 0.5% and 99.5% points of the values (a 4096-bin histogram between min and max).</summary>
    internal static (double Low, double High) Percentiles(double[] values, double min, double max)
    {
        if (max <= min)
        {
            return (min, min + 1);
        }

        const int Bins = 4096;
        var hist = new int[Bins];
        var width = (max - min) / (Bins - 1);
        foreach (var v in values)
        {
            hist[(int)((v - min) / width)]++;
        }

        var lowCount = (long)(values.Length * 0.005);
        var highCount = (long)(values.Length * 0.995);
        long acc = 0;
        int lo = 0, hi = Bins - 1;
        var foundLow = false;
        for (var b = 0; b < Bins; b++)
        {
            acc += hist[b];
            if (!foundLow && acc > lowCount)
            {
                lo = b;
                foundLow = true;
            }

            if (acc >= highCount)
            {
                hi = b;
                break;
            }
        }

        var low = min + (lo * width);
        var high = min + ((hi + 1) * width);
        return high > low ? (low, high) : (min, max);
    }

    /// <summary>The stored value of sample <paramref name="sampleIndex"/>: masked to BitsStored, sign-extended when signed.</summary>
    internal static long ReadStored(DecodedFrame frame, int sampleIndex, int stored)
    {
        var data = frame.Data;
        ulong raw = frame.BytesPerSample switch
        {
            1 => data[sampleIndex],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(sampleIndex * 2)),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(sampleIndex * 4)),
        };
        var mask = stored >= 64 ? ulong.MaxValue : (1UL << stored) - 1;
        raw &= mask;
        if (frame.IsSigned && (raw & (1UL << (stored - 1))) != 0)
        {
            return (long)(raw | ~mask);
        }

        return (long)raw;
    }
}
