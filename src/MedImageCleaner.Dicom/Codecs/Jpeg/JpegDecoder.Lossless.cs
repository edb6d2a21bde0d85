using System.Buffers.Binary;

namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <content>Lossless scans (process 14): prediction from the selected neighbours and the point transform.</content>
internal sealed partial class JpegDecoder
{
    private void DecodeLosslessScan(Component[] comps, int predictor, int pointTransform)
    {
        if (_restartInterval > 0 && _restartInterval % _width != 0)
        {
            // T.81 H.1.1: in lossless mode a restart interval is a whole number of MCU rows.
            throw Damaged("The lossless JPEG restart interval is not a multiple of the samples per line.");
        }

        var initial = 1 << (_precision - pointTransform - 1);
        foreach (var c in comps)
        {
            c.PointTransform = pointTransform;
        }

        var width = _width;
        var expected = 0;
        var mcus = 0;
        var firstSample = true;
        var firstLine = true;
        for (var y = 0; y < _height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (_restartInterval > 0 && mcus > 0 && mcus % _restartInterval == 0)
                {
                    Restart(ref expected);
                    firstSample = true;
                    firstLine = true;
                }
                else if (x == 0 && !firstSample)
                {
                    firstLine = false;
                }

                foreach (var c in comps)
                {
                    var plane = c.Plane;
                    var i = (y * width) + x;
                    int px;
                    if (firstSample)
                    {
                        px = initial;
                    }
                    else if (firstLine)
                    {
                        px = plane[i - 1];
                    }
                    else if (x == 0)
                    {
                        px = plane[i - width];
                    }
                    else
                    {
                        int ra = plane[i - 1];
                        int rb = plane[i - width];
                        int rc = plane[i - width - 1];
                        px = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            _ => (ra + rb) >> 1,
                        };
                    }

                    var t = DecodeHuffman(c.DcTable!);
                    int diff;
                    if (t == 0)
                    {
                        diff = 0;
                    }
                    else if (t < 16)
                    {
                        diff = Extend(Receive(t), t);
                    }
                    else if (t == 16)
                    {
                        diff = 32768;
                    }
                    else
                    {
                        throw Damaged("The lossless JPEG data holds an invalid difference category.");
                    }

                    plane[i] = (ushort)(px + diff);
                }

                firstSample = false;
                mcus++;
            }
        }
    }

    private JpegImage AssembleLossless()
    {
        var n = _components.Length;
        var count = _width * _height;
        var samples = new ushort[count * n];
        for (var ci = 0; ci < n; ci++)
        {
            var c = _components[ci];
            var plane = c.Plane;
            var pt = c.PointTransform;
            for (var i = 0; i < count; i++)
            {
                samples[(i * n) + ci] = (ushort)(plane[i] << pt);
            }
        }

        return new JpegImage(_width, _height, n, _precision, isLossless: true, colorConverted: false, samples);
    }
}
