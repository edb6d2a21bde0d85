namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>What Convert-DicomImage writes and how pixels are rendered (one instance per run).</summary>
public sealed record ExportOptions : ExportWindowSettings
{
    /// <summary>The output folder (created when missing).</summary>
    public required string Destination { get; init; }

    public ExportFormat Format { get; init; } = ExportFormat.Png;

    /// <summary>8 or 16 bits per sample (Png/Tiff); null: 8, or with <see cref="Raw"/> the stored depth (8 or 16).</summary>
    public int? BitDepth { get; init; }

    /// <summary>The frames to export; null: the first frame for Png/Jpeg, all frames for Tiff/Npy.</summary>
    public FrameSelection? Frames { get; init; }

    /// <summary>Resize to this size (aspect ratio kept unless <see cref="KeepAspectRatio"/> is false and both edges are given).</summary>
    public OutputSize? Size { get; init; }

    /// <summary>Resize by this factor (instead of <see cref="Size"/>).</summary>
    public double? Scale { get; init; }

    /// <summary>True (default) to fit inside <see cref="Size"/> keeping the pixel aspect; false to stretch to it exactly.</summary>
    public bool KeepAspectRatio { get; init; } = true;

    /// <summary>Stored values: no modality LUT, no window, no inversion, no colour conversion.</summary>
    public bool Raw { get; init; }

    /// <summary>JPEG quality 1-100.</summary>
    public int Quality { get; init; } = 90;

    public PngCompressionLevel CompressionLevel { get; init; } = PngCompressionLevel.Fastest;

    public PngRowFilter RowFilter { get; init; } = PngRowFilter.Auto;

    /// <summary>Replace existing output files.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Checks the combination; returns a message for the first problem, or null.</summary>
    public string? Validate()
    {
        if (BitDepth is not (null or 8 or 16))
        {
            return "-BitDepth must be 8 or 16.";
        }

        if (Format == ExportFormat.Jpeg && BitDepth == 16)
        {
            return "JPEG holds 8 bits per sample: -BitDepth 16 needs -Format Png or Tiff.";
        }

        if (Format == ExportFormat.Jpeg && Raw)
        {
            return "-Raw keeps the stored values exactly; JPEG is lossy: use -Format Png, Tiff or Npy.";
        }

        if (Format == ExportFormat.Npy && BitDepth is not null)
        {
            return "-BitDepth does not apply to Npy: the data type follows the values (see -Raw).";
        }

        var windowGiven = WindowCenter is not null || WindowWidth is not null || Window != ExportWindowMode.Auto || Function is not null;
        if (Format == ExportFormat.Npy && windowGiven)
        {
            return "Npy holds stored or modality values: windowing (-Window, -WindowCenter, -WindowWidth, -VoiLutFunction) does not apply.";
        }

        if (Raw && windowGiven)
        {
            return "-Raw writes stored values: it cannot be combined with windowing.";
        }

        if ((WindowCenter is null) != (WindowWidth is null))
        {
            return "-WindowCenter and -WindowWidth go together.";
        }

        if (WindowWidth is { } w && (double.IsNaN(w) || w <= 0 || (w < 1 && (Function ?? VoiLutFunction.Linear) == VoiLutFunction.Linear)))
        {
            return "-WindowWidth must be at least 1 (above 0 for LINEAR_EXACT and SIGMOID).";
        }

        if (WindowIndex < 0)
        {
            return "-WindowIndex must be 0 or more.";
        }

        if (Size is not null && Scale is not null)
        {
            return "Give -Size or -Scale, not both.";
        }

        if (Scale is { } s && (double.IsNaN(s) || s <= 0 || s > 64))
        {
            return "-Scale must be above 0 and at most 64.";
        }

        if (Quality is < 1 or > 100)
        {
            return "-Quality must be between 1 and 100.";
        }

        var (lo, hi) = Percentiles;
        if (!(lo >= 0 && hi <= 100 && lo < hi))
        {
            return "The percentiles must satisfy 0 <= low < high <= 100.";
        }

        return null;
    }
}
