using MedImageCleaner.Core.Pixels.Ocr;
using OpenCvSharp;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// OCR of candidate regions only: each region is cropped from the grey view, turned dark-on-light (its background
/// decides the polarity), contrast-stretched, scaled to a text height Tesseract reads well, and stacked with the
/// others into one mosaic that is recognized in a single call; words are mapped back to frame coordinates.
/// </summary>
internal static class CandidateOcr
{
    private const int TargetTextHeight = 30;
    private const int Margin = 16;
    private const int Gap = 14;

    /// <summary>The most crops read in one Tesseract call.</summary>
    internal const int MosaicSlots = 24;

    /// <summary>
    /// Words per region (frame coordinates). With <paramref name="retryInverted"/>, the regions whose first reading
    /// has no word of at least <paramref name="confidence"/> spanning half their width are read again inverted and
    /// those words added (verification: text whose polarity guess was wrong still shows, at the cost of a second
    /// Tesseract pass over those regions only). With <paramref name="polarityKnown"/> (a detail view or a plane: ink is
    /// the bright side) Tesseract does not re-read poor lines inverted.
    /// </summary>
    public static List<OcrWord>[] Read(Mat grey, IReadOnlyList<PixelBox> regions, TesseractOcr ocr, bool retryInverted, double confidence = 40, bool polarityKnown = false)
    {
        var result = new List<OcrWord>[regions.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = [];
        }

        if (regions.Count == 0)
        {
            return result;
        }

        var crops = new Mat[regions.Count];
        var areas = new PixelBox[regions.Count];
        var scales = new double[regions.Count];
        try
        {
            var all = new List<int>(regions.Count);
            for (var i = 0; i < regions.Count; i++)
            {
                var box = regions[i];
                var pad = Math.Max(2, box.Height / 3);
                areas[i] = box.Inflate(pad, pad).ClipTo(grey.Cols, grey.Rows);
                scales[i] = Math.Clamp(TargetTextHeight / (double)Math.Max(1, box.Height), 1.0, 4.0);
                crops[i] = Prepare(grey, areas[i], box, regions, scales[i]);
                all.Add(i);
            }

            RecognizeMosaic(crops, areas, scales, all, invert: false, ocr, result, polarityKnown);
            if (retryInverted)
            {
                // Only the regions the first read did not account for: no confident word, or confident words over
                // less than half of the region's width (a polarity guess that was wrong, or mixed polarities).
                var retry = new List<int>();
                for (var i = 0; i < regions.Count; i++)
                {
                    if (!Accounted(result[i], regions[i], confidence))
                    {
                        retry.Add(i);
                    }
                }

                if (retry.Count > 0)
                {
                    RecognizeMosaic(crops, areas, scales, retry, invert: true, ocr, result, polarityKnown);
                }
            }
        }
        finally
        {
            foreach (var c in crops)
            {
                c?.Dispose();
            }
        }

        return result;
    }

    /// <summary>
    /// Dark text on a light background, stretched to 0..255, scaled. Candidate text lines stacked above or below
    /// <paramref name="line"/> and reaching into its padding are set to the background there: their ink would make Tesseract read a
    /// taller line, split or miss words and return word boxes reaching into the neighbouring lines.
    /// </summary>
    private static Mat Prepare(Mat grey, PixelBox area, PixelBox line, IReadOnlyList<PixelBox> regions, double scale)
    {
        using var roi = new Mat(grey, new Rect(area.X, area.Y, area.Width, area.Height));
        var crop = new Mat();
        Cv2.Normalize(roi, crop, 0, 255, NormTypes.MinMax);

        // The background is the majority: a median below mid-grey means light text on dark; invert it.
        crop.GetArray(out byte[] values);
        var hist = new int[256];
        foreach (var v in values)
        {
            hist[v]++;
        }

        var half = values.Length / 2;
        var median = 0;
        for (var acc = 0; median < 256; median++)
        {
            acc += hist[median];
            if (acc > half)
            {
                break;
            }
        }

        if (median < 128)
        {
            Cv2.BitwiseNot(crop, crop);
        }

        var background = Scalar.All(median < 128 ? 255 - median : median);
        var margin = Math.Max(2, line.Height / 8);
        var bandTop = line.Y - margin;
        var bandBottom = line.Bottom + margin;
        foreach (var other in regions)
        {
            // Only a text line stacked above or below: about the same height and sharing half the narrower width
            // (speckle and graphics around a candidate stay as they are: hiding part of them makes clean blobs that
            // Tesseract reads as words).
            var shared = Math.Min(other.Right, line.Right) - Math.Max(other.X, line.X);
            if (other == line || other.Height > 1.5 * line.Height || line.Height > 1.5 * other.Height ||
                shared * 2 < Math.Min(other.Width, line.Width))
            {
                continue;
            }

            var o = other.Inflate(1, 1).Intersect(area);
            if (o.IsEmpty)
            {
                continue;
            }

            // Only the rows outside this line's band: a neighbour on the same rows is the same line's business.
            foreach (var part in new[] { PixelBox.FromEdges(o.X, o.Y, o.Right, Math.Min(o.Bottom, bandTop)), PixelBox.FromEdges(o.X, Math.Max(o.Y, bandBottom), o.Right, o.Bottom) })
            {
                if (part.Width > 0 && part.Height > 0)
                {
                    using var target = new Mat(crop, new Rect(part.X - area.X, part.Y - area.Y, part.Width, part.Height));
                    target.SetTo(background);
                }
            }
        }

        if (scale > 1.01)
        {
            Cv2.Resize(crop, crop, new Size((int)Math.Round(area.Width * scale), (int)Math.Round(area.Height * scale)), 0, 0, InterpolationFlags.Cubic);
        }

        return crop;
    }

    /// <summary>
    /// The prepared crops of <paramref name="indexes"/> read in mosaics of at most <see cref="MosaicSlots"/> crops, in
    /// their order. Tesseract's page layout analysis over a tall mosaic of many unrelated lines drops or merges some of
    /// them (a label it reads alone was not read among 40 other crops): small mosaics keep a candidate's reading close
    /// to its reading alone, at a few milliseconds per extra call.
    /// </summary>
    private static void RecognizeMosaic(Mat[] crops, PixelBox[] areas, double[] scales, List<int> indexes, bool invert, TesseractOcr ocr, List<OcrWord>[] result, bool polarityKnown)
    {
        for (var start = 0; start < indexes.Count; start += MosaicSlots)
        {
            RecognizeOneMosaic(crops, areas, scales, indexes.GetRange(start, Math.Min(MosaicSlots, indexes.Count - start)), invert, ocr, result, polarityKnown);
        }
    }

    /// <summary>The prepared crops of <paramref name="indexes"/> stacked into one mosaic (optionally inverted) and read in one call.</summary>
    private static void RecognizeOneMosaic(Mat[] crops, PixelBox[] areas, double[] scales, List<int> indexes, bool invert, TesseractOcr ocr, List<OcrWord>[] result, bool polarityKnown)
    {
        var slots = new Slot[indexes.Count];
        var width = 0;
        var height = Margin;
        for (var k = 0; k < indexes.Count; k++)
        {
            var crop = crops[indexes[k]];
            slots[k] = new Slot(indexes[k], areas[indexes[k]], scales[indexes[k]], height, crop.Rows);
            width = Math.Max(width, crop.Cols);
            height += crop.Rows + Gap;
        }

        width += 2 * Margin;
        height += Margin - Gap;
        using var mosaic = new Mat(height, width, MatType.CV_8UC1, Scalar.All(255));
        for (var k = 0; k < indexes.Count; k++)
        {
            var crop = crops[indexes[k]];
            using var target = new Mat(mosaic, new Rect(Margin, slots[k].Top, crop.Cols, crop.Rows));
            crop.CopyTo(target);
        }

        if (invert)
        {
            Cv2.BitwiseNot(mosaic, mosaic);
        }

        Recognize(mosaic, slots, ocr, result, polarityKnown);
    }

    /// <summary>True when confident words (2+ letters or digits) span at least half of the region's width.</summary>
    private static bool Accounted(List<OcrWord> words, PixelBox region, double confidence)
    {
        var covered = 0;
        foreach (var w in words)
        {
            var alphanumeric = 0;
            foreach (var ch in w.Text)
            {
                alphanumeric += char.IsLetterOrDigit(ch) ? 1 : 0;
            }

            if (w.Confidence >= confidence && alphanumeric >= 2)
            {
                covered += w.Box.Intersect(region.Inflate(0, region.Height)).Width;
            }
        }

        return covered * 2 >= region.Width;
    }

    private static unsafe void Recognize(Mat mosaic, Slot[] slots, TesseractOcr ocr, List<OcrWord>[] result, bool polarityKnown)
    {
        var span = new ReadOnlySpan<byte>((void*)mosaic.Data, (int)(mosaic.Step() * mosaic.Rows));
        var words = ocr.Recognize(span, mosaic.Cols, mosaic.Rows, (int)mosaic.Step(), PageSegmentation.SparseText, tryInverted: !polarityKnown);
        foreach (var w in words)
        {
            var cy = w.Box.Y + (w.Box.Height / 2);
            var i = SlotAt(slots, cy);
            if (i < 0)
            {
                continue;
            }

            var s = slots[i];
            var target = result[s.Index];
            var left = s.Area.X + (int)Math.Floor((w.Box.X - Margin) / s.Scale);
            var top = s.Area.Y + (int)Math.Floor((w.Box.Y - s.Top) / s.Scale);
            var right = s.Area.X + (int)Math.Ceiling((w.Box.Right - Margin) / s.Scale);
            var bottom = s.Area.Y + (int)Math.Ceiling((w.Box.Bottom - s.Top) / s.Scale);
            var box = PixelBox.FromEdges(left, top, right, bottom).Intersect(s.Area);
            if (!box.IsEmpty)
            {
                target.Add(w with { Box = box });
            }
        }
    }

    private static int SlotAt(Slot[] slots, int y)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            if (y >= slots[i].Top && y < slots[i].Top + slots[i].Height)
            {
                return i;
            }
        }

        return -1;
    }

    private readonly record struct Slot(int Index, PixelBox Area, double Scale, int Top, int Height);
}
