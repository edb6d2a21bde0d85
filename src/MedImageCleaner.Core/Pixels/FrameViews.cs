using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Dicom.Codecs;
using OpenCvSharp;

namespace MedImageCleaner.Core.Pixels;

/// <summary>What a <see cref="FrameView"/> shows.</summary>
public enum FrameViewKind
{
    /// <summary>The stored values stretched from their minimum to their maximum.</summary>
    MinMax,

    /// <summary>A header window (Window Center/Width or a VOI LUT), with the modality transform applied.</summary>
    HeaderWindow,

    /// <summary>The 0.5-99.5 percentile range of the values (a robust auto-window).</summary>
    Percentile,

    /// <summary>Samples at or near the largest stored value (255) against everything else (0).</summary>
    HighPlane,

    /// <summary>Samples at or near the smallest stored value (255) against everything else (0).</summary>
    LowPlane,

    /// <summary>
    /// Local detail: the white top-hat of the min-max and header-window views (each pixel minus the morphological
    /// opening around it). The slowly varying background goes: bright text over anatomy or a grey background becomes
    /// bright strokes on black, and dark text a patch of its background with dark strokes, on black.
    /// </summary>
    Detail,

    /// <summary>The luminance of a colour frame.</summary>
    Luminance,

    /// <summary>
    /// Colour frames: pixels near white in every sample (<c>FrameViews.LightLevel</c>) against everything else. Small
    /// anti-aliased white text over speckle and Doppler: few pixels at the largest value, noise through the luminance.
    /// </summary>
    LightPlane,

    /// <summary>
    /// Samples at exactly one value that stands out of the histogram (far more pixels than the values around it: text
    /// and graphics are drawn in one grey or colour, anatomy and speckle spread over many) against everything else.
    /// </summary>
    ValuePlane,

    /// <summary>How far each colour pixel is from grey (see <see cref="ColourView"/>).</summary>
    Colour,
}

/// <summary>One 8-bit view of a frame (CV_8UC1, Rows x Columns) and its name ("minmax", "window1", "high-plane"...).</summary>
public sealed class FrameView : IDisposable
{
    internal FrameView(string name, FrameViewKind kind, Mat grey)
    {
        Name = name;
        Kind = kind;
        Grey = grey;
    }

    public string Name { get; }

    public FrameViewKind Kind { get; }

    public Mat Grey { get; }

    /// <summary>True for the binary planes (extreme values, or one value that stands out of the histogram).</summary>
    public bool IsPlane => Kind is FrameViewKind.HighPlane or FrameViewKind.LowPlane or FrameViewKind.ValuePlane or FrameViewKind.LightPlane;

    public void Dispose() => Grey.Dispose();
}

/// <summary>
/// The views of one frame that burned-in text is looked for in. Text can sit at any stored value, and a header window
/// can hide it completely (8-bit values in a 16-bit container under a CT window: the whole frame is black), so no
/// single view is trusted: the stored values min-max, every header window (modality transform and VOI LUT applied),
/// a percentile window, and the extreme planes (samples at or near the largest and the smallest stored value, where
/// generators and modalities draw text). Views that show nothing (one value everywhere) or nearly repeat an earlier
/// view are left out. Colour frames get their luminance. The first view is the display view (the header window when
/// there is one that shows something, else min-max).
/// </summary>
public static class FrameViews
{
    /// <summary>The extreme planes take samples within this fraction of the value range of the extreme.</summary>
    private const double PlaneTolerance = 0.03;

    /// <summary>Colour frames smaller than this on a side get no extreme planes.</summary>
    private const int MinimumColourPlaneSide = 64;

    /// <summary>A plane holding more than this fraction of the frame is background or saturation, not text.</summary>
    private const double PlaneMaximumFraction = 0.35;

    /// <summary>Two views whose mean absolute difference (on a sample grid) is below this are one view.</summary>
    private const double DuplicateDifference = 6;

    /// <summary>
    /// Top-hat values below this (of 255) are not stretched to full contrast in the detector's detail views: a stroke
    /// stands out of its surroundings by at least 28 grey levels in the min-max or a header window (text fainter than
    /// that is left to the planes and windows). At 32, the texture of bone and soft tissue was stretched into
    /// candidates that filled the read slots of texture-rich CT frames; 64 read the same words on the benchmark sets
    /// (main, wider, second seed) about a tenth faster.
    /// </summary>
    private const double DetailFloor = 64;

    /// <summary>The most header windows looked through.</summary>
    private const int MaximumHeaderWindows = 4;

    /// <summary>All views of <paramref name="frame"/>; the caller disposes them.</summary>
    public static List<FrameView> Create(DecodedFrame frame, ImageAttributes? attributes = null, bool includePlanes = true) =>
        Create(frame, attributes, includePlanes, DetailFloor);

    /// <summary>
    /// All views of <paramref name="frame"/>, the detail views stretching only top-hat values of at least
    /// <paramref name="detailFloor"/> (of 255) to full contrast; the caller disposes them.
    /// </summary>
    internal static List<FrameView> Create(DecodedFrame frame, ImageAttributes? attributes, bool includePlanes, double detailFloor)
    {
        ArgumentNullException.ThrowIfNull(frame);
        NativeLoadOrder.Ensure();
        attributes ??= ImageAttributes.None;
        var views = new List<FrameView>();
        var n = frame.Rows * frame.Columns;
        if (n == 0)
        {
            return views;
        }

        if (frame.SamplesPerPixel >= 3)
        {
            var luminance = GreyView.Create(frame, attributes);
            views.Add(new FrameView("luminance", FrameViewKind.Luminance, luminance));
            // No detail views for colour (ultrasound and photographs): speckle and photographs are all detail, and
            // their text is found on the luminance and colour views, and on the planes of the luminance values text
            // is drawn in (mid-grey text over speckle).
            if (includePlanes)
            {
                // The extreme planes of the luminance (white or black text over speckle), then its value planes.
                luminance.GetArray(out byte[] grey);
                var lum = Array.ConvertAll(grey, static b => (long)b);
                long lo = 255, hi = 0;
                foreach (var v in lum)
                {
                    lo = Math.Min(lo, v);
                    hi = Math.Max(hi, v);
                }

                // Not on thumbnails (under 64 pixels a side): there the brightest stripes of any pattern pass for
                // text, and ultrasound search zones redact what they find unread.
                if (hi > lo && Math.Min(frame.Rows, frame.Columns) >= MinimumColourPlaneSide)
                {
                    AddExtremePlanes(views, lum, lo, hi, frame.Rows, frame.Columns);
                    if (Plane(Whiteness(frame), static v => v >= LightLevel) is { } light)
                    {
                        views.Add(new FrameView("light-plane", FrameViewKind.LightPlane, WithoutLongLines(light, frame.Rows, frame.Columns)));
                    }
                }

                AddValuePlanes(views, lum, 0, 255, frame.Rows, frame.Columns);
            }

            return views;
        }

        var stored = FrameRenderer.BitsStored(frame);
        var values = new long[n];
        long min = long.MaxValue, max = long.MinValue;
        var spp = frame.SamplesPerPixel;
        for (var i = 0; i < n; i++)
        {
            var v = GreyView.ReadStored(frame, i * spp, stored);
            values[i] = v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (max == min)
        {
            // One value everywhere: nothing can be read in any view.
            return views;
        }

        var invert = string.Equals(frame.PhotometricInterpretation?.Trim(), "MONOCHROME1", StringComparison.OrdinalIgnoreCase);
        var candidates = new List<(string Name, FrameViewKind Kind, byte[] Pixels)>();
        foreach (var (name, pixels) in HeaderViews(frame, attributes))
        {
            candidates.Add((name, FrameViewKind.HeaderWindow, pixels));
        }

        candidates.Add(("minmax", FrameViewKind.MinMax, Linear(values, min, max, invert)));
        var (low, high) = GreyView.Percentiles(Array.ConvertAll(values, static v => (double)v), min, max);
        candidates.Add(("percentile", FrameViewKind.Percentile, Linear(values, low, high, invert)));

        var kept = new List<(string Name, FrameViewKind Kind, byte[] Pixels)>();
        foreach (var c in candidates)
        {
            if (ShowsSomething(c.Pixels) && !kept.Exists(k => NearlyEqual(k.Pixels, c.Pixels)))
            {
                kept.Add(c);
            }
        }

        foreach (var k in kept)
        {
            views.Add(new FrameView(k.Name, k.Kind, ToMat(k.Pixels, frame.Rows, frame.Columns)));
        }

        if (includePlanes)
        {
            AddExtremePlanes(views, values, min, max, frame.Rows, frame.Columns);
            AddValuePlanes(views, values, min, max, frame.Rows, frame.Columns);
        }

        if (!string.Equals(attributes.Modality, "US", StringComparison.OrdinalIgnoreCase))
        {
            // Ultrasound speckle is all detail; its text sits on the black around the sector.
            AddDetail(views, detailFloor);
        }

        return views;
    }

    /// <summary>
    /// The top-hat value below which detail is not stretched: <paramref name="floor"/> (the detector's
    /// <see cref="DetailFloor"/>, or the independent reader's higher one), or three times the 90th percentile of the
    /// top-hat where the image is noisy (CT noise over brain would otherwise become full-contrast speckle that OCR reads
    /// as words), at most 160 (or the floor).
    /// </summary>
    private static double NoiseFloor(Mat topHat, double floor)
    {
        topHat.GetArray(out byte[] values);
        var hist = new int[256];
        foreach (var v in values)
        {
            hist[v]++;
        }

        var target = values.Length * 0.9;
        long acc = 0;
        var p90 = 0;
        for (; p90 < 255; p90++)
        {
            acc += hist[p90];
            if (acc >= target)
            {
                break;
            }
        }

        return Math.Clamp(3.0 * p90, floor, Math.Max(floor, 160));
    }

    /// <summary>Adds the bright ("detail") and dark ("dark-detail") detail views of the views present.</summary>
    private static void AddDetail(List<FrameView> views, double floor)
    {
        var bright = Detail(views, dark: false, floor);
        var dark = Detail(views, dark: true, floor);
        if (bright is not null)
        {
            views.Add(bright);
        }

        if (dark is not null)
        {
            views.Add(dark);
        }
    }

    /// <summary>
    /// A <see cref="FrameViewKind.Detail"/> view of the min-max and header-window views (null when there are none):
    /// the white top-hat (bright text), or with <paramref name="dark"/> the black top-hat (dark text), as bright strokes.
    /// </summary>
    internal static FrameView? Detail(IReadOnlyList<FrameView> views, bool dark, double floor = DetailFloor)
    {
        Mat? combined = null;
        var side = 0;
        foreach (var v in views)
        {
            if (v.Kind is not (FrameViewKind.MinMax or FrameViewKind.HeaderWindow or FrameViewKind.Luminance))
            {
                continue;
            }

            side = Math.Max(v.Grey.Cols, v.Grey.Rows);
            var k = Math.Clamp((int)Math.Round(side / 60.0) | 1, 7, 21);
            using var kernel = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(k, k));
            using var top = new Mat();
            Cv2.MorphologyEx(v.Grey, top, dark ? MorphTypes.BlackHat : MorphTypes.TopHat, kernel);
            if (combined is null)
            {
                combined = top.Clone();
            }
            else
            {
                Cv2.Max(combined, top, combined);
            }
        }

        if (combined is null)
        {
            return null;
        }

        // Local contrast: each stroke against the strongest detail around it, so text over anatomy (a top-hat of 40)
        // shows as clearly as text on black (255); detail weaker than DetailFloor everywhere around stays faint.
        var radius = Math.Clamp((int)Math.Round(side / 20.0) | 1, 15, 61);
        using var around = new Mat();
        using var wide = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(radius, radius));
        Cv2.Dilate(combined, around, wide);
        Cv2.Max(around, new Scalar(NoiseFloor(combined, floor)), around);
        using var stretched = new Mat();
        Cv2.Divide(combined, around, stretched, 255);
        combined.Dispose();
        return new FrameView(dark ? "dark-detail" : "detail", FrameViewKind.Detail, stretched.Clone());
    }

    /// <summary>An 8-bit array as a new CV_8UC1 Mat.</summary>
    internal static Mat ToMat(byte[] pixels, int rows, int cols)
    {
        var mat = new Mat(rows, cols, MatType.CV_8UC1);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, mat.Data, pixels.Length);
        return mat;
    }

    /// <summary>Each header window, rendered as a viewer shows it (modality LUT or rescale, VOI LUT or window, MONOCHROME1).</summary>
    private static IEnumerable<(string Name, byte[] Pixels)> HeaderViews(DecodedFrame frame, ImageAttributes attributes)
    {
        if (attributes.Module is { } module)
        {
            var count = Math.Min(module.Windows.Count, MaximumHeaderWindows);
            for (var w = 0; w < count; w++)
            {
                byte[]? data = null;
                try
                {
                    var image = FrameRenderer.Render(frame, module, new RenderSettings { Window = ExportWindowMode.Header, WindowIndex = w, BitDepth = 8 });
                    if (image.Channels == 1 && image.Data.Length == frame.Rows * frame.Columns)
                    {
                        data = image.Data;
                    }
                }
                catch (ExportException)
                {
                    // A window the renderer cannot apply (a damaged VOI LUT): the other views still show the frame.
                }

                if (data is not null)
                {
                    yield return ("window" + (w + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), data);
                }
            }

            yield break;
        }

        if (attributes.WindowCenter is { } c && attributes.WindowWidth is { } width)
        {
            var n = frame.Rows * frame.Columns;
            var stored = FrameRenderer.BitsStored(frame);
            var values = new long[n];
            var low = c - 0.5 - ((width - 1) / 2);
            var high = c - 0.5 + ((width - 1) / 2);
            var pixels = new byte[n];
            var invert = string.Equals(frame.PhotometricInterpretation?.Trim(), "MONOCHROME1", StringComparison.OrdinalIgnoreCase);
            var scale = high > low ? 255.0 / (high - low) : 0;
            for (var i = 0; i < n; i++)
            {
                var v = (GreyView.ReadStored(frame, i * frame.SamplesPerPixel, stored) * attributes.RescaleSlope) + attributes.RescaleIntercept;
                var g = v <= low ? 0 : v >= high ? 255 : (int)(((v - low) * scale) + 0.5);
                pixels[i] = (byte)(invert ? 255 - g : g);
            }

            yield return ("window1", pixels);
        }
    }

    private static byte[] Linear(long[] values, double low, double high, bool invert)
    {
        var pixels = new byte[values.Length];
        var scale = high > low ? 255.0 / (high - low) : 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var g = v <= low ? 0 : v >= high ? 255 : (int)(((v - low) * scale) + 0.5);
            pixels[i] = (byte)(invert ? 255 - g : g);
        }

        return pixels;
    }

    /// <summary>The most value planes per frame.</summary>
    private const int MaximumValuePlanes = 2;

    /// <summary>
    /// Adds a plane for each of the (at most two) values that stand out of the histogram the most: at least four times as
    /// many pixels as the mean of the three occupied values on each side (data stored in steps, e.g. 8-bit values
    /// scaled into 16 bits, compares with its own steps), at least 24 pixels, not the extremes (the high and low planes
    /// hold those). Text drawn in one mid grey over anatomy or speckle shows there as strokes on black.
    /// </summary>
    private static void AddValuePlanes(List<FrameView> views, long[] values, long min, long max, int rows, int cols)
    {
        var counts = new Dictionary<long, int>();
        foreach (var v in values)
        {
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }

        if (counts.Count < 8)
        {
            // A handful of values (a binary or posterized frame): the extreme planes and min-max show everything.
            return;
        }

        var distinct = counts.Keys.ToArray();
        Array.Sort(distinct);
        var tolerance = (long)Math.Floor((max - min) * PlaneTolerance);
        var spikes = new List<(long Value, double Ratio)>();
        for (var i = 3; i < distinct.Length - 3; i++)
        {
            var v = distinct[i];
            var count = counts[v];
            if (count < 24 || v <= min + tolerance || v >= max - tolerance || count > values.Length * PlaneMaximumFraction)
            {
                continue;
            }

            var around = 0.0;
            for (var d = 1; d <= 3; d++)
            {
                around += counts[distinct[i - d]] + counts[distinct[i + d]];
            }

            var ratio = count / Math.Max(1.0, around / 6);
            if (ratio >= 4)
            {
                spikes.Add((v, ratio));
            }
        }

        spikes.Sort(static (a, b) => b.Ratio.CompareTo(a.Ratio));
        for (var k = 0; k < Math.Min(MaximumValuePlanes, spikes.Count); k++)
        {
            var value = spikes[k].Value;
            if (Plane(values, v => v == value) is { } plane)
            {
                views.Add(new FrameView("value-plane" + (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), FrameViewKind.ValuePlane, WithoutLongLines(plane, rows, cols)));
            }
        }
    }

    /// <summary>The high and low planes: samples within <see cref="PlaneTolerance"/> of the range from the largest and the smallest value.</summary>
    private static void AddExtremePlanes(List<FrameView> views, long[] values, long min, long max, int rows, int cols)
    {
        var tolerance = (long)Math.Floor((max - min) * PlaneTolerance);
        if (Plane(values, v => v >= max - tolerance) is { } highPlane)
        {
            views.Add(new FrameView("high-plane", FrameViewKind.HighPlane, WithoutLongLines(highPlane, rows, cols)));
        }

        if (Plane(values, v => v <= min + tolerance) is { } lowPlane)
        {
            views.Add(new FrameView("low-plane", FrameViewKind.LowPlane, WithoutLongLines(lowPlane, rows, cols)));
        }
    }

    /// <summary>
    /// Horizontal or vertical runs at least this long in a plane are graphics (borders, rulers, calipers), not text. Odd:
    /// OpenCV erodes and dilates with the same anchor, so an even kernel's opening is shifted by a pixel.
    /// </summary>
    private const int LongLine = 41;

    /// <summary>
    /// Lines at least this thick (pixels across) are strokes of large text (a 41-pixel stem is a character at least that
    /// tall, with strokes of 4 pixels or more), not graphics: only thinner lines are taken out.
    /// </summary>
    private const int ThickStroke = 3;

    /// <summary>
    /// The plane as a Mat without its long thin horizontal and vertical lines: a border or ruler drawn in the text's
    /// value through a line of text joins its characters into one shape that neither the component grouping nor OCR
    /// reads. Runs of <see cref="LongLine"/> pixels or more that are under <see cref="ThickStroke"/> pixels across go;
    /// the stems and bars of large text stay.
    /// </summary>
    internal static Mat WithoutLongLines(byte[] plane, int rows, int cols)
    {
        var mat = ToMat(plane, rows, cols);
        foreach (var (along, across) in new[] { (new Size(LongLine, 1), new Size(1, ThickStroke)), (new Size(1, LongLine), new Size(ThickStroke, 1)) })
        {
            if (along.Width > cols || along.Height > rows)
            {
                continue;
            }

            using var alongKernel = Cv2.GetStructuringElement(MorphShapes.Rect, along);
            using var acrossKernel = Cv2.GetStructuringElement(MorphShapes.Rect, across);
            using var lines = new Mat();
            using var thick = new Mat();
            Cv2.MorphologyEx(mat, lines, MorphTypes.Open, alongKernel);
            Cv2.MorphologyEx(lines, thick, MorphTypes.Open, acrossKernel);
            Cv2.Subtract(lines, thick, lines);
            Cv2.Subtract(mat, lines, mat);
        }

        return mat;
    }

    /// <summary>
    /// The level (of 255) from which a colour frame's near-white pixels make the light plane: small anti-aliased white
    /// text over ultrasound speckle and colour Doppler has few pixels at the largest value (the high plane) and reads as
    /// noise through the luminance, but its strokes' cores are near white in all three samples, where speckle mostly is
    /// not and Doppler's yellows and reds never are.
    /// </summary>
    private const int LightLevel = 200;

    /// <summary>Per pixel of a colour frame, how white it is: its smallest sample (RGB), or its luma where its chroma is low (YBR).</summary>
    private static long[] Whiteness(DecodedFrame frame)
    {
        var data = frame.Data;
        var spp = frame.SamplesPerPixel;
        var bytes = frame.BytesPerSample;
        var ybr = frame.PhotometricInterpretation.StartsWith("YBR", StringComparison.OrdinalIgnoreCase);
        var shift = Math.Max(0, Math.Min(frame.BitsStored, frame.BitsAllocated) - 8);
        var values = new long[frame.Rows * frame.Columns];
        for (var i = 0; i < values.Length; i++)
        {
            ColourSamples.Read(data, i * spp * bytes, bytes, shift, out var a, out var b, out var c);
            values[i] = ybr
                ? (Math.Max(Math.Abs(b - 128), Math.Abs(c - 128)) <= 12 ? a : 0)
                : Math.Min(a, Math.Min(b, c));
        }

        return values;
    }

    /// <summary>255 where <paramref name="inPlane"/>, else 0; null when the plane is empty, tiny or most of the frame.</summary>
    private static byte[]? Plane(long[] values, Func<long, bool> inPlane)
    {
        var pixels = new byte[values.Length];
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (inPlane(values[i]))
            {
                pixels[i] = 255;
                count++;
            }
        }

        return count < 12 || count > values.Length * PlaneMaximumFraction ? null : pixels;
    }

    /// <summary>False when (nearly) every pixel has one value: a window that clips the whole frame shows nothing.</summary>
    private static bool ShowsSomething(byte[] pixels)
    {
        var hist = new int[256];
        foreach (var p in pixels)
        {
            hist[p]++;
        }

        var most = 0;
        foreach (var h in hist)
        {
            most = Math.Max(most, h);
        }

        return pixels.Length - most >= 12;
    }

    private static bool NearlyEqual(byte[] a, byte[] b)
    {
        long sum = 0;
        var count = 0;
        for (var i = 0; i < a.Length; i += 7)
        {
            sum += Math.Abs(a[i] - b[i]);
            count++;
        }

        return count > 0 && sum / (double)count < DuplicateDifference;
    }
}
