using System.Buffers.Binary;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>
/// JPEG-LS lossless encoder (T.87, NEAR = 0, default parameters): one scan, interleave mode none for one component and
/// line for colour. Samples are coded with the precision of Bits Stored (at least 8) when every value fits in it, else
/// of Bits Allocated (sign-extended or out-of-range values stay exact). Frames of 32-bit samples are not accepted.
/// </summary>
internal sealed class JpegLsFrameEncoder : IFrameEncoder
{
    public string Name => "JPEG-LS";

    public TransferSyntax Syntax => TransferSyntax.JpegLSLossless;

    public bool IsLossless => true;

    public bool CanEncode(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.BitsAllocated is 8 or 16 && frame.SamplesPerPixel is 1 or 3 && frame.Rows <= ushort.MaxValue && frame.Columns <= ushort.MaxValue;
    }

    public byte[] Encode(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!CanEncode(frame))
        {
            throw new PixelCodecException("JPEG-LS encodes 8- or 16-bit frames of 1 or 3 samples.") { IsUnsupported = true };
        }

        var samples = frame.SamplesPerPixel;
        var width = frame.Columns;
        var height = frame.Rows;
        var b = frame.BytesPerSample;
        var data = frame.Data;
        var max = 0;
        for (var i = 0; i < data.Length; i += b)
        {
            max = Math.Max(max, b == 1 ? data[i] : data[i] | (data[i + 1] << 8));
        }

        // At least 8 bits: dcmtk's JPEG-LS decoder refuses lower precisions.
        var precision = Math.Clamp(frame.BitsStored, 8, frame.BitsAllocated);
        if (max > (1 << precision) - 1)
        {
            precision = frame.BitsAllocated;
        }

        var writer = new BitWriter(data.Length / 2);
        writer.Bytes([0xFF, 0xD8]);

        // SOF55
        var sof = new byte[2 + 6 + (3 * samples) + 2];
        sof[0] = 0xFF;
        sof[1] = 0xF7;
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(2), (ushort)(6 + (3 * samples) + 2));
        sof[4] = (byte)precision;
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(7), (ushort)width);
        sof[9] = (byte)samples;
        for (var c = 0; c < samples; c++)
        {
            sof[10 + (3 * c)] = (byte)(c + 1);
            sof[11 + (3 * c)] = 0x11;
            sof[12 + (3 * c)] = 0;
        }

        writer.Bytes(sof);

        // SOS
        var sos = new byte[2 + 2 + 1 + (2 * samples) + 3];
        sos[0] = 0xFF;
        sos[1] = 0xDA;
        BinaryPrimitives.WriteUInt16BigEndian(sos.AsSpan(2), (ushort)(sos.Length - 2));
        sos[4] = (byte)samples;
        for (var c = 0; c < samples; c++)
        {
            sos[5 + (2 * c)] = (byte)(c + 1);
            sos[6 + (2 * c)] = 0;
        }

        sos[5 + (2 * samples)] = 0; // NEAR
        sos[6 + (2 * samples)] = (byte)(samples == 1 ? 0 : 1); // ILV
        sos[7 + (2 * samples)] = 0; // point transform
        writer.Bytes(sos);

        var scan = new ScanEncoder(writer, width, samples, (1 << precision) - 1, precision);
        var lines = new int[samples][];
        for (var c = 0; c < samples; c++)
        {
            lines[c] = new int[width];
        }

        for (var y = 0; y < height; y++)
        {
            for (var c = 0; c < samples; c++)
            {
                var line = lines[c];
                for (var x = 0; x < width; x++)
                {
                    var at = (((y * width) + x) * samples + c) * b;
                    line[x] = b == 1 ? data[at] : data[at] | (data[at + 1] << 8);
                }

                scan.EncodeLine(c, line);
            }
        }

        writer.Flush();
        writer.Bytes([0xFF, 0xD9]);
        var result = writer.ToArray();
        if ((result.Length & 1) != 0)
        {
            // Even fragment length: a fill byte before EOI (T.81 B.1.1.2 allows 0xFF fill bytes before a marker).
            var padded = new byte[result.Length + 1];
            result.AsSpan(0, result.Length - 2).CopyTo(padded);
            padded[^3] = 0xFF;
            padded[^2] = 0xFF;
            padded[^1] = 0xD9;
            return padded;
        }

        return result;
    }

    /// <summary>Bits MSB first, with a 0 bit stuffed after every 0xFF byte (T.87 A.1).</summary>
    private sealed class BitWriter(int capacity)
    {
        private byte[] _out = new byte[Math.Max(64, capacity)];
        private int _length;
        private ulong _acc;
        private int _n;
        private bool _afterFF;

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                Put(b);
            }

            _afterFF = false;
        }

        public void Write(int value, int count)
        {
            while (count > 24)
            {
                Write(value >> 24, count - 24);
                count = 24;
                value &= 0xFFFFFF;
            }

            if (count == 0)
            {
                return;
            }

            _acc = (_acc << count) | ((uint)value & ((1u << count) - 1));
            _n += count;
            Drain();
        }

        public void Zeros(int count)
        {
            while (count > 0)
            {
                var n = Math.Min(count, 24);
                Write(0, n);
                count -= n;
            }
        }

        /// <summary>Pads the last byte with zeros; after a 0xFF byte, writes the byte that carries the stuffed bit.</summary>
        public void Flush()
        {
            if (_n > 0)
            {
                Write(0, (_afterFF ? 7 : 8) - _n);
            }

            if (_afterFF)
            {
                Put(0);
                _afterFF = false;
            }
        }

        public byte[] ToArray() => _out.AsSpan(0, _length).ToArray();

        private void Put(byte b)
        {
            if (_length == _out.Length)
            {
                Array.Resize(ref _out, checked(_out.Length * 2));
            }

            _out[_length++] = b;
        }

        private void Drain()
        {
            while (true)
            {
                var width = _afterFF ? 7 : 8;
                if (_n < width)
                {
                    return;
                }

                var b = (byte)((_acc >> (_n - width)) & ((1UL << width) - 1));
                _n -= width;
                _acc &= (1UL << _n) - 1;
                Put(b);
                _afterFF = b == 0xFF;
            }
        }
    }

    /// <summary>Regular and run mode coding of the lines of one scan (NEAR = 0).</summary>
    private sealed class ScanEncoder
    {
        private static ReadOnlySpan<byte> J =>
            [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

        private readonly BitWriter _w;
        private readonly int _width;
        private readonly int _maxVal;
        private readonly int _range;
        private readonly int _qbpp;
        private readonly int _limit;
        private readonly int _t1;
        private readonly int _t2;
        private readonly int _t3;
        private readonly int[] _a = new int[729];
        private readonly int[] _b = new int[729];
        private readonly int[] _c = new int[729];
        private readonly int[] _n = new int[729];
        private readonly int[] _ra = new int[2];
        private readonly int[] _rn = new int[2];
        private readonly int[] _rnn = new int[2];
        private readonly int[][] _prev;
        private readonly int[][] _cur;
        private readonly int[] _runIndex;

        public ScanEncoder(BitWriter w, int width, int components, int maxVal, int precision)
        {
            _w = w;
            _width = width;
            _maxVal = maxVal;
            _range = maxVal + 1;
            _qbpp = precision;
            var bpp = Math.Max(2, precision);
            _limit = 2 * (bpp + Math.Max(8, bpp));
            if (maxVal >= 128)
            {
                var factor = (Math.Min(maxVal, 4095) + 128) >> 8;
                _t1 = Clamp(factor + 2, 1, maxVal);
                _t2 = Clamp((factor * 4) + 3, _t1, maxVal);
                _t3 = Clamp((factor * 17) + 4, _t2, maxVal);
            }
            else
            {
                var factor = 256 / (maxVal + 1);
                _t1 = Clamp(Math.Max(2, 3 / factor), 1, maxVal);
                _t2 = Clamp(Math.Max(3, 7 / factor), _t1, maxVal);
                _t3 = Clamp(Math.Max(4, 21 / factor), _t2, maxVal);
            }

            _prev = new int[components][];
            _cur = new int[components][];
            _runIndex = new int[components];
            for (var c = 0; c < components; c++)
            {
                _prev[c] = new int[width + 2];
                _cur[c] = new int[width + 2];
            }

            var aInit = Math.Max(2, (_range + 32) >> 6);
            Array.Fill(_a, aInit);
            Array.Fill(_n, 1);
            _ra[0] = _ra[1] = aInit;
            _rn[0] = _rn[1] = 1;
        }

        public void EncodeLine(int c, int[] samples)
        {
            var prev = _prev[c];
            var cur = _cur[c];
            prev[_width + 1] = prev[_width];
            cur[0] = prev[1];
            var x = 1;
            while (x <= _width)
            {
                var ra = cur[x - 1];
                var rb = prev[x];
                var rc = prev[x - 1];
                var rd = prev[x + 1];
                int d1 = rd - rb, d2 = rb - rc, d3 = rc - ra;
                if (d1 == 0 && d2 == 0 && d3 == 0)
                {
                    x = EncodeRun(c, samples, x);
                    continue;
                }

                var ix = samples[x - 1];
                EncodeRegular(Quantize(d1), Quantize(d2), Quantize(d3), ra, rb, rc, ix);
                cur[x] = ix;
                x++;
            }

            (_prev[c], _cur[c]) = (cur, prev);
        }

        private int EncodeRun(int c, int[] samples, int x)
        {
            var cur = _cur[c];
            var prev = _prev[c];
            var runValue = cur[x - 1];
            var total = 0;
            while (x + total <= _width && samples[x + total - 1] == runValue)
            {
                cur[x + total] = runValue;
                total++;
            }

            var endOfLine = x + total > _width;
            var left = total;
            while (left >= (1 << J[_runIndex[c]]))
            {
                _w.Write(1, 1);
                left -= 1 << J[_runIndex[c]];
                if (_runIndex[c] < 31)
                {
                    _runIndex[c]++;
                }
            }

            if (endOfLine)
            {
                if (left > 0)
                {
                    _w.Write(1, 1);
                }

                return x + total;
            }

            _w.Write(0, 1);
            _w.Write(left, J[_runIndex[c]]);
            var at = x + total;
            var ix = samples[at - 1];
            var ra = cur[at - 1];
            var rb = prev[at];
            var riType = ra == rb ? 1 : 0;
            var px = riType == 1 ? ra : rb;
            var err = ix - px;
            if (riType == 0 && ra > rb)
            {
                err = -err;
            }

            err = ModRange(err);
            var temp = riType == 0 ? _ra[riType] : _ra[riType] + (_rn[riType] >> 1);
            var k = 0;
            while ((_rn[riType] << k) < temp)
            {
                k++;
            }

            var map = (k == 0 && err > 0 && 2 * _rnn[riType] < _rn[riType]) || (err < 0 && 2 * _rnn[riType] >= _rn[riType]) || (err < 0 && k != 0) ? 1 : 0;
            var em = (2 * Math.Abs(err)) - riType - map;
            WriteGolomb(em, k, _limit - J[_runIndex[c]] - 1);
            if (err < 0)
            {
                _rnn[riType]++;
            }

            _ra[riType] += (em + 1 - riType) >> 1;
            if (_rn[riType] == 64)
            {
                _ra[riType] >>= 1;
                _rn[riType] >>= 1;
                _rnn[riType] >>= 1;
            }

            _rn[riType]++;
            if (_runIndex[c] > 0)
            {
                _runIndex[c]--;
            }

            cur[at] = ix;
            return at + 1;
        }

        private void EncodeRegular(int q1, int q2, int q3, int ra, int rb, int rc, int ix)
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

            px = Math.Clamp(px + (sign * _c[q]), 0, _maxVal);
            var err = ModRange(sign * (ix - px));
            var k = 0;
            while ((_n[q] << k) < _a[q])
            {
                k++;
            }

            int merr;
            if (k == 0 && 2 * _b[q] <= -_n[q])
            {
                merr = err >= 0 ? (2 * err) + 1 : -2 * (err + 1);
            }
            else
            {
                merr = err >= 0 ? 2 * err : (-2 * err) - 1;
            }

            WriteGolomb(merr, k, _limit);
            _b[q] += err;
            _a[q] += Math.Abs(err);
            if (_n[q] == 64)
            {
                _a[q] >>= 1;
                _b[q] = _b[q] >= 0 ? _b[q] >> 1 : -((1 - _b[q]) >> 1);
                _n[q] >>= 1;
            }

            _n[q]++;
            if (_b[q] <= -_n[q])
            {
                _b[q] += _n[q];
                if (_c[q] > -128)
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
                if (_c[q] < 127)
                {
                    _c[q]++;
                }

                if (_b[q] > 0)
                {
                    _b[q] = 0;
                }
            }
        }

        private void WriteGolomb(int value, int k, int limit)
        {
            var escape = limit - _qbpp - 1;
            var high = value >> k;
            if (high < escape)
            {
                _w.Zeros(high);
                _w.Write(1, 1);
                _w.Write(value & ((1 << k) - 1), k);
            }
            else
            {
                _w.Zeros(escape);
                _w.Write(1, 1);
                _w.Write(value - 1, _qbpp);
            }
        }

        private int ModRange(int err)
        {
            if (err < 0)
            {
                err += _range;
            }

            if (err >= (_range + 1) / 2)
            {
                err -= _range;
            }

            return err;
        }

        private int Quantize(int d)
        {
            if (d <= -_t3)
            {
                return -4;
            }

            if (d <= -_t2)
            {
                return -3;
            }

            if (d <= -_t1)
            {
                return -2;
            }

            if (d < 0)
            {
                return -1;
            }

            if (d == 0)
            {
                return 0;
            }

            if (d < _t1)
            {
                return 1;
            }

            if (d < _t2)
            {
                return 2;
            }

            return d < _t3 ? 3 : 4;
        }

        private static int Clamp(int i, int j, int maxVal) => i > maxVal || i < j ? j : i;
    }
}
