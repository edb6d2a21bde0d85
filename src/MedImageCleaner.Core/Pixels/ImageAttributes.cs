using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// What detection needs from an image's header: the rule keys (modality, manufacturer, model, size), the windowing
/// of 16-bit frames, and the ultrasound data regions. Holds no PHI.
/// </summary>
public sealed record ImageAttributes
{
    /// <summary>Attributes of an image with no header knowledge.</summary>
    public static ImageAttributes None { get; } = new();

    public string? Modality { get; init; }

    public string? Manufacturer { get; init; }

    public string? ManufacturerModelName { get; init; }

    public int Rows { get; init; }

    public int Columns { get; init; }

    /// <summary>Number of Frames (0028,0008); 1 when absent.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>Images with more frames than this are verified on a sample of frames (a long cine loop).</summary>
    public const int VerifiedFrameLimit = 16;

    /// <summary>Window Center (0028,1050), first value; null when absent.</summary>
    public double? WindowCenter { get; init; }

    /// <summary>Window Width (0028,1051), first value; null when absent.</summary>
    public double? WindowWidth { get; init; }

    public double RescaleSlope { get; init; } = 1;

    public double RescaleIntercept { get; init; }

    /// <summary>The regions of SequenceOfUltrasoundRegions (0018,6011) (data areas), in pixels.</summary>
    public IReadOnlyList<PixelBox> UltrasoundRegions { get; init; } = [];

    /// <summary>The rendering attributes (every header window, VOI LUTs, modality LUT); null when not read from a header.</summary>
    internal Imaging.Export.PixelModule? Module { get; init; }

    /// <summary>Reads the attributes from <paramref name="dataset"/>.</summary>
    public static ImageAttributes FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var regions = new List<PixelBox>();
        if (dataset.TryGetSequence(DicomTag.SequenceOfUltrasoundRegions, out var seq))
        {
            foreach (var item in seq.Items)
            {
                if (item.TryGetNumber(DicomTag.RegionLocationMinX0, out var x0) && item.TryGetNumber(DicomTag.RegionLocationMinY0, out var y0) &&
                    item.TryGetNumber(DicomTag.RegionLocationMaxX1, out var x1) && item.TryGetNumber(DicomTag.RegionLocationMaxY1, out var y1) &&
                    x1 >= x0 && y1 >= y0)
                {
                    regions.Add(PixelBox.FromEdges((int)x0, (int)y0, (int)x1 + 1, (int)y1 + 1));
                }
            }
        }

        return new ImageAttributes
        {
            Modality = dataset.GetString(DicomTag.Modality)?.Trim(),
            Manufacturer = dataset.GetString(DicomTag.Manufacturer)?.Trim(),
            ManufacturerModelName = dataset.GetString(DicomTag.ManufacturerModelName)?.Trim(),
            Rows = dataset.GetInt32(DicomTag.Rows, 0),
            Columns = dataset.GetInt32(DicomTag.Columns, 0),
            Frames = Math.Max(1, dataset.GetInt32(DicomTag.NumberOfFrames, 1)),
            WindowCenter = dataset.TryGetNumber(DicomTag.WindowCenter, out var c) ? c : null,
            WindowWidth = dataset.TryGetNumber(DicomTag.WindowWidth, out var w) && w >= 1 ? w : null,
            RescaleSlope = dataset.TryGetNumber(DicomTag.RescaleSlope, out var s) && s != 0 ? s : 1,
            RescaleIntercept = dataset.TryGetNumber(DicomTag.RescaleIntercept, out var i) ? i : 0,
            UltrasoundRegions = regions,
            Module = ReadModule(dataset),
        };
    }

    private static Imaging.Export.PixelModule? ReadModule(DicomDataset dataset)
    {
        try
        {
            return Imaging.Export.PixelModule.Read(dataset, dataset.GetInt32(DicomTag.PixelRepresentation, 0) == 1);
        }
        catch (Exception ex) when (ex is MedImageCleanerException or FormatException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException or Imaging.Export.ExportException)
        {
            // Damaged LUTs: the min-max, percentile and plane views do not need them.
            return null;
        }
    }
}
