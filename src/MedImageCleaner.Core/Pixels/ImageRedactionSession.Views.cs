namespace MedImageCleaner.Core.Pixels;

/// <summary>The candidate pass of one view: edge candidates, OCR of the ones not already boxed, and the decision per candidate.</summary>
public sealed partial class ImageRedactionSession
{
    /// <summary>The most candidates of one detail or plane view that are read (one OCR mosaic; the most text-like first).</summary>
    private const int MaximumTextureCandidates = CandidateOcr.MosaicSlots;

    /// <summary>Frames from this many pixels (384x384) on filter the candidates of their texture views by size and shape.</summary>
    internal const long TextureFramePixels = 384 * 384;

    /// <summary>The narrowest candidate (in line heights) read in the texture views of frames under <see cref="TextureFramePixels"/>.</summary>
    private const double SmallFrameTextureAspect = 1.5;

    /// <summary>
    /// In the detail views and planes, a candidate lower than this (frame pixels) is not read: a line of text shorter
    /// than 8 pixels does not read there (on the benchmark, none of the 560 such candidates read in those views was ever
    /// confirmed: speckle, bone edges, the lower half of a letter), and its reading costs as much as a word's.
    /// </summary>
    private const int MinimumTextureLineHeight = 8;

    /// <summary>
    /// In the detail views and planes a candidate narrower than this many line heights is not read
    /// (<see cref="CannotHoldAWord"/>; half of the texture blobs read there were under 2.2).
    /// </summary>
    private const double MinimumTextureAspect = 2.0;

    /// <summary>
    /// Finds candidates in <paramref name="view"/>, skips those <paramref name="seen"/> already covers, reads the rest and
    /// adds the boxes (labelled with the view) to <paramref name="boxes"/>. Returns the regions OCR'd and reused. With
    /// <paramref name="polarity"/> (the bright detail view, when the dark one follows), candidates whose line is darker
    /// than its background there go to <paramref name="deferred"/> unread: the dark detail view reads such a line as
    /// strokes, where this one holds only the gaps between them (read as "Hakidineitteyan" at the cost of a real line).
    /// <paramref name="only"/>: these candidates (deferred by an earlier pass) instead of the view's own.
    /// </summary>
    private (int Read, int Reused) DetectInView(
        FrameView view, double viewScale, TextDetectionMethods method, bool auto, bool phiOnly,
        List<(PixelBox Box, string Reason)> zones, List<TextBox> seen, List<TextBox> boxes, int cols, int rows,
        OpenCvSharp.Mat? polarity = null, List<TextCandidate>? deferred = null, List<TextCandidate>? only = null)
    {
        if ((view.IsPlane || view.Kind == FrameViewKind.Detail) && !auto)
        {
            // The planes and the detail view hold anatomy as well as text: only OCR-confirmed candidates (Auto) may come from them.
            return (0, 0);
        }

        var first = boxes.Count;
        var strict = view.IsPlane || view.Kind == FrameViewKind.Detail;

        // Frames of 384x384 and more: their texture views hold hundreds of candidates, and text there is 8 pixels or
        // more. On smaller frames (an MR of 128x256) text is as small as the fragments of a line the views break it into,
        // and those fragments are what block completion and the next frames build on.
        var texture = strict && (long)cols * rows >= TextureFramePixels;

        // A header window after the first (a narrow low or high window of a CT or MR) cuts anatomy into blobs that
        // Tesseract reads as two-letter words ("PA", "yy 5", "ib" over a mammogram's tissue): its words confirm a
        // candidate only as they do in the detail views (read well as words, three characters or more).
        var narrowWindow = view.Kind == FrameViewKind.HeaderWindow && view.Name != "window1";
        using var scaled = Upscale(view.Grey, viewScale);
        var candidates = only ?? ToFrame(EdgeFor(scaled.Rows, viewScale).Find(scaled), viewScale, cols, rows);
        var toRead = new List<int>();
        var zoneOf = new string?[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            zoneOf[i] = ZoneOf(zones, c.Box);
            if (zoneOf[i] is null && (IsLoneBlob(c) || (strict && (c.Components < 2 || CannotHoldAWord(c, texture ? MinimumTextureAspect : SmallFrameTextureAspect)))))
            {
                // In the detail views and planes a single elongated component is an edge of anatomy; text there is
                // two or more character-sized components (a word whose letters touch is found in the other views)
                // in a box that can hold a word. A lone character-sized blob outside any zone: speckle, a tick mark,
                // or a one-letter label.
                continue;
            }

            if (texture && zoneOf[i] is null && c.Box.Height < MinimumTextureLineHeight)
            {
                // Too low to read in a view that brings out texture; still a line of a block if one lies beside it.
                if (c.Components >= 3)
                {
                    _unconfirmed.Add(c.Box);
                }

                continue;
            }

            var covered = CoveredFraction(c.Box, seen);
            if (covered >= 0.3 && ExtendsALine(c.Box, seen))
            {
                // Text an earlier view (or the grey view, for the colour view) already boxed, at least in part: this
                // view's line goes as a whole (it may run on where the other view's line stopped, at the edge of the
                // anatomy), without reading it again.
                if (covered < 0.98)
                {
                    boxes.Add(new TextBox(Pad(c.Box, cols, rows), method, "line-extension", c.Score));
                }

                continue;
            }

            if (phiOnly || Options.IncludeText || (auto && zoneOf[i] is null))
            {
                toRead.Add(i);
            }
            else if (zoneOf[i] is { } zone)
            {
                boxes.Add(new TextBox(Pad(c.Box, cols, rows), method, zone, c.Score));
            }
            else if (c.Components >= 2)
            {
                boxes.Add(new TextBox(Pad(c.Box, cols, rows), method, "edge-textline", c.Score));
            }
        }

        if (strict && toRead.Count > MaximumTextureCandidates)
        {
            // A texture-prone view that turns anatomy into hundreds of candidates: the most text-like lines (the
            // longest for their height: a line of text is a row of characters, a blob of anatomy is not) are read;
            // the verification reads the whole frame anyway.
            toRead.Sort((a, b) => Aspect(candidates[b]).CompareTo(Aspect(candidates[a])));
            toRead.RemoveRange(MaximumTextureCandidates, toRead.Count - MaximumTextureCandidates);
            toRead.Sort();
        }

        if (polarity is not null && deferred is not null)
        {
            toRead.RemoveAll(i =>
            {
                var dark = zoneOf[i] is null && DarkerThanBackground(polarity, candidates[i].Box);
                if (dark)
                {
                    deferred.Add(candidates[i]);
                }

                return dark;
            });
        }

        var read = 0;
        var reused = 0;
        if (toRead.Count > 0 && _engine.Ocr is { } ocr)
        {
            var words = ReadCandidates(scaled, viewScale, candidates, toRead, ocr, polarityKnown: strict, out reused);
            read = toRead.Count - reused;
            for (var k = 0; k < toRead.Count; k++)
            {
                var i = toRead[k];
                var before = boxes.Count;
                Decide(view.Grey, candidates[i], zoneOf[i], words[k], method, boxes, cols, rows, strict || narrowWindow);
                if (boxes.Count == before && zoneOf[i] is null && candidates[i].Components >= 3)
                {
                    // A line of character-sized shapes OCR did not confirm: a line of a block, if one lies beside it.
                    _unconfirmed.Add(candidates[i].Box);
                }
            }
        }

        for (var i = first; i < boxes.Count; i++)
        {
            boxes[i] = boxes[i] with { View = view.Name };
        }

        return (read, reused);
    }

    private static double Aspect(TextCandidate c) => c.Box.Width / (double)Math.Max(1, c.Box.Height);

    /// <summary>
    /// True when the ink of <paramref name="box"/> in <paramref name="grey"/> is darker than its background: split at
    /// Otsu's threshold, the bright side is the larger (a line's strokes cover less of its box than the gaps between
    /// them).
    /// </summary>
    internal static bool DarkerThanBackground(OpenCvSharp.Mat grey, PixelBox box)
    {
        var b = box.ClipTo(grey.Cols, grey.Rows);
        if (b.IsEmpty)
        {
            return false;
        }

        using var roi = new OpenCvSharp.Mat(grey, new OpenCvSharp.Rect(b.X, b.Y, b.Width, b.Height));
        using var split = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Threshold(roi, split, 0, 255, OpenCvSharp.ThresholdTypes.Binary | OpenCvSharp.ThresholdTypes.Otsu);
        return OpenCvSharp.Cv2.CountNonZero(split) * 2 > b.Area;
    }

    /// <summary>The tallest glyph (frame pixels) every frame's edge pass takes as a character: 20-pixel text with its descenders.</summary>
    private const int TallestGlyph = 28;

    /// <summary>
    /// The engine's edge detector, or on frames under about 230 rows (a PET or NM slice of 128, an MR of 128x256), one
    /// that takes glyphs up to <see cref="TallestGlyph"/> frame pixels: 12 % of such a frame is less than the height of
    /// 15-20 pixel text, which would not be a character at all.
    /// </summary>
    private EdgeTextDetector EdgeFor(int viewRows, double viewScale)
    {
        var edge = _engine.Edge;
        var fraction = TallestGlyph * viewScale / Math.Max(1, viewRows);
        return fraction <= edge.MaximumCharacterHeightFraction ? edge : new EdgeTextDetector
        {
            MinimumGradient = edge.MinimumGradient,
            MinimumCharacterHeight = edge.MinimumCharacterHeight,
            MaximumCharacterHeightFraction = fraction,
        };
    }

    /// <summary>
    /// True when <paramref name="box"/> lies on the row of a box OCR confirmed (its height at most 1.5 times that box's
    /// and vertically overlapping it by half): the same text line seen in another view, not a blob of anatomy that
    /// touches it, nor a box that was itself only an extension.
    /// </summary>
    private static bool ExtendsALine(PixelBox box, IReadOnlyList<TextBox> found)
    {
        foreach (var f in found)
        {
            if (f.Reason == "line-extension" || f.Box.Intersect(box).IsEmpty)
            {
                continue;
            }

            var overlap = Math.Min(box.Bottom, f.Box.Bottom) - Math.Max(box.Y, f.Box.Y);
            if (box.Height <= 1.5 * f.Box.Height && overlap * 2 >= Math.Min(box.Height, f.Box.Height))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The fraction of <paramref name="box"/> inside the boxes of <paramref name="found"/> (overlaps counted once per box).</summary>
    private static double CoveredFraction(PixelBox box, IReadOnlyList<TextBox> found)
    {
        if (box.Area == 0)
        {
            return 1;
        }

        long inside = 0;
        foreach (var f in found)
        {
            inside += box.Intersect(f.Box).Area;
        }

        return Math.Min(1.0, inside / (double)box.Area);
    }
}
