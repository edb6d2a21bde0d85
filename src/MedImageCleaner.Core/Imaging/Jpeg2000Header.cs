using System.Buffers.Binary;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Imaging;

/// <summary>
/// The image and component description from a JPEG 2000 codestream's SIZ marker segment (ITU-T T.800 A.5.1), read
/// before handing the codestream to OpenCV so that what OpenCV returns can be checked against it and the dataset.
/// A JP2 file wrapper (a 'jp2c' box) is skipped to its codestream.
/// </summary>
internal sealed record Jpeg2000Header(int Width, int Height, int Components, int BitDepth, bool IsSigned, bool IsSubsampled, bool UniformDepth, bool IsHighThroughput, bool UsesPart2Extensions, bool UsesComponentTransform)
{
    /// <summary>Offset of the codestream (its SOC marker) in the frame: 0 unless a JP2 file wrapper precedes it.</summary>
    public int CodestreamOffset { get; private init; }

    /// <summary>True when every component is signed (bit 7 of each Ssiz set), not just some.</summary>
    public bool AllSigned { get; private init; }

    public static Jpeg2000Header Read(ReadOnlySpan<byte> data)
    {
        var start = FindCodestream(data);
        var s = data[start..];
        if (s.Length < 4 || s[0] != 0xFF || s[1] != 0x4F || s[2] != 0xFF || s[3] != 0x51)
        {
            throw new PixelCodecException("The frame is not a JPEG 2000 codestream (no SOC and SIZ markers).");
        }

        var siz = s[4..];
        if (siz.Length < 40)
        {
            throw new PixelCodecException("The JPEG 2000 SIZ segment is truncated.");
        }

        var lsiz = BinaryPrimitives.ReadUInt16BigEndian(siz);
        var rsiz = BinaryPrimitives.ReadUInt16BigEndian(siz[2..]);
        var xsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[4..]);
        var ysiz = BinaryPrimitives.ReadUInt32BigEndian(siz[8..]);
        var xo = BinaryPrimitives.ReadUInt32BigEndian(siz[12..]);
        var yo = BinaryPrimitives.ReadUInt32BigEndian(siz[16..]);
        int csiz = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        if (csiz == 0 || lsiz != 38 + (3 * csiz) || siz.Length < 2 + lsiz - 2 || xsiz <= xo || ysiz <= yo || xsiz - xo > 65535 || ysiz - yo > 65535)
        {
            throw new PixelCodecException("The JPEG 2000 SIZ segment is invalid.");
        }

        var depth = (siz[38] & 0x7F) + 1;
        var signed = false;
        var allSigned = true;
        var subsampled = false;
        var uniform = true;
        for (var c = 0; c < csiz; c++)
        {
            var ssiz = siz[38 + (3 * c)];
            signed |= (ssiz & 0x80) != 0;
            allSigned &= (ssiz & 0x80) != 0;
            uniform &= (ssiz & 0x7F) + 1 == depth;
            subsampled |= siz[39 + (3 * c)] != 1 || siz[40 + (3 * c)] != 1;
        }

        // Rsiz bit 14 marks a Part 15 (HTJ2K) codestream; a CAP marker segment (FF50) says so too.
        var ht = (rsiz & 0x4000) != 0 || (s.Length > 6 + lsiz && s[4 + lsiz] == 0xFF && s[5 + lsiz] == 0x50);
        // Rsiz bit 15 marks a codestream that uses Part 2 (T.801) extensions.
        return new Jpeg2000Header((int)(xsiz - xo), (int)(ysiz - yo), csiz, depth, signed, subsampled, uniform, ht, (rsiz & 0x8000) != 0,
            ReadComponentTransform(s, 4 + lsiz))
        {
            CodestreamOffset = start,
            AllSigned = allSigned,
        };
    }

    /// <summary>
    /// A copy of <paramref name="data"/> (the frame this header was read from) whose SIZ segment labels every component
    /// unsigned: bit 7 of each component's Ssiz (T.800 A.5.1, the sign) is cleared, the precision bits are kept. The
    /// source bytes are not changed. A decoder given the copy applies the unsigned inverse DC level shift (T.800 G.1.2:
    /// + 2^(B-1)) and clamps to [0, 2^B - 1] where the signed decode adds nothing and clamps to [-2^(B-1), 2^(B-1) - 1];
    /// everything before the shift (entropy decoding, dequantisation, wavelet, component transform) does not depend on
    /// the sign, so subtracting 2^(B-1) from the copy's samples gives the signed decode exactly.
    /// </summary>
    public byte[] CopyWithUnsignedComponents(ReadOnlySpan<byte> data)
    {
        var at = CodestreamOffset + 4;
        if (data.Length < at + 38 + (3 * Components) || data[at - 2] != 0xFF || data[at - 1] != 0x51)
        {
            throw new PixelCodecException("The JPEG 2000 SIZ segment is not where its header was read.");
        }

        var copy = data.ToArray();
        for (var c = 0; c < Components; c++)
        {
            copy[at + 38 + (3 * c)] &= 0x7F;
        }

        return copy;
    }

    /// <summary>The multiple component transformation flag of the main header's COD segment (T.800 A.6.1).</summary>
    private static bool ReadComponentTransform(ReadOnlySpan<byte> s, int pos)
    {
        while (pos + 4 <= s.Length && s[pos] == 0xFF)
        {
            var marker = s[pos + 1];
            if (marker == 0x90 || marker == 0x93)
            {
                break; // SOT / SOD: end of the main header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(s[(pos + 2)..]);
            if (length < 2)
            {
                break;
            }

            if (marker == 0x52 && length >= 7 && pos + 2 + length <= s.Length)
            {
                return s[pos + 2 + 2 + 4] != 0;
            }

            pos += 2 + length;
        }

        return false;
    }

    /// <summary>Offset of the codestream: 0 for a raw codestream, or the contents of the JP2 'jp2c' box.</summary>
    private static int FindCodestream(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == 0x6A502020)
        {
            var pos = 0;
            while (pos + 8 <= data.Length)
            {
                long len = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
                var type = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 4)..]);
                var header = 8;
                if (len == 1 && pos + 16 <= data.Length)
                {
                    len = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(pos + 8)..]);
                    header = 16;
                }

                if (type == 0x6A703263)
                {
                    return pos + header;
                }

                if (len < header || pos + len > data.Length)
                {
                    break;
                }

                pos += (int)len;
            }

            throw new PixelCodecException("The JP2 file holds no codestream box.");
        }

        return 0;
    }
}
