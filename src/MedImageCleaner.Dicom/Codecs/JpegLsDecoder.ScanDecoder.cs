using System.Buffers.Binary;
using System.Numerics;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs;

/// <content>The decoder of one JPEG-LS scan (ITU-T T.87): context modelling, regular and run modes.</content>
internal static partial class JpegLsDecoder
{
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
