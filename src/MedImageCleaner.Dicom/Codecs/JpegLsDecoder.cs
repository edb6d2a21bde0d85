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
    private const int MinC = -128;
    private const int MaxC = 127;

    // T.87 Table A.5 (J): run-length order of the run-mode index.
    private static ReadOnlySpan<byte> J =>
        [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

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

        var p = new ScanParameters(frame, near, index);
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

    /// <summary>The coding parameters of a scan (T.87 A.2 and C.2.4.1).</summary>
    private sealed class ScanParameters
    {
        public ScanParameters(FrameState frame, int near, int index)
        {
            var maxPossible = (1 << frame.Precision) - 1;
            MaxVal = frame.PresetMaxVal == 0 ? maxPossible : frame.PresetMaxVal;
            if (MaxVal > maxPossible)
            {
                throw Damaged(index, "MAXVAL exceeds the sample precision");
            }

            Near = near;
            if (near > Math.Min(255, MaxVal / 2))
            {
                throw Damaged(index, "NEAR is out of range");
            }

            // Default thresholds (C.2.4.1.1), with BASIC_T1..3 = 3, 7, 21.
            int t1, t2, t3;
            if (MaxVal >= 128)
            {
                var factor = (Math.Min(MaxVal, 4095) + 128) >> 8;
                t1 = Clamp((factor * (3 - 2)) + 2 + (3 * near), near + 1, MaxVal);
                t2 = Clamp((factor * (7 - 3)) + 3 + (5 * near), t1, MaxVal);
                t3 = Clamp((factor * (21 - 4)) + 4 + (7 * near), t2, MaxVal);
            }
            else
            {
                var factor = 256 / (MaxVal + 1);
                t1 = Clamp(Math.Max(2, (3 / factor) + (3 * near)), near + 1, MaxVal);
                t2 = Clamp(Math.Max(3, (7 / factor) + (5 * near)), t1, MaxVal);
                t3 = Clamp(Math.Max(4, (21 / factor) + (7 * near)), t2, MaxVal);
            }

            T1 = frame.PresetT1 == 0 ? t1 : frame.PresetT1;
            T2 = frame.PresetT2 == 0 ? t2 : frame.PresetT2;
            T3 = frame.PresetT3 == 0 ? t3 : frame.PresetT3;
            Reset = frame.PresetReset == 0 ? 64 : frame.PresetReset;
            if (T1 < near + 1 || T1 > MaxVal || T2 < T1 || T2 > MaxVal || T3 < T2 || T3 > MaxVal || Reset < 3 || Reset > Math.Max(255, MaxVal))
            {
                throw Damaged(index, "the preset thresholds are out of range");
            }

            Range = ((MaxVal + (2 * near)) / ((2 * near) + 1)) + 1;
            Qbpp = Log2Ceiling(Range);
            var bpp = Math.Max(2, Log2Ceiling(MaxVal + 1));
            Limit = 2 * (bpp + Math.Max(8, bpp));
        }

        public int MaxVal { get; }

        public int Near { get; }

        public int T1 { get; }

        public int T2 { get; }

        public int T3 { get; }

        public int Reset { get; }

        public int Range { get; }

        public int Qbpp { get; }

        public int Limit { get; }

        private static int Clamp(int i, int j, int maxVal) => i > maxVal || i < j ? j : i;

        private static int Log2Ceiling(int v)
        {
            var n = 0;
            while ((1 << n) < v)
            {
                n++;
            }

            return n;
        }
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
        private readonly ScanParameters _p;
        private readonly BitReader _bits;
        private readonly int _width;
        private readonly int _height;
        private readonly int _index;

        // Regular contexts indexed by (Q1+4)*81 + (Q2+4)*9 + (Q3+4) after sign folding (365 of 729 used).
        private readonly int[] _a = new int[729];
        private readonly int[] _b = new int[729];
        private readonly int[] _c = new int[729];
        private readonly int[] _n = new int[729];

        // Run interruption contexts (RItype 0 and 1).
        private readonly int[] _ra = new int[2];
        private readonly int[] _rn = new int[2];
        private readonly int[] _rnn = new int[2];

        private readonly int[][] _prev;
        private readonly int[][] _cur;
        private readonly int[] _runIndex;

        public ScanDecoder(ScanParameters p, BitReader bits, int width, int height, int components, int index)
        {
            _p = p;
            _bits = bits;
            _width = width;
            _height = height;
            _index = index;
            var aInit = Math.Max(2, (p.Range + 32) >> 6);
            Array.Fill(_a, aInit);
            Array.Fill(_n, 1);
            _ra[0] = _ra[1] = aInit;
            _rn[0] = _rn[1] = 1;
            _prev = new int[components][];
            _cur = new int[components][];
            _runIndex = new int[components];
            for (var c = 0; c < components; c++)
            {
                _prev[c] = new int[width + 2];
                _cur[c] = new int[width + 2];
            }
        }

        public void Run(Output output, int[] comps, int ilv)
        {
            for (var y = 0; y < _height; y++)
            {
                for (var c = 0; c < comps.Length; c++)
                {
                    StartLine(c);
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
                    output.WriteLine(_cur[c], y, _width, comps[c]);
                    (_prev[c], _cur[c]) = (_cur[c], _prev[c]);
                }
            }
        }

        private void StartLine(int c)
        {
            var prev = _prev[c];
            var cur = _cur[c];
            prev[_width + 1] = prev[_width]; // Rd at the last column is Rb
            cur[0] = prev[1];                // Ra at the first column is Rb; prev[0] keeps the previous line's Ra (Rc)
        }

        private void DecodeLine(int c)
        {
            var prev = _prev[c];
            var cur = _cur[c];
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

                cur[x] = DecodeRegular(Quantize(d1), Quantize(d2), Quantize(d3), ra, rb, rc);
                x++;
            }
        }

        /// <summary>Run mode from column <paramref name="x"/> (1-based); returns the next column to decode.</summary>
        private int DecodeRun(int c, int x)
        {
            var cur = _cur[c];
            var prev = _prev[c];
            var runValue = cur[x - 1];
            var remaining = _width - x + 1;
            var count = 0;
            while (true)
            {
                if (_bits.ReadBit() == 1)
                {
                    var rg = 1 << J[_runIndex[c]];
                    var n = Math.Min(rg, remaining - count);
                    Array.Fill(cur, runValue, x + count, n);
                    count += n;
                    if (n == rg && _runIndex[c] < 31)
                    {
                        _runIndex[c]++;
                    }

                    if (count == remaining)
                    {
                        return x + count;
                    }
                }
                else
                {
                    var extra = _bits.ReadBits(J[_runIndex[c]]);
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
                    cur[at] = DecodeInterruption(riType, px, sign, J[_runIndex[c]]);
                    if (_runIndex[c] > 0)
                    {
                        _runIndex[c]--;
                    }

                    return at + 1;
                }
            }
        }

        /// <summary>A line of all components, pixel by pixel (ILV 2).</summary>
        private void DecodeLineSampleInterleaved()
        {
            var comps = _prev.Length;
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
                    var prev = _prev[c];
                    var cur = _cur[c];
                    int d1 = prev[x + 1] - prev[x], d2 = prev[x] - prev[x - 1], d3 = prev[x - 1] - cur[x - 1];
                    q1[c] = Quantize(d1);
                    q2[c] = Quantize(d2);
                    q3[c] = Quantize(d3);
                    run &= Math.Abs(d1) <= near && Math.Abs(d2) <= near && Math.Abs(d3) <= near;
                }

                if (run)
                {
                    x = DecodeRunSampleInterleaved(x);
                    continue;
                }

                for (var c = 0; c < comps; c++)
                {
                    var prev = _prev[c];
                    var cur = _cur[c];
                    cur[x] = DecodeRegular(q1[c], q2[c], q3[c], cur[x - 1], prev[x], prev[x - 1]);
                }

                x++;
            }
        }

        private int DecodeRunSampleInterleaved(int x)
        {
            var comps = _prev.Length;
            var remaining = _width - x + 1;
            var count = 0;
            while (true)
            {
                if (_bits.ReadBit() == 1)
                {
                    var rg = 1 << J[_runIndex[0]];
                    var n = Math.Min(rg, remaining - count);
                    for (var c = 0; c < comps; c++)
                    {
                        Array.Fill(_cur[c], _cur[c][x - 1], x + count, n);
                    }

                    count += n;
                    if (n == rg && _runIndex[0] < 31)
                    {
                        _runIndex[0]++;
                    }

                    if (count == remaining)
                    {
                        return x + count;
                    }
                }
                else
                {
                    var extra = _bits.ReadBits(J[_runIndex[0]]);
                    if (count + extra >= remaining)
                    {
                        throw Damaged(_index, "a run is longer than its line");
                    }

                    for (var c = 0; c < comps; c++)
                    {
                        Array.Fill(_cur[c], _cur[c][x - 1], x + count, extra);
                    }

                    count += extra;
                    var at = x + count;
                    var j = J[_runIndex[0]];

                    // Each component of the interrupting pixel is coded as a run interruption sample of type 0: a
                    // component may equal its left neighbour (error 0), which type 1 cannot code.
                    for (var c = 0; c < comps; c++)
                    {
                        var ra = _cur[c][at - 1];
                        var rb = _prev[c][at];
                        _cur[c][at] = DecodeInterruption(0, rb, ra > rb ? -1 : 1, j);
                    }

                    if (_runIndex[0] > 0)
                    {
                        _runIndex[0]--;
                    }

                    return at + 1;
                }
            }
        }

        private int Quantize(int d)
        {
            var p = _p;
            if (d <= -p.T3)
            {
                return -4;
            }

            if (d <= -p.T2)
            {
                return -3;
            }

            if (d <= -p.T1)
            {
                return -2;
            }

            if (d < -p.Near)
            {
                return -1;
            }

            if (d <= p.Near)
            {
                return 0;
            }

            if (d < p.T1)
            {
                return 1;
            }

            if (d < p.T2)
            {
                return 2;
            }

            return d < p.T3 ? 3 : 4;
        }

        private int DecodeRegular(int q1, int q2, int q3, int ra, int rb, int rc)
        {
            var sign = 1;
            if (q1 < 0 || (q1 == 0 && q2 < 0) || (q1 == 0 && q2 == 0 && q3 < 0))
            {
                sign = -1;
                q1 = -q1;
                q2 = -q2;
                q3 = -q3;
            }

            var q = ((q1 + 4) * 81) + ((q2 + 4) * 9) + (q3 + 4);

            // Median edge detector (A.4.1).
            int px;
            if (rc >= Math.Max(ra, rb))
            {
                px = Math.Min(ra, rb);
            }
            else if (rc <= Math.Min(ra, rb))
            {
                px = Math.Max(ra, rb);
            }
            else
            {
                px = ra + rb - rc;
            }

            // Prediction correction (A.4.2).
            px += sign * _c[q];
            px = Math.Clamp(px, 0, _p.MaxVal);

            var k = 0;
            while ((_n[q] << k) < _a[q])
            {
                k++;
                if (k > 24)
                {
                    throw Damaged(_index, "a context grew out of range");
                }
            }

            var merr = ReadGolomb(k, _p.Limit);

            // Inverse error mapping (A.5.2).
            int err;
            if (_p.Near == 0 && k == 0 && 2 * _b[q] <= -_n[q])
            {
                err = (merr & 1) == 1 ? (merr - 1) >> 1 : -(merr >> 1) - 1;
            }
            else
            {
                err = (merr & 1) == 0 ? merr >> 1 : -((merr + 1) >> 1);
            }

            // Context update (A.6.1) and bias computation (A.6.2).
            _b[q] += err * ((2 * _p.Near) + 1);
            _a[q] += Math.Abs(err);
            if (_n[q] == _p.Reset)
            {
                _a[q] >>= 1;
                _b[q] = _b[q] >= 0 ? _b[q] >> 1 : -((1 - _b[q]) >> 1);
                _n[q] >>= 1;
            }

            _n[q]++;
            if (_b[q] <= -_n[q])
            {
                _b[q] += _n[q];
                if (_c[q] > MinC)
                {
                    _c[q]--;
                }

                if (_b[q] <= -_n[q])
                {
                    _b[q] = -_n[q] + 1;
                }
            }
            else if (_b[q] > 0)
            {
                _b[q] -= _n[q];
                if (_c[q] < MaxC)
                {
                    _c[q]++;
                }

                if (_b[q] > 0)
                {
                    _b[q] = 0;
                }
            }

            return Reconstruct(px, sign * err);
        }

        private int DecodeInterruption(int riType, int px, int sign, int j)
        {
            var temp = riType == 0 ? _ra[riType] : _ra[riType] + (_rn[riType] >> 1);
            var k = 0;
            while ((_rn[riType] << k) < temp)
            {
                k++;
                if (k > 24)
                {
                    throw Damaged(_index, "a context grew out of range");
                }
            }

            var em = ReadGolomb(k, _p.Limit - j - 1);
            var t = em + riType;
            var map = t & 1;
            var abs = (t + map) >> 1;
            int err;
            if (k == 0 && 2 * _rnn[riType] < _rn[riType])
            {
                err = map == 1 ? abs : -abs;
            }
            else
            {
                err = map == 1 ? -abs : abs;
            }

            // Update (A.7.2.2).
            if (err < 0)
            {
                _rnn[riType]++;
            }

            _ra[riType] += (em + 1 - riType) >> 1;
            if (_rn[riType] == _p.Reset)
            {
                _ra[riType] >>= 1;
                _rn[riType] >>= 1;
                _rnn[riType] >>= 1;
            }

            _rn[riType]++;
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
