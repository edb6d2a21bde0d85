using System.Globalization;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom.Codecs;
using OpenCvSharp;

namespace MedImageCleaner.Core.Pixels;

/// <summary>A word read in a frame that is PHI: where, what kind, in which view; its text only when asked for.</summary>
public sealed record ResidualText(PixelBox Box, PhiKind Kind, string View, double Confidence)
{
    /// <summary>The word as read (it is PHI): null unless the reader was asked to include text.</summary>
    public string? Text { get; init; }

    /// <summary>A description without the text: kind, box and view.</summary>
    public override string ToString() => "residual " + Kind + " text at " + Box + " in the " + View + " view";
}

/// <summary>
/// Reads a frame the way the detector does not: Tesseract in sparse-text mode over the WHOLE frame (no candidate
/// regions, no edge pass), through the detail views (the local detail of the min-max and header-window views), the
/// extreme planes (samples at the largest and smallest stored values) and, for ultrasound and colour frames, the min-max
/// or luminance, the colour view and the light plane (near-white pixels: small white text over speckle and Doppler that
/// reads as noise through the luminance). Every word that reads as
/// PHI (generic patterns, labelled names, the header's identifying values) is returned. Used after redaction
/// (Remove-BurnedInText's verification) and by Test-Deidentification -CheckPixels, so that what the candidate detector
/// misses is not also "verified" by it. Not thread-safe (one Tesseract instance): one reader per thread.
/// </summary>
public sealed class IndependentTextReader : IDisposable
{
    /// <summary>Frames are read enlarged to about this many pixels on their longer side (small text needs it).</summary>
    private const double TargetSide = 1000;

    /// <summary>
    /// The detail views read here stretch top-hat values from this level up (of 255; the detector's views from 64):
    /// a stroke must stand out of its surroundings by at least 41 grey levels in the min-max or a header window to
    /// show. Over textured anatomy the lower floor stretches the texture itself to full contrast, and Tesseract then
    /// spends most of its time reading it: on the benchmark (8 frames per base) the higher floor reads the same PHI
    /// words in the originals (372 of 471 through the detail views, 370 before) in half the time on redacted frames.
    /// </summary>
    private const double ReadingDetailFloor = 96;

    private readonly TesseractOcr _ocr;
    private readonly bool _ownsOcr;
    private readonly PhiTextClassifier _classifier = new();

    /// <summary>Starts a reader with its own Tesseract instance.</summary>
    /// <exception cref="OcrEngineUnavailableException">libtesseract or the language data is not installed.</exception>
    public IndependentTextReader(string language = "eng", string? tessdataPath = null)
    {
        NativeLoadOrder.Ensure();
        _ocr = new TesseractOcr(language, tessdataPath);
        _ownsOcr = true;
    }

    internal IndependentTextReader(TesseractOcr ocr)
    {
        _ocr = ocr;
    }

    /// <summary>The Tesseract instance (for other reads on the same thread, e.g. overlay planes).</summary>
    internal TesseractOcr Ocr => _ocr;

    /// <summary>Put the words' text into the results (they are PHI: only for a caller that asked for values).</summary>
    public bool IncludeText { get; init; }

    /// <summary>
    /// The minimum confidence of a PHI word (0..100; default 40). The detail view stretches anatomy to full contrast
    /// and Tesseract reads some of it as short numbers ("4.48" is a clock time): those readings score far lower.
    /// </summary>
    public double Confidence { get; init; } = 40;

    /// <summary>The names of the views <see cref="Read"/> looked through in its last call.</summary>
    public IReadOnlyList<string> LastViews { get; private set; } = [];

    /// <summary>The PHI words readable in <paramref name="frame"/> through any of its reading views.</summary>
    public IReadOnlyList<ResidualText> Read(DecodedFrame frame, ImageAttributes? attributes, PhiContext? phi)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var results = new List<ResidualText>();
        var names = new List<string>();
        var views = FrameViews.Create(frame, attributes, includePlanes: true, ReadingDetailFloor);
        try
        {
            var hasDetail = views.Exists(v => v.Kind == FrameViewKind.Detail);
            foreach (var v in views)
            {
                // The detail views (white and black top-hats of the min-max and header-window views: text on any
                // background as strokes on black) and the extreme planes when they hold character-sized shapes;
                // where there is no detail view (ultrasound, colour), min-max or the luminance itself.
                var take = v.Kind is FrameViewKind.Detail or FrameViewKind.Luminance ||
                           (v.Kind == FrameViewKind.MinMax && !hasDetail) ||
                           (v.IsPlane && HasCharacterShapes(v.Grey));
                if (take)
                {
                    names.Add(v.Name);
                    ReadView(v.Grey, v.Name, plane: v.IsPlane, phi, results);
                }
            }

            using var colour = ColourView.Create(frame);
            if (colour is not null)
            {
                names.Add("colour");
                ReadView(colour, "colour", plane: false, phi, results);
            }
        }
        finally
        {
            foreach (var v in views)
            {
                v.Dispose();
            }
        }

        LastViews = names;
        return results;
    }

    public void Dispose()
    {
        if (_ownsOcr)
        {
            _ocr.Dispose();
        }
    }

    private unsafe void ReadView(Mat grey, string name, bool plane, PhiContext? phi, List<ResidualText> results)
    {
        var cols = grey.Cols;
        var rows = grey.Rows;
        // Small frames are enlarged to about TargetSide; frames up to 1400 pixels at least 1.5x (text of 8-10 pixels
        // on a radiograph or mammogram is unreadable to Tesseract at 1x).
        var side = Math.Max(cols, rows);
        var scale = Math.Clamp(Math.Max(TargetSide / side, side <= 1400 ? 1.5 : 1.0), 1.0, 3.0);
        using var view = new Mat();
        if (scale > 1.0)
        {
            Cv2.Resize(grey, view, new Size((int)Math.Round(cols * scale), (int)Math.Round(rows * scale)), 0, 0, InterpolationFlags.Cubic);
        }
        else
        {
            grey.CopyTo(view);
        }

        if (name.EndsWith("detail", StringComparison.Ordinal))
        {
            // Strokes are stretched to full contrast, texture stays below half: a binary image Tesseract reads fast.
            Cv2.Threshold(view, view, 110, 255, ThresholdTypes.Binary);
        }

        // Planes and thresholded detail views are binary, ink dark on white once inverted: no inverted re-reading.
        var binary = plane || name.EndsWith("detail", StringComparison.Ordinal);
        if (binary)
        {
            // Ink is bright on black in a plane and (mostly) in the detail view: Tesseract reads dark text on light.
            Cv2.BitwiseNot(view, view);
        }

        var step = (int)view.Step();
        var span = new ReadOnlySpan<byte>((void*)view.Data, step * view.Rows);
        var words = new List<OcrWord>();
        foreach (var w in _ocr.Recognize(span, view.Cols, view.Rows, step, PageSegmentation.SparseText, tryInverted: !binary))
        {
            var box = PixelBox.FromEdges(
                (int)Math.Floor(w.Box.X / scale), (int)Math.Floor(w.Box.Y / scale),
                (int)Math.Ceiling(w.Box.Right / scale), (int)Math.Ceiling(w.Box.Bottom / scale)).ClipTo(cols, rows);
            if (!box.IsEmpty && w.Text.Trim().Length > 0)
            {
                words.Add(w with { Box = box });
            }
        }

        foreach (var line in PhiTextClassifier.Lines(words))
        {
            var kinds = _classifier.Classify(line, phi);
            for (var j = 0; j < line.Count; j++)
            {
                if (kinds[j] is { } kind && line[j].Confidence >= Confidence)
                {
                    results.Add(new ResidualText(line[j].Box, kind, name, Math.Round(line[j].Confidence, 1))
                    {
                        Text = IncludeText ? line[j].Text : null,
                    });
                }
            }
        }
    }

    /// <summary>
    /// True when <paramref name="plane"/> has three components of a character's size in a row (see
    /// <see cref="HasRowOfThree"/>). A plane of one value that CT noise is full of holds a dozen character-sized specks
    /// among thousands (a CT head after redaction: 12 of 1722), and Tesseract spent 80 ms reading them as text.
    /// </summary>
    private static bool HasCharacterShapes(Mat plane)
    {
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var count = Cv2.ConnectedComponentsWithStats(plane, labels, stats, centroids, PixelConnectivity.Connectivity8);
        stats.GetArray(out int[] s);
        var shapes = new List<PixelBox>();
        for (var i = 1; i < count; i++)
        {
            var w = s[(i * 5) + 2];
            var h = s[(i * 5) + 3];
            if (h is >= 4 and <= 80 && w <= 3 * h)
            {
                shapes.Add(new PixelBox(s[i * 5], s[(i * 5) + 1], w, h));
            }
        }

        return HasRowOfThree(shapes);
    }

    /// <summary>The most character-sized components compared pairwise; more than this many are taken as a row.</summary>
    private const int MaximumShapesCompared = 400;

    /// <summary>
    /// True when one of <paramref name="shapes"/> has two others beside it in its row: heights within a factor of two,
    /// vertical centres within half the taller height, and at most two heights of gap between them (the letters of a
    /// word, or the words of a line).
    /// </summary>
    internal static bool HasRowOfThree(IReadOnlyList<PixelBox> shapes)
    {
        if (shapes.Count < 3)
        {
            return false;
        }

        if (shapes.Count > MaximumShapesCompared)
        {
            return true;
        }

        for (var i = 0; i < shapes.Count; i++)
        {
            var a = shapes[i];
            var beside = 0;
            for (var j = 0; j < shapes.Count; j++)
            {
                var b = shapes[j];
                if (i == j)
                {
                    continue;
                }

                var tall = Math.Max(a.Height, b.Height);
                var gap = Math.Max(b.X - a.Right, a.X - b.Right);
                var centres = Math.Abs((2 * a.Y) + a.Height - (2 * b.Y) - b.Height) / 2.0;
                if (tall <= 2 * Math.Min(a.Height, b.Height) && centres <= tall / 2.0 && gap <= 2 * tall && ++beside >= 2)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>"frame i" for messages.</summary>
    internal static string FrameLabel(int index) => "frame " + index.ToString(CultureInfo.InvariantCulture);
}
