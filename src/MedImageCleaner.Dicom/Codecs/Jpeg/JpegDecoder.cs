using System.Buffers.Binary;

namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <summary>
/// Decodes one JPEG interchange-format codestream (ITU-T T.81): Huffman-coded sequential DCT (baseline SOF0, extended
/// SOF1, 8- and 12-bit) and lossless process 14 (SOF3, precision 2..16, selection values 1..7, point transform),
/// 1..4 components, interleaved and non-interleaved scans, restart intervals. Progressive, hierarchical and
/// arithmetic-coded frames, and DNL, are reported unsupported. Damaged data throws <see cref="PixelCodecException"/>;
/// allocation is bounded by the dimensions the caller expects.
/// </summary>
internal sealed partial class JpegDecoder
{
    private const long MaxSamples = 1L << 28;

    private readonly byte[] _data;
    private readonly JpegDecodeOptions _options;
    private readonly JpegHuffmanTable?[] _dc = new JpegHuffmanTable?[4];
    private readonly JpegHuffmanTable?[] _ac = new JpegHuffmanTable?[4];
    private readonly ushort[]?[] _quant = new ushort[4][];
    private Component[] _components = [];
    private int _restartInterval;
    private int _precision;
    private int _width;
    private int _height;
    private bool _lossless;
    private bool _frameSeen;
    private int _hMax;
    private int _vMax;
    private int _scans;

    // Entropy-coded segment reader: left-aligned bit accumulator.
    private int _pos;
    private ulong _acc;
    private int _bits;
    private int _fillBytes;

    private JpegDecoder(byte[] data, JpegDecodeOptions options)
    {
        _data = data;
        _options = options;
    }

    /// <summary>Decodes <paramref name="codestream"/>.</summary>
    /// <exception cref="PixelCodecException">Damaged data or an unsupported JPEG process.</exception>
    public static JpegImage Decode(byte[] codestream, JpegDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(codestream);
        ArgumentNullException.ThrowIfNull(options);
        return new JpegDecoder(codestream, options).Run();
    }

    private static PixelCodecException Damaged(string message) => new(message);

    private static PixelCodecException Unsupported(string message) => new(message) { IsUnsupported = true };

    private JpegImage Run()
    {
        if (_data.Length < 4 || _data[0] != 0xFF || _data[1] != 0xD8)
        {
            throw Damaged("The JPEG codestream does not start with an SOI marker.");
        }

        _pos = 2;
        while (true)
        {
            var marker = NextMarker();
            if (marker < 0 || marker == 0xD9)
            {
                // End of data without EOI is tolerated once every component has been decoded.
                break;
            }

            switch (marker)
            {
                case 0xC0:
                case 0xC1:
                case 0xC3:
                    ReadFrameHeader(marker);
                    break;
                case 0xC2:
                    throw Unsupported("Progressive JPEG (SOF2) is not supported.");
                case 0xC5:
                case 0xC6:
                case 0xC7:
                    throw Unsupported("Hierarchical JPEG is not supported.");
                case 0xC9:
                case 0xCA:
                case 0xCB:
                case 0xCD:
                case 0xCE:
                case 0xCF:
                    throw Unsupported("Arithmetic-coded JPEG is not supported.");
                case 0xC4:
                    ReadHuffmanTables();
                    break;
                case 0xCC:
                    throw Unsupported("Arithmetic-coded JPEG is not supported.");
                case 0xDB:
                    ReadQuantizationTables();
                    break;
                case 0xDD:
                    ReadRestartInterval();
                    break;
                case 0xDA:
                    ReadScan();
                    break;
                case 0xDC:
                    throw Unsupported("JPEG frames whose height is defined by a DNL marker are not supported.");
                case 0xD8:
                    throw Damaged("The JPEG codestream holds a second SOI marker.");
                case >= 0xD0 and <= 0xD7:
                case 0x01:
                    break;
                default:
                    SkipSegment();
                    break;
            }
        }

        if (!_frameSeen || _scans == 0)
        {
            throw Damaged("The JPEG codestream holds no frame or no scan.");
        }

        foreach (var c in _components)
        {
            if (!c.Decoded)
            {
                throw Damaged("A component of the JPEG frame is not coded in any scan.");
            }
        }

        return _lossless ? AssembleLossless() : AssembleDct();
    }

    /// <summary>The next marker code at or after the current position (fill bytes skipped), or -1 at the end of data.</summary>
    private int NextMarker()
    {
        while (_pos < _data.Length && _data[_pos] != 0xFF)
        {
            _pos++;
        }

        while (_pos < _data.Length && _data[_pos] == 0xFF)
        {
            _pos++;
        }

        if (_pos >= _data.Length)
        {
            return -1;
        }

        return _data[_pos++];
    }

    /// <summary>The payload of the segment at the current position (after its length); advances past it.</summary>
    private ReadOnlySpan<byte> ReadSegment()
    {
        if (_pos + 2 > _data.Length)
        {
            throw Damaged("A JPEG marker segment is truncated.");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(_pos));
        if (length < 2 || _pos + length > _data.Length)
        {
            throw Damaged("A JPEG marker segment has an invalid length.");
        }

        var payload = _data.AsSpan(_pos + 2, length - 2);
        _pos += length;
        return payload;
    }

    private void SkipSegment() => _ = ReadSegment();

    private void ReadFrameHeader(int marker)
    {
        if (_frameSeen)
        {
            throw Damaged("The JPEG codestream holds more than one frame header.");
        }

        var s = ReadSegment();
        if (s.Length < 6)
        {
            throw Damaged("The JPEG frame header is truncated.");
        }

        _frameSeen = true;
        _lossless = marker == 0xC3;
        _precision = s[0];
        _height = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
        _width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        int nf = s[5];
        if (_lossless ? _precision is < 2 or > 16 : _precision is not (8 or 12) || (marker == 0xC0 && _precision != 8))
        {
            throw Damaged("The JPEG frame header has a sample precision its process does not allow.");
        }

        if (_height == 0)
        {
            throw Unsupported("JPEG frames whose height is defined by a DNL marker are not supported.");
        }

        if (_width == 0 || nf == 0)
        {
            throw Damaged("The JPEG frame header has no columns or no components.");
        }

        if (nf > 4)
        {
            throw Unsupported("JPEG frames with more than four components are not supported.");
        }

        if (s.Length < 6 + (3 * nf))
        {
            throw Damaged("The JPEG frame header is truncated.");
        }

        if (_width != _options.Columns || _height != _options.Rows)
        {
            throw Damaged("The JPEG frame size differs from the Rows and Columns of the dataset.");
        }

        if ((long)_width * _height * nf > MaxSamples)
        {
            throw Unsupported("The JPEG frame is larger than the decoder accepts.");
        }

        _components = new Component[nf];
        for (var i = 0; i < nf; i++)
        {
            var id = s[6 + (3 * i)];
            var h = s[7 + (3 * i)] >> 4;
            var v = s[7 + (3 * i)] & 15;
            var tq = s[8 + (3 * i)];
            if (h is < 1 or > 4 || v is < 1 or > 4 || tq > 3)
            {
                throw Damaged("A JPEG frame component has invalid sampling factors or table selector.");
            }

            for (var j = 0; j < i; j++)
            {
                if (_components[j].Id == id)
                {
                    throw Damaged("Two JPEG frame components share one identifier.");
                }
            }

            _components[i] = new Component { Id = id, H = h, V = v, Tq = tq };
            _hMax = Math.Max(_hMax, h);
            _vMax = Math.Max(_vMax, v);
        }

        if (_lossless)
        {
            foreach (var c in _components)
            {
                if (c.H != 1 || c.V != 1)
                {
                    throw Unsupported("Subsampled lossless JPEG is not supported.");
                }

                c.Width = _width;
                c.Height = _height;
                c.Stride = _width;
                c.Plane = new ushort[_width * _height];
            }

            return;
        }

        var mcusX = (_width + (8 * _hMax) - 1) / (8 * _hMax);
        var mcusY = (_height + (8 * _vMax) - 1) / (8 * _vMax);
        foreach (var c in _components)
        {
            c.Width = ((_width * c.H) + _hMax - 1) / _hMax;
            c.Height = ((_height * c.V) + _vMax - 1) / _vMax;
            c.BlocksPerLine = mcusX * c.H;
            c.BlocksPerColumn = mcusY * c.V;
            c.Stride = c.BlocksPerLine * 8;
            c.Plane = new ushort[c.Stride * c.BlocksPerColumn * 8];
        }
    }

    private void ReadHuffmanTables()
    {
        var s = ReadSegment();
        while (s.Length > 0)
        {
            if (s.Length < 17)
            {
                throw Damaged("A JPEG Huffman table is truncated.");
            }

            var tc = s[0] >> 4;
            var th = s[0] & 15;
            if (tc > 1 || th > 3)
            {
                throw Damaged("A JPEG Huffman table has an invalid class or identifier.");
            }

            var counts = s.Slice(1, 16);
            var total = 0;
            foreach (var n in counts)
            {
                total += n;
            }

            if (total > 256 || s.Length < 17 + total)
            {
                throw Damaged("A JPEG Huffman table is truncated or too large.");
            }

            var table = new JpegHuffmanTable(counts, s.Slice(17, total));
            if (tc == 0)
            {
                _dc[th] = table;
            }
            else
            {
                _ac[th] = table;
            }

            s = s[(17 + total)..];
        }
    }

    private void ReadQuantizationTables()
    {
        var s = ReadSegment();
        while (s.Length > 0)
        {
            var pq = s[0] >> 4;
            var tq = s[0] & 15;
            if (pq > 1 || tq > 3)
            {
                throw Damaged("A JPEG quantization table has an invalid precision or identifier.");
            }

            var size = pq == 0 ? 64 : 128;
            if (s.Length < 1 + size)
            {
                throw Damaged("A JPEG quantization table is truncated.");
            }

            var table = new ushort[64];
            var zz = JpegIdct.ZigZag;
            for (var k = 0; k < 64; k++)
            {
                table[zz[k]] = pq == 0 ? s[1 + k] : BinaryPrimitives.ReadUInt16BigEndian(s[(1 + (2 * k))..]);
            }

            _quant[tq] = table;
            s = s[(1 + size)..];
        }
    }

    private void ReadRestartInterval()
    {
        var s = ReadSegment();
        if (s.Length < 2)
        {
            throw Damaged("The JPEG DRI segment is truncated.");
        }

        _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(s);
    }

    private void ReadScan()
    {
        if (!_frameSeen)
        {
            throw Damaged("A JPEG scan comes before the frame header.");
        }

        var s = ReadSegment();
        if (s.Length < 1)
        {
            throw Damaged("The JPEG scan header is truncated.");
        }

        int ns = s[0];
        if (ns is < 1 or > 4 || s.Length < 4 + (2 * ns))
        {
            throw Damaged("The JPEG scan header is truncated or has an invalid component count.");
        }

        var comps = new Component[ns];
        for (var i = 0; i < ns; i++)
        {
            var id = s[1 + (2 * i)];
            var td = s[2 + (2 * i)] >> 4;
            var ta = s[2 + (2 * i)] & 15;
            Component? found = null;
            foreach (var c in _components)
            {
                if (c.Id == id)
                {
                    found = c;
                }
            }

            if (found is null || found.Decoded || td > 3 || ta > 3)
            {
                throw Damaged("A JPEG scan names an unknown or repeated component, or an invalid table.");
            }

            for (var j = 0; j < i; j++)
            {
                if (ReferenceEquals(comps[j], found))
                {
                    throw Damaged("A JPEG scan names one component twice.");
                }
            }

            found.DcTable = _dc[td] ?? throw Damaged("A JPEG scan uses a Huffman table that is not defined.");
            if (!_lossless)
            {
                found.AcTable = _ac[ta] ?? throw Damaged("A JPEG scan uses a Huffman table that is not defined.");
                found.Quant = _quant[found.Tq] ?? throw Damaged("A JPEG component uses a quantization table that is not defined.");
            }

            comps[i] = found;
        }

        int ss = s[1 + (2 * ns)];
        var ah = s[3 + (2 * ns)] >> 4;
        var al = s[3 + (2 * ns)] & 15;
        if (!_lossless && ns > 1)
        {
            var blocks = 0;
            foreach (var c in comps)
            {
                blocks += c.H * c.V;
            }

            if (blocks > 10)
            {
                throw Damaged("A JPEG scan has more than ten blocks in its MCU.");
            }
        }

        _acc = 0;
        _bits = 0;
        _fillBytes = 0;
        if (_lossless)
        {
            if (ss is < 1 or > 7 || ah != 0 || al >= _precision)
            {
                throw Damaged("The lossless JPEG scan has an invalid predictor or point transform.");
            }

            DecodeLosslessScan(comps, ss, al);
        }
        else
        {
            // Ss, Se, Ah and Al are ignored for sequential scans, as IJG libjpeg does (it only warns): some encoders
            // write Se = 0.
            DecodeDctScan(comps);
        }

        foreach (var c in comps)
        {
            c.Decoded = true;
        }

        _scans++;
        FinishEntropySegment();
    }

    // ---- Entropy-coded data ---------------------------------------------------------------------------------

    private void Fill()
    {
        while (_bits <= 56)
        {
            int b;
            if (_pos < _data.Length)
            {
                b = _data[_pos];
                if (b == 0xFF)
                {
                    if (_pos + 1 < _data.Length && _data[_pos + 1] == 0x00)
                    {
                        _pos += 2;
                    }
                    else
                    {
                        // A marker: supply zero bits and stay in front of it.
                        b = 0;
                        _fillBytes++;
                    }
                }
                else
                {
                    _pos++;
                }
            }
            else
            {
                b = 0;
                _fillBytes++;
            }

            if (_fillBytes > 32)
            {
                throw Damaged("The JPEG entropy-coded data ends before the scan is complete.");
            }

            _acc |= (ulong)b << (56 - _bits);
            _bits += 8;
        }
    }

    private int Receive(int s)
    {
        if (s == 0)
        {
            return 0;
        }

        if (_bits < s)
        {
            Fill();
        }

        var v = (int)(_acc >> (64 - s));
        _acc <<= s;
        _bits -= s;
        return v;
    }

    private static int Extend(int v, int s) => v < 1 << (s - 1) ? v - (1 << s) + 1 : v;

    private int DecodeHuffman(JpegHuffmanTable table)
    {
        if (_bits < 16)
        {
            Fill();
        }

        var r = table.Decode((int)(_acc >> 48));
        var len = r >> 8;
        _acc <<= len;
        _bits -= len;
        return r & 0xFF;
    }

    /// <summary>Checks the bits used did not run past the data, and leaves the position at the next marker.</summary>
    private void FinishEntropySegment()
    {
        if (_fillBytes * 8 > _bits)
        {
            throw Damaged("The JPEG entropy-coded data ends before the scan is complete.");
        }

        _acc = 0;
        _bits = 0;
        _fillBytes = 0;
    }

    private void Restart(ref int expected)
    {
        FinishEntropySegment();
        if (_pos + 1 >= _data.Length || _data[_pos] != 0xFF)
        {
            throw Damaged("A JPEG restart marker is missing.");
        }

        while (_pos + 1 < _data.Length && _data[_pos + 1] == 0xFF)
        {
            _pos++;
        }

        if (_pos + 1 >= _data.Length || _data[_pos + 1] != 0xD0 + expected)
        {
            throw Damaged("A JPEG restart marker is missing or out of sequence.");
        }

        _pos += 2;
        expected = (expected + 1) & 7;
    }
}
