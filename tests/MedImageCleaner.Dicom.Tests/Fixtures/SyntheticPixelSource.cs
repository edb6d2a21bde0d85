using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Dicom.Tests.Fixtures;

/// <summary>What a <see cref="SyntheticPixelSource"/> generates.</summary>
public enum SyntheticPattern
{
    /// <summary>Pseudo-random 12-bit values in little-endian 16-bit words; every byte depends on its offset.</summary>
    Ramp,

    /// <summary>All zeros (compresses to almost nothing: deflate bombs).</summary>
    Zeros,
}

/// <summary>
/// A value whose bytes are generated on the fly from their offset, so a gigabyte of pixel data can be written
/// without ever being held in memory. Deterministic: the same length, seed and pattern always give the same bytes.
/// </summary>
public sealed class SyntheticPixelSource : ValueSource
{
    // The pattern repeats every PeriodWords 16-bit words (a prime, so it never lines up with frames or chunks):
    // generating is a memcpy from a table, fast even in Debug builds, and a shifted byte still changes the hash.
    private const int PeriodWords = 65521;
    private const int PeriodBytes = PeriodWords * 2;
    private const int ChunkSize = 1 << 17;
    private readonly long _length;
    private readonly byte[]? _period;

    public SyntheticPixelSource(long length, int seed, SyntheticPattern pattern)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _length = length;
        if (pattern == SyntheticPattern.Ramp)
        {
            // Two periods back to back, so any range up to one period is one contiguous slice.
            _period = new byte[PeriodBytes * 2];
            var words = MemoryMarshal.Cast<byte, ushort>(_period.AsSpan());
            for (var k = 0; k < PeriodWords; k++)
            {
                var v = Word(k, seed);
                words[k] = words[k + PeriodWords] = BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
            }
        }
    }

    public override long Length => _length;

    public override bool IsInMemory => false;

    /// <summary>Fills <paramref name="destination"/> with the bytes found at <paramref name="offset"/> of a pattern.</summary>
    public static void Fill(Span<byte> destination, long offset, int seed, SyntheticPattern pattern) =>
        new SyntheticPixelSource(offset + destination.Length, seed, pattern).FillAt(destination, offset);

    /// <summary>SHA-256 of the first <paramref name="length"/> bytes of a pattern, generated in chunks.</summary>
    public static byte[] HashOf(long length, int seed, SyntheticPattern pattern)
    {
        using var sink = new HashingStream();
        new SyntheticPixelSource(length, seed, pattern).CopyTo(sink, 1);
        return sink.GetHash();
    }

    public override ReadOnlyMemory<byte> GetBytes()
    {
        if (_length > Array.MaxLength)
        {
            throw new InvalidOperationException("The synthetic value is too large to load into memory.");
        }

        var bytes = new byte[_length];
        FillAt(bytes, 0);
        return bytes;
    }

    public override void CopyTo(Stream destination, int swapUnit)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var rented = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            for (long pos = 0; pos < _length;)
            {
                var n = (int)Math.Min(ChunkSize, _length - pos);
                var chunk = rented.AsSpan(0, n);
                FillAt(chunk, pos);
                if (swapUnit > 1)
                {
                    Swap(chunk, swapUnit);
                }

                destination.Write(chunk);
                pos += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override int Read(long offset, Span<byte> buffer)
    {
        if (offset >= _length)
        {
            return 0;
        }

        var n = (int)Math.Min(buffer.Length, _length - offset);
        FillAt(buffer[..n], offset);
        return n;
    }

    private void FillAt(Span<byte> destination, long offset)
    {
        if (_period is null)
        {
            destination.Clear();
            return;
        }

        while (!destination.IsEmpty)
        {
            var start = (int)(offset % PeriodBytes);
            var n = Math.Min(destination.Length, PeriodBytes);
            _period.AsSpan(start, n).CopyTo(destination);
            destination = destination[n..];
            offset += n;
        }
    }

    private static ushort Word(long index, int seed)
    {
        var v = unchecked((uint)index * 2654435761u);
        v ^= v >> 15;
        return (ushort)((v + (uint)seed) & 0x0FFF);
    }
}
