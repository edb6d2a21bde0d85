using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace MedImageCleaner.Dicom.IO;

/// <summary>
/// The bytes of one value, in little-endian order: held in memory, or a reference (offset, length) into the source
/// file that is copied stream to stream on write, so large values never need to be loaded.
/// </summary>
public abstract class ValueSource
{
    /// <summary>The value length in bytes (as stored, before padding to even length).</summary>
    public abstract long Length { get; }

    /// <summary>True when the bytes are held in memory.</summary>
    public abstract bool IsInMemory { get; }

    /// <summary>An empty value.</summary>
    public static ValueSource Empty { get; } = new MemoryValueSource(ReadOnlyMemory<byte>.Empty);

    /// <summary>Wraps bytes already in little-endian order.</summary>
    public static ValueSource FromBytes(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? Empty : new MemoryValueSource(bytes);

    /// <summary>Reads all bytes into memory. Callers must bound the size (see <see cref="Length"/>) first.</summary>
    public abstract ReadOnlyMemory<byte> GetBytes();

    /// <summary>Copies the value to a stream, optionally swapping each unit of <paramref name="swapUnit"/> bytes.</summary>
    public abstract void CopyTo(Stream destination, int swapUnit);

    /// <summary>Reads <paramref name="buffer"/>.Length bytes starting at <paramref name="offset"/> within the value.</summary>
    public abstract int Read(long offset, Span<byte> buffer);

    /// <summary>Swaps the bytes of each unit in place (2, 4 or 8 bytes).</summary>
    public static void Swap(Span<byte> data, int unit)
    {
        switch (unit)
        {
            case 2:
                var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(data[..(data.Length & ~1)]);
                BinaryPrimitives.ReverseEndianness(s, s);
                break;
            case 4:
                var i = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(data[..(data.Length & ~3)]);
                BinaryPrimitives.ReverseEndianness(i, i);
                break;
            case 8:
                var l = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(data[..(data.Length & ~7)]);
                BinaryPrimitives.ReverseEndianness(l, l);
                break;
            default:
                break;
        }
    }
}

/// <summary>A value held in memory.</summary>
public sealed class MemoryValueSource(ReadOnlyMemory<byte> bytes) : ValueSource
{
    public override long Length => bytes.Length;

    public override bool IsInMemory => true;

    public override ReadOnlyMemory<byte> GetBytes() => bytes;

    public override void CopyTo(Stream destination, int swapUnit)
    {
        if (swapUnit <= 1)
        {
            destination.Write(bytes.Span);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Math.Min(bytes.Length, 1 << 16));
        try
        {
            for (var pos = 0; pos < bytes.Length; pos += rented.Length)
            {
                var n = Math.Min(rented.Length, bytes.Length - pos);
                var chunk = rented.AsSpan(0, n);
                bytes.Span.Slice(pos, n).CopyTo(chunk);
                Swap(chunk, swapUnit);
                destination.Write(chunk);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override int Read(long offset, Span<byte> buffer)
    {
        if (offset >= bytes.Length)
        {
            return 0;
        }

        var n = (int)Math.Min(buffer.Length, bytes.Length - offset);
        bytes.Span.Slice((int)offset, n).CopyTo(buffer);
        return n;
    }
}

/// <summary>A reference to a range of an open file; bytes are read on demand (positional reads, thread-safe).</summary>
public sealed class FileSliceValueSource : ValueSource
{
    private readonly SafeFileHandle _handle;
    private readonly long _offset;
    private readonly long _length;
    private readonly int _sourceSwapUnit;

    /// <param name="handle">The open file; it must stay open while the value is used.</param>
    /// <param name="offset">Byte offset of the value in the file.</param>
    /// <param name="length">Value length.</param>
    /// <param name="sourceSwapUnit">Unit size to swap when the file is big-endian (1 for none).</param>
    public FileSliceValueSource(SafeFileHandle handle, long offset, long length, int sourceSwapUnit)
    {
        _handle = handle;
        _offset = offset;
        _length = length;
        _sourceSwapUnit = sourceSwapUnit;
    }

    public override long Length => _length;

    public override bool IsInMemory => false;

    public override ReadOnlyMemory<byte> GetBytes()
    {
        if (_length > Array.MaxLength)
        {
            throw new DicomLimitExceededException("The value is too large to load into memory.");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)_length);
        var n = Read(0, bytes);
        return bytes.AsMemory(0, n);
    }

    public override void CopyTo(Stream destination, int swapUnit)
    {
        var rented = ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            var swap = _sourceSwapUnit > 1 ^ swapUnit > 1 ? Math.Max(_sourceSwapUnit, swapUnit) : 1;
            for (long pos = 0; pos < _length;)
            {
                var want = (int)Math.Min(rented.Length, _length - pos);
                var n = RandomAccess.Read(_handle, rented.AsSpan(0, want), _offset + pos);
                if (n <= 0)
                {
                    throw new DicomReadException("The source file ended inside a value: it changed or was truncated after it was read.");
                }

                var chunk = rented.AsSpan(0, n);
                if (swap > 1)
                {
                    Swap(chunk, swap);
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

        var want = (int)Math.Min(buffer.Length, _length - offset);
        var total = 0;
        while (total < want)
        {
            var n = RandomAccess.Read(_handle, buffer.Slice(total, want - total), _offset + offset + total);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        if (_sourceSwapUnit > 1)
        {
            // Units are aligned to the value start; the caller reads aligned ranges.
            Swap(buffer[..total], _sourceSwapUnit);
        }

        return total;
    }
}
