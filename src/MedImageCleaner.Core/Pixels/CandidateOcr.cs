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

    /// <summary>
    /// Words per region (frame coordinates). With <paramref name="bothPolarities"/>, the inverted mosaic is read too
    /// and its words added (verification: text that the polarity guess got wrong still shows).
    /// </summary>
    public static List<OcrWord>[] Read(Mat grey, IReadOnlyList<PixelBox> regions, TesseractOcr ocr, bool bothPolarities)
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

        var slots = new Slot[regions.Count];
        var width = 0;
        var height = Margin;
        var crops = new Mat[regions.Count];
        try
        {
            for (var i = 0; i < regions.Count; i++)
            {
                var box = regions[i];
                var pad = Math.Max(2, box.Height / 3);
                var area = box.Inflate(pad, pad).ClipTo(grey.Cols, grey.Rows);
                var scale = Math.Clamp(TargetTextHeight / (double)Math.Max(1, box.Height), 1.0, 4.0);
                crops[i] = Prepare(grey, area, scale);
                slots[i] = new Slot(area, scale, height, crops[i].Rows);
                width = Math.Max(width, crops[i].Cols);
                height += crops[i].Rows + Gap;
            }

            width += 2 * Margin;
            height += Margin - Gap;
            using var mosaic = new Mat(height, width, MatType.CV_8UC1, Scalar.All(255));
            for (var i = 0; i < crops.Length; i++)
            {
                using var target = new Mat(mosaic, new Rect(Margin, slots[i].Top, crops[i].Cols, crops[i].Rows));
                crops[i].CopyTo(target);
            }

            Recognize(mosaic, slots, ocr, result);
            if (bothPolarities)
            {
                Cv2.BitwiseNot(mosaic, mosaic);
                Recognize(mosaic, slots, ocr, result);
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

    /// <summary>Dark text on a light background, stretched to 0..255, scaled.</summary>
    private static Mat Prepare(Mat grey, PixelBox area, double scale)
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

        if (scale > 1.01)
        {
            Cv2.Resize(crop, crop, new Size((int)Math.Round(area.Width * scale), (int)Math.Round(area.Height * scale)), 0, 0, InterpolationFlags.Cubic);
        }

        return crop;
    }

    private static unsafe void Recognize(Mat mosaic, Slot[] slots, TesseractOcr ocr, List<OcrWord>[] result)
    {
        var span = new ReadOnlySpan<byte>((void*)mosaic.Data, (int)(mosaic.Step() * mosaic.Rows));
        var words = ocr.Recognize(span, mosaic.Cols, mosaic.Rows, (int)mosaic.Step(), PageSegmentation.SparseText);
        foreach (var w in words)
        {
            var cy = w.Box.Y + (w.Box.Height / 2);
            var i = SlotAt(slots, cy);
            if (i < 0)
            {
                continue;
            }

            var s = slots[i];
            var left = s.Area.X + (int)Math.Floor((w.Box.X - Margin) / s.Scale);
            var top = s.Area.Y + (int)Math.Floor((w.Box.Y - s.Top) / s.Scale);
            var right = s.Area.X + (int)Math.Ceiling((w.Box.Right - Margin) / s.Scale);
            var bottom = s.Area.Y + (int)Math.Ceiling((w.Box.Bottom - s.Top) / s.Scale);
            var box = PixelBox.FromEdges(left, top, right, bottom).Intersect(s.Area);
            if (!box.IsEmpty)
            {
                result[i].Add(w with { Box = box });
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

    private readonly record struct Slot(PixelBox Area, double Scale, int Top, int Height);
}
