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

        var scan = new ScanEncoder(writer, width, samples, precision);
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
        private readonly BitWriter _w;
        private readonly int _width;
        private readonly JpegLsParameters _p;
        private readonly JpegLsContextModel _m;

        public ScanEncoder(BitWriter w, int width, int components, int precision)
        {
            _w = w;
            _width = width;
            _p = JpegLsParameters.Lossless(precision);
            _m = new JpegLsContextModel(_p, width, components);
        }

        public void EncodeLine(int c, int[] samples)
        {
            var m = _m;
            m.StartLine(c);
            var prev = m.Previous(c);
            var cur = m.Current(c);
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
                EncodeRegular(m.Quantize(d1), m.Quantize(d2), m.Quantize(d3), ra, rb, rc, ix);
                cur[x] = ix;
                x++;
            }

            m.EndLine(c);
        }

        private int EncodeRun(int c, int[] samples, int x)
        {
            var m = _m;
            var cur = m.Current(c);
            var prev = m.Previous(c);
            var runValue = cur[x - 1];
            var total = 0;
            while (x + total <= _width && samples[x + total - 1] == runValue)
            {
                cur[x + total] = runValue;
                total++;
            }

            var endOfLine = x + total > _width;
            var left = total;
            while (left >= (1 << m.RunOrder(c)))
            {
                _w.Write(1, 1);
                left -= 1 << m.RunOrder(c);
                m.GrowRun(c);
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
            _w.Write(left, m.RunOrder(c));
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
            var k = m.InterruptionK(riType);
            var map = (m.InterruptionFlipped(riType, k) ? err > 0 : err < 0) ? 1 : 0;
            var em = (2 * Math.Abs(err)) - riType - map;
            WriteGolomb(em, k, _p.Limit - m.RunOrder(c) - 1);
            m.UpdateInterruption(riType, err, em);
            m.ShrinkRun(c);
            cur[at] = ix;
            return at + 1;
        }

        private void EncodeRegular(int q1, int q2, int q3, int ra, int rb, int rc, int ix)
        {
            var m = _m;
            var q = JpegLsContextModel.Context(q1, q2, q3, out var sign);
            var px = m.Correct(JpegLsContextModel.Predict(ra, rb, rc), q, sign);
            var err = ModRange(sign * (ix - px));
            var k = m.RegularK(q);
            int merr;
            if (m.InvertsMapping(q, k))
            {
                merr = err >= 0 ? (2 * err) + 1 : -2 * (err + 1);
            }
            else
            {
                merr = err >= 0 ? 2 * err : (-2 * err) - 1;
            }

            WriteGolomb(merr, k, _p.Limit);
            m.UpdateRegular(q, err);
        }

        private void WriteGolomb(int value, int k, int limit)
        {
            var qbpp = _p.Qbpp;
            var escape = limit - qbpp - 1;
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
                _w.Write(value - 1, qbpp);
            }
        }

        private int ModRange(int err)
        {
            var range = _p.Range;
            if (err < 0)
            {
                err += range;
            }

            if (err >= (range + 1) / 2)
            {
                err -= range;
            }

            return err;
        }
    }
}
