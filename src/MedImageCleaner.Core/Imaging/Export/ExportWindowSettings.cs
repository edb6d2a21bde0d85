namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>
/// How the VOI window of greyscale images is chosen: by mode, explicitly, by the header's index, with which function.
/// Shared by <see cref="ExportOptions"/> and the renderer's settings, so that both speak of the window the same way.
/// </summary>
public abstract record ExportWindowSettings
{
    /// <summary>How the window of greyscale images is chosen (ignored when <see cref="WindowCenter"/>/<see cref="WindowWidth"/> are set).</summary>
    public ExportWindowMode Window { get; init; } = ExportWindowMode.Auto;

    /// <summary>An explicit window center (in modality units), used with <see cref="WindowWidth"/>.</summary>
    public double? WindowCenter { get; init; }

    /// <summary>An explicit window width (at least 1 for LINEAR, above 0 otherwise).</summary>
    public double? WindowWidth { get; init; }

    /// <summary>Which header window (value of Window Center/Width, or item of the VOI LUT Sequence), 0-based.</summary>
    public int WindowIndex { get; init; }

    /// <summary>The VOI LUT Function to use instead of the header's (null: the header's, else LINEAR).</summary>
    public VoiLutFunction? Function { get; init; }

    /// <summary>The lower and upper percentile of <see cref="ExportWindowMode.Percentile"/>.</summary>
    public (double Low, double High) Percentiles { get; init; } = (0.5, 99.5);
}
