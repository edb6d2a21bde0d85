namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <summary>
/// A Huffman decoding table built from a DHT segment (ITU-T T.81 Annex C and F.2.2.3): a 9-bit lookahead table for
/// short codes and the MINCODE/MAXCODE/VALPTR procedure of Figure F.16 for longer ones.
/// </summary>
internal sealed class JpegHuffmanTable
{
    internal const int LookaheadBits = 9;

    // Entry: (code length << 8) | value; 0 = code longer than LookaheadBits.
    private readonly ushort[] _lookahead = new ushort[1 << LookaheadBits];
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valPtr = new int[17];
    private readonly int[] _minCode = new int[17];
    private readonly byte[] _values;

    /// <param name="counts">BITS: the number of codes of each length 1..16 (index 0 = length 1).</param>
    /// <param name="values">HUFFVAL, in order of increasing code length.</param>
    public JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        _values = values.ToArray();
        var code = 0;
        var k = 0;
        for (var len = 1; len <= 16; len++)
        {
            var n = counts[len - 1];
            _valPtr[len] = k;
            _minCode[len] = code;
            for (var i = 0; i < n; i++)
            {
                if (code >= 1 << len)
                {
                    throw new PixelCodecException("A JPEG Huffman table defines more codes than its code lengths allow.");
                }

                if (len <= LookaheadBits)
                {
                    var shift = LookaheadBits - len;
                    var first = code << shift;
                    var entry = (ushort)((len << 8) | values[k]);
                    for (var j = 0; j < 1 << shift; j++)
                    {
                        _lookahead[first + j] = entry;
                    }
                }

                code++;
                k++;
            }

            _maxCode[len] = n == 0 ? -1 : code - 1;
            code <<= 1;
        }

        _maxCode[17] = int.MaxValue;
    }

    /// <summary>Decodes one value; <paramref name="peek16"/> holds the next 16 bits of the stream, MSB first.</summary>
    /// <returns>(length &lt;&lt; 8) | value.</returns>
    public int Decode(int peek16)
    {
        int entry = _lookahead[peek16 >> (16 - LookaheadBits)];
        if (entry != 0)
        {
            return entry;
        }

        for (var len = LookaheadBits + 1; len <= 16; len++)
        {
            var c = peek16 >> (16 - len);
            if (c <= _maxCode[len])
            {
                var idx = _valPtr[len] + c - _minCode[len];
                if ((uint)idx >= (uint)_values.Length)
                {
                    break;
                }

                return (len << 8) | _values[idx];
            }
        }

        throw new PixelCodecException("The JPEG entropy-coded data holds a code that is not in its Huffman table.");
    }
}
