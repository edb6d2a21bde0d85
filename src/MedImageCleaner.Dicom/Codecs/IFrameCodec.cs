using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>Decodes the frames of one or more transfer syntaxes to <see cref="DecodedFrame"/>s.</summary>
public interface IFrameDecoder
{
    /// <summary>A short name for messages and reports ("RLE", "JPEG-LS", "OpenCV JPEG 2000").</summary>
    string Name { get; }

    /// <summary>True when this decoder handles <paramref name="syntax"/> (it may still refuse a particular frame).</summary>
    bool CanDecode(TransferSyntax syntax);

    /// <summary>Decodes frame <paramref name="index"/> of <paramref name="pixels"/>.</summary>
    /// <exception cref="PixelCodecException">The frame is damaged, or uses a feature this decoder does not support.</exception>
    DecodedFrame Decode(PixelData pixels, TransferSyntax syntax, int index);
}

/// <summary>Encodes native frames into one compressed transfer syntax (each frame one fragment).</summary>
public interface IFrameEncoder
{
    string Name { get; }

    /// <summary>The transfer syntax this encoder produces.</summary>
    TransferSyntax Syntax { get; }

    /// <summary>True when decoding the output gives back the input exactly.</summary>
    bool IsLossless { get; }

    /// <summary>True when this encoder can encode frames shaped like <paramref name="frame"/>.</summary>
    bool CanEncode(DecodedFrame frame);

    /// <summary>The encoded frame (one fragment's bytes, even length).</summary>
    /// <exception cref="PixelCodecException">The frame cannot be encoded with this syntax.</exception>
    byte[] Encode(DecodedFrame frame);
}
