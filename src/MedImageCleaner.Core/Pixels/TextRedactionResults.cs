namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// One box of detected (and, by <see cref="FrameRedactionResult"/>, redacted) text. Carries no text unless the
/// caller asked for it (<see cref="TextRedactionOptions.IncludeText"/>).
/// </summary>
/// <param name="Box">The pixels, padded and clipped to the frame.</param>
/// <param name="Method">The method that found it (one flag).</param>
/// <param name="Reason">Why it is redacted, a fixed vocabulary: "ocr-line", "ocr-confirmed-candidate", "edge-textline", "search-zone:&lt;rule&gt;", "rule:&lt;rule&gt;", "ultrasound-outside-data-region", "region", "phi:&lt;Kind&gt;".</param>
/// <param name="Confidence">0..100: Tesseract's word confidence, 100 for regions and rules, an edge score otherwise.</param>
public sealed record TextBox(PixelBox Box, TextDetectionMethods Method, string Reason, double Confidence)
{
    /// <summary>The recognized text; null unless <see cref="TextRedactionOptions.IncludeText"/> (it may be PHI).</summary>
    public string? Text { get; init; }

    /// <summary>The view of the frame the box was found in ("minmax", "window1", "percentile", "high-plane", "low-plane", "luminance", "colour"); null for regions and rules.</summary>
    public string? View { get; init; }

    /// <summary>The OCR'd line ends with a label whose value was not read with it ("Age:"): block completion extends it.</summary>
    internal bool EndsWithLabel { get; init; }

    /// <summary>OCR read words on this box's line (in a search zone too): block completion counts it as a line.</summary>
    internal bool Confirmed { get; init; }

    /// <summary>Some of the words OCR read on this box's line are PHI (a date, an ID, a name): block completion joins the parts of such a row.</summary>
    internal bool HoldsPhi { get; init; }
}

/// <summary>The outcome for one frame.</summary>
/// <param name="FrameIndex">The frame (0-based).</param>
/// <param name="Boxes">What was redacted (or, from Detect, would be).</param>
/// <param name="AlteredPixels">Pixels inside the union of the boxes, i.e. pixels whose value was set (0 from Detect).</param>
/// <param name="Verified">True when verification ran and found no residual PHI; false when it found some or did not run.</param>
/// <param name="VerificationReasons">Why not verified: kinds and boxes of residual PHI, never its text.</param>
public sealed record FrameRedactionResult(
    int FrameIndex,
    IReadOnlyList<TextBox> Boxes,
    long AlteredPixels,
    bool Verified,
    IReadOnlyList<string> VerificationReasons)
{
    /// <summary>True when verification ran.</summary>
    public bool VerificationRan { get; init; }

    /// <summary>Candidate regions given to OCR for detection in this frame.</summary>
    public int OcrCandidates { get; init; }

    /// <summary>Candidate regions whose detection was reused from an earlier identical frame region (cine dedupe).</summary>
    public int ReusedCandidates { get; init; }

    /// <summary>Candidate regions OCR'd during verification (others were reused as already verified clean).</summary>
    public int VerifiedCandidates { get; init; }

    /// <summary>Time spent detecting, redacting and verifying.</summary>
    public TimeSpan Elapsed { get; init; }
}
