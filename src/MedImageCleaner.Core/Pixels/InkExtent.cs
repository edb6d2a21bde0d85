using OpenCvSharp;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// The horizontal extent of a text line's ink, from the grey view: which columns of the line's rows hold pixels of
/// the text's own level (light text: near the line's brightest; dark text: near its darkest). Used on lines OCR has
/// confirmed, to grow them over letters the edge pass lost and to cut them at wide empty gaps. Thread-safe.
/// </summary>
internal static class InkExtent
{
    /// <summary>How far past the line a lost part may reach, in line heights.</summary>
    private const double MaximumGrowth = 6.0;

    /// <summary>How many growth steps of <see cref="MaximumGrowth"/> line heights a line may take on each side.</summary>
    private const int MaximumGrowthSteps = 4;

    /// <summary>The widest gap between the letters and words of one string, in line heights.</summary>
    private const double WordGap = 0.9;

    /// <summary>An empty gap this wide (line heights) inside a line separates two strings.</summary>
    private const double SplitGap = 1.6;

    /// <summary>
    /// <paramref name="line"/> grown left and right over ink separated by at most <see cref="WordGap"/> line heights
    /// (up to <see cref="MaximumGrowth"/>), then split at empty gaps wider than <see cref="SplitGap"/> line heights.
    /// Returns the line unchanged when its ink cannot be told from its background. Without <paramref name="grow"/>,
    /// only split.
    /// </summary>
    public static List<PixelBox> Refine(Mat grey, PixelBox line, bool grow)
    {
        var box = line.ClipTo(grey.Cols, grey.Rows);
        if (box.IsEmpty || box.Height < 4)
        {
            return [line];
        }

        using var band = new Mat(grey, new Rect(0, box.Y, grey.Cols, box.Height));
        band.GetArray(out byte[] pixels);
        var cols = grey.Cols;

        // The line's own level: background is the majority inside the box, the ink the far extreme.
        var inside = new List<byte>(box.Width * box.Height);
        for (var y = 0; y < box.Height; y++)
        {
            for (var x = box.X; x < box.Right; x++)
            {
                inside.Add(pixels[(y * cols) + x]);
            }
        }

        inside.Sort();
        var median = inside[inside.Count / 2];
        var lo = inside[inside.Count / 100];
        var hi = inside[inside.Count - 1 - (inside.Count / 100)];
        var light = hi - median >= median - lo;
        var contrast = light ? hi - median : median - lo;
        if (contrast < 48)
        {
            return [line];
        }

        var threshold = light ? median + (0.6 * contrast) : median - (0.6 * contrast);

        // Rows at the ink's level almost all along the line are not text (the dark frame above a light band the
        // line sits on, a rule): they are left out.
        var rows = new List<int>(box.Height);
        for (var y = 0; y < box.Height; y++)
        {
            var n = 0;
            for (var x = box.X; x < box.Right; x++)
            {
                n += IsInk(pixels[(y * cols) + x]) ? 1 : 0;
            }

            if (n < 0.85 * box.Width)
            {
                rows.Add(y);
            }
        }

        // A column of the line's ink: ink on its rows. Outside the line (growing) the ink must also stay off the
        // band's first and last rows: the glyphs sit inside their line box, speckle does not care.
        var ink = new bool[cols];
        var outer = new bool[cols];
        var inkRows = new int[cols];
        for (var x = 0; x < cols; x++)
        {
            foreach (var y in rows)
            {
                if (IsInk(pixels[(y * cols) + x]))
                {
                    ink[x] = true;
                    inkRows[x]++;
                    outer[x] |= y == 0 || y == box.Height - 1;
                }
            }
        }

        // A column whose ink is one row only (the letters of small tightly set text touching at their baseline) does
        // not make a run of solid ink: such a line is still grown over.
        var growInk = new bool[cols];
        var solid = new bool[cols];
        for (var x = 0; x < cols; x++)
        {
            growInk[x] = ink[x] && !outer[x];
            solid[x] = inkRows[x] >= 2;
        }

        var h = box.Height;
        var left = box.X;
        var right = box.Right - 1;
        if (grow)
        {
            var longestRun = (int)(1.5 * h);
            // In steps of at most MaximumGrowth line heights: a step that reaches its limit with the line's ink
            // running on is followed by another (a long line of small text whose start alone was a candidate).
            var reach = (int)(MaximumGrowth * h);
            for (var step = 0; step < MaximumGrowthSteps; step++)
            {
                var limit = Math.Max(0, left - reach);
                var next = Grow(growInk, solid, left, -1, (int)(WordGap * h), limit, longestRun);
                if (next == left || next > limit + (int)(WordGap * h))
                {
                    left = next;
                    break;
                }

                left = next;
            }

            for (var step = 0; step < MaximumGrowthSteps; step++)
            {
                var limit = Math.Min(cols - 1, right + reach);
                var next = Grow(growInk, solid, right, +1, (int)(WordGap * h), limit, longestRun);
                if (next == right || next < limit - (int)(WordGap * h))
                {
                    right = next;
                    break;
                }

                right = next;
            }
        }

        // Split at wide empty gaps, the inner ends trimmed to the ink.
        var parts = new List<PixelBox>();
        var start = -1;
        var lastInk = -1;
        var splitGap = (int)(SplitGap * h);
        for (var x = left; x <= right; x++)
        {
            if (!ink[x])
            {
                continue;
            }

            if (start >= 0 && x - lastInk - 1 > splitGap)
            {
                parts.Add(PixelBox.FromEdges(start, line.Y, lastInk + 1, line.Bottom));
                start = -1;
            }

            if (start < 0)
            {
                start = x;
            }

            lastInk = x;
        }

        if (start >= 0)
        {
            parts.Add(PixelBox.FromEdges(start, line.Y, lastInk + 1, line.Bottom));
        }

        if (parts.Count == 0)
        {
            return [line];
        }

        // The outer ends stay at least where the line was (its faint edge pixels may be under the threshold).
        parts[0] = PixelBox.FromEdges(Math.Min(parts[0].X, left), line.Y, parts[0].Right, line.Bottom);
        parts[^1] = PixelBox.FromEdges(parts[^1].X, line.Y, Math.Max(parts[^1].Right, right + 1), line.Bottom);
        return parts;

        bool IsInk(byte v) => light ? v >= threshold : v <= threshold;
    }

    /// <summary>
    /// The outermost ink column reached from <paramref name="from"/> in <paramref name="step"/> without a gap wider than
    /// <paramref name="gap"/>; <paramref name="from"/> itself when <paramref name="solid"/> ink (two rows or more) runs
    /// on without the gaps between letters for more than <paramref name="longestRun"/> columns (speckle, a structure:
    /// not text), or ink of one row for more than two thirds of that (a rule: letters touch for less than a letter).
    /// </summary>
    internal static int Grow(bool[] ink, bool[] solid, int from, int step, int gap, int limit, int longestRun)
    {
        var last = from;
        var empty = 0;
        var run = 0;
        var thin = 0;
        var longestThinRun = (2 * longestRun) / 3;
        for (var x = from + step; step < 0 ? x >= limit : x <= limit; x += step)
        {
            if (ink[x])
            {
                last = x;
                empty = 0;
                run = solid[x] ? run + 1 : 0;
                thin = solid[x] ? 0 : thin + 1;
                if (run > longestRun || thin > longestThinRun)
                {
                    return from;
                }
            }
            else
            {
                run = 0;
                thin = 0;
                if (++empty > gap)
                {
                    break;
                }
            }
        }

        return last;
    }
}
