using System.Buffers.Binary;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>
/// RLE Lossless (PS3.5 Annex G). A frame is a 64-byte header (segment count, then 15 segment offsets) followed by
/// segments; each segment holds one byte plane of one sample (for each sample, most significant byte first), PackBits
/// encoded. 8-, 16- and 32-bit samples, 1 to 15 byte planes.
/// </summary>
internal static class Rle
{
    public const int HeaderSize = 64;

    public const int MaxSegments = 15;
}

/// <summary>Decodes RLE Lossless frames (PS3.5 G.3.2 / G.5).</summary>
internal sealed class RleFrameDecoder : IFrameDecoder
{
    public string Name => "RLE";

    public bool CanDecode(TransferSyntax syntax) => syntax == TransferSyntax.RLELossless;

    public DecodedFrame Decode(PixelData pixels, TransferSyntax syntax, int index)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.BitsAllocated is not (8 or 16 or 32))
        {
            throw new PixelCodecException($"Frame {index}: RLE with BitsAllocated {pixels.BitsAllocated} is not supported.") { IsUnsupported = true };
        }

        var bytesPerSample = pixels.BitsAllocated / 8;
        var size = FrameReader.CheckShape(pixels, index, bytesPerSample);
        var encoded = FrameReader.Read(pixels, index);
        var data = new byte[size];
        DecodeFrame(encoded, data, pixels.Rows * pixels.Columns, pixels.SamplesPerPixel, bytesPerSample, index);
        return new DecodedFrame(pixels.Rows, pixels.Columns, pixels.SamplesPerPixel, pixels.BitsAllocated, pixels.BitsStored,
            pixels.IsSigned, pixels.PhotometricInterpretation, data);
    }

    /// <summary>Decodes one RLE frame into interleaved little-endian samples.</summary>
    internal static void DecodeFrame(ReadOnlySpan<byte> encoded, Span<byte> output, int pixelCount, int samples, int bytesPerSample, int index)
    {
        if (encoded.Length < Rle.HeaderSize)
        {
            throw new PixelCodecException($"Frame {index}: the RLE header is truncated.");
        }

        var expectedSegments = samples * bytesPerSample;
        var segments = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        if (segments != expectedSegments || expectedSegments > Rle.MaxSegments)
        {
            throw new PixelCodecException($"Frame {index}: the RLE header lists {segments} segments; {expectedSegments} expected.");
        }

        Span<long> offsets = stackalloc long[Rle.MaxSegments + 1];
        for (var i = 0; i < expectedSegments; i++)
        {
            offsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(encoded[(4 + (4 * i))..]);
            if (offsets[i] < Rle.HeaderSize || offsets[i] > encoded.Length || (i > 0 && offsets[i] < offsets[i - 1]))
            {
                throw new PixelCodecException($"Frame {index}: RLE segment {i} has an invalid offset.");
            }
        }

        offsets[expectedSegments] = encoded.Length;
        var plane = new byte[pixelCount];
        for (var seg = 0; seg < expectedSegments; seg++)
        {
            var source = encoded[(int)offsets[seg]..(int)offsets[seg + 1]];
            var produced = DecodeSegment(source, plane);
            if (produced < pixelCount)
            {
                throw new PixelCodecException($"Frame {index}: RLE segment {seg} decodes to {produced} bytes; {pixelCount} expected.");
            }

            // Segment order: sample by sample, most significant byte first (G.2); output is little endian, interleaved.
            var sample = seg / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - (seg % bytesPerSample);
            var stride = samples * bytesPerSample;
            var start = (sample * bytesPerSample) + byteInSample;
            for (var p = 0; p < pixelCount; p++)
            {
                output[start + (p * stride)] = plane[p];
            }
        }
    }

    /// <summary>PackBits (G.3.2): returns the number of bytes written (at most output.Length; longer runs are cut).</summary>
    internal static int DecodeSegment(ReadOnlySpan<byte> source, Span<byte> output)
    {
        var pos = 0;
        var written = 0;
        while (pos < source.Length && written < output.Length)
        {
            var n = (sbyte)source[pos++];
            if (n >= 0)
            {
                var count = n + 1;
                if (pos + count > source.Length)
                {
                    count = source.Length - pos;
                }

                count = Math.Min(count, output.Length - written);
                source.Slice(pos, count).CopyTo(output[written..]);
                pos += n + 1;
                written += count;
            }
            else if (n != -128)
            {
                if (pos >= source.Length)
                {
                    break;
                }

                var count = Math.Min(1 - n, output.Length - written);
                output.Slice(written, count).Fill(source[pos++]);
                written += count;
            }
        }

        return written;
    }
}

/// <summary>Encodes frames as RLE Lossless (PS3.5 G.3.1: each row of each byte plane encoded separately).</summary>
internal sealed class RleFrameEncoder : IFrameEncoder
{
    public string Name => "RLE";

    public TransferSyntax Syntax => TransferSyntax.RLELossless;

    public bool IsLossless => true;

    public bool CanEncode(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.SamplesPerPixel * frame.BytesPerSample <= Rle.MaxSegments;
    }

    public byte[] Encode(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!CanEncode(frame))
        {
            throw new PixelCodecException("RLE holds at most 15 byte planes per frame.") { IsUnsupported = true };
        }

        var b = frame.BytesPerSample;
        var samples = frame.SamplesPerPixel;
        var segments = samples * b;
        var rows = frame.Rows;
        var columns = frame.Columns;
        var stride = samples * b;

        // Worst case per row: one header byte per 128 literal bytes.
        using var output = new MemoryStream(Rle.HeaderSize + (segments * rows * (columns + (columns / 128) + 2)));
        output.Write(new byte[Rle.HeaderSize]);
        var header = new byte[Rle.HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)segments);
        var row = new byte[columns];
        var scratch = new byte[columns + (columns / 128) + 2];
        for (var seg = 0; seg < segments; seg++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4 + (4 * seg)), checked((uint)output.Position));
            var sample = seg / b;
            var byteInSample = b - 1 - (seg % b);
            var offset = (sample * b) + byteInSample;
            for (var r = 0; r < rows; r++)
            {
                var rowStart = (long)r * columns * stride;
                for (var c = 0; c < columns; c++)
                {
                    row[c] = frame.Data[rowStart + offset + ((long)c * stride)];
                }

                var n = EncodeRow(row, scratch);
                output.Write(scratch, 0, n);
            }

            if ((output.Length & 1) != 0)
            {
                output.WriteByte(0);
            }
        }

        var result = output.ToArray();
        header.CopyTo(result, 0);
        return result;
    }

    /// <summary>PackBits one row: replicate runs of 3 or more identical bytes, literal runs otherwise (128 at most each).</summary>
    internal static int EncodeRow(ReadOnlySpan<byte> row, Span<byte> output)
    {
        var o = 0;
        var i = 0;
        while (i < row.Length)
        {
            var run = 1;
            while (i + run < row.Length && run < 128 && row[i + run] == row[i])
            {
                run++;
            }

            if (run >= 3)
            {
                output[o++] = (byte)(sbyte)(1 - run);
                output[o++] = row[i];
                i += run;
                continue;
            }

            // Literal: extend until a run of 3 starts or 128 bytes.
            var start = i;
            var len = 0;
            while (i < row.Length && len < 128)
            {
                if (i + 2 < row.Length && row[i] == row[i + 1] && row[i] == row[i + 2])
                {
                    break;
                }

                i++;
                len++;
            }

            output[o++] = (byte)(len - 1);
            row.Slice(start, len).CopyTo(output[o..]);
            o += len;
        }

        return o;
    }
}
