namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>
/// A decoded corpus image the text is burned into: stored sample values per frame (grey: one per pixel, as signed
/// integers; colour: R, G, B interleaved), with the header facts the generated files start from.
/// </summary>
/// <param name="Name">A short stable name ("CT ankle 512", "US siemens 1024x768").</param>
/// <param name="Source">The corpus file it came from, relative to the corpus root, and what was done to it.</param>
/// <param name="Modality">The Modality (0008,0060) the generated files carry.</param>
/// <param name="SopClassUid">The SOP Class UID the generated files carry.</param>
/// <param name="Rows">Rows.</param>
/// <param name="Columns">Columns.</param>
/// <param name="SamplesPerPixel">1 (grey) or 3 (RGB).</param>
/// <param name="BitsStored">Bits stored (8 for RGB).</param>
/// <param name="IsSigned">Pixel Representation 1.</param>
/// <param name="Photometric">MONOCHROME1, MONOCHROME2 or RGB.</param>
/// <param name="Frames">The frames' samples.</param>
/// <param name="Window">The first header window (centre, width) of the source, if any.</param>
/// <param name="RescaleIntercept">Rescale Intercept of the source (0 when absent).</param>
/// <param name="RescaleSlope">Rescale Slope of the source (1 when absent).</param>
public sealed record BaseImage(
    string Name,
    string Source,
    string Modality,
    string SopClassUid,
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsStored,
    bool IsSigned,
    string Photometric,
    IReadOnlyList<int[]> Frames,
    (double Center, double Width)? Window,
    double RescaleIntercept,
    double RescaleSlope)
{
    /// <summary>True for one-sample (grey) images.</summary>
    public bool IsGrey => SamplesPerPixel == 1;

    /// <summary>The smallest and largest stored value over all frames.</summary>
    public (int Min, int Max) Range()
    {
        int min = int.MaxValue, max = int.MinValue;
        foreach (var f in Frames)
        {
            foreach (var v in f)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return (min, max);
    }
}
