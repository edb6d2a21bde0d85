using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace MedImageCleaner.Dicom.IO;

/// <summary>Buffered positional input over a byte array or an open file handle.</summary>
internal sealed class DicomInput
{
    private const int BufferSize = 64 * 1024;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly SafeFileHandle? _handle;
    private readonly long _length;
    private readonly long _baseOffset;
    private byte[]? _buffer;
    private long _bufferStart;
    private int _bufferLength;

    public DicomInput(ReadOnlyMemory<byte> memory)
    {
        _memory = memory;
        _length = memory.Length;
    }

    public DicomInput(SafeFileHandle handle, long baseOffset, long length)
    {
        _handle = handle;
        _baseOffset = baseOffset;
        _length = length;
    }

    public long Position { get; set; }

    public long Length => _length;

    public long Remaining => _length - Position;

    public bool IsMemory => _handle is null;

    public SafeFileHandle? Handle => _handle;

    /// <summary>Makes <paramref name="count"/> bytes at the current position readable through <see cref="Peek"/>.</summary>
    public bool Ensure(int count)
    {
        if (Position + count > _length)
        {
            return false;
        }

        if (_handle is null)
        {
            return true;
        }

        if (_buffer is not null && Position >= _bufferStart && Position + count <= _bufferStart + _bufferLength)
        {
            return true;
        }

        _buffer ??= new byte[BufferSize];
        _bufferStart = Position;
        var want = (int)Math.Min(_buffer.Length, _length - Position);
        var total = 0;
        while (total < want)
        {
            var n = RandomAccess.Read(_handle, _buffer.AsSpan(total, want - total), _baseOffset + Position + total);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        _bufferLength = total;
        return total >= count;
    }

    /// <summary>The bytes at the current position; call <see cref="Ensure"/> first.</summary>
    public ReadOnlySpan<byte> Peek(int count) => _handle is null
        ? _memory.Span.Slice((int)Position, count)
        : _buffer.AsSpan((int)(Position - _bufferStart), count);

    public ushort ReadUInt16(bool bigEndian)
    {
        var s = Peek(2);
        Position += 2;
        return bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
    }

    public uint ReadUInt32(bool bigEndian)
    {
        var s = Peek(4);
        Position += 4;
        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
    }

    /// <summary>Reads a value of <paramref name="length"/> bytes as little-endian data.</summary>
    public ValueSource ReadValue(long length, bool asReference, int swapUnit)
    {
        if (length == 0)
        {
            return ValueSource.Empty;
        }

        var start = Position;
        Position += length;
        if (_handle is null)
        {
            var slice = _memory.Slice((int)start, (int)length);
            if (swapUnit <= 1)
            {
                return new MemoryValueSource(slice);
            }

            var copy = slice.ToArray();
            ValueSource.Swap(copy, swapUnit);
            return new MemoryValueSource(copy);
        }

        if (asReference)
        {
            return new FileSliceValueSource(_handle, _baseOffset + start, length, swapUnit);
        }

        var bytes = new byte[length];
        if (_buffer is not null && start >= _bufferStart && start + length <= _bufferStart + _bufferLength)
        {
            _buffer.AsSpan((int)(start - _bufferStart), (int)length).CopyTo(bytes);
        }
        else
        {
            var total = 0;
            while (total < bytes.Length)
            {
                var n = RandomAccess.Read(_handle, bytes.AsSpan(total), _baseOffset + start + total);
                if (n <= 0)
                {
                    throw new DicomReadException("The file ended inside a value.", start, null);
                }

                total += n;
            }
        }

        if (swapUnit > 1)
        {
            ValueSource.Swap(bytes, swapUnit);
        }

        return new MemoryValueSource(bytes);
    }
}
