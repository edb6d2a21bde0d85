using System.Buffers.Binary;

namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <content>Sequential DCT scans (baseline and extended): Huffman-coded blocks, dequantisation, inverse DCT and colour conversion.</content>
internal sealed partial class JpegDecoder
{
    private void DecodeDctScan(Component[] comps)
    {
        Span<int> coef = stackalloc int[64];
        Span<int> ws = stackalloc int[64];
        foreach (var c in comps)
        {
            c.DcPred = 0;
        }

        var expected = 0;
        if (comps.Length == 1)
        {
            var c = comps[0];
            var bx = (c.Width + 7) / 8;
            var by = (c.Height + 7) / 8;
            var mcus = 0;
            for (var y = 0; y < by; y++)
            {
                for (var x = 0; x < bx; x++)
                {
                    if (_restartInterval > 0 && mcus > 0 && mcus % _restartInterval == 0)
                    {
                        Restart(ref expected);
                        c.DcPred = 0;
                    }

                    DecodeBlock(c, coef, ws, x, y);
                    mcus++;
                }
            }

            return;
        }

        var mcusX = (_width + (8 * _hMax) - 1) / (8 * _hMax);
        var mcusY = (_height + (8 * _vMax) - 1) / (8 * _vMax);
        var m = 0;
        for (var my = 0; my < mcusY; my++)
        {
            for (var mx = 0; mx < mcusX; mx++)
            {
                if (_restartInterval > 0 && m > 0 && m % _restartInterval == 0)
                {
                    Restart(ref expected);
                    foreach (var c in comps)
                    {
                        c.DcPred = 0;
                    }
                }

                foreach (var c in comps)
                {
                    for (var v = 0; v < c.V; v++)
                    {
                        for (var h = 0; h < c.H; h++)
                        {
                            DecodeBlock(c, coef, ws, (mx * c.H) + h, (my * c.V) + v);
                        }
                    }
                }

                m++;
            }
        }
    }

    private void DecodeBlock(Component c, Span<int> coef, Span<int> ws, int bx, int by)
    {
        coef.Clear();
        var zz = JpegIdct.ZigZag;
        var t = DecodeHuffman(c.DcTable!);
        if (t > 16)
        {
            throw Damaged("The JPEG data holds an invalid DC difference category.");
        }

        c.DcPred += t == 0 ? 0 : Extend(Receive(t), t);
        coef[0] = c.DcPred;
        var ac = c.AcTable!;
        for (var k = 1; k < 64; k++)
        {
            var rs = DecodeHuffman(ac);
            var r = rs >> 4;
            var s = rs & 15;
            if (s != 0)
            {
                k += r;
                if (k > 63)
                {
                    throw Damaged("A JPEG block holds more than 64 coefficients.");
                }

                coef[zz[k]] = Extend(Receive(s), s);
            }
            else if (r == 15)
            {
                k += 15;
            }
            else
            {
                break;
            }
        }

        JpegIdct.Transform(coef, c.Quant, ws, c.Plane, (by * 8 * c.Stride) + (bx * 8), c.Stride, _precision);
    }

    private JpegImage AssembleDct()
    {
        var n = _components.Length;
        var planes = new ushort[n][];
        for (var ci = 0; ci < n; ci++)
        {
            planes[ci] = JpegUpsampler.Upsample(_components[ci], _hMax, _vMax, _width, _height);
        }

        var count = _width * _height;
        var samples = new ushort[count * n];
        var convert = _options.ConvertYCbCrToRgb && n == 3;
        if (convert)
        {
            JpegColor.YCbCrToRgb(planes[0], planes[1], planes[2], samples, _precision);
        }
        else
        {
            for (var ci = 0; ci < n; ci++)
            {
                var p = planes[ci];
                for (var i = 0; i < count; i++)
                {
                    samples[(i * n) + ci] = p[i];
                }
            }
        }

        return new JpegImage(_width, _height, n, _precision, isLossless: false, convert, samples);
    }
}
