namespace MedImageCleaner.Core.Pixels;

/// <summary>The candidate pass of one view: edge candidates, OCR of the ones not already boxed, and the decision per candidate.</summary>
public sealed partial class ImageRedactionSession
{
    /// <summary>The most candidates of one detail or plane view that are read (one OCR mosaic; the most text-like first).</summary>
    private const int MaximumTextureCandidates = CandidateOcr.MosaicSlots;

    /// <summary>
    /// Finds candidates in <paramref name="view"/>, skips those <paramref name="seen"/> already covers, reads the rest and
    /// adds the boxes (labelled with the view) to <paramref name="boxes"/>. Returns the regions OCR'd and reused.
    /// </summary>
    private (int Read, int Reused) DetectInView(
        FrameView view, double viewScale, TextDetectionMethods method, bool auto, bool phiOnly,
        List<(PixelBox Box, string Reason)> zones, List<TextBox> seen, List<TextBox> boxes, int cols, int rows)
    {
        if ((view.IsPlane || view.Kind == FrameViewKind.Detail) && !auto)
        {
            // The planes and the detail view hold anatomy as well as text: only OCR-confirmed candidates (Auto) may come from them.
            return (0, 0);
        }

        var first = boxes.Count;
        var strict = view.IsPlane || view.Kind == FrameViewKind.Detail;

        // A header window after the first (a narrow low or high window of a CT or MR) cuts anatomy into blobs that
        // Tesseract reads as two-letter words ("PA", "yy 5", "ib" over a mammogram's tissue): its words confirm a
        // candidate only as they do in the detail views (read well as words, three characters or more).
        var narrowWindow = view.Kind == FrameViewKind.HeaderWindow && view.Name != "window1";
        using var scaled = Upscale(view.Grey, viewScale);
        var candidates = ToFrame(EdgeFor(scaled.Rows, viewScale).Find(scaled), viewScale, cols, rows);
        var toRead = new List<int>();
        var zoneOf = new string?[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            zoneOf[i] = ZoneOf(zones, c.Box);
            if (zoneOf[i] is null && (IsLoneBlob(c) || (strict && (c.Components < 2 || CannotHoldAWord(c)))))
            {
                // In the detail views and planes a single elongated component is an edge of anatomy; text there is
                // two or more character-sized components (a word whose letters touch is found in the other views)
                // in a box that can hold a word. A lone character-sized blob outside any zone: speckle, a tick mark,
                // or a one-letter label.
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
            // A texture-prone view that turns anatomy into hundreds of candidates: the most text-like lines (most
            // character-sized components) are read; the verification reads the whole frame anyway.
            toRead.Sort((a, b) => candidates[b].Components.CompareTo(candidates[a].Components));
            toRead.RemoveRange(MaximumTextureCandidates, toRead.Count - MaximumTextureCandidates);
            toRead.Sort();
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
