using System.Buffers.Binary;

namespace MedImageCleaner.Network;

/// <summary>A growable big-endian byte buffer for building PDUs (the Upper Layer is big-endian, PS3.8 9.3.1).</summary>
internal sealed class ByteWriter(int capacity)
{
    private byte[] _buffer = new byte[Math.Max(16, capacity)];

    public int Length { get; private set; }

    public void U8(byte value)
    {
        Grow(1);
        _buffer[Length++] = value;
    }

    public void U16(ushort value)
    {
        Grow(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Length), value);
        Length += 2;
    }

    public void U32(uint value)
    {
        Grow(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Grow(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    public void Zeros(int count)
    {
        Grow(count);
        _buffer.AsSpan(Length, count).Clear();
        Length += count;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private void Grow(int more)
    {
        if (Length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }
}
