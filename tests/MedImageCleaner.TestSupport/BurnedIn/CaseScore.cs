namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>What the pipeline did to one generated file, measured against its ground truth.</summary>
public sealed record CaseScore
{
    public required BurnedInCase Case { get; init; }

    /// <summary>The pipeline's status (Redacted, NoTextFound, Quarantined, Failed...).</summary>
    public required string Status { get; init; }

    public string? ErrorId { get; init; }

    public int Frames { get; init; }

    /// <summary>The result's Duration divided by its frames.</summary>
    public double MsPerFrame { get; init; }

    /// <summary>PHI words burned (scored words: values of three letters or digits or more).</summary>
    public int PhiWords { get; init; }

    /// <summary>PHI words the tesseract CLI reads in the generated file.</summary>
    public IReadOnlyList<string> ReadableBefore { get; init; } = [];

    /// <summary>PHI words the tesseract CLI reads in the output (or the quarantined file; for a failed file, the input).</summary>
    public IReadOnlyList<string> ReadableAfter { get; init; } = [];

    /// <summary>Glyph pixels (pixels the text changed), over all frames.</summary>
    public long GlyphPixels { get; init; }

    /// <summary>Glyph pixels whose value changed in the output, or that lie in a flat 5x5 patch of it (a fill at the text's own value).</summary>
    public long GlyphCovered { get; init; }

    /// <summary>Word boxes over all frames, and those with at least one changed pixel.</summary>
    public int Boxes { get; init; }

    public int BoxesChanged { get; init; }

    /// <summary>Pixels outside every word box inflated by 4 px, over all frames, and those changed.</summary>
    public long NonTextPixels { get; init; }

    public long NonTextChanged { get; init; }

    /// <summary>
    /// PHI words (per frame, "frame:word") with less than <see cref="BurnedInScorer.LegibleCoverage"/> of their glyph pixels
    /// covered: a word whose box was touched but whose glyphs are mostly left (a surname with two letters boxed) stays
    /// legible to the eye even where the CLI does not read it.
    /// </summary>
    public IReadOnlyList<string> PartlyCovered { get; init; } = [];

    public bool Quarantined => Status == "Quarantined";

    public bool Failed => Status == "Failed";

    public double GlyphCoverage => GlyphPixels == 0 ? 1 : GlyphCovered / (double)GlyphPixels;

    public double NonTextChangedFraction => NonTextPixels == 0 ? 0 : NonTextChanged / (double)NonTextPixels;
}
