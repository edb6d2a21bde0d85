using System.Diagnostics;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Pixels.Rules;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// The burned-in text engine: detects text in decoded frames (Ocr, Edge, Region, Rules, Auto), redacts it in place
/// and verifies the result. Owns one Tesseract instance, so it is NOT thread-safe: create one engine per worker
/// thread and reuse it for many images (creating one costs about 0.2 s). Per image, call
/// <see cref="BeginImage"/> and feed that session the image's frames in order; the session reuses detections of
/// regions that did not change between frames (a static cine overlay is OCR'd once).
/// </summary>
public sealed class FrameRedactionEngine : IDisposable
{
    private readonly TesseractOcr? _ocr;

    /// <summary>Creates an engine with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="OcrEngineUnavailableException">The options need OCR and Tesseract or the language is missing.</exception>
    public FrameRedactionEngine(TextRedactionOptions? options = null)
    {
        Options = options ?? TextRedactionOptions.Default;
        if (Options.Confidence is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Confidence is 0..100.");
        }

        if (Options.Padding is < 0 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Padding is 0..64 pixels.");
        }

        Rules = Options.Rules ?? BurnedInTextRules.Default;
        NativeLoadOrder.Ensure();
        if (Options.NeedsOcr)
        {
            _ocr = new TesseractOcr(Options.Language, Options.TessdataPath);
            Reader = new IndependentTextReader(_ocr) { IncludeText = Options.IncludeText };
        }
    }

    /// <summary>The verifier: full-frame OCR through several views, independent of the candidate detector (null without OCR).</summary>
    internal IndependentTextReader? Reader { get; }

    public TextRedactionOptions Options { get; }

    public BurnedInTextRules Rules { get; }

    internal TesseractOcr? Ocr => _ocr;

    internal EdgeTextDetector Edge { get; } = new();

    internal PhiTextClassifier Classifier { get; } = new();

    /// <summary>Starts one image: its header attributes and PHI values (null: generic patterns only).</summary>
    public ImageRedactionSession BeginImage(ImageAttributes? attributes, PhiContext? phi) => new(this, attributes ?? ImageAttributes.None, phi);

    /// <summary>Detects, redacts (in place) and verifies one single-frame image.</summary>
    public FrameRedactionResult Redact(DecodedFrame frame, ImageAttributes? attributes = null, PhiContext? phi = null) =>
        BeginImage(attributes, phi).Redact(frame, 0);

    public void Dispose() => _ocr?.Dispose();
}

/// <summary>
/// The frames of one image, processed in order by one <see cref="FrameRedactionEngine"/> (same thread). Remembers
/// candidate regions already read (and regions already verified clean) so unchanged regions of later frames are
/// not OCR'd again; every frame is still detected (edge pass), redacted and verified.
/// </summary>
public sealed partial class ImageRedactionSession
{
    private const int CacheLimit = 512;

    /// <summary>Frames up to this many pixels (about 0.3 MP) grow OCR-confirmed lines sideways over their ink.</summary>
    private const long SmallFramePixels = 300_000;
    private const double SameRegionMeanDifference = 2.0;
    private readonly FrameRedactionEngine _engine;
    private readonly ImageAttributes _attributes;
    private readonly PhiContext? _phi;
    private readonly List<CachedRegion> _detected = [];

    internal ImageRedactionSession(FrameRedactionEngine engine, ImageAttributes attributes, PhiContext? phi)
    {
        _engine = engine;
        _attributes = attributes;
        _phi = phi;
    }

    private TextRedactionOptions Options => _engine.Options;

    /// <summary>Detects the text boxes of <paramref name="frame"/> without changing it.</summary>
    public FrameRedactionResult Detect(DecodedFrame frame, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var sw = Stopwatch.StartNew();
        var d = DetectAllViews(frame);
        return new FrameRedactionResult(frameIndex, d.Boxes, 0, false, [])
        {
            OcrCandidates = d.OcrCandidates,
            ReusedCandidates = d.Reused,
            Elapsed = sw.Elapsed,
        };
    }

    /// <summary>Detects, fills the boxes in <paramref name="frame"/> (in place) and, when asked, verifies.</summary>
    public FrameRedactionResult Redact(DecodedFrame frame, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var sw = Stopwatch.StartNew();
        var d = DetectAllViews(frame);
        var boxes = new List<PixelBox>(d.Boxes.Count);
        foreach (var b in d.Boxes)
        {
            boxes.Add(b.Box);
        }

        var altered = FrameRedactor.Fill(frame, boxes);
        var reasons = new List<string>();
        var verifiedCandidates = 0;
        var verificationRan = false;
        if (Options.Verify && ShouldVerify(frameIndex, boxes.Count))
        {
            verificationRan = true;
            verifiedCandidates = VerifyIndependently(frame, reasons);
        }

        return new FrameRedactionResult(frameIndex, d.Boxes, altered, verificationRan && reasons.Count == 0, reasons)
        {
            VerificationRan = verificationRan,
            OcrCandidates = d.OcrCandidates,
            ReusedCandidates = d.Reused,
            VerifiedCandidates = verifiedCandidates,
            Elapsed = sw.Elapsed,
        };
    }

    /// <summary>Detection through every view of the frame (<see cref="FrameViews"/>) and, for colour, the colour view.</summary>
    private Detection DetectAllViews(DecodedFrame frame)
    {
        var views = FrameViews.Create(frame, _attributes, includePlanes: (Options.Methods & TextDetectionMethods.Auto) != 0);
        try
        {
            var d = DetectCore(views, frame.Columns, frame.Rows);
            return WithColourView(frame, d);
        }
        finally
        {
            foreach (var v in views)
            {
                v.Dispose();
            }
        }
    }

    private Detection DetectCore(IReadOnlyList<FrameView> views, int cols, int rows, IReadOnlyList<TextBox>? alreadyFound = null)
    {
        var viewScale = DetectionScale(cols, rows);
        var methods = Options.Methods;
        var auto = (methods & TextDetectionMethods.Auto) != 0;
        var phiOnly = Options.Mode == TextRedactionMode.PhiOnly;
        var boxes = new List<TextBox>();
        var zones = new List<(PixelBox Box, string Reason)>();

        if (auto || (methods & TextDetectionMethods.Region) != 0)
        {
            foreach (var r in Options.Regions)
            {
                var c = r.ClipTo(cols, rows);
                if (!c.IsEmpty)
                {
                    boxes.Add(new TextBox(c, TextDetectionMethods.Region, "region", 100));
                }
            }
        }

        if (auto || (methods & TextDetectionMethods.Rules) != 0)
        {
            var fillAll = (methods & TextDetectionMethods.Rules) != 0;
            foreach (var rule in _engine.Rules.Match(_attributes, cols, rows))
            {
                foreach (var b in rule.PixelBoxes(cols, rows))
                {
                    if (fillAll || rule.Action == TextRuleAction.Fill)
                    {
                        boxes.Add(new TextBox(b, TextDetectionMethods.Rules, "rule:" + rule.Id, 100));
                    }
                    else
                    {
                        zones.Add((b, "search-zone:" + rule.Id));
                    }
                }
            }

            if (_engine.Rules.UltrasoundOutsideDataRegions && _attributes.UltrasoundRegions.Count > 0 &&
                string.Equals(_attributes.Modality, "US", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var b in OutsideRegions(_attributes.UltrasoundRegions, cols, rows))
                {
                    if (fillAll)
                    {
                        boxes.Add(new TextBox(b, TextDetectionMethods.Rules, "ultrasound-outside-data-region", 100));
                    }
                    else
                    {
                        zones.Add((b, "ultrasound-outside-data-region"));
                    }
                }
            }
        }

        var ocrCandidates = 0;
        var reused = 0;
        if (auto || (methods & TextDetectionMethods.Edge) != 0)
        {
            var method = auto ? TextDetectionMethods.Auto : TextDetectionMethods.Edge;
            foreach (var v in DetectionOrder(views))
            {
                var seen = new List<TextBox>(boxes);
                if (alreadyFound is not null)
                {
                    seen.AddRange(alreadyFound);
                }

                var (read, reusedHere) = DetectInView(v, viewScale, method, auto, phiOnly, zones, seen, boxes, cols, rows);
                ocrCandidates += read;
                reused += reusedHere;
            }
        }

        if ((methods & TextDetectionMethods.Ocr) != 0 && _engine.Ocr is { } fullOcr)
        {
            var read = 0;
            foreach (var v in views)
            {
                // The display view and min-max (planes are for the candidate pass and verification).
                if (!v.IsPlane && read++ < 2)
                {
                    FullFrameOcr(v.Grey, fullOcr, boxes, TextDetectionMethods.Ocr, "ocr-line", v.Name);
                }
            }
        }

        return new Detection(boxes, ocrCandidates, reused);
    }

    /// <summary>
    /// The views in the order the candidate pass reads them: the detail view first (text on any background), then the
    /// extreme planes, then the windows; later views mostly extend lines found already, without OCR.
    /// </summary>
    private static readonly FrameViewKind[] PriorityKinds = [FrameViewKind.Detail, FrameViewKind.HighPlane, FrameViewKind.LowPlane];

    private static IEnumerable<FrameView> DetectionOrder(IReadOnlyList<FrameView> views)
    {
        foreach (var kind in PriorityKinds)
        {
            foreach (var v in views)
            {
                if (v.Kind == kind)
                {
                    yield return v;
                }
            }
        }

        foreach (var v in views)
        {
            if (v.Kind is not (FrameViewKind.Detail or FrameViewKind.HighPlane or FrameViewKind.LowPlane or FrameViewKind.Percentile))
            {
                yield return v;
            }
        }
    }

    /// <summary>What to redact of one candidate, from its OCR words.</summary>
    private void Decide(OpenCvSharp.Mat grey, TextCandidate c, string? zone, List<OcrWord> words, TextDetectionMethods method, List<TextBox> boxes, int cols, int rows, bool strict = false)
    {
        if (strict)
        {
            // Views that bring out texture (detail, planes) give Tesseract anatomy to read: only words that read well
            // as words count there, and PHI-like strings only when read with some confidence.
            words = words.FindAll(w => w.Confidence >= StrictPhiConfidence && LooksLikeWord(w.Text));
        }

        var confirmed = new List<OcrWord>();
        foreach (var w in words)
        {
            // One character alone (a speckle blob read as "i" or "4") does not confirm a candidate.
            if (w.Confidence >= (strict ? Math.Max(Options.Confidence, StrictConfidence) : Options.Confidence) && CountAlphanumeric(w.Text) >= (strict ? 3 : 2))
            {
                confirmed.Add(w);
            }
        }

        if (strict && confirmed.Count == 1 && CountAlphanumeric(confirmed[0].Text) < 4)
        {
            // One short word alone ("AAS") is what texture reads as; a text line has a longer word or several.
            confirmed.Clear();
        }

        if (Options.Mode == TextRedactionMode.All)
        {
            // Words that read as PHI count at any confidence ("MRNOOOOO003" read at 32 is still the patient's ID):
            // they confirm the candidate, and the box is never cut back past them.
            var phiRuns = words.Count > 0 ? PhiRuns(words) : [];
            if (confirmed.Count > 0 || phiRuns.Count > 0 || zone is not null || (method == TextDetectionMethods.Edge && c.Components >= 2))
            {
                var box = c.Box;
                var confidence = c.Score;
                var wordsBox = default(PixelBox);
                var rawWords = default(PixelBox);
                foreach (var w in confirmed)
                {
                    rawWords = rawWords.Union(w.Box);
                    wordsBox = wordsBox.Union(GrowToCandidateHeight(w.Box, c.Box));
                    confidence = Math.Max(confidence, w.Confidence);
                }

                foreach (var run in phiRuns)
                {
                    rawWords = rawWords.Union(run.Box);
                    wordsBox = wordsBox.Union(GrowToCandidateHeight(run.Box, c.Box));
                }

                // The whole line goes, not only the words OCR read: the rest of a confirmed line is text too (a name
                // OCR could not read beside a label it could). A candidate much taller than its words merged the line
                // with anatomy or a graphic: it is cut to the words' rows and to at most three line heights beside
                // them. A line merged with a graphic is also split at its gaps below.
                if (zone is null && !rawWords.IsEmpty && c.Box.Height > 1.6 * rawWords.Height)
                {
                    // Tesseract's word boxes can be a little shorter than the glyphs: a quarter line height more.
                    var grow = Math.Max(2, rawWords.Height / 4);
                    var reach = 3 * rawWords.Height;
                    box = PixelBox.FromEdges(
                        Math.Max(c.Box.X, rawWords.X - reach), Math.Max(c.Box.Y, rawWords.Y - grow),
                        Math.Min(c.Box.Right, rawWords.Right + reach), Math.Min(c.Box.Bottom, rawWords.Bottom + grow));
                }
                else
                {
                    box = box.Union(wordsBox);
                }

                var reason = zone ?? (confirmed.Count > 0 || phiRuns.Count > 0 ? "ocr-confirmed-candidate" : "edge-textline");
                var text = TextOf(words);
                if ((confirmed.Count > 0 || phiRuns.Count > 0) && zone is null)
                {
                    // A line OCR confirmed: split where it spans a wide empty gap (two strings merged into one line);
                    // on small frames also grown sideways over the same line's ink the edge pass lost (small text
                    // running into the anatomy merges with its edges).
                    foreach (var part in InkExtent.Refine(grey, box, grow: (long)cols * rows <= SmallFramePixels))
                    {
                        boxes.Add(new TextBox(Pad(part, cols, rows), method, reason, confidence) { Text = text });
                    }

                    return;
                }

                boxes.Add(new TextBox(Pad(box, cols, rows), method, reason, confidence) { Text = text });
            }

            return;
        }

        // PhiOnly: the words that are PHI; unreadable text in a PHI zone too.
        var any = false;
        foreach (var run in PhiRuns(words))
        {
            any = true;
            var box = GrowToCandidateHeight(run.Box, c.Box);
            boxes.Add(new TextBox(Pad(box, cols, rows), method, "phi:" + run.Kind, run.Confidence) { Text = run.Text });
        }

        if (!any && zone is not null && confirmed.Count == 0)
        {
            boxes.Add(new TextBox(Pad(c.Box, cols, rows), method, zone, c.Score));
        }
    }

    /// <summary>
    /// Tesseract over the whole frame (enlarged when small), both polarities; in All mode the confident words, joined
    /// per line, in PhiOnly the PHI runs. <paramref name="method"/> and <paramref name="reason"/> label the boxes.
    /// </summary>
    private void FullFrameOcr(OpenCvSharp.Mat grey, TesseractOcr ocr, List<TextBox> boxes, TextDetectionMethods method, string reason, string viewName)
    {
        var first = boxes.Count;
        FullFrameOcrCore(grey, ocr, boxes, method, reason);
        for (var i = first; i < boxes.Count; i++)
        {
            boxes[i] = boxes[i] with { View = viewName };
        }
    }

    private void FullFrameOcrCore(OpenCvSharp.Mat grey, TesseractOcr ocr, List<TextBox> boxes, TextDetectionMethods method, string reason)
    {
        var cols = grey.Cols;
        var rows = grey.Rows;
        var scale = Math.Clamp(1000.0 / Math.Max(cols, rows), 1.0, 4.0);
        using var view = new OpenCvSharp.Mat();
        if (scale > 1.01)
        {
            OpenCvSharp.Cv2.Resize(grey, view, new OpenCvSharp.Size((int)Math.Round(cols * scale), (int)Math.Round(rows * scale)), 0, 0, OpenCvSharp.InterpolationFlags.Cubic);
        }
        else
        {
            scale = 1;
            grey.CopyTo(view);
        }

        var words = new List<OcrWord>();
        for (var polarity = 0; polarity < 2; polarity++)
        {
            if (polarity == 1)
            {
                OpenCvSharp.Cv2.BitwiseNot(view, view);
            }

            foreach (var w in RecognizeMat(ocr, view))
            {
                var box = PixelBox.FromEdges(
                    (int)Math.Floor(w.Box.X / scale), (int)Math.Floor(w.Box.Y / scale),
                    (int)Math.Ceiling(w.Box.Right / scale), (int)Math.Ceiling(w.Box.Bottom / scale)).ClipTo(cols, rows);
                if (!box.IsEmpty && box.Area < (long)cols * rows / 4)
                {
                    words.Add(w with { Box = box });
                }
            }
        }

        if (Options.Mode == TextRedactionMode.All)
        {
            var confirmed = new List<OcrWord>();
            foreach (var w in words)
            {
                if (w.Confidence >= Options.Confidence && HasAlphanumeric(w.Text))
                {
                    confirmed.Add(w);
                }
            }

            foreach (var run in LineRuns(confirmed))
            {
                boxes.Add(new TextBox(Pad(run.Box, cols, rows), method, reason, run.Confidence) { Text = run.Text });
            }

            // Words that read as PHI count at any confidence (an ID misread with letters for digits scores low).
            foreach (var run in PhiRuns(words))
            {
                boxes.Add(new TextBox(Pad(run.Box, cols, rows), method, reason, run.Confidence) { Text = run.Text });
            }

            return;
        }

        foreach (var run in PhiRuns(words))
        {
            boxes.Add(new TextBox(Pad(run.Box, cols, rows), method, "phi:" + run.Kind, run.Confidence) { Text = run.Text });
        }
    }

    /// <summary>
    /// Words of a line joined into one box while the gap to the next word is at most 1.5 line heights (the space
    /// between the words of a string goes with them; separate strings on the same row stay separate).
    /// </summary>
    private List<PhiRun> LineRuns(IEnumerable<OcrWord> words)
    {
        var runs = new List<PhiRun>();
        foreach (var line in PhiTextClassifier.Lines(words))
        {
            PhiRun? open = null;
            foreach (var w in line)
            {
                open = Join(runs, open, w, PhiKind.Other, 1.5);
            }
        }

        return runs;
    }

    /// <summary>
    /// The PHI words of <paramref name="words"/>, consecutive PHI words of a line joined into one box (a name's
    /// "DOE, JANE" is one string: the space between its words goes too) when they are at most two line heights apart.
    /// </summary>
    private List<PhiRun> PhiRuns(IEnumerable<OcrWord> words)
    {
        var runs = new List<PhiRun>();
        foreach (var line in PhiTextClassifier.Lines(words))
        {
            var kinds = _engine.Classifier.Classify(line, _phi);
            PhiRun? open = null;
            for (var i = 0; i < line.Count; i++)
            {
                if (kinds[i] is not { } kind)
                {
                    open = null;
                    continue;
                }

                open = Join(runs, open, line[i], kind, 2);
            }
        }

        return runs;
    }

    /// <summary>
    /// Adds <paramref name="w"/> to the open run (the last of <paramref name="runs"/>) when the gap to it is at most
    /// <paramref name="maxGapHeights"/> line heights, else starts a new run; returns the run it went to.
    /// </summary>
    private PhiRun Join(List<PhiRun> runs, PhiRun? open, OcrWord w, PhiKind kind, double maxGapHeights)
    {
        var text = Options.IncludeText ? w.Text : null;
        if (open is { } o && w.Box.X - o.Box.Right <= maxGapHeights * Math.Max(o.Box.Height, w.Box.Height))
        {
            var joined = o with
            {
                Box = o.Box.Union(w.Box),
                Confidence = Math.Min(o.Confidence, w.Confidence),
                Text = text is null ? null : o.Text + " " + text,
            };
            runs[^1] = joined;
            return joined;
        }

        var run = new PhiRun(w.Box, kind, w.Confidence, text);
        runs.Add(run);
        return run;
    }

    /// <summary>OCR of the candidates in <paramref name="indexes"/>, reusing the words of identical regions seen before.</summary>
    private List<OcrWord>[] ReadCandidates(OpenCvSharp.Mat view, double scale, List<TextCandidate> candidates, List<int> indexes, TesseractOcr ocr, out int reused)
    {
        var result = new List<OcrWord>[indexes.Count];
        var crops = new byte[indexes.Count][];
        var pending = new List<int>();
        var pendingBoxes = new List<PixelBox>();
        reused = 0;
        for (var k = 0; k < indexes.Count; k++)
        {
            var box = candidates[indexes[k]].Box;
            crops[k] = Crop(view, ToView(box, scale, view));
            if (Lookup(_detected, box, crops[k]) is { } hit)
            {
                result[k] = hit.Words;
                reused++;
            }
            else
            {
                pending.Add(k);
                pendingBoxes.Add(box);
            }
        }

        if (pending.Count > 0)
        {
            var viewBoxes = pendingBoxes.ConvertAll(b => ToView(b, scale, view));
            var words = CandidateOcr.Read(view, viewBoxes, ocr, retryInverted: false);
            for (var p = 0; p < pending.Count; p++)
            {
                var k = pending[p];
                // The cache holds frame coordinates, as returned: a later frame reusing the entry gets the same boxes.
                result[k] = ToFrame(words[p], scale, pendingBoxes[p]);
                Remember(_detected, new CachedRegion(pendingBoxes[p], crops[k], result[k]));
            }
        }

        return result;
    }

    /// <summary>Small frames are examined enlarged (text a few pixels high merges with its neighbours otherwise).</summary>
    private static double DetectionScale(int cols, int rows)
    {
        var s = Math.Clamp(960.0 / Math.Max(cols, rows), 1.0, 4.0);
        return s < 1.25 ? 1.0 : s;
    }

    private static OpenCvSharp.Mat Upscale(OpenCvSharp.Mat grey, double scale)
    {
        var view = new OpenCvSharp.Mat();
        if (scale == 1.0)
        {
            grey.CopyTo(view);
        }
        else
        {
            OpenCvSharp.Cv2.Resize(grey, view, new OpenCvSharp.Size((int)Math.Round(grey.Cols * scale), (int)Math.Round(grey.Rows * scale)), 0, 0, OpenCvSharp.InterpolationFlags.Cubic);
        }

        return view;
    }

    private static List<TextCandidate> ToFrame(IReadOnlyList<TextCandidate> candidates, double scale, int cols, int rows)
    {
        var list = new List<TextCandidate>(candidates.Count);
        foreach (var c in candidates)
        {
            var box = scale == 1.0 ? c.Box : c.Box.Scale(1 / scale).ClipTo(cols, rows);
            if (!box.IsEmpty)
            {
                list.Add(c with { Box = box, MedianHeight = c.MedianHeight / scale });
            }
        }

        return list;
    }

    private static List<OcrWord> ToFrame(List<OcrWord> words, double scale, PixelBox clip)
    {
        if (scale == 1.0)
        {
            return words;
        }

        var list = new List<OcrWord>(words.Count);
        foreach (var w in words)
        {
            var box = w.Box.Scale(1 / scale).Intersect(clip.Inflate(Math.Max(2, clip.Height / 3), Math.Max(2, clip.Height / 3)));
            if (!box.IsEmpty)
            {
                list.Add(w with { Box = box });
            }
        }

        return list;
    }

    private static PixelBox ToView(PixelBox box, double scale, OpenCvSharp.Mat view) =>
        scale == 1.0 ? box : box.Scale(scale).ClipTo(view.Cols, view.Rows);

    private static bool IsLoneBlob(TextCandidate c) => c.Components < 2 && c.Box.Width < 1.5 * c.Box.Height;

    private static bool InsideFilled(PixelBox box, List<PixelBox> filled)
    {
        foreach (var f in filled)
        {
            if (f.Inflate(3, 3).Contains(box))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ZoneOf(List<(PixelBox Box, string Reason)> zones, PixelBox box)
    {
        foreach (var z in zones)
        {
            if (z.Box.Intersect(box).Area * 2 >= box.Area)
            {
                return z.Reason;
            }
        }

        return null;
    }

    /// <summary>The complement of the data regions within the frame, as rectangles (grid of the region edges).</summary>
    internal static List<PixelBox> OutsideRegions(IReadOnlyList<PixelBox> regions, int cols, int rows)
    {
        var xs = new SortedSet<int> { 0, cols };
        var ys = new SortedSet<int> { 0, rows };
        foreach (var r in regions)
        {
            var c = r.ClipTo(cols, rows);
            if (c.IsEmpty)
            {
                continue;
            }

            xs.Add(c.X);
            xs.Add(c.Right);
            ys.Add(c.Y);
            ys.Add(c.Bottom);
        }

        var xa = xs.ToArray();
        var ya = ys.ToArray();
        var result = new List<PixelBox>();
        for (var yi = 0; yi + 1 < ya.Length; yi++)
        {
            var runStart = -1;
            for (var xi = 0; xi + 1 <= xa.Length - 1; xi++)
            {
                var cell = PixelBox.FromEdges(xa[xi], ya[yi], xa[xi + 1], ya[yi + 1]);
                var covered = false;
                foreach (var r in regions)
                {
                    if (r.Contains(cell))
                    {
                        covered = true;
                        break;
                    }
                }

                if (!covered && runStart < 0)
                {
                    runStart = xa[xi];
                }
                else if (covered && runStart >= 0)
                {
                    result.Add(PixelBox.FromEdges(runStart, ya[yi], xa[xi], ya[yi + 1]));
                    runStart = -1;
                }
            }

            if (runStart >= 0)
            {
                result.Add(PixelBox.FromEdges(runStart, ya[yi], xa[^1], ya[yi + 1]));
            }
        }

        return result;
    }

    private static RecognizedWords RecognizeMat(TesseractOcr ocr, OpenCvSharp.Mat view)
    {
        unsafe
        {
            var step = (int)view.Step();
            var span = new ReadOnlySpan<byte>((void*)view.Data, step * view.Rows);
            return new RecognizedWords(ocr.Recognize(span, view.Cols, view.Rows, step, PageSegmentation.SparseText));
        }
    }

    private static unsafe byte[] Crop(OpenCvSharp.Mat grey, PixelBox box)
    {
        var result = new byte[box.Width * box.Height];
        var step = (int)grey.Step();
        var data = new ReadOnlySpan<byte>((void*)grey.Data, step * grey.Rows);
        for (var y = 0; y < box.Height; y++)
        {
            data.Slice(((box.Y + y) * step) + box.X, box.Width).CopyTo(result.AsSpan(y * box.Width));
        }

        return result;
    }

    private static CachedRegion? Lookup(List<CachedRegion> cache, PixelBox box, byte[] crop)
    {
        foreach (var c in cache)
        {
            if (c.Box == box && MeanDifference(c.Crop, crop) <= SameRegionMeanDifference)
            {
                return c;
            }
        }

        return null;
    }

    private static void Remember(List<CachedRegion> cache, CachedRegion entry)
    {
        if (cache.Count >= CacheLimit)
        {
            cache.RemoveAt(0);
        }

        cache.Add(entry);
    }

    private static double MeanDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return a.Length == 0 ? 0 : sum / (double)a.Length;
    }

    private PixelBox Pad(PixelBox box, int cols, int rows) => box.Inflate(Options.Padding, Options.Padding).ClipTo(cols, rows);

    /// <summary>A word box grown to the candidate line's rows (Tesseract's word boxes can be shorter than the glyphs).</summary>
    /// <summary>True when at least 90% of <paramref name="box"/> lies inside the boxes found already.</summary>
    private static bool IsCovered(PixelBox box, IReadOnlyList<TextBox> found)
    {
        long inside = 0;
        foreach (var f in found)
        {
            inside += box.Intersect(f.Box).Area;
        }

        return inside >= box.Area * 9 / 10;
    }

    private static PixelBox GrowToCandidateHeight(PixelBox word, PixelBox line) =>
        PixelBox.FromEdges(word.X, Math.Min(word.Y, line.Y), word.Right, Math.Max(word.Bottom, line.Bottom));

    private string? TextOf(List<OcrWord> words)
    {
        if (!Options.IncludeText || words.Count == 0)
        {
            return null;
        }

        return string.Join(' ', words.Select(w => w.Text));
    }

    /// <summary>Word confidence needed to confirm a candidate of a texture-prone view (detail, planes).</summary>
    private const double StrictConfidence = 75;

    /// <summary>Below this confidence, a word of a texture-prone view is not looked at at all.</summary>
    private const double StrictPhiConfidence = 50;

    /// <summary>At least two thirds letters and digits: Tesseract's readings of texture are full of | { } ~ and dashes.</summary>
    private static bool LooksLikeWord(string text)
    {
        var visible = 0;
        foreach (var ch in text)
        {
            visible += char.IsWhiteSpace(ch) ? 0 : 1;
        }

        return visible > 0 && CountAlphanumeric(text) * 3 >= visible * 2;
    }

    private static int CountAlphanumeric(string text)
    {
        var n = 0;
        foreach (var ch in text)
        {
            n += char.IsLetterOrDigit(ch) ? 1 : 0;
        }

        return n;
    }

    private static bool HasAlphanumeric(string text)
    {
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record PhiRun(PixelBox Box, PhiKind Kind, double Confidence, string? Text);

    /// <summary>A region read before: its frame box, its view pixels and its words in frame coordinates.</summary>
    private sealed record CachedRegion(PixelBox Box, byte[] Crop, List<OcrWord> Words);

    private readonly record struct Detection(List<TextBox> Boxes, int OcrCandidates, int Reused);

    private readonly record struct RecognizedWords(IReadOnlyList<OcrWord> Words)
    {
        public IEnumerator<OcrWord> GetEnumerator() => Words.GetEnumerator();
    }
}
