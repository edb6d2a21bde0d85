using System.Buffers.Binary;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>
/// Writes baseline little-endian TIFF (TIFF 6.0): one IFD per page, uncompressed strips of about 64 KiB, grey
/// (BlackIsZero) or RGB, 8 or 16 bits per sample, SampleFormat 2 for signed samples. Pages are written as they come
/// (every page has the same shape, so every offset is known in advance): memory holds one page at a time.
/// </summary>
internal sealed class TiffWriter
{
    private const int EntryCount = 15;
    private readonly Stream _output;
    private readonly int _width;
    private readonly int _height;
    private readonly int _channels;
    private readonly int _bits;
    private readonly bool _signed;
    private readonly int _pages;
    private readonly int _rowsPerStrip;
    private readonly int _strips;
    private readonly long _pageBytes;
    private readonly long _pageSize;
    private int _written;

    public TiffWriter(Stream output, int width, int height, int channels, int bits, bool signed, int pages)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _width = width;
        _height = height;
        _channels = channels;
        _bits = bits;
        _signed = signed;
        _pages = pages;
        var rowBytes = (long)width * channels * (bits / 8);
        _rowsPerStrip = (int)Math.Clamp(65536 / Math.Max(1, rowBytes), 1, height);
        _strips = (height + _rowsPerStrip - 1) / _rowsPerStrip;
        _pageBytes = rowBytes * height;
        _pageSize = Align(IfdSize + ExtraSize) + Align(_pageBytes);
        if (8 + (_pageSize * pages) > uint.MaxValue)
        {
            throw new ExportException("OutputTooLarge", "The TIFF would exceed 4 GiB; select fewer frames or export to Npy.");
        }

        Span<byte> header = stackalloc byte[8];
        header[0] = (byte)'I';
        header[1] = (byte)'I';
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 8);
        _output.Write(header);
    }

    private static int IfdSize => 2 + (EntryCount * 12) + 4;

    /// <summary>Out-of-line values: BitsPerSample and SampleFormat (RGB), two rationals, strip offsets and counts (several strips).</summary>
    private int ExtraSize => (_channels > 1 ? 2 * 2 * _channels : 0) + 16 + (_strips > 1 ? 8 * _strips : 0);

    /// <summary>Writes the next page (<see cref="RenderedImage.Data"/> little endian, as rendered).</summary>
    public void WritePage(RenderedImage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Width != _width || page.Height != _height || page.Channels != _channels || page.BitDepth != _bits || _written >= _pages)
        {
            throw new InvalidOperationException("TIFF pages must all have the shape given to the writer.");
        }

        var ifdOffset = 8 + (_pageSize * _written);
        var extra = ifdOffset + IfdSize;
        var bitsOffset = extra;
        var formatOffset = bitsOffset + (_channels > 1 ? 2 * _channels : 0);
        var xresOffset = formatOffset + (_channels > 1 ? 2 * _channels : 0);
        var yresOffset = xresOffset + 8;
        var stripOffsetsOffset = yresOffset + 8;
        var stripCountsOffset = stripOffsetsOffset + (_strips > 1 ? 4 * _strips : 0);
        var dataOffset = Align(ifdOffset + IfdSize + ExtraSize);
        var next = _written + 1 < _pages ? ifdOffset + _pageSize : 0;

        var block = new byte[Align(IfdSize + ExtraSize)];
        var s = block.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s, EntryCount);
        var e = 2;
        void Entry(ushort tag, ushort type, uint count, uint value)
        {
            var at = block.AsSpan(e);
            BinaryPrimitives.WriteUInt16LittleEndian(at, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(at[4..], count);
            BinaryPrimitives.WriteUInt32LittleEndian(at[8..], value);
            e += 12;
        }

        const ushort Short = 3, Long = 4, Rational = 5;
        var sampleFormat = (uint)(_signed ? 2 : 1);
        Entry(256, Long, 1, (uint)_width);
        Entry(257, Long, 1, (uint)_height);
        Entry(258, Short, (uint)_channels, _channels > 1 ? (uint)bitsOffset : (uint)_bits);
        Entry(259, Short, 1, 1);
        Entry(262, Short, 1, _channels > 1 ? 2u : 1u);
        Entry(273, Long, (uint)_strips, _strips > 1 ? (uint)stripOffsetsOffset : (uint)dataOffset);
        Entry(277, Short, 1, (uint)_channels);
        Entry(278, Long, 1, (uint)_rowsPerStrip);
        var rowBytes = (long)_width * _channels * (_bits / 8);
        Entry(279, Long, (uint)_strips, _strips > 1 ? (uint)stripCountsOffset : (uint)_pageBytes);
        Entry(282, Rational, 1, (uint)xresOffset);
        Entry(283, Rational, 1, (uint)yresOffset);
        Entry(284, Short, 1, 1);
        Entry(296, Short, 1, 1);
        Entry(297, Short, 2, (uint)_written | ((uint)_pages << 16));
        Entry(339, Short, (uint)_channels, _channels > 1 ? (uint)formatOffset : sampleFormat);
        BinaryPrimitives.WriteUInt32LittleEndian(s[e..], (uint)next);

        int At(long absolute) => (int)(absolute - ifdOffset);
        if (_channels > 1)
        {
            for (var c = 0; c < _channels; c++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(s[(At(bitsOffset) + (2 * c))..], (ushort)_bits);
                BinaryPrimitives.WriteUInt16LittleEndian(s[(At(formatOffset) + (2 * c))..], (ushort)sampleFormat);
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(s[At(xresOffset)..], 72);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(At(xresOffset) + 4)..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(s[At(yresOffset)..], 72);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(At(yresOffset) + 4)..], 1);
        if (_strips > 1)
        {
            for (var k = 0; k < _strips; k++)
            {
                var rows = Math.Min(_rowsPerStrip, _height - (k * _rowsPerStrip));
                BinaryPrimitives.WriteUInt32LittleEndian(s[(At(stripOffsetsOffset) + (4 * k))..], (uint)(dataOffset + (k * _rowsPerStrip * rowBytes)));
                BinaryPrimitives.WriteUInt32LittleEndian(s[(At(stripCountsOffset) + (4 * k))..], (uint)(rows * rowBytes));
            }
        }

        _output.Write(block);
        _output.Write(page.Data);
        if ((page.Data.Length & 1) != 0)
        {
            _output.WriteByte(0);
        }

        _written++;
    }

    private static long Align(long n) => (n + 1) & ~1L;
}
