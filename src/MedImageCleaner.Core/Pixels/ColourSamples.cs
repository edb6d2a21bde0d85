using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MedImageCleaner.Core.Pixels;

/// <summary>The three samples of one colour pixel of a decoded frame, scaled to 8 bits (shared by the grey and colour views).</summary>
internal static class ColourSamples
{
    /// <summary>The samples at byte <paramref name="offset"/> of <paramref name="data"/> (1, 2 or 4 bytes each), shifted right by <paramref name="shift"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Read(byte[] data, int offset, int bytesPerSample, int shift, out int a, out int b, out int c)
    {
        if (bytesPerSample == 1)
        {
            a = data[offset];
            b = data[offset + 1];
            c = data[offset + 2];
        }
        else if (bytesPerSample == 2)
        {
            a = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset)) >> shift;
            b = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset + 2)) >> shift;
            c = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset + 4)) >> shift;
        }
        else
        {
            a = (int)(BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset)) >> shift);
            b = (int)(BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4)) >> shift);
            c = (int)(BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 8)) >> shift);
        }
    }
}
