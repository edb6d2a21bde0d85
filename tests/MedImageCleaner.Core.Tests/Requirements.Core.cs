using MedImageCleaner.Core.Tests.Pixels;

namespace MedImageCleaner.Dicom.Tests;

/// <summary>Needs of the Core tests besides the corpus and tools: the Tesseract library (with English data).</summary>
internal static partial class Requirements
{
    /// <summary>libtesseract with English data, loaded through P/Invoke (not the tesseract CLI: name that as a tool).</summary>
    public const string Ocr = "libtesseract";

    private static partial bool? IsMetHere(string need) => need == Ocr ? PixelTestSupport.OcrAvailable : null;
}
