using System.Diagnostics;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Pixels.Rules;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// The frames of one image, processed in order by one <see cref="FrameRedactionEngine"/> (same thread): every frame is
/// looked at through its views (<see cref="FrameViews"/>), redacted, and verified by the independent reader (a sample
/// of the frames of long cine loops). Candidate regions already read are remembered, so unchanged regions of later
/// frames are not OCR'd again.
/// </summary>
public sealed partial class ImageRedactionSession
{
    /// <summary>
    /// Frames up to this many pixels (3 MP: every CT, MR, ultrasound and 1024x768 radiograph; not a full-field
    /// mammogram, whose tissue runs for thousands of pixels at the text's level) grow OCR-confirmed lines sideways over
    /// their ink: the end of a line of small dark text running from anatomy onto the black background is lost otherwise.
    /// </summary>
    private const long SmallFramePixels = 3_000_000;
    private const double SameRegionMeanDifference = 2.0;
    private readonly FrameRedactionEngine _engine;
    private readonly ImageAttributes _attributes;
    private readonly PhiContext? _phi;
    private readonly List<CachedRegion> _detected = [];

    /// <summary>The candidate lines of the current frame that OCR read without confirming them (for block completion).</summary>
    private readonly List<PixelBox> _unconfirmed = [];

    /// <summary>The boxes of earlier frames that hold PHI (read as PHI, or completing a block), redacted in later frames too.</summary>
    private readonly List<PixelBox> _carried = [];

    /// <summary>The most boxes carried from earlier frames to later ones.</summary>
    private const int MaximumCarried = 64;

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
            var residual = VerifyIndependently(frame, reasons, out verifiedCandidates);
            if (residual.Count > 0 && (Options.Methods & TextDetectionMethods.Auto) != 0 && Options.Mode == TextRedactionMode.All)
            {
                // What the independent reader still reads is redacted too (a line at the edge of a block over anatomy
                // that no candidate view confirmed), then the frame is read again: only what remains readable after
                // that sends the file to the quarantine.
                var second = new List<PixelBox>(residual.Count);
                foreach (var r in residual)
                {
                    var box = Pad(r.Box.Inflate(Math.Max(2, r.Box.Height / 2), Math.Max(2, r.Box.Height / 3)), frame.Columns, frame.Rows);
                    second.Add(box);
                    d.Boxes.Add(new TextBox(box, TextDetectionMethods.Auto, "verification-read", r.Confidence) { View = r.View });
                    if (_carried.Count < MaximumCarried)
                    {
                        // PHI the reader found: later frames redact it too.
                        _carried.Add(box);
                    }
                }

                foreach (var gap in BridgeResiduals(residual.Select(static r => r.Box).ToList()))
                {
                    var box = Pad(gap.Inflate(2, Math.Max(2, gap.Height / 3)), frame.Columns, frame.Rows);
                    second.Add(box);
                    d.Boxes.Add(new TextBox(box, TextDetectionMethods.Auto, "verification-row", 50) { View = "block" });
                }

                FrameRedactor.Fill(frame, second);
                boxes.AddRange(second);
                altered = FrameRedactor.UnionArea(boxes, frame.Columns, frame.Rows);
                reasons.Clear();
                _ = VerifyIndependently(frame, reasons, out var again);
                verifiedCandidates += again;
            }
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
        _unconfirmed.Clear();
        try
        {
            var d = WithColourView(frame, DetectCore(views, frame.Columns, frame.Rows));
            if ((Options.Methods & TextDetectionMethods.Auto) != 0 && Options.Mode == TextRedactionMode.All)
            {
                CompleteBlocks(d.Boxes, frame.Columns, frame.Rows, _unconfirmed);
                CarryAcrossFrames(d.Boxes);
            }

            return d;
        }
        finally
        {
            foreach (var v in views)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>
    /// A multi-frame image burns its patient block at the same place in every frame, but the anatomy under it changes:
    /// mid-grey text a view confirmed on one frame may be half hidden in the texture of the next, where no view confirms
    /// it (an MR series of 128x256 frames: the patient ID line read on frame 0 only). The boxes of earlier frames that
    /// held PHI or completed a block are redacted in this frame too (<c>earlier-frame</c>) where this frame's boxes do
    /// not already cover them; this frame's own such boxes are carried on.
    /// </summary>
    private void CarryAcrossFrames(List<TextBox> boxes)
    {
        var own = boxes.Count;
        foreach (var c in _carried)
        {
            if (CoveredFraction(c, boxes) < 0.9)
            {
                boxes.Add(new TextBox(c, TextDetectionMethods.Auto, "earlier-frame", 50) { View = "session" });
            }
        }

        for (var i = 0; i < own && _carried.Count < MaximumCarried; i++)
        {
            var b = boxes[i];
            if ((b.HoldsPhi || b.Reason is "block-line" or "block-edge" or "row-bridge") && !_carried.Exists(c => c.Contains(b.Box)))
            {
                _carried.Add(b.Box);
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

            // Dark lines of the bright detail view wait for the dark one (see DetectInView), then are read there only
            // where it confirmed nothing.
            var hasDarkDetail = (long)cols * rows >= TextureFramePixels && views.Any(static v => v.Name == "dark-detail");
            var polarity = views.FirstOrDefault(static v => v.Kind == FrameViewKind.MinMax) ?? views.FirstOrDefault(static v => v.Kind == FrameViewKind.HeaderWindow);
            var deferred = new List<TextCandidate>();
            FrameView? deferredView = null;
            foreach (var v in DetectionOrder(views))
            {
                var defer = hasDarkDetail && polarity is not null && v.Name == "detail";
                var (read, reusedHere) = DetectInView(v, viewScale, method, auto, phiOnly, zones, Seen(boxes, alreadyFound), boxes, cols, rows,
                    defer ? polarity!.Grey : null, defer ? deferred : null);
                ocrCandidates += read;
                reused += reusedHere;
                deferredView = defer ? v : deferredView;
                if (v.Name == "dark-detail" && deferredView is not null && deferred.Count > 0)
                {
                    (read, reusedHere) = DetectInView(deferredView, viewScale, method, auto, phiOnly, zones, Seen(boxes, alreadyFound), boxes, cols, rows, only: deferred);
                    ocrCandidates += read;
                    reused += reusedHere;
                }
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

    private static List<TextBox> Seen(List<TextBox> boxes, IReadOnlyList<TextBox>? alreadyFound)
    {
        var seen = new List<TextBox>(boxes);
        if (alreadyFound is not null)
        {
            seen.AddRange(alreadyFound);
        }

        return seen;
    }

    /// <summary>
    /// The views in the order the candidate pass reads them: the detail view first (text on any background), then the
    /// extreme planes, then the windows; later views mostly extend lines found already, without OCR. The light plane of
    /// colour frames comes after the luminance: it reads what the luminance could not, and only extends the rest.
    /// </summary>
    private static readonly FrameViewKind[] PriorityKinds = [FrameViewKind.Detail, FrameViewKind.HighPlane, FrameViewKind.LowPlane, FrameViewKind.ValuePlane];

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
            if (v.Kind is not (FrameViewKind.Detail or FrameViewKind.HighPlane or FrameViewKind.LowPlane or FrameViewKind.ValuePlane or FrameViewKind.Percentile))
            {
                yield return v;
            }
        }
    }

    /// <summary>
    /// How far (in line heights) a line's box must run on past the label it ends with for the value to count as in the
    /// box: a short value ("013Y", "35Y") is 2.5 heights or more with the space before it. At one line height, an
    /// ultrasound's "Age:" box grown over speckle took its value "013Y" for present, and it stayed untouched.
    /// </summary>
    private const double ValueRoom = 2.5;

    /// <summary>
    /// True when <paramref name="box"/> (a line after its ink extent) runs on <see cref="ValueRoom"/> line heights or
    /// more past the label it ends with, read over 1.5 of its heights or more (<paramref name="label"/>: the words
    /// read): the value is in the box, unread ("Age:" read, "020Y" beside it not), and block completion does not carry
    /// the row on to the block's longest line (an MR's age row was redacted to the width of the name above it: 7800
    /// pixels of anatomy). A label read as a short word ("IN" over the "A" of "Age:") leaves the rest of the label as
    /// the box's tail, not a value.
    /// </summary>
    internal static bool ValueInBox(PixelBox box, PixelBox label, int lineHeight) =>
        label.Width >= 1.5 * label.Height && box.Right - label.Right >= ValueRoom * Math.Max(lineHeight, label.Height);

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
                var label = EndsWithLabel(words);
                var wordsRead = words.Aggregate(default(PixelBox), static (u, w) => u.Union(w.Box));
                var read = confirmed.Count > 0 || phiRuns.Count > 0;
                if ((confirmed.Count > 0 || phiRuns.Count > 0) && zone is null)
                {
                    // A line OCR confirmed: split where it spans a wide empty gap (two strings merged into one line);
                    // on small frames also grown sideways over the same line's ink the edge pass lost (small text
                    // running into the anatomy merges with its edges).
                    var parts = InkExtent.Refine(grey, box, grow: (long)cols * rows <= SmallFramePixels);
                    if (EndsWithComma(words) && confirmed.Count > 0)
                    {
                        // "CASTELLANO," read, the given name after it not (black text running from bright tissue onto
                        // the dark edge of a mammogram, where its ink cannot be told from the background): the line
                        // goes on for a given name's length.
                        var last = parts[^1];
                        parts[^1] = PixelBox.FromEdges(last.X, last.Y, Math.Min(cols, last.Right + (GivenNameLength * last.Height)), last.Bottom);
                    }

                    foreach (var part in parts)
                    {
                        boxes.Add(new TextBox(Pad(part, cols, rows), method, reason, confidence) { Text = text, EndsWithLabel = label && !ValueInBox(part, wordsRead, c.Box.Height), Confirmed = read, HoldsPhi = phiRuns.Count > 0 });
                    }

                    return;
                }

                boxes.Add(new TextBox(Pad(box, cols, rows), method, reason, confidence) { Text = text, EndsWithLabel = label && !ValueInBox(box, wordsRead, c.Box.Height), Confirmed = read, HoldsPhi = phiRuns.Count > 0 });
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

    /// <summary>How far (in line heights) a line whose words end with a comma ("SURNAME,") goes on past them: a given name.</summary>
    private const int GivenNameLength = 6;

    /// <summary>
    /// The last word read ends with a comma: a surname whose given name after it was not read. A surname of three letters
    /// or more read with a full stop for its comma ("MORETTI.") counts too.
    /// </summary>
    internal static bool EndsWithComma(List<OcrWord> words)
    {
        if (words.Count == 0)
        {
            return false;
        }

        var last = words[^1].Text.Trim();
        return last.EndsWith(',') || (last.Length >= 4 && last.EndsWith('.') && last[..^1].All(char.IsLetter));
    }

    private readonly record struct Detection(List<TextBox> Boxes, int OcrCandidates, int Reused);
}
