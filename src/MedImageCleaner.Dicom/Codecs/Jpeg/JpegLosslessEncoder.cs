namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <summary>
/// Encodes frames as JPEG Lossless, Non-Hierarchical, First-Order Prediction (1.2.840.10008.1.2.4.70): process 14,
/// selection value 1, no point transform, one interleaved scan, a Huffman table optimised for the frame (T.81 Annex
/// K.2). Grey (1 sample) and colour (3 samples, e.g. RGB) frames of 8 or 16 bits; every stored bit is kept, so decoding
/// gives back the frame's words exactly.
/// </summary>
internal sealed class JpegLosslessEncoder : IFrameEncoder
{
    public string Name => "JPEG Lossless SV1";

    public TransferSyntax Syntax => TransferSyntax.JpegLosslessSV1;

    public bool IsLossless => true;

    /// <summary>Restart interval in MCUs (0 = none); for tests of the decoder's restart handling.</summary>
    internal int RestartInterval { get; init; }

    public bool CanEncode(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.SamplesPerPixel is 1 or 3 && frame.BitsAllocated is 8 or 16 && frame.Rows <= 65535 && frame.Columns <= 65535;
    }

    public byte[] Encode(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!CanEncode(frame))
        {
            throw new PixelCodecException("JPEG Lossless encodes 1- or 3-sample frames of 8 or 16 bits.") { IsUnsupported = true };
        }

        if (RestartInterval < 0 || (RestartInterval > 0 && RestartInterval % frame.Columns != 0))
        {
            throw new PixelCodecException("A lossless JPEG restart interval must be a whole number of lines.");
        }

        var n = frame.SamplesPerPixel;
        var width = frame.Columns;
        var height = frame.Rows;
        var count = width * height * n;
        var samples = new int[count];
        var d = frame.Data;
        var maxValue = 0;
        for (var i = 0; i < count; i++)
        {
            var v = frame.BitsAllocated == 8 ? d[i] : d[2 * i] | (d[(2 * i) + 1] << 8);
            samples[i] = v;
            maxValue |= v;
        }

        // Precision: the stored bits when every word fits in them, else the whole word (sign-extended data, overlays).
        var precision = frame.BitsAllocated;
        if (frame.BitsStored is >= 2 and < 16 && frame.BitsStored <= frame.BitsAllocated && maxValue >> frame.BitsStored == 0)
        {
            precision = frame.BitsStored;
        }

        // Differences (SV1: Ra; first column: Rb; first line: Ra; first sample of each interval: 2^(P-1)).
        var diffs = new int[count];
        var freq = new long[257];
        var initial = 1 << (precision - 1);
        var mcu = 0;
        var firstSample = true;
        var firstLine = true;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (RestartInterval > 0 && mcu > 0 && mcu % RestartInterval == 0)
                {
                    firstSample = true;
                    firstLine = true;
                }
                else if (x == 0 && !firstSample)
                {
                    firstLine = false;
                }

                for (var c = 0; c < n; c++)
                {
                    var i = (((y * width) + x) * n) + c;
                    int px = firstSample ? initial
                        : firstLine ? samples[i - n]
                        : x == 0 ? samples[i - (width * n)]
                        : samples[i - n];
                    var diff = (samples[i] - px) & 0xFFFF;
                    if (diff >= 0x8000)
                    {
                        diff -= 0x10000;
                    }

                    diffs[i] = diff;
                    freq[Category(diff)]++;
                }

                firstSample = false;
                mcu++;
            }
        }

        var (bits, values) = JpegHuffmanBuilder.Build(freq);
        var codes = JpegHuffmanBuilder.Codes(bits, values, out var lengths);

        var w = new JpegBitWriter(count + 1024);
        w.Marker(0xD8);
        w.Marker(0xC3);
        w.Word(8 + (3 * n));
        w.Byte(precision);
        w.Word(height);
        w.Word(width);
        w.Byte(n);
        for (var c = 0; c < n; c++)
        {
            w.Byte(n == 3 ? "RGB"[c] : c + 1);
            w.Byte(0x11);
            w.Byte(0);
        }

        w.Marker(0xC4);
        w.Word(2 + 1 + 16 + values.Length);
        w.Byte(0x00);
        for (var l = 1; l <= 16; l++)
        {
            w.Byte(bits[l]);
        }

        foreach (var v in values)
        {
            w.Byte(v);
        }

        if (RestartInterval > 0)
        {
            w.Marker(0xDD);
            w.Word(4);
            w.Word(RestartInterval);
        }

        w.Marker(0xDA);
        w.Word(6 + (2 * n));
        w.Byte(n);
        for (var c = 0; c < n; c++)
        {
            w.Byte(n == 3 ? "RGB"[c] : c + 1);
            w.Byte(0x00);
        }

        w.Byte(1);
        w.Byte(0);
        w.Byte(0);

        var pixelsPerFrame = width * height;
        var rst = 0;
        for (var p = 0; p < pixelsPerFrame; p++)
        {
            if (RestartInterval > 0 && p > 0 && p % RestartInterval == 0)
            {
                w.FlushBits();
                w.Marker(0xD0 + rst);
                rst = (rst + 1) & 7;
            }

            for (var c = 0; c < n; c++)
            {
                var diff = diffs[(p * n) + c];
                var s = Category(diff);
                w.Bits(codes[s], lengths[s]);
                if (s is > 0 and < 16)
                {
                    w.Bits((diff < 0 ? diff - 1 : diff) & ((1 << s) - 1), s);
                }
            }
        }

        w.FlushBits();
        w.Marker(0xD9);
        return w.ToArray(padEven: true);
    }

    /// <summary>SSSS: the bit length of |diff| (16 for 32768).</summary>
    private static int Category(int diff)
    {
        var a = diff < 0 ? -diff : diff;
        return a == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)a);
    }
}

/// <summary>Builds a length-limited Huffman code from symbol frequencies, following T.81 Annex K.2 (Figures K.1-K.4).</summary>
internal static class JpegHuffmanBuilder
{
    /// <param name="frequencies">257 counts; index 256 is the reserved symbol that keeps the all-ones code unused.</param>
    /// <returns>BITS (index 1..16) and HUFFVAL.</returns>
    public static (int[] Bits, byte[] Values) Build(long[] frequencies)
    {
        var freq = (long[])frequencies.Clone();
        freq[256] = 1;
        var codeSize = new int[257];
        var others = new int[257];
        Array.Fill(others, -1);
        while (true)
        {
            var v1 = -1;
            var v2 = -1;
            for (var i = 0; i < 257; i++)
            {
                if (freq[i] == 0)
                {
                    continue;
                }

                if (v1 < 0 || freq[i] <= freq[v1])
                {
                    v2 = v1;
                    v1 = i;
                }
                else if (v2 < 0 || freq[i] <= freq[v2])
                {
                    v2 = i;
                }
            }

            if (v2 < 0)
            {
                break;
            }

            freq[v1] += freq[v2];
            freq[v2] = 0;
            codeSize[v1]++;
            while (others[v1] >= 0)
            {
                v1 = others[v1];
                codeSize[v1]++;
            }

            others[v1] = v2;
            codeSize[v2]++;
            while (others[v2] >= 0)
            {
                v2 = others[v2];
                codeSize[v2]++;
            }
        }

        var bits = new int[33];
        for (var i = 0; i < 257; i++)
        {
            if (codeSize[i] > 0)
            {
                bits[codeSize[i]]++;
            }
        }

        // K.3: limit code lengths to 16.
        for (var i = 32; i > 16; i--)
        {
            while (bits[i] > 0)
            {
                var j = i - 2;
                while (bits[j] == 0)
                {
                    j--;
                }

                bits[i] -= 2;
                bits[i - 1]++;
                bits[j + 1] += 2;
                bits[j]--;
            }
        }

        // Remove the reserved code (the longest).
        var last = 16;
        while (bits[last] == 0)
        {
            last--;
        }

        bits[last]--;

        // K.4: symbols by increasing code size (the reserved symbol 256 was the longest and is dropped).
        var values = new List<byte>();
        for (var size = 1; size <= 32; size++)
        {
            for (var s = 0; s < 256; s++)
            {
                if (codeSize[s] == size)
                {
                    values.Add((byte)s);
                }
            }
        }

        var result = new int[17];
        Array.Copy(bits, result, 17);
        return (result, values.ToArray());
    }

    /// <summary>The code of each symbol (T.81 C.2) and its length.</summary>
    public static int[] Codes(int[] bits, byte[] values, out int[] lengths)
    {
        var codes = new int[256];
        lengths = new int[256];
        var code = 0;
        var k = 0;
        for (var len = 1; len <= 16; len++)
        {
            for (var i = 0; i < bits[len]; i++)
            {
                codes[values[k]] = code;
                lengths[values[k]] = len;
                code++;
                k++;
            }

            code <<= 1;
        }

        return codes;
    }
}

/// <summary>Writes marker segments and entropy-coded bits (0xFF stuffed with 0x00, final byte padded with ones).</summary>
internal sealed class JpegBitWriter(int capacity)
{
    private byte[] _buffer = new byte[Math.Max(capacity, 64)];
    private int _length;
    private ulong _acc;
    private int _bits;

    public void Byte(int b)
    {
        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        _buffer[_length++] = (byte)b;
    }

    public void Word(int w)
    {
        Byte(w >> 8);
        Byte(w);
    }

    public void Marker(int code)
    {
        Byte(0xFF);
        Byte(code);
    }

    public void Bits(int value, int count)
    {
        _acc = (_acc << count) | (uint)(value & ((1 << count) - 1));
        _bits += count;
        while (_bits >= 8)
        {
            var b = (byte)(_acc >> (_bits - 8));
            Byte(b);
            if (b == 0xFF)
            {
                Byte(0);
            }

            _bits -= 8;
        }
    }

    public void FlushBits()
    {
        if (_bits > 0)
        {
            Bits(0x7F, 8 - _bits);
        }

        _acc = 0;
    }

    public byte[] ToArray(bool padEven)
    {
        if (padEven && (_length & 1) == 1)
        {
            Byte(0);
        }

        return _buffer.AsSpan(0, _length).ToArray();
    }
}
