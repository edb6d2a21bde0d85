using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>One header window: Window Center/Width value pair, or one VOI LUT Sequence item.</summary>
internal sealed record HeaderWindow(double Center, double Width, LookupTable? Lut);

/// <summary>
/// The attributes of the Image Pixel, Modality LUT, VOI LUT and Palette Color modules that rendering needs. Numbers
/// and tables only: nothing here is PHI. Enhanced multi-frame images: the Shared Functional Groups' Pixel Value
/// Transformation (0028,9145) and Frame VOI LUT (0028,9132) items are used when the top level has none.
/// </summary>
internal sealed class PixelModule
{
    public double RescaleSlope { get; private init; } = 1;

    public double RescaleIntercept { get; private init; }

    /// <summary>The Modality LUT Sequence's table (used instead of slope/intercept), or null.</summary>
    public LookupTable? ModalityLut { get; private init; }

    /// <summary>Windows from Window Center/Width (values in order), then VOI LUT Sequence items.</summary>
    public IReadOnlyList<HeaderWindow> Windows { get; private init; } = [];

    /// <summary>Window Center/Width pairs present (the first <see cref="Windows"/>); VOI LUTs follow them.</summary>
    public int WindowValueCount { get; private init; }

    /// <summary>VOI LUT Function of the header (LINEAR when absent or unknown).</summary>
    public VoiLutFunction Function { get; private init; } = VoiLutFunction.Linear;

    /// <summary>The Palette Color tables (R, G, B) of a PALETTE COLOR image, or null.</summary>
    public LookupTable[]? Palette { get; private init; }

    /// <summary>True when the palette is given only as Segmented Palette Color LUT Data (not supported).</summary>
    public bool HasSegmentedPalette { get; private init; }

    /// <summary>True when the modality transform maps integers to integers (integral slope/intercept or a LUT).</summary>
    public bool ModalityIsIntegral => ModalityLut is not null || (IsInteger(RescaleSlope) && IsInteger(RescaleIntercept));

    /// <summary>Reads the attributes; <paramref name="signed"/> is Pixel Representation 1.</summary>
    public static PixelModule Read(DicomDataset dataset, bool signed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var transformSource = dataset;
        var voiSource = dataset;
        if (dataset.TryGetSequence(DicomTag.SharedFunctionalGroupsSequence, out var shared) && shared.Items.Count > 0)
        {
            var group = shared.Items[0];
            if (!dataset.Contains(DicomTag.RescaleSlope) && !dataset.Contains(DicomTag.ModalityLUTSequence) &&
                group.TryGetSequence(DicomTag.PixelValueTransformationSequence, out var pvt) && pvt.Items.Count > 0)
            {
                transformSource = pvt.Items[0];
            }

            if (!dataset.Contains(DicomTag.WindowCenter) && !dataset.Contains(DicomTag.VOILUTSequence) &&
                group.TryGetSequence(DicomTag.FrameVOILUTSequence, out var fvl) && fvl.Items.Count > 0)
            {
                voiSource = fvl.Items[0];
            }
        }

        LookupTable? modalityLut = null;
        if (transformSource.TryGetSequence(DicomTag.ModalityLUTSequence, out var mlut) && mlut.Items.Count > 0 &&
            LookupTable.TryRead(mlut.Items[0], DicomTag.LUTDescriptor, DicomTag.LUTData, signed, out var m))
        {
            modalityLut = m;
        }

        var slope = transformSource.TryGetNumber(DicomTag.RescaleSlope, out var s) && s != 0 && double.IsFinite(s) ? s : 1;
        var intercept = transformSource.TryGetNumber(DicomTag.RescaleIntercept, out var i) && double.IsFinite(i) ? i : 0;

        var windows = new List<HeaderWindow>();
        for (var k = 0; voiSource.TryGetNumber(DicomTag.WindowCenter, out var c, k) && voiSource.TryGetNumber(DicomTag.WindowWidth, out var w, k); k++)
        {
            windows.Add(new HeaderWindow(c, w, null));
        }

        var windowValues = windows.Count;
        if (voiSource.TryGetSequence(DicomTag.VOILUTSequence, out var vlut))
        {
            // VOI LUT inputs are modality values: signed when the modality output can be negative.
            var lutSigned = signed || intercept < 0 || slope < 0;
            foreach (var item in vlut.Items)
            {
                if (LookupTable.TryRead(item, DicomTag.LUTDescriptor, DicomTag.LUTData, lutSigned, out var table))
                {
                    windows.Add(new HeaderWindow(0, 0, table));
                }
            }
        }

        var function = (voiSource.GetString(DicomTag.VOILUTFunction) ?? string.Empty).Split('\\')[0].Trim().ToUpperInvariant() switch
        {
            "LINEAR_EXACT" => VoiLutFunction.LinearExact,
            "SIGMOID" => VoiLutFunction.Sigmoid,
            _ => VoiLutFunction.Linear,
        };

        LookupTable[]? palette = null;
        if (LookupTable.TryRead(dataset, DicomTag.RedPaletteColorLookupTableDescriptor, DicomTag.RedPaletteColorLookupTableData, false, out var r) &&
            LookupTable.TryRead(dataset, DicomTag.GreenPaletteColorLookupTableDescriptor, DicomTag.GreenPaletteColorLookupTableData, false, out var g) &&
            LookupTable.TryRead(dataset, DicomTag.BluePaletteColorLookupTableDescriptor, DicomTag.BluePaletteColorLookupTableData, false, out var b))
        {
            palette = [r, g, b];
        }

        return new PixelModule
        {
            RescaleSlope = slope,
            RescaleIntercept = intercept,
            ModalityLut = modalityLut,
            Windows = windows,
            WindowValueCount = windowValues,
            Function = function,
            Palette = palette,
            HasSegmentedPalette = palette is null && dataset.Contains(DicomTag.SegmentedRedPaletteColorLookupTableData),
        };
    }

    /// <summary>The modality value of a stored value (Modality LUT, else slope and intercept).</summary>
    public double Modality(long stored) => ModalityLut is { } lut ? lut[stored] : (stored * RescaleSlope) + RescaleIntercept;

    private static bool IsInteger(double v) => Math.Abs(v - Math.Round(v)) < 1e-9;
}
