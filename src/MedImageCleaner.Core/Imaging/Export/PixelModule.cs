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
    private static readonly DicomTag WindowCenterTag = new(0x0028, 0x1050);
    private static readonly DicomTag WindowWidthTag = new(0x0028, 0x1051);
    private static readonly DicomTag RescaleInterceptTag = new(0x0028, 0x1052);
    private static readonly DicomTag RescaleSlopeTag = new(0x0028, 0x1053);
    private static readonly DicomTag VoiLutFunctionTag = new(0x0028, 0x1056);
    private static readonly DicomTag ModalityLutSequenceTag = new(0x0028, 0x3000);
    private static readonly DicomTag VoiLutSequenceTag = new(0x0028, 0x3010);
    private static readonly DicomTag LutDescriptorTag = new(0x0028, 0x3002);
    private static readonly DicomTag LutDataTag = new(0x0028, 0x3006);
    private static readonly DicomTag SharedFunctionalGroupsTag = new(0x5200, 0x9229);
    private static readonly DicomTag PixelValueTransformationTag = new(0x0028, 0x9145);
    private static readonly DicomTag FrameVoiLutTag = new(0x0028, 0x9132);
    private static readonly DicomTag RedDescriptor = new(0x0028, 0x1101);
    private static readonly DicomTag GreenDescriptor = new(0x0028, 0x1102);
    private static readonly DicomTag BlueDescriptor = new(0x0028, 0x1103);
    private static readonly DicomTag RedData = new(0x0028, 0x1201);
    private static readonly DicomTag GreenData = new(0x0028, 0x1202);
    private static readonly DicomTag BlueData = new(0x0028, 0x1203);
    private static readonly DicomTag SegmentedRedData = new(0x0028, 0x1221);

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
        if (dataset.TryGetSequence(SharedFunctionalGroupsTag, out var shared) && shared.Items.Count > 0)
        {
            var group = shared.Items[0];
            if (!dataset.Contains(RescaleSlopeTag) && !dataset.Contains(ModalityLutSequenceTag) &&
                group.TryGetSequence(PixelValueTransformationTag, out var pvt) && pvt.Items.Count > 0)
            {
                transformSource = pvt.Items[0];
            }

            if (!dataset.Contains(WindowCenterTag) && !dataset.Contains(VoiLutSequenceTag) &&
                group.TryGetSequence(FrameVoiLutTag, out var fvl) && fvl.Items.Count > 0)
            {
                voiSource = fvl.Items[0];
            }
        }

        LookupTable? modalityLut = null;
        if (transformSource.TryGetSequence(ModalityLutSequenceTag, out var mlut) && mlut.Items.Count > 0 &&
            LookupTable.TryRead(mlut.Items[0], LutDescriptorTag, LutDataTag, signed, out var m))
        {
            modalityLut = m;
        }

        var slope = transformSource.TryGetNumber(RescaleSlopeTag, out var s) && s != 0 && double.IsFinite(s) ? s : 1;
        var intercept = transformSource.TryGetNumber(RescaleInterceptTag, out var i) && double.IsFinite(i) ? i : 0;

        var windows = new List<HeaderWindow>();
        for (var k = 0; voiSource.TryGetNumber(WindowCenterTag, out var c, k) && voiSource.TryGetNumber(WindowWidthTag, out var w, k); k++)
        {
            windows.Add(new HeaderWindow(c, w, null));
        }

        var windowValues = windows.Count;
        if (voiSource.TryGetSequence(VoiLutSequenceTag, out var vlut))
        {
            // VOI LUT inputs are modality values: signed when the modality output can be negative.
            var lutSigned = signed || intercept < 0 || slope < 0;
            foreach (var item in vlut.Items)
            {
                if (LookupTable.TryRead(item, LutDescriptorTag, LutDataTag, lutSigned, out var table))
                {
                    windows.Add(new HeaderWindow(0, 0, table));
                }
            }
        }

        var function = (voiSource.GetString(VoiLutFunctionTag) ?? string.Empty).Split('\\')[0].Trim().ToUpperInvariant() switch
        {
            "LINEAR_EXACT" => VoiLutFunction.LinearExact,
            "SIGMOID" => VoiLutFunction.Sigmoid,
            _ => VoiLutFunction.Linear,
        };

        LookupTable[]? palette = null;
        if (LookupTable.TryRead(dataset, RedDescriptor, RedData, false, out var r) &&
            LookupTable.TryRead(dataset, GreenDescriptor, GreenData, false, out var g) &&
            LookupTable.TryRead(dataset, BlueDescriptor, BlueData, false, out var b))
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
            HasSegmentedPalette = palette is null && dataset.Contains(SegmentedRedData),
        };
    }

    /// <summary>The modality value of a stored value (Modality LUT, else slope and intercept).</summary>
    public double Modality(long stored) => ModalityLut is { } lut ? lut[stored] : (stored * RescaleSlope) + RescaleIntercept;

    private static bool IsInteger(double v) => Math.Abs(v - Math.Round(v)) < 1e-9;
}
