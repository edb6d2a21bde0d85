using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Pixels.Ocr;

/// <summary>
/// The OCR engine (libtesseract or its language data) is not installed. The message names the install command for
/// the platform; it never carries image text or DICOM values.
/// </summary>
public sealed class OcrEngineUnavailableException : MedImageCleanerException
{
    public OcrEngineUnavailableException()
        : base(BuildMessage("The Tesseract OCR engine is not available."))
    {
    }

    public OcrEngineUnavailableException(string message)
        : base(message)
    {
    }

    public OcrEngineUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The stable error id the cmdlet reports ("OcrEngineUnavailable").</summary>
    public static string ErrorId => "OcrEngineUnavailable";

    /// <summary>The command that installs Tesseract with <paramref name="language"/> data on this platform.</summary>
    public static string InstallCommand(string language)
    {
        var debianLanguage = language.Replace('_', '-').ToLowerInvariant();
        if (OperatingSystem.IsMacOS())
        {
            return language == "eng" ? "brew install tesseract" : "brew install tesseract tesseract-lang";
        }

        if (OperatingSystem.IsWindows())
        {
            return "choco install tesseract (and put the " + language + ".traineddata file in its tessdata folder)";
        }

        return "apt-get install tesseract-ocr tesseract-ocr-" + debianLanguage + " (Debian/Ubuntu)";
    }

    internal static OcrEngineUnavailableException LibraryMissing(Exception? inner = null) =>
        new(BuildMessage("libtesseract (Tesseract 5) was not found.", "eng"), inner);

    internal static OcrEngineUnavailableException LanguageMissing(string language, string? tessdata) =>
        new(BuildMessage(
            "Tesseract could not load the language '" + language + "'" +
            (tessdata is null ? " from its default tessdata folder." : " from the tessdata folder given."),
            language));

    private static string BuildMessage(string what, string language = "eng") =>
        what + " Burned-in text detection by OCR needs it. Install it with: " + InstallCommand(language) + ".";
}
