using MedImageCleaner.Dicom.Codecs.Jpeg;

namespace MedImageCleaner.Dicom.Codecs;

/// <summary>The managed codecs of the DICOM core, in registration order (the last one listed is tried first).</summary>
internal static class BuiltInCodecs
{
    public static IEnumerable<IFrameDecoder> Decoders()
    {
        yield return new NativeFrameDecoder();
        yield return new RleFrameDecoder();
        yield return new JpegLsFrameDecoder();
        yield return new JpegFrameDecoder();
    }

    public static IEnumerable<IFrameEncoder> Encoders()
    {
        yield return new RleFrameEncoder();
        yield return new JpegLosslessEncoder();
        yield return new JpegLsFrameEncoder();
    }
}
