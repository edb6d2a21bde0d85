using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Imaging;

/// <summary>Registers the pixel codecs that live in Core (OpenCV-backed) into <see cref="PixelCodecs"/>.</summary>
public static class CoreCodecs
{
    private static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Loads the native libraries in the safe order (<see cref="NativeLoadOrder.Ensure"/>) and registers the OpenCV
    /// JPEG 2000 decoder (.90/.91/.92/.93 and HTJ2K .201-.203). Idempotent and thread-safe: the first call registers,
    /// later calls return at once.
    /// </summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    private static bool Register()
    {
        NativeLoadOrder.Ensure();
        PixelCodecs.Register(new OpenCvJpeg2000Decoder());
        return true;
    }
}
