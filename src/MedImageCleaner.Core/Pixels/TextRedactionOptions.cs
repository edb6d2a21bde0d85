using MedImageCleaner.Core.Pixels.Rules;

namespace MedImageCleaner.Core.Pixels;

/// <summary>How burned-in text is found (-Method). Values combine; <see cref="Auto"/> is the default.</summary>
[Flags]
public enum TextDetectionMethods
{
    /// <summary>Nothing is detected.</summary>
    None = 0,

    /// <summary>Tesseract over the whole frame, both polarities.</summary>
    Ocr = 1,

    /// <summary>OpenCV morphology: gradient, threshold, character-sized components grouped into text lines.</summary>
    Edge = 2,

    /// <summary>The caller's rectangles (<see cref="TextRedactionOptions.Regions"/>), filled whole.</summary>
    Region = 4,

    /// <summary>Known locations from the rules file, and for ultrasound everything outside the data regions, filled whole.</summary>
    Rules = 8,

    /// <summary>
    /// Rules (as search zones), edge candidates, and OCR of the candidate regions only; the union of the confirmed
    /// boxes, padded. Regions given by the caller are added.
    /// </summary>
    Auto = 16,
}

/// <summary>Which detected text is redacted (-Mode).</summary>
public enum TextRedactionMode
{
    /// <summary>Every detected text box.</summary>
    All,

    /// <summary>
    /// Only text matching the header's PHI values (names, IDs, dates, institution) or generic PHI patterns (dates,
    /// times, MRN-like numbers, phone numbers...). Labels ("L", "R", "16cm", "THI") stay. Regions and Fill rules are
    /// always redacted.
    /// </summary>
    PhiOnly,
}

/// <summary>Options of <see cref="FrameRedactionEngine"/> (the -Method, -Mode, -Confidence... of Remove-BurnedInText).</summary>
public sealed record TextRedactionOptions
{
    /// <summary>The defaults: Auto, All, confidence 40, English, padding 2, verify.</summary>
    public static TextRedactionOptions Default { get; } = new();

    /// <summary>The detection methods (default <see cref="TextDetectionMethods.Auto"/>).</summary>
    public TextDetectionMethods Methods { get; init; } = TextDetectionMethods.Auto;

    /// <summary>What is redacted (default <see cref="TextRedactionMode.All"/>).</summary>
    public TextRedactionMode Mode { get; init; } = TextRedactionMode.All;

    /// <summary>Minimum Tesseract word confidence, 0..100 (-Confidence; default 40).</summary>
    public double Confidence { get; init; } = 40;

    /// <summary>Tesseract language(s), e.g. "eng" or "eng+deu" (-Language).</summary>
    public string Language { get; init; } = "eng";

    /// <summary>The tessdata folder; null for Tesseract's default (TESSDATA_PREFIX or the installed one).</summary>
    public string? TessdataPath { get; init; }

    /// <summary>Rectangles always redacted (-Region), in pixels of the frame; clipped to it.</summary>
    public IReadOnlyList<PixelBox> Regions { get; init; } = [];

    /// <summary>Pixels added on every side of each detected box (not to caller regions); default 2.</summary>
    public int Padding { get; init; } = 2;

    /// <summary>OCR the redacted frame again and report residual PHI (-Verify; default true).</summary>
    public bool Verify { get; init; } = true;

    /// <summary>Put the recognized text into the result boxes (-IncludeText). Off by default: the text may be PHI.</summary>
    public bool IncludeText { get; init; }

    /// <summary>The rules; null for the built-in rules file (Pixels/Data/burned-in-rules.json).</summary>
    public BurnedInTextRules? Rules { get; init; }

    /// <summary>True when these options need the OCR engine (Ocr, Auto, PhiOnly or Verify).</summary>
    public bool NeedsOcr =>
        (Methods & (TextDetectionMethods.Ocr | TextDetectionMethods.Auto)) != 0 || Mode == TextRedactionMode.PhiOnly || Verify;
}
