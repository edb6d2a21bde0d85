using System.Buffers.Binary;
using System.Numerics;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>
/// JPEG-LS lossless and near-lossless frames (1.2.840.10008.1.2.4.80/.81), decoded by <see cref="JpegLsDecoder"/>.
/// </summary>
internal sealed class JpegLsFrameDecoder : IFrameDecoder
{
    public string Name => "JPEG-LS";

    public bool CanDecode(TransferSyntax syntax) => syntax == TransferSyntax.JpegLSLossless || syntax == TransferSyntax.JpegLSNearLossless;

    public DecodedFrame Decode(PixelData pixels, TransferSyntax syntax, int index)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.BitsAllocated is not (8 or 16))
        {
            throw new PixelCodecException($"Frame {index}: JPEG-LS with BitsAllocated {pixels.BitsAllocated} is not supported.") { IsUnsupported = true };
        }

        var bytesPerSample = pixels.BitsAllocated / 8;
        var size = FrameReader.CheckShape(pixels, index, bytesPerSample);
        var encoded = FrameReader.Read(pixels, index);
        var data = new byte[size];
        JpegLsDecoder.Decode(encoded, pixels.Rows, pixels.Columns, pixels.SamplesPerPixel, bytesPerSample, data, index);
        return new DecodedFrame(pixels.Rows, pixels.Columns, pixels.SamplesPerPixel, pixels.BitsAllocated, pixels.BitsStored,
            pixels.IsSigned, pixels.PhotometricInterpretation, data);
    }
}

/// <summary>
/// A JPEG-LS decoder written from ITU-T T.87 | ISO/IEC 14495-1: marker segments (SOF55, LSE preset parameters, DRI,
/// SOS), context modelling with the gradient quantisation, regular mode (prediction, bias correction, limited-length
/// Golomb codes), run mode with run interruption samples, near-lossless reconstruction (NEAR > 0, modulo reduction),
/// interleave modes none / line / sample, 2 to 16 bits per sample. Not supported (refused as unsupported, never
/// guessed): restart intervals that actually split a scan, mapping tables (palettised JPEG-LS), point transform,
/// colour transforms (HP APP8), subsampled components.
/// </summary>
internal static class JpegLsDecoder
{
    /// <summary>Decodes a codestream into interleaved little-endian samples.</summary>
    public static void Decode(byte[] data, int rows, int columns, int samples, int bytesPerSample, byte[] output, int index)
    {
        var frame = new FrameState();
        var pos = 0;
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw Damaged(index, "the codestream does not start with SOI");
        }

        pos = 2;
        var sink = new Output(output, samples, bytesPerSample);
        var started = false;
        var done = false;
        while (!done)
        {
            var marker = NextMarker(data, ref pos, index);
            switch (marker)
            {
                case 0xF7: // SOF55: JPEG-LS frame header
                    {
                        var seg = Segment(data, ref pos, index);
                        if (seg.Length < 6)
                        {
                            throw Damaged(index, "the frame header is truncated");
                        }

                        frame.Precision = seg[0];
                        frame.Height = BinaryPrimitives.ReadUInt16BigEndian(seg[1..]);
                        frame.Width = BinaryPrimitives.ReadUInt16BigEndian(seg[3..]);
                        var nf = seg[5];
                        if (frame.Precision is < 2 or > 16)
                        {
                            throw Damaged(index, "the sample precision is outside 2..16");
                        }

                        if (frame.Height == 0)
                        {
                            throw Unsupported(index, "the number of lines is defined later (DNL)");
                        }

                        if (nf < 1 || seg.Length < 6 + (3 * nf))
                        {
                            throw Damaged(index, "the frame header lists no or truncated components");
                        }

                        if (frame.Width != columns || frame.Height != rows || nf != samples)
                        {
                            throw Damaged(index, "the codestream's size or component count differs from the dataset");
                        }

                        if (frame.Precision > bytesPerSample * 8)
                        {
                            throw Damaged(index, "the sample precision exceeds BitsAllocated");
                        }

                        frame.ComponentIds = new int[nf];
                        for (var c = 0; c < nf; c++)
                        {
                            frame.ComponentIds[c] = seg[6 + (3 * c)];
                            if (seg[7 + (3 * c)] != 0x11)
                            {
                                throw Unsupported(index, "subsampled components");
                            }
                        }

                        frame.Decoded = new bool[nf];
                        started = true;
                        break;
                    }

                case 0xF8: // LSE: preset parameters
                    ReadPreset(Segment(data, ref pos, index), frame, index);
                    break;
                case 0xDD: // DRI
                    {
                        var seg = Segment(data, ref pos, index);
                        frame.RestartInterval = seg.Length switch
                        {
                            2 => BinaryPrimitives.ReadUInt16BigEndian(seg),
                            3 => (seg[0] << 16) | (seg[1] << 8) | seg[2],
                            4 => (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(seg)),
                            _ => throw Damaged(index, "the DRI segment has an invalid length"),
                        };
                        break;
                    }

                case 0xDA: // SOS
                    {
                        if (!started)
                        {
                            throw Damaged(index, "a scan comes before the frame header");
                        }

                        var seg = Segment(data, ref pos, index);
                        DecodeScan(data, ref pos, seg, frame, sink, index);
                        break;
                    }

                case 0xD9: // EOI
                    done = true;
                    break;
                case 0xD8:
                    throw Damaged(index, "a second SOI");
                case >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC:
                    throw Unsupported(index, "the codestream is not JPEG-LS (another JPEG process)");
                case 0xE8:
                    {
                        var seg = Segment(data, ref pos, index);
                        if (seg.Length >= 5 && seg[0] == (byte)'m' && seg[1] == (byte)'r' && seg[2] == (byte)'f' && seg[3] == (byte)'x' && seg[4] != 0)
                        {
                            throw Unsupported(index, "a colour transform (HP APP8)");
                        }

                        break;
                    }

                default:
                    if (marker is >= 0xD0 and <= 0xD7)
                    {
                        throw Damaged(index, "a restart marker outside a scan");
                    }

                    Segment(data, ref pos, index); // APPn, COM and other segments with a length
                    break;
            }

            if (pos >= data.Length && !done)
            {
                // Some encoders omit EOI; accept when every component was decoded.
                done = true;
            }
        }

        if (frame.Decoded is null || Array.IndexOf(frame.Decoded, false) >= 0)
        {
            throw Damaged(index, "the codestream ends before every component was decoded");
        }
    }

    /// <summary>Where decoded lines go: interleaved little-endian samples of the frame.</summary>
    private sealed class Output(byte[] data, int samples, int bytesPerSample)
    {
        public void WriteLine(int[] line, int y, int width, int component)
        {
            var at = (((long)y * width * samples) + component) * bytesPerSample;
            var step = samples * bytesPerSample;
            if (bytesPerSample == 1)
            {
                for (var x = 0; x < width; x++, at += step)
                {
                    data[at] = (byte)line[x + 1];
                }
            }
            else
            {
                for (var x = 0; x < width; x++, at += step)
                {
                    data[at] = (byte)line[x + 1];
                    data[at + 1] = (byte)(line[x + 1] >> 8);
                }
            }
        }
    }

    private static void ReadPreset(ReadOnlySpan<byte> seg, FrameState frame, int index)
    {
        if (seg.Length < 1)
        {
            throw Damaged(index, "an empty LSE segment");
        }

        switch (seg[0])
        {
            case 1:
                if (seg.Length < 11)
                {
                    throw Damaged(index, "the preset coding parameters are truncated");
                }

                frame.PresetMaxVal = BinaryPrimitives.ReadUInt16BigEndian(seg[1..]);
                frame.PresetT1 = BinaryPrimitives.ReadUInt16BigEndian(seg[3..]);
                frame.PresetT2 = BinaryPrimitives.ReadUInt16BigEndian(seg[5..]);
                frame.PresetT3 = BinaryPrimitives.ReadUInt16BigEndian(seg[7..]);
                frame.PresetReset = BinaryPrimitives.ReadUInt16BigEndian(seg[9..]);
                break;
            case 2:
            case 3:
                // Mapping table (or its continuation): only used by scans with Tm != 0, which are refused.
                break;
            default:
                throw Unsupported(index, "an LSE segment other than preset parameters or mapping tables");
        }
    }

    private static void DecodeScan(byte[] data, ref int pos, ReadOnlySpan<byte> seg, FrameState frame, Output output, int index)
    {
        if (seg.Length < 1)
        {
            throw Damaged(index, "the scan header is truncated");
        }

        var ns = seg[0];
        if (ns < 1 || seg.Length < 1 + (2 * ns) + 3)
        {
            throw Damaged(index, "the scan header is truncated");
        }

        var comps = new int[ns];
        for (var i = 0; i < ns; i++)
        {
            var id = seg[1 + (2 * i)];
            var c = Array.IndexOf(frame.ComponentIds!, id);
            if (c < 0 || frame.Decoded![c] || Array.IndexOf(comps, c, 0, i) >= 0)
            {
                throw Damaged(index, "the scan names an unknown or repeated component");
            }

            if (seg[2 + (2 * i)] != 0)
            {
                throw Unsupported(index, "mapping tables (palettised JPEG-LS)");
            }

            comps[i] = c;
        }

        var near = seg[1 + (2 * ns)];
        var ilv = seg[2 + (2 * ns)];
        var pt = seg[3 + (2 * ns)] & 0x0F;
        if (pt != 0)
        {
            throw Unsupported(index, "a point transform");
        }

        if (ilv > 2 || (ilv == 0 && ns != 1))
        {
            throw Damaged(index, "an invalid interleave mode");
        }

        var p = ScanParameters(frame, near, index);
        var scanStart = pos;
        var scanEnd = FindScanEnd(data, scanStart);
        if (frame.RestartInterval > 0 && scanEnd + 1 < data.Length && data[scanEnd + 1] is >= 0xD0 and <= 0xD7)
        {
            throw Unsupported(index, "restart intervals inside a scan");
        }

        var reader = new BitReader(data, scanStart, scanEnd, index);
        var scan = new ScanDecoder(p, reader, frame.Width, frame.Height, ns, index);
        scan.Run(output, comps, ilv);
        foreach (var c in comps)
        {
            frame.Decoded![c] = true;
        }

        pos = scanEnd;
    }

    /// <summary>The first marker (0xFF followed by a byte with its top bit set) at or after <paramref name="start"/>.</summary>
    private static int FindScanEnd(byte[] data, int start)
    {
        for (var i = start; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] >= 0x80)
            {
                return i;
            }
        }

        return data.Length;
    }

    private static int NextMarker(byte[] data, ref int pos, int index)
    {
        if (pos >= data.Length || data[pos] != 0xFF)
        {
            throw Damaged(index, "a marker was expected");
        }

        while (pos < data.Length && data[pos] == 0xFF)
        {
            pos++; // fill bytes
        }

        if (pos >= data.Length)
        {
            throw Damaged(index, "the codestream ends inside a marker");
        }

        return data[pos++];
    }

    private static ReadOnlySpan<byte> Segment(byte[] data, ref int pos, int index)
    {
        if (pos + 2 > data.Length)
        {
            throw Damaged(index, "a marker segment is truncated");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(pos));
        if (length < 2 || pos + length > data.Length)
        {
            throw Damaged(index, "a marker segment has an invalid length");
        }

        var seg = data.AsSpan(pos + 2, length - 2);
        pos += length;
        return seg;
    }

    internal static PixelCodecException Damaged(int index, string what) => new($"Frame {index}: damaged JPEG-LS codestream: {what}.");

    internal static PixelCodecException Unsupported(int index, string what) =>
        new($"Frame {index}: JPEG-LS feature not supported: {what}.") { IsUnsupported = true };

    private sealed class FrameState
    {
        public int Precision { get; set; }

        public int Width { get; set; }

        public int Height { get; set; }

        public int[]? ComponentIds { get; set; }

        public bool[]? Decoded { get; set; }

        public int PresetMaxVal { get; set; }

        public int PresetT1 { get; set; }

        public int PresetT2 { get; set; }

        public int PresetT3 { get; set; }

        public int PresetReset { get; set; }

        public int RestartInterval { get; set; }
    }

    /// <summary>The coding parameters of a scan (T.87 A.2 and C.2.4.1): presets where given, checked, else defaults.</summary>
    private static JpegLsParameters ScanParameters(FrameState frame, int near, int index)
    {
        var maxPossible = (1 << frame.Precision) - 1;
        var maxVal = frame.PresetMaxVal == 0 ? maxPossible : frame.PresetMaxVal;
        if (maxVal > maxPossible)
        {
            throw Damaged(index, "MAXVAL exceeds the sample precision");
        }

        if (near > Math.Min(255, maxVal / 2))
        {
            throw Damaged(index, "NEAR is out of range");
        }

        var (t1, t2, t3) = JpegLsParameters.DefaultThresholds(maxVal, near);
        t1 = frame.PresetT1 == 0 ? t1 : frame.PresetT1;
        t2 = frame.PresetT2 == 0 ? t2 : frame.PresetT2;
        t3 = frame.PresetT3 == 0 ? t3 : frame.PresetT3;
        var reset = frame.PresetReset == 0 ? JpegLsParameters.DefaultReset : frame.PresetReset;
        if (t1 < near + 1 || t1 > maxVal || t2 < t1 || t2 > maxVal || t3 < t2 || t3 > maxVal || reset < 3 || reset > Math.Max(255, maxVal))
        {
            throw Damaged(index, "the preset thresholds are out of range");
        }

        return new JpegLsParameters(maxVal, near, t1, t2, t3, reset);
    }

    /// <summary>Bits of one scan, MSB first, with the bit stuffing after 0xFF (T.87 A.1).</summary>
    private sealed class BitReader(byte[] data, int start, int end, int index)
    {
        private ulong _cache;
        private int _bits;
        private int _pos = start;
        private bool _afterFF;

        private void Fill()
        {
            while (_bits <= 56 && _pos < end)
            {
                var b = data[_pos];
                if (_afterFF)
                {
                    if (b >= 0x80)
                    {
                        _pos = end;
                        return;
                    }

                    _cache |= (ulong)b << (57 - _bits);
                    _bits += 7;
                }
                else
                {
                    _cache |= (ulong)b << (56 - _bits);
                    _bits += 8;
                }

                _afterFF = b == 0xFF;
                _pos++;
            }
        }

        public int ReadBit()
        {
            if (_bits == 0)
            {
                Fill();
                if (_bits == 0)
                {
                    throw Damaged(index, "the scan data ends early");
                }
            }

            var bit = (int)(_cache >> 63);
            _cache <<= 1;
            _bits--;
            return bit;
        }

        public int ReadBits(int n)
        {
            if (n == 0)
            {
                return 0;
            }

            if (_bits < n)
            {
                Fill();
                if (_bits < n)
                {
                    throw Damaged(index, "the scan data ends early");
                }
            }

            var v = (int)(_cache >> (64 - n));
            _cache <<= n;
            _bits -= n;
            return v;
        }

        /// <summary>Counts 0 bits up to the next 1 bit (consumed); more than <paramref name="max"/> zeros is damage.</summary>
        public int ReadZeros(int max)
        {
            var count = 0;
            while (true)
            {
                if (_bits == 0)
                {
                    Fill();
                    if (_bits == 0)
                    {
                        throw Damaged(index, "the scan data ends early");
                    }
                }

                var lz = BitOperations.LeadingZeroCount(_cache);
                if (lz < _bits)
                {
                    count += lz;
                    if (count > max)
                    {
                        throw Damaged(index, "a Golomb code is too long");
                    }

                    _cache <<= lz + 1;
                    _bits -= lz + 1;
                    return count;
                }

                count += _bits;
                _cache = 0;
                _bits = 0;
                if (count > max)
                {
                    throw Damaged(index, "a Golomb code is too long");
                }
            }
        }
    }

    /// <summary>Decodes the lines of one scan (T.87 Annex A, decoding per Annex F).</summary>
    private sealed class ScanDecoder
    {
        private readonly JpegLsParameters _p;
        private readonly JpegLsContextModel _m;
        private readonly BitReader _bits;
        private readonly int _width;
        private readonly int _height;
        private readonly int _index;

        public ScanDecoder(JpegLsParameters p, BitReader bits, int width, int height, int components, int index)
        {
            _p = p;
            _m = new JpegLsContextModel(p, width, components);
            _bits = bits;
            _width = width;
            _height = height;
            _index = index;
        }

        public void Run(Output output, int[] comps, int ilv)
        {
            for (var y = 0; y < _height; y++)
            {
                for (var c = 0; c < comps.Length; c++)
                {
                    _m.StartLine(c);
                }

                if (ilv == 2)
                {
                    DecodeLineSampleInterleaved();
                }
                else
                {
                    for (var c = 0; c < comps.Length; c++)
                    {
                        DecodeLine(c);
                    }
                }

                for (var c = 0; c < comps.Length; c++)
                {
                    output.WriteLine(_m.Current(c), y, _width, comps[c]);
                    _m.EndLine(c);
                }
            }
        }

        private void DecodeLine(int c)
        {
            var m = _m;
            var prev = m.Previous(c);
            var cur = m.Current(c);
            var near = _p.Near;
            var x = 1;
            while (x <= _width)
            {
                var ra = cur[x - 1];
                var rb = prev[x];
                var rc = prev[x - 1];
                var rd = prev[x + 1];
                int d1 = rd - rb, d2 = rb - rc, d3 = rc - ra;
                if (Math.Abs(d1) <= near && Math.Abs(d2) <= near && Math.Abs(d3) <= near)
                {
                    x = DecodeRun(c, x);
                    continue;
                }

                cur[x] = DecodeRegular(m.Quantize(d1), m.Quantize(d2), m.Quantize(d3), ra, rb, rc);
                x++;
            }
        }

        /// <summary>Run mode from column <paramref name="x"/> (1-based); returns the next column to decode.</summary>
        private int DecodeRun(int c, int x)
        {
            var m = _m;
            var cur = m.Current(c);
            var prev = m.Previous(c);
            var runValue = cur[x - 1];
            var remaining = _width - x + 1;
            var count = 0;
            while (true)
            {
                if (_bits.ReadBit() == 1)
                {
                    var rg = 1 << m.RunOrder(c);
                    var n = Math.Min(rg, remaining - count);
                    Array.Fill(cur, runValue, x + count, n);
                    count += n;
                    if (n == rg)
                    {
                        m.GrowRun(c);
                    }

                    if (count == remaining)
                    {
                        return x + count;
                    }
                }
                else
                {
                    var extra = _bits.ReadBits(m.RunOrder(c));
                    if (count + extra >= remaining)
                    {
                        throw Damaged(_index, "a run is longer than its line");
                    }

                    Array.Fill(cur, runValue, x + count, extra);
                    count += extra;
                    var at = x + count;
                    var ra = cur[at - 1];
                    var rb = prev[at];
                    var riType = Math.Abs(ra - rb) <= _p.Near ? 1 : 0;
                    var px = riType == 1 ? ra : rb;
                    var sign = riType == 0 && ra > rb ? -1 : 1;
                    cur[at] = DecodeInterruption(riType, px, sign, m.RunOrder(c));
                    m.ShrinkRun(c);
                    return at + 1;
                }
            }
        }

        /// <summary>A line of all components, pixel by pixel (ILV 2).</summary>
        private void DecodeLineSampleInterleaved()
        {
            var m = _m;
            var comps = m.Components;
            var near = _p.Near;
            Span<int> q1 = stackalloc int[comps];
            Span<int> q2 = stackalloc int[comps];
            Span<int> q3 = stackalloc int[comps];
            var x = 1;
            while (x <= _width)
            {
                var run = true;
                for (var c = 0; c < comps; c++)
                {
                    var prev = m.Previous(c);
                    var cur = m.Current(c);
                    int d1 = prev[x + 1] - prev[x], d2 = prev[x] - prev[x - 1], d3 = prev[x - 1] - cur[x - 1];
                    q1[c] = m.Quantize(d1);
                    q2[c] = m.Quantize(d2);
                    q3[c] = m.Quantize(d3);
                    run &= Math.Abs(d1) <= near && Math.Abs(d2) <= near && Math.Abs(d3) <= near;
                }

                if (run)
                {
                    x = DecodeRunSampleInterleaved(x);
                    continue;
                }

                for (var c = 0; c < comps; c++)
                {
                    var prev = m.Previous(c);
                    var cur = m.Current(c);
                    cur[x] = DecodeRegular(q1[c], q2[c], q3[c], cur[x - 1], prev[x], prev[x - 1]);
                }

                x++;
            }
        }

        private int DecodeRunSampleInterleaved(int x)
        {
            var m = _m;
            var comps = m.Components;
            var remaining = _width - x + 1;
            var count = 0;
            while (true)
            {
                if (_bits.ReadBit() == 1)
                {
                    var rg = 1 << m.RunOrder(0);
                    var n = Math.Min(rg, remaining - count);
                    for (var c = 0; c < comps; c++)
                    {
                        var cur = m.Current(c);
                        Array.Fill(cur, cur[x - 1], x + count, n);
                    }

                    count += n;
                    if (n == rg)
                    {
                        m.GrowRun(0);
                    }

                    if (count == remaining)
                    {
                        return x + count;
                    }
                }
                else
                {
                    var extra = _bits.ReadBits(m.RunOrder(0));
                    if (count + extra >= remaining)
                    {
                        throw Damaged(_index, "a run is longer than its line");
                    }

                    for (var c = 0; c < comps; c++)
                    {
                        var cur = m.Current(c);
                        Array.Fill(cur, cur[x - 1], x + count, extra);
                    }

                    count += extra;
                    var at = x + count;
                    var j = m.RunOrder(0);

                    // Each component of the interrupting pixel is coded as a run interruption sample of type 0: a
                    // component may equal its left neighbour (error 0), which type 1 cannot code.
                    for (var c = 0; c < comps; c++)
                    {
                        var cur = m.Current(c);
                        var ra = cur[at - 1];
                        var rb = m.Previous(c)[at];
                        cur[at] = DecodeInterruption(0, rb, ra > rb ? -1 : 1, j);
                    }

                    m.ShrinkRun(0);
                    return at + 1;
                }
            }
        }

        private int DecodeRegular(int q1, int q2, int q3, int ra, int rb, int rc)
        {
            var m = _m;
            var q = JpegLsContextModel.Context(q1, q2, q3, out var sign);
            var px = m.Correct(JpegLsContextModel.Predict(ra, rb, rc), q, sign);
            var k = m.RegularK(q);
            if (k > JpegLsContextModel.MaxGolombK)
            {
                throw Damaged(_index, "a context grew out of range");
            }

            var merr = ReadGolomb(k, _p.Limit);

            // Inverse error mapping (A.5.2).
            int err;
            if (m.InvertsMapping(q, k))
            {
                err = (merr & 1) == 1 ? (merr - 1) >> 1 : -(merr >> 1) - 1;
            }
            else
            {
                err = (merr & 1) == 0 ? merr >> 1 : -((merr + 1) >> 1);
            }

            m.UpdateRegular(q, err);
            return Reconstruct(px, sign * err);
        }

        private int DecodeInterruption(int riType, int px, int sign, int j)
        {
            var m = _m;
            var k = m.InterruptionK(riType);
            if (k > JpegLsContextModel.MaxGolombK)
            {
                throw Damaged(_index, "a context grew out of range");
            }

            var em = ReadGolomb(k, _p.Limit - j - 1);
            var t = em + riType;
            var map = t & 1;
            var abs = (t + map) >> 1;
            int err;
            if (m.InterruptionFlipped(riType, k))
            {
                err = map == 1 ? abs : -abs;
            }
            else
            {
                err = map == 1 ? -abs : abs;
            }

            m.UpdateInterruption(riType, err, em);
            return Reconstruct(px, sign * err);
        }

        private int ReadGolomb(int k, int limit)
        {
            var qbpp = _p.Qbpp;
            var escape = limit - qbpp - 1;
            if (escape < 0)
            {
                throw Damaged(_index, "the Golomb code limit is too small");
            }

            var q = _bits.ReadZeros(escape);
            int value;
            if (q < escape)
            {
                value = (q << k) | _bits.ReadBits(k);
            }
            else
            {
                value = _bits.ReadBits(qbpp) + 1;
            }

            if (value > (2 * _p.Range) + 2)
            {
                throw Damaged(_index, "a prediction error is out of range");
            }

            return value;
        }

        private int Reconstruct(int px, int err)
        {
            var near = _p.Near;
            var rx = px + (err * ((2 * near) + 1));
            var span = _p.Range * ((2 * near) + 1);
            if (rx < -near)
            {
                rx += span;
            }
            else if (rx > _p.MaxVal + near)
            {
                rx -= span;
            }

            return Math.Clamp(rx, 0, _p.MaxVal);
        }
    }
}
