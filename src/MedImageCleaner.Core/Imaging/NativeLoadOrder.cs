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
                QuietLeptonica();
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    /// <summary>The library names tried for leptonica (loaded with libtesseract), most specific first.</summary>
    internal static IReadOnlyList<string> LeptonicaLibraryNames { get; } = OperatingSystem.IsWindows()
        ? ["leptonica-1.84.1.dll", "leptonica-1.83.1.dll", "leptonica-1.82.0.dll", "leptonica.dll"]
        : OperatingSystem.IsMacOS() ? ["libleptonica.6.dylib", "liblept.5.dylib", "libleptonica.dylib"]
        : ["liblept.so.5", "libleptonica.so.6", "liblept.so", "libleptonica.so"];

    /// <summary>Leptonica's L_SEVERITY_NONE: print no messages.</summary>
    internal const int LeptonicaSeverityNone = 6;

    /// <summary>
    /// Leptonica (under libtesseract) prints its own complaints straight to the process's stderr ("Error in
    /// boxClipToRectangle: box outside rectangle" while Tesseract lays out a page of speckle): in a PowerShell
    /// session they appear between the cmdlet's output, outside every stream, and read like a failure. Tesseract's
    /// results are unaffected, so they are silenced, unless the user set LEPT_MSG_SEVERITY to see them.
    /// </summary>
    private static unsafe void QuietLeptonica()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LEPT_MSG_SEVERITY")))
        {
            return;
        }

        foreach (var name in LeptonicaLibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out var lept))
            {
                if (NativeLibrary.TryGetExport(lept, "setMsgSeverity", out var set))
                {
                    _ = ((delegate* unmanaged<int, int>)set)(LeptonicaSeverityNone);
                }

                return;
            }
        }
    }
}
