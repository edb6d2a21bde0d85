using System.Buffers.Binary;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>A rendered frame: interleaved samples of 8 or 16 bits, little endian, rows top to bottom.</summary>
internal sealed class RenderedImage
{
    public RenderedImage(int width, int height, int channels, int bitDepth, bool signed, byte[] data)
    {
        Width = width;
        Height = height;
        Channels = channels;
        BitDepth = bitDepth;
        Signed = signed;
        Data = data;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>8 or 16.</summary>
    public int BitDepth { get; }

    /// <summary>True for two's complement samples (raw signed data in TIFF).</summary>
    public bool Signed { get; }

    public byte[] Data { get; }

    public int BytesPerSample => BitDepth / 8;
}

/// <summary>How a frame is rendered: output depth, raw or through the LUTs, and how the window is chosen.</summary>
internal sealed record RenderSettings : ExportWindowSettings
{
    /// <summary>Settings with the default window choice.</summary>
    public RenderSettings()
    {
    }

    /// <summary>Settings with the window choice of <paramref name="window"/> (e.g. the export options).</summary>
    public RenderSettings(ExportWindowSettings window)
        : base(window)
    {
    }

    public int BitDepth { get; init; } = 8;

    public bool Raw { get; init; }

    /// <summary>Raw signed values may be written (two's complement): TIFF yes, PNG no.</summary>
    public bool AllowSigned { get; init; }
}

/// <summary>
/// Renders decoded frames: greyscale through the modality transform (LUT or rescale), the VOI transform (window or
/// VOI LUT) and MONOCHROME1 inversion; colour by palette expansion, YBR_FULL to RGB conversion, or as RGB; or, raw,
/// the stored values (masked to Bits Stored). Frames of at most 16 stored bits go through one table of every stored
/// value, so the per-pixel work is one lookup.
/// </summary>
internal static class FrameRenderer
{
    /// <summary>Renders one frame.</summary>
    /// <exception cref="ExportException">The frame cannot be rendered as asked (unsupported photometric, no header window, raw values that do not fit).</exception>
    public static RenderedImage Render(DecodedFrame frame, PixelModule module, RenderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(settings);
        var photometric = frame.PhotometricInterpretation.Trim().ToUpperInvariant();
        var bitsStored = BitsStored(frame);
        if (settings.Raw)
        {
            return RenderRaw(frame, bitsStored, settings);
        }

        if (frame.SamplesPerPixel == 1 && photometric is "PALETTE COLOR")
        {
            return RenderPalette(frame, bitsStored, module, settings.BitDepth);
        }

        if (frame.SamplesPerPixel == 1 && photometric is "MONOCHROME1" or "MONOCHROME2" or "")
        {
            return RenderGrey(frame, bitsStored, module, settings, photometric == "MONOCHROME1");
        }

        if (frame.SamplesPerPixel == 3 && photometric is "RGB" or "YBR_FULL")
        {
            return RenderColour(frame, bitsStored, photometric == "YBR_FULL", settings.BitDepth);
        }

        throw new ExportException("UnsupportedPixelEncoding",
            $"The photometric interpretation {Describe(photometric)} with {frame.SamplesPerPixel} samples per pixel cannot be rendered.");
    }

    /// <summary>Bits Stored of a frame, within 1..Bits Allocated.</summary>
    public static int BitsStored(DecodedFrame frame) =>
        Math.Clamp(frame.BitsStored <= 0 ? frame.BitsAllocated : frame.BitsStored, 1, frame.BitsAllocated);

    /// <summary>The masked (unsigned) stored code of sample <paramref name="index"/>.</summary>
    public static uint Code(byte[] data, int bytesPerSample, int index, uint mask) => bytesPerSample switch
    {
        1 => data[index] & mask,
        2 => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(index * 2)) & mask,
        _ => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(index * 4)) & mask,
    };

    /// <summary>The value of a masked code: sign-extended when the data is signed.</summary>
    public static long Value(uint code, int bitsStored, bool signed) =>
        signed && bitsStored < 64 && (code & (1UL << (bitsStored - 1))) != 0 ? (long)code - (1L << bitsStored) : code;

    private static string Describe(string photometric) => photometric switch
    {
        "MONOCHROME1" or "MONOCHROME2" or "RGB" or "YBR_FULL" or "YBR_FULL_422" or "YBR_PARTIAL_422" or "YBR_PARTIAL_420" or "YBR_ICT" or "YBR_RCT" or "PALETTE COLOR" or "ARGB" or "CMYK" or "HSV" => photometric,
        "" => "(absent)",
        _ => "(not a defined term)",
    };

    private static RenderedImage RenderRaw(DecodedFrame frame, int bitsStored, RenderSettings settings)
    {
        var bits = settings.BitDepth;
        if (bitsStored > bits)
        {
            throw new ExportException("RawValuesDoNotFit", $"The stored values have {bitsStored} bits; they do not fit {bits}-bit samples (use -BitDepth 16, or -Format Npy).");
        }

        if (frame.IsSigned && !settings.AllowSigned)
        {
            throw new ExportException("RawSignedNotSupported", "The stored values are signed; PNG holds unsigned samples only (use -Format Tiff or Npy for raw signed values).");
        }

        var n = frame.Rows * frame.Columns * frame.SamplesPerPixel;
        var src = frame.Data;
        var inBytes = frame.BytesPerSample;
        var outBytes = bits / 8;
        var mask = bitsStored >= 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        var data = new byte[n * outBytes];
        for (var i = 0; i < n; i++)
        {
            var v = Value(Code(src, inBytes, i, mask), bitsStored, frame.IsSigned);
            if (outBytes == 1)
            {
                data[i] = (byte)v;
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), (ushort)v);
            }
        }

        return new RenderedImage(frame.Columns, frame.Rows, frame.SamplesPerPixel, bits, frame.IsSigned, data);
    }

    private static RenderedImage RenderGrey(DecodedFrame frame, int bitsStored, PixelModule module, RenderSettings settings, bool invert)
    {
        var n = frame.Rows * frame.Columns;
        var outMax = settings.BitDepth == 16 ? 65535.0 : 255.0;
        var outBytes = settings.BitDepth / 8;
        var data = new byte[n * outBytes];
        var src = frame.Data;
        var inBytes = frame.BytesPerSample;
        var mask = bitsStored >= 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        if (bitsStored <= 16)
        {
            // One table over every stored code; statistics from a histogram of the codes.
            var codes = 1 << bitsStored;
            var histogram = new int[codes];
            var frameCodes = new ushort[n];
            for (var i = 0; i < n; i++)
            {
                var c = (ushort)Code(src, inBytes, i, mask);
                frameCodes[i] = c;
                histogram[c]++;
            }

            var modality = new double[codes];
            for (var c = 0; c < codes; c++)
            {
                modality[c] = module.Modality(Value((uint)c, bitsStored, frame.IsSigned));
            }

            var voi = ChooseVoi(module, settings, () => HistogramStatistics(histogram, modality, settings.Percentiles, settings.Window == ExportWindowMode.Percentile));
            var table = new ushort[codes];
            for (var c = 0; c < codes; c++)
            {
                table[c] = Quantize(voi.Apply(modality[c], outMax), outMax, invert);
            }

            if (outBytes == 1)
            {
                for (var i = 0; i < n; i++)
                {
                    data[i] = (byte)table[frameCodes[i]];
                }
            }
            else
            {
                var span = data.AsSpan();
                for (var i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(span[(2 * i)..], table[frameCodes[i]]);
                }
            }
        }
        else
        {
            var values = new double[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = module.Modality(Value(Code(src, inBytes, i, mask), bitsStored, frame.IsSigned));
            }

            var voi = ChooseVoi(module, settings, () => ValueStatistics(values, settings.Percentiles, settings.Window == ExportWindowMode.Percentile));
            for (var i = 0; i < n; i++)
            {
                var q = Quantize(voi.Apply(values[i], outMax), outMax, invert);
                if (outBytes == 1)
                {
                    data[i] = (byte)q;
                }
                else
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), q);
                }
            }
        }

        return new RenderedImage(frame.Columns, frame.Rows, 1, settings.BitDepth, false, data);
    }

    /// <summary>Truncates a display value (dcmtk truncates); MONOCHROME1 is inverted after the VOI transform.</summary>
    private static ushort Quantize(double y, double outMax, bool invert)
    {
        var v = invert ? outMax - y : y;
        return (ushort)Math.Clamp(Math.Floor(v), 0, outMax);
    }

    /// <summary>The VOI transform for the settings: explicit window, header window or VOI LUT, or one computed from the frame.</summary>
    internal static VoiTransform ChooseVoi(PixelModule module, RenderSettings settings, Func<(double Min, double Max, double Low, double High)> statistics)
    {
        var function = settings.Function ?? module.Function;
        if (settings.WindowCenter is { } center && settings.WindowWidth is { } width)
        {
            return VoiTransform.Window(center, width, function);
        }

        if (settings.Window is ExportWindowMode.Auto or ExportWindowMode.Header)
        {
            var index = settings.WindowIndex;
            if (index < module.Windows.Count)
            {
                var w = module.Windows[index];
                if (w.Lut is { } lut)
                {
                    return VoiTransform.Table(lut);
                }

                if (w.Width >= 1 || (w.Width > 0 && function != VoiLutFunction.Linear))
                {
                    return VoiTransform.Window(w.Center, w.Width, function);
                }
            }

            if (settings.Window == ExportWindowMode.Header)
            {
                throw new ExportException("NoHeaderWindow", module.Windows.Count == 0
                    ? "The file has no window (Window Center/Width or VOI LUT Sequence); use -Window Auto, MinMax or Percentile."
                    : $"The file has no usable window at -WindowIndex {index} ({module.Windows.Count} present).");
            }
        }

        var stats = statistics();
        return settings.Window == ExportWindowMode.Percentile
            ? VoiTransform.Range(stats.Low, stats.High, function)
            : VoiTransform.Range(stats.Min, stats.Max, function);
    }

    private static (double, double, double, double) HistogramStatistics(int[] histogram, double[] modality, (double Low, double High) percentiles, bool wantPercentiles)
    {
        double min = double.MaxValue, max = double.MinValue;
        long total = 0;
        for (var c = 0; c < histogram.Length; c++)
        {
            if (histogram[c] > 0)
            {
                min = Math.Min(min, modality[c]);
                max = Math.Max(max, modality[c]);
                total += histogram[c];
            }
        }

        if (!wantPercentiles || total == 0)
        {
            return (min, max, min, max);
        }

        // Present codes ordered by modality value (the modality LUT need not be monotonic).
        var present = new List<(double Value, int Count)>();
        for (var c = 0; c < histogram.Length; c++)
        {
            if (histogram[c] > 0)
            {
                present.Add((modality[c], histogram[c]));
            }
        }

        present.Sort((a, b) => a.Value.CompareTo(b.Value));
        return (min, max, Percentile(present, total, percentiles.Low), Percentile(present, total, percentiles.High));
    }

    private static double Percentile(List<(double Value, int Count)> sorted, long total, double percent)
    {
        // The smallest value with at least percent% of the samples at or below it.
        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * total));
        long acc = 0;
        foreach (var (value, count) in sorted)
        {
            acc += count;
            if (acc >= rank)
            {
                return value;
            }
        }

        return sorted[^1].Value;
    }

    private static (double, double, double, double) ValueStatistics(double[] values, (double Low, double High) percentiles, bool wantPercentiles)
    {
        double min = double.MaxValue, max = double.MinValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (!wantPercentiles)
        {
            return (min, max, min, max);
        }

        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        double At(double p) => sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return (min, max, At(percentiles.Low), At(percentiles.High));
    }

    private static RenderedImage RenderPalette(DecodedFrame frame, int bitsStored, PixelModule module, int bitDepth)
    {
        if (module.Palette is not { } palette)
        {
            throw new ExportException("UnsupportedPixelEncoding", module.HasSegmentedPalette
                ? "Segmented palette color lookup tables are not supported."
                : "The PALETTE COLOR image has no usable palette color lookup tables.");
        }

        var n = frame.Rows * frame.Columns;
        var outBytes = bitDepth / 8;
        var data = new byte[n * 3 * outBytes];
        var mask = bitsStored >= 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        var scaled = new ushort[3][];
        for (var ch = 0; ch < 3; ch++)
        {
            var lut = palette[ch];
            scaled[ch] = new ushort[lut.Entries.Length];
            for (var e = 0; e < lut.Entries.Length; e++)
            {
                scaled[ch][e] = ScaleSample(lut.Entries[e], lut.BitsPerEntry, bitDepth);
            }
        }

        for (var i = 0; i < n; i++)
        {
            var index = Value(Code(frame.Data, frame.BytesPerSample, i, mask), bitsStored, frame.IsSigned);
            for (var ch = 0; ch < 3; ch++)
            {
                var lut = palette[ch];
                var k = Math.Clamp(index - lut.FirstMapped, 0, lut.Entries.Length - 1);
                Put(data, (i * 3) + ch, outBytes, scaled[ch][k]);
            }
        }

        return new RenderedImage(frame.Columns, frame.Rows, 3, bitDepth, false, data);
    }

    private static RenderedImage RenderColour(DecodedFrame frame, int bitsStored, bool ybr, int bitDepth)
    {
        var rgb = RgbSamples(frame, bitsStored, ybr);
        var outBytes = bitDepth / 8;
        var data = new byte[rgb.Length * outBytes];
        for (var i = 0; i < rgb.Length; i++)
        {
            Put(data, i, outBytes, ScaleSample(rgb[i], bitsStored, bitDepth));
        }

        return new RenderedImage(frame.Columns, frame.Rows, 3, bitDepth, false, data);
    }

    /// <summary>The R, G, B samples of an RGB or YBR_FULL frame at their stored depth (masked; YBR_FULL converted, PS3.3 C.7.6.3.1.2).</summary>
    internal static uint[] RgbSamples(DecodedFrame frame, int bitsStored, bool ybr)
    {
        var n = frame.Rows * frame.Columns * 3;
        var result = new uint[n];
        var src = frame.Data;
        var inBytes = frame.BytesPerSample;
        var mask = bitsStored >= 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        if (!ybr)
        {
            for (var i = 0; i < n; i++)
            {
                result[i] = Code(src, inBytes, i, mask);
            }

            return result;
        }

        var max = (double)mask;
        var mid = bitsStored >= 32 ? 2147483648.0 : 1L << (bitsStored - 1);
        for (var i = 0; i < n; i += 3)
        {
            double y = Code(src, inBytes, i, mask);
            var cb = Code(src, inBytes, i + 1, mask) - mid;
            var cr = Code(src, inBytes, i + 2, mask) - mid;
            result[i] = (uint)Math.Clamp(Math.Round(y + (1.402 * cr)), 0, max);
            result[i + 1] = (uint)Math.Clamp(Math.Round(y - (0.344136 * cb) - (0.714136 * cr)), 0, max);
            result[i + 2] = (uint)Math.Clamp(Math.Round(y + (1.772 * cb)), 0, max);
        }

        return result;
    }

    /// <summary>A sample of <paramref name="fromBits"/> bits as one of <paramref name="toBits"/>: high bits kept when narrowing, full range stretched when widening.</summary>
    internal static ushort ScaleSample(uint value, int fromBits, int toBits)
    {
        if (fromBits == toBits)
        {
            return (ushort)value;
        }

        if (fromBits > toBits)
        {
            return (ushort)(value >> (fromBits - toBits));
        }

        var fromMax = (1L << fromBits) - 1;
        var toMax = (1L << toBits) - 1;
        return (ushort)(((value * toMax) + (fromMax / 2)) / fromMax);
    }

    private static void Put(byte[] data, int sampleIndex, int bytes, ushort value)
    {
        if (bytes == 1)
        {
            data[sampleIndex] = (byte)value;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * sampleIndex), value);
        }
    }
}
