using System.Buffers.Binary;
using System.IO.Compression;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>
/// Writes PNG files (PNG specification, 3rd edition): signature, IHDR, IDAT chunks of zlib data, IEND. Grey (colour
/// type 0) or RGB (colour type 2), 8 or 16 bits per sample (16-bit samples big endian), no interlace.
/// </summary>
internal static class PngWriter
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(Stream output, RenderedImage image, PngCompressionLevel level, PngRowFilter filter)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(image);
        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], image.Height);
        ihdr[8] = (byte)image.BitDepth;
        ihdr[9] = (byte)(image.Channels == 3 ? 2 : 0);
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering (method 0)
        ihdr[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, ihdr);

        var zlevel = level switch
        {
            PngCompressionLevel.Optimal => CompressionLevel.Optimal,
            PngCompressionLevel.SmallestSize => CompressionLevel.SmallestSize,
            _ => CompressionLevel.Fastest,
        };
        var chosen = filter == PngRowFilter.Auto ? (level == PngCompressionLevel.Fastest ? PngRowFilter.None : PngRowFilter.Adaptive) : filter;
        using (var idat = new IdatStream(output))
        {
            using var z = new ZLibStream(idat, zlevel, leaveOpen: true);
            WriteRows(z, image, chosen);
        }

        WriteChunk(output, "IEND"u8, []);
    }

    private static void WriteRows(Stream z, RenderedImage image, PngRowFilter filter)
    {
        var bpp = image.Channels * image.BytesPerSample;
        var rowBytes = image.Width * bpp;
        var previous = new byte[rowBytes];
        var current = new byte[rowBytes];
        var filtered = new byte[rowBytes + 1];
        var candidate = filter == PngRowFilter.Adaptive ? new byte[rowBytes + 1] : null;
        var src = image.Data;
        for (var y = 0; y < image.Height; y++)
        {
            var row = src.AsSpan(y * rowBytes, rowBytes);
            if (image.BytesPerSample == 2)
            {
                for (var i = 0; i < rowBytes; i += 2)
                {
                    current[i] = row[i + 1];
                    current[i + 1] = row[i];
                }
            }
            else
            {
                row.CopyTo(current);
            }

            if (filter == PngRowFilter.Adaptive)
            {
                long best = long.MaxValue;
                for (var type = 0; type <= 4; type++)
                {
                    var score = Filter(type, current, previous, bpp, candidate!);
                    if (score < best)
                    {
                        best = score;
                        candidate.AsSpan().CopyTo(filtered);
                    }
                }
            }
            else
            {
                Filter((int)filter - 1, current, previous, bpp, filtered);
            }

            z.Write(filtered);
            (previous, current) = (current, previous);
        }
    }

    /// <summary>Filters one row with filter <paramref name="type"/> into <paramref name="output"/> (type byte first); returns the sum of absolute signed bytes.</summary>
    internal static long Filter(int type, byte[] row, byte[] above, int bpp, byte[] output)
    {
        output[0] = (byte)type;
        long score = 0;
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = above[i];
            int c = i >= bpp ? above[i - bpp] : 0;
            var predictor = type switch
            {
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                4 => Paeth(a, b, c),
                _ => 0,
            };
            var v = (byte)(row[i] - predictor);
            output[i + 1] = v;
            score += v < 128 ? v : 256 - v;
        }

        return score;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        type.CopyTo(head[4..]);
        output.Write(head);
        output.Write(data);
        var crc = Crc32.Update(Crc32.Update(Crc32.Initial, type), data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, Crc32.Final(crc));
        output.Write(tail);
    }

    /// <summary>Collects zlib output and writes it as IDAT chunks of up to 256 KiB.</summary>
    private sealed class IdatStream(Stream output) : Stream
    {
        private readonly byte[] _buffer = new byte[256 * 1024];
        private int _count;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _buffer.Length - _count);
                buffer[..n].CopyTo(_buffer.AsSpan(_count));
                _count += n;
                buffer = buffer[n..];
                if (_count == _buffer.Length)
                {
                    Flush();
                }
            }
        }

        public override void Flush()
        {
            if (_count > 0)
            {
                WriteChunk(output, "IDAT"u8, _buffer.AsSpan(0, _count));
                _count = 0;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>CRC-32 (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320, reflected), as PNG chunks use it.</summary>
internal static class Crc32
{
    public const uint Initial = 0xFFFFFFFFu;

    private static readonly uint[] Table = BuildTable();

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    public static uint Final(uint crc) => crc ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
