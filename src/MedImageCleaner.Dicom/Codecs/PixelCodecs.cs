using System.Collections.Concurrent;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>
/// The registry of frame decoders and encoders. The DICOM core registers its own managed codecs; higher layers
/// (MedImageCleaner.Core) add theirs (OpenCV-backed) with <see cref="Register(IFrameDecoder)"/>. Later registrations
/// are tried first.
/// </summary>
public static class PixelCodecs
{
    private static readonly ConcurrentStack<IFrameDecoder> Decoders = new();
    private static readonly ConcurrentStack<IFrameEncoder> Encoders = new();

    static PixelCodecs()
    {
        foreach (var decoder in BuiltInCodecs.Decoders())
        {
            Decoders.Push(decoder);
        }

        foreach (var encoder in BuiltInCodecs.Encoders())
        {
            Encoders.Push(encoder);
        }
    }

    public static void Register(IFrameDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        Decoders.Push(decoder);
    }

    public static void Register(IFrameEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Encoders.Push(encoder);
    }

    /// <summary>The decoder for <paramref name="syntax"/>, or false when none is registered.</summary>
    public static bool TryGetDecoder(TransferSyntax syntax, out IFrameDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        foreach (var d in Decoders)
        {
            if (d.CanDecode(syntax))
            {
                decoder = d;
                return true;
            }
        }

        decoder = null!;
        return false;
    }

    /// <summary>The encoder producing <paramref name="syntax"/> for frames like <paramref name="frame"/>, or false.</summary>
    public static bool TryGetEncoder(TransferSyntax syntax, DecodedFrame frame, out IFrameEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        ArgumentNullException.ThrowIfNull(frame);
        foreach (var e in Encoders)
        {
            if (e.Syntax == syntax && e.CanEncode(frame))
            {
                encoder = e;
                return true;
            }
        }

        encoder = null!;
        return false;
    }

    /// <summary>Decodes one frame with the registered decoder for <paramref name="syntax"/>.</summary>
    /// <exception cref="PixelCodecException">No decoder, or the decoder failed (IsUnsupported tells which).</exception>
    public static DecodedFrame Decode(PixelData pixels, TransferSyntax syntax, int index)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (!TryGetDecoder(syntax, out var decoder))
        {
            throw new PixelCodecException($"No decoder for the transfer syntax {syntax.Name} ({syntax.Uid}).") { IsUnsupported = true };
        }

        return decoder.Decode(pixels, syntax, index);
    }
}
