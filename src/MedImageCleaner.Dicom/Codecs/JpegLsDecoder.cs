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
internal static partial class JpegLsDecoder
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
}
