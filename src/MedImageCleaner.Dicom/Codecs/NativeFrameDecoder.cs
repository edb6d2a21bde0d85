using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>
/// Frames of uncompressed pixel data (every non-encapsulated syntax, and Encapsulated Uncompressed): bits unpacked
/// (BitsAllocated 1 becomes 8), planar configuration 1 interleaved, samples little endian, native YBR_FULL_422 expanded
/// to YBR_FULL (PS3.3 C.7.6.3.1.2), stored values kept as they are (no masking to BitsStored, no sign extension),
/// palette indices kept as indices.
/// </summary>
internal sealed class NativeFrameDecoder : IFrameDecoder
{
    public string Name => "Native";

    public bool CanDecode(TransferSyntax syntax) => !syntax.IsEncapsulated || syntax == TransferSyntax.EncapsulatedUncompressed;

    public DecodedFrame Decode(PixelData pixels, TransferSyntax syntax, int index)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(syntax);
        if (pixels.BitsAllocated is not (1 or 8 or 16 or 32))
        {
            throw new PixelCodecException($"BitsAllocated {pixels.BitsAllocated} is not supported.") { IsUnsupported = true };
        }

        var bits = pixels.BitsAllocated == 1 ? 8 : pixels.BitsAllocated;
        var bytesPerSample = bits / 8;
        var samples = pixels.SamplesPerPixel;
        var expected = FrameReader.CheckShape(pixels, index, bytesPerSample);
        var subsampled = pixels.IsNativeSubsampled422 || (syntax == TransferSyntax.EncapsulatedUncompressed && samples == 3 && pixels.PhotometricInterpretation == "YBR_FULL_422");
        if (subsampled && (pixels.Columns & 1) != 0)
        {
            throw new PixelCodecException($"Frame {index}: YBR_FULL_422 needs an even number of columns.");
        }

        var raw = FrameReader.Read(pixels, index);
        if (pixels.BitsAllocated == 1 && pixels.IsEncapsulated)
        {
            raw = Unpack(raw, (long)pixels.Rows * pixels.Columns * samples);
        }

        var stored = subsampled ? expected / 3 * 2 : expected;
        if (raw.LongLength < stored)
        {
            throw new PixelCodecException($"Frame {index} holds {raw.LongLength} bytes; {stored} expected.");
        }

        if (syntax.IsBigEndian && bytesPerSample > 1 && pixels.VR.UnitSize != bytesPerSample)
        {
            // The reader swapped the value per unit of its VR (OW: 16-bit words); samples of another size were stored
            // big endian as whole samples (e.g. 32-bit samples in OW), so put the file order back and swap per sample.
            raw = raw.Length == stored ? raw : raw.AsSpan(0, stored).ToArray();
            Dicom.IO.ValueSource.Swap(raw, pixels.VR.UnitSize);
            Dicom.IO.ValueSource.Swap(raw, bytesPerSample);
        }

        string photometric = pixels.PhotometricInterpretation;
        byte[] data;
        if (subsampled)
        {
            data = Expand422(raw, pixels.Rows * pixels.Columns, bytesPerSample);
            photometric = "YBR_FULL";
        }
        else
        {
            data = raw.LongLength == expected ? raw : raw.AsSpan(0, expected).ToArray();
            if (samples > 1 && pixels.PlanarConfiguration == 1)
            {
                data = Interleave(data, pixels.Rows * pixels.Columns, samples, bytesPerSample);
            }
        }

        return new DecodedFrame(pixels.Rows, pixels.Columns, samples, bits, pixels.BitsAllocated == 1 ? 1 : pixels.BitsStored,
            pixels.IsSigned, photometric, data);
    }

    /// <summary>Planes (RRR..GGG..BBB..) to pixels (RGBRGB...).</summary>
    internal static byte[] Interleave(byte[] planar, int pixelCount, int samples, int bytesPerSample)
    {
        var result = new byte[(long)pixelCount * samples * bytesPerSample];
        var plane = pixelCount * bytesPerSample;
        for (var s = 0; s < samples; s++)
        {
            var src = planar.AsSpan(s * plane, plane);
            for (var p = 0; p < pixelCount; p++)
            {
                src.Slice(p * bytesPerSample, bytesPerSample).CopyTo(result.AsSpan(((p * samples) + s) * bytesPerSample));
            }
        }

        return result;
    }

    /// <summary>Y1 Y2 Cb Cr per pixel pair to Y1 Cb Cr Y2 Cb Cr (the chroma of a pair shared by both pixels).</summary>
    internal static byte[] Expand422(byte[] stored, int pixelCount, int bytesPerSample)
    {
        var b = bytesPerSample;
        var result = new byte[(long)pixelCount * 3 * b];
        var src = stored.AsSpan();
        var dst = result.AsSpan();
        for (var pair = 0; pair < pixelCount / 2; pair++)
        {
            var s = src.Slice(pair * 4 * b, 4 * b);
            var d = dst.Slice(pair * 6 * b, 6 * b);
            s[..b].CopyTo(d);                       // Y1
            s.Slice(2 * b, 2 * b).CopyTo(d[b..]);   // Cb Cr
            s.Slice(b, b).CopyTo(d[(3 * b)..]);     // Y2
            s.Slice(2 * b, 2 * b).CopyTo(d[(4 * b)..]);
        }

        return result;
    }

    /// <summary>Bits (least significant first, PS3.5 8.1.1) to one byte per pixel.</summary>
    private static byte[] Unpack(byte[] packed, long pixels)
    {
        if ((pixels + 7) / 8 > packed.LongLength)
        {
            return packed;
        }

        var result = new byte[pixels];
        for (long i = 0; i < pixels; i++)
        {
            result[i] = (byte)((packed[i >> 3] >> (int)(i & 7)) & 1);
        }

        return result;
    }
}
