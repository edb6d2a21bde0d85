using System.Diagnostics;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Pixels.Rules;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// The burned-in text engine: detects text in decoded frames (Ocr, Edge, Region, Rules, Auto), redacts it in place
/// and verifies the result. Owns one Tesseract instance, so it is NOT thread-safe: create one engine per worker
/// thread and reuse it for many images (creating one costs about 0.2 s). Per image, call
/// <see cref="BeginImage"/> and feed that session the image's frames in order; the session reuses detections of
/// regions that did not change between frames (a static cine overlay is OCR'd once).
/// </summary>
public sealed class FrameRedactionEngine : IDisposable
{
    private readonly TesseractOcr? _ocr;

    /// <summary>Creates an engine with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="OcrEngineUnavailableException">The options need OCR and Tesseract or the language is missing.</exception>
    public FrameRedactionEngine(TextRedactionOptions? options = null)
    {
        Options = options ?? TextRedactionOptions.Default;
        if (Options.Confidence is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Confidence is 0..100.");
        }

        if (Options.Padding is < 0 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Padding is 0..64 pixels.");
        }

        Rules = Options.Rules ?? BurnedInTextRules.Default;
        NativeLoadOrder.Ensure();
        if (Options.NeedsOcr)
        {
            _ocr = new TesseractOcr(Options.Language, Options.TessdataPath);
            Reader = new IndependentTextReader(_ocr) { IncludeText = Options.IncludeText };
        }
    }

    /// <summary>The verifier: full-frame OCR through several views, independent of the candidate detector (null without OCR).</summary>
    internal IndependentTextReader? Reader { get; }

    public TextRedactionOptions Options { get; }

    public BurnedInTextRules Rules { get; }

    internal TesseractOcr? Ocr => _ocr;

    internal EdgeTextDetector Edge { get; } = new();

    internal PhiTextClassifier Classifier { get; } = new();

    /// <summary>Starts one image: its header attributes and PHI values (null: generic patterns only).</summary>
    public ImageRedactionSession BeginImage(ImageAttributes? attributes, PhiContext? phi) => new(this, attributes ?? ImageAttributes.None, phi);

    /// <summary>Detects, redacts (in place) and verifies one single-frame image.</summary>
    public FrameRedactionResult Redact(DecodedFrame frame, ImageAttributes? attributes = null, PhiContext? phi = null) =>
        BeginImage(attributes, phi).Redact(frame, 0);

    public void Dispose() => _ocr?.Dispose();
}
