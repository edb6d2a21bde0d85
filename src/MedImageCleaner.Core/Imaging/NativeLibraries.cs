using System.Runtime.InteropServices;

namespace MedImageCleaner.Core.Imaging;

/// <summary>
/// Checks, before any file is read, that the native libraries a command needs load, and turns a failed load into one
/// clear <see cref="NativeLibraryMissingException"/> (what is missing, where it was looked for, how to install it).
/// </summary>
public static class NativeLibraries
{
    /// <summary>The platform the OpenCV natives shipped with the module are built for.</summary>
    public const string SupportedPlatform = "linux-x64";

    private const string OpenCvLibrary = "OpenCvSharpExtern";

    /// <summary>Loads OpenCV (after libtesseract, see <see cref="NativeLoadOrder"/>); throws <see cref="NativeLibraryMissingException"/> when it cannot.</summary>
    public static void EnsureOpenCv()
    {
        NativeLoadOrder.Ensure();
        try
        {
            _ = OpenCvSharp.Cv2.GetVersionString();
        }
        catch (Exception ex) when (IsMissingNative(ex))
        {
            throw Describe(ex);
        }
    }

    /// <summary>True for the exceptions .NET throws when a native library or one of its dependencies cannot be loaded.</summary>
    public static bool IsMissingNative(Exception ex) => ex switch
    {
        DllNotFoundException or EntryPointNotFoundException or BadImageFormatException => true,
        TypeInitializationException { InnerException: { } inner } => IsMissingNative(inner),
        _ => false,
    };

    /// <summary>The clear error for a failed native load (<paramref name="ex"/> is chained).</summary>
    public static NativeLibraryMissingException Describe(Exception ex)
    {
        var detail = Innermost(ex).Message;
        if (detail.Contains("tesseract", StringComparison.OrdinalIgnoreCase) || detail.Contains("lept", StringComparison.OrdinalIgnoreCase))
        {
            return new NativeLibraryMissingException(
                $"The Tesseract OCR library (libtesseract) could not be loaded: {detail} Install it: {Pixels.Ocr.OcrEngineUnavailableException.InstallCommand("eng")}.", ex)
            { Library = "libtesseract" };
        }

        var rid = RuntimeInformation.RuntimeIdentifier;
        var platform = IsSupportedPlatform
            ? $"The module ships it for {SupportedPlatform} in '<module folder>/runtimes/{SupportedPlatform}/native': reinstall the module if that file is missing (Install-PSResource MedImageCleaner -Reinstall), and install GTK 3, which it links against (apt-get install libgtk-3-0)."
            : $"The module ships OpenCV for {SupportedPlatform} only; this is {rid}. Header de-identification (Remove-DicomPhi, Get-DicomFile, Test-Deidentification without -CheckPixels) works here; pixel work needs a {SupportedPlatform} machine.";
        return new NativeLibraryMissingException($"OpenCV's native library ({OpenCvLibrary}) could not be loaded: {detail} {platform}", ex) { Library = OpenCvLibrary };
    }

    /// <summary>True on the platform the shipped natives are built for.</summary>
    public static bool IsSupportedPlatform => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }
}
