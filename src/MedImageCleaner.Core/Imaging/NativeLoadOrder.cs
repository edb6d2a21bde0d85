using System.Runtime.InteropServices;

namespace MedImageCleaner.Core.Imaging;

/// <summary>
/// Loads libtesseract before OpenCV's native library. OpenCvSharpExtern carries its own libpng; when it is loaded
/// first, leptonica (under libtesseract) binds to those symbols and the process dies in libpng. Every code path that
/// touches OpenCV or Tesseract calls <see cref="Ensure"/> first.
/// </summary>
public static class NativeLoadOrder
{
    private static readonly Lazy<IntPtr> Tesseract = new(LoadTesseract, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The library names tried for libtesseract, most specific first.</summary>
    public static IReadOnlyList<string> TesseractLibraryNames { get; } = OperatingSystem.IsWindows()
        ? ["tesseract53.dll", "tesseract50.dll", "libtesseract-5.dll", "tesseract.dll"]
        : OperatingSystem.IsMacOS() ? ["libtesseract.5.dylib", "libtesseract.dylib"]
        : ["libtesseract.so.5", "libtesseract.so"];

    /// <summary>Loads libtesseract once (when present); returns its handle or zero.</summary>
    public static IntPtr Ensure() => Tesseract.Value;

    private static IntPtr LoadTesseract()
    {
        // libgomp (under libtesseract) reads OMP_THREAD_LIMIT once, when it loads.
        Pixels.Ocr.OcrThreading.ApplyDefaultThreadLimit();

        // OpenCV reads its log level at its first message. Its warnings and errors about codestreams would go to
        // stderr; our decoders report failures themselves (PixelCodecException, per file).
        NativeEnvironment.SetDefault("OPENCV_LOG_LEVEL", "FATAL");
        foreach (var name in TesseractLibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
