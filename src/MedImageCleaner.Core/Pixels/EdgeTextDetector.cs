using OpenCvSharp;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// A text-line candidate from <see cref="EdgeTextDetector"/>: its box, how many character-like components it groups,
/// their median height and the fraction of them that sit on the line's baseline or hang from its top line
/// (<see cref="Aligned"/>: printed text is near 1, texture grouped by chance is lower).
/// </summary>
public readonly record struct TextCandidate(PixelBox Box, int Components, double MedianHeight, double Aligned = 1)
{
    /// <summary>0..100: more aligned components of one height look more like text.</summary>
    public double Score => Math.Min(100, 20 + (Components * 15));
}

/// <summary>
/// Finds text-line candidates with OpenCV morphology: a morphological gradient (polarity-free: bright text on dark
/// and dark on bright give the same edges), a threshold (Otsu, at least <see cref="MinimumGradient"/>), connected
/// components filtered by character size and stroke density, grouped into lines (same height, vertically aligned,
/// gaps below about one character height). Thread-safe (stateless).
/// </summary>
public sealed class EdgeTextDetector
{
    /// <summary>The lowest gradient counted as an edge (0..255 of the grey view).</summary>
    public int MinimumGradient { get; init; } = 48;

    /// <summary>The smallest character height in pixels.</summary>
    public int MinimumCharacterHeight { get; init; } = 5;

    /// <summary>The largest character height, as a fraction of the image height (at most 160 pixels).</summary>
    public double MaximumCharacterHeightFraction { get; init; } = 0.12;

    /// <summary>The text-line candidates of an 8-bit grey view.</summary>
    public IReadOnlyList<TextCandidate> Find(Mat grey)
    {
        ArgumentNullException.ThrowIfNull(grey);
        var components = FindComponents(grey, null);
        return GroupLines(components);
    }

    /// <summary>The candidates inside <paramref name="area"/> only (coordinates stay those of <paramref name="grey"/>).</summary>
    public IReadOnlyList<TextCandidate> Find(Mat grey, PixelBox area)
    {
        ArgumentNullException.ThrowIfNull(grey);
        var components = FindComponents(grey, area);
        return GroupLines(components);
    }

    private List<PixelBox> FindComponents(Mat grey, PixelBox? area)
    {
        var region = area?.ClipTo(grey.Cols, grey.Rows) ?? new PixelBox(0, 0, grey.Cols, grey.Rows);
        var result = new List<PixelBox>();
        if (region.IsEmpty)
        {
            return result;
        }

        using var roi = new Mat(grey, new Rect(region.X, region.Y, region.Width, region.Height));
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(3, 3));
        using var gradient = new Mat();
        Cv2.MorphologyEx(roi, gradient, MorphTypes.Gradient, kernel);
        using var binary = new Mat();
        var otsu = Cv2.Threshold(gradient, binary, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
        if (otsu < MinimumGradient)
        {
            Cv2.Threshold(gradient, binary, MinimumGradient - 1, 255, ThresholdTypes.Binary);
        }

        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var count = Cv2.ConnectedComponentsWithStats(binary, labels, stats, centroids, PixelConnectivity.Connectivity8);
        var maxHeight = (int)Math.Clamp(grey.Rows * MaximumCharacterHeightFraction, 12, 160);
        var minHeight = MinimumCharacterHeight;
        stats.GetArray(out int[] s);
        for (var i = 1; i < count; i++)
        {
            var x = s[(i * 5) + 0];
            var y = s[(i * 5) + 1];
            var w = s[(i * 5) + 2];
            var h = s[(i * 5) + 3];
            var pixels = s[(i * 5) + 4];
            if (h < minHeight || h > maxHeight || w < 2 || w > maxHeight * 24)
            {
                continue;
            }

            var fill = pixels / (double)(w * h);
            if (fill < 0.08 || fill > 0.92)
            {
                continue;
            }

            // A component much wider than high is a word of touching letters unless it is a thin rule line (a few pixels high).
            if (w > h * 6 && fill > 0.6 && h < 2 * minHeight)
            {
                continue;
            }

            result.Add(new PixelBox(x + region.X, y + region.Y, w, h));
        }

        return result;
    }

    private static List<TextCandidate> GroupLines(List<PixelBox> components)
    {
        var n = components.Count;
        var lines = new List<TextCandidate>();
        if (n == 0)
        {
            return lines;
        }

        components.Sort(static (a, b) => a.X.CompareTo(b.X));
        var parent = new int[n];
        for (var i = 0; i < n; i++)
        {
            parent[i] = i;
        }

        for (var i = 0; i < n; i++)
        {
            var a = components[i];
            var reach = a.Right + (int)(1.3 * a.Height) + 1;
            for (var j = i + 1; j < n && components[j].X <= reach; j++)
            {
                var b = components[j];
                var minH = Math.Min(a.Height, b.Height);
                var maxH = Math.Max(a.Height, b.Height);
                var overlap = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
                if (overlap < 0.6 * minH || maxH > 2.0 * minH)
                {
                    continue;
                }

                var gap = b.X - a.Right;
                if (gap <= 1.3 * maxH)
                {
                    Union(parent, i, j);
                }
            }
        }

        var groups = new Dictionary<int, List<PixelBox>>();
        for (var i = 0; i < n; i++)
        {
            var root = Find(parent, i);
            if (!groups.TryGetValue(root, out var list))
            {
                list = [];
                groups[root] = list;
            }

            list.Add(components[i]);
        }

        foreach (var list in groups.Values)
        {
            var box = list[0];
            var heights = new int[list.Count];
            for (var k = 0; k < list.Count; k++)
            {
                box = box.Union(list[k]);
                heights[k] = list[k].Height;
            }

            Array.Sort(heights);
            var median = heights[heights.Length / 2];
            lines.Add(new TextCandidate(box, list.Count, median, AlignedFraction(list, median)));
        }

        lines.Sort(static (a, b) => a.Box.Y != b.Box.Y ? a.Box.Y.CompareTo(b.Box.Y) : a.Box.X.CompareTo(b.Box.X));
        return lines;
    }

    /// <summary>
    /// The fraction of <paramref name="parts"/> whose bottom is on the line's median bottom or whose top is on its median
    /// top (within an eighth of the median height): letters stand on a baseline (descenders hang from the top line of
    /// the x-height or capitals); blobs of anatomy grouped into a "line" do neither.
    /// </summary>
    private static double AlignedFraction(List<PixelBox> parts, int medianHeight)
    {
        var bottoms = new int[parts.Count];
        var tops = new int[parts.Count];
        for (var k = 0; k < parts.Count; k++)
        {
            bottoms[k] = parts[k].Bottom;
            tops[k] = parts[k].Y;
        }

        Array.Sort(bottoms);
        Array.Sort(tops);
        var bottom = bottoms[bottoms.Length / 2];
        var top = tops[tops.Length / 2];
        var tolerance = Math.Max(1, medianHeight / 8);
        var aligned = 0;
        foreach (var p in parts)
        {
            if (Math.Abs(p.Bottom - bottom) <= tolerance || Math.Abs(p.Y - top) <= tolerance)
            {
                aligned++;
            }
        }

        return aligned / (double)parts.Count;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        var ra = Find(parent, a);
        var rb = Find(parent, b);
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
