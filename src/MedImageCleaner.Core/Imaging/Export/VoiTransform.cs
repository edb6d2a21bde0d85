namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>
/// The VOI transform of modality values to display values in [0, outMax] (PS3.3 C.11.2.1.2): a window with LINEAR,
/// LINEAR_EXACT or SIGMOID, or a VOI LUT. Results are real; the caller truncates them (as dcmtk does).
/// </summary>
internal sealed class VoiTransform
{
    private readonly double _center;
    private readonly double _width;
    private readonly VoiLutFunction _function;
    private readonly LookupTable? _lut;

    private VoiTransform(double center, double width, VoiLutFunction function, LookupTable? lut)
    {
        _center = center;
        _width = width;
        _function = function;
        _lut = lut;
    }

    public double Center => _center;

    public double Width => _width;

    public VoiLutFunction Function => _function;

    public bool IsLut => _lut is not null;

    /// <summary>A window; <paramref name="width"/> must be at least 1 for LINEAR and above 0 otherwise.</summary>
    public static VoiTransform Window(double center, double width, VoiLutFunction function) => new(center, width, function, null);

    /// <summary>A VOI LUT.</summary>
    public static VoiTransform Table(LookupTable lut) => new(0, 0, VoiLutFunction.Linear, lut);

    /// <summary>
    /// The window dcmtk's min-max algorithm gives for values from <paramref name="min"/> to <paramref name="max"/>:
    /// center (min + max + 1) / 2 and width max - min + 1, so that with LINEAR exactly [min, max] maps to the output range.
    /// </summary>
    public static VoiTransform Range(double min, double max, VoiLutFunction function) =>
        new((min + max + 1) / 2, Math.Max(1, max - min + 1), function, null);

    /// <summary>Maps a modality value to [0, <paramref name="outMax"/>].</summary>
    public double Apply(double x, double outMax)
    {
        if (_lut is { } lut)
        {
            var index = double.IsNaN(x) ? lut.FirstMapped : (long)Math.Floor(Math.Clamp(x, int.MinValue, int.MaxValue));
            return lut[index] * outMax / lut.MaximumEntry;
        }

        switch (_function)
        {
            case VoiLutFunction.Sigmoid:
                return outMax / (1 + Math.Exp(-4 * (x - _center) / _width));
            case VoiLutFunction.LinearExact:
                if (x <= _center - (_width / 2))
                {
                    return 0;
                }

                if (x > _center + (_width / 2))
                {
                    return outMax;
                }

                return (((x - _center) / _width) + 0.5) * outMax;
            default:
                // C.11.2.1.2.1, arranged as offset + x * gradient.
                var w1 = _width - 1;
                if (x <= _center - 0.5 - (w1 / 2))
                {
                    return 0;
                }

                if (x > _center - 0.5 + (w1 / 2) || w1 <= 0)
                {
                    return outMax;
                }

                var offset = outMax - ((((_center - 0.5) / w1) + 0.5) * outMax);
                return offset + (x * (outMax / w1));
        }
    }
}
