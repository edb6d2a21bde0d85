using System.Globalization;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>
/// Which frames to export, 0-based: single indexes ("3"), inclusive ranges ("2-5"), "Last", or "All". Null
/// <see cref="Ranges"/> means all frames.
/// </summary>
public sealed record FrameSelection
{
    /// <summary>Every frame.</summary>
    public static FrameSelection All { get; } = new() { Ranges = null };

    /// <summary>The first frame only.</summary>
    public static FrameSelection First { get; } = new() { Ranges = [(0, 0)] };

    /// <summary>Inclusive ranges of 0-based indexes (-1 means the last frame); null for all frames.</summary>
    public IReadOnlyList<(int Start, int End)>? Ranges { get; init; }

    /// <summary>True when the selection is every frame.</summary>
    public bool IsAll => Ranges is null;

    /// <summary>Parses "All", "Last", "3", "2-5" (each item of <paramref name="items"/>; commas split further).</summary>
    public static bool TryParse(IEnumerable<string> items, out FrameSelection selection)
    {
        ArgumentNullException.ThrowIfNull(items);
        selection = First;
        var ranges = new List<(int, int)>();
        foreach (var item in items)
        {
            foreach (var raw in (item ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (raw.Equals("All", StringComparison.OrdinalIgnoreCase) || raw == "*")
                {
                    selection = All;
                    return true;
                }

                if (raw.Equals("Last", StringComparison.OrdinalIgnoreCase))
                {
                    ranges.Add((-1, -1));
                    continue;
                }

                var dash = raw.IndexOf('-', 1);
                if (dash > 0)
                {
                    if (!TryIndex(raw[..dash], out var a) || !TryIndex(raw[(dash + 1)..], out var b) || b < a)
                    {
                        return false;
                    }

                    ranges.Add((a, b));
                }
                else if (TryIndex(raw, out var single))
                {
                    ranges.Add((single, single));
                }
                else
                {
                    return false;
                }
            }
        }

        if (ranges.Count == 0)
        {
            return false;
        }

        selection = new FrameSelection { Ranges = ranges };
        return true;
    }

    /// <summary>The selected indexes for an image of <paramref name="frameCount"/> frames, in order, without repeats; false when one is out of range.</summary>
    public bool TryResolve(int frameCount, out int[] frames)
    {
        if (Ranges is null)
        {
            frames = new int[frameCount];
            for (var i = 0; i < frameCount; i++)
            {
                frames[i] = i;
            }

            return frameCount > 0;
        }

        var list = new List<int>();
        var seen = new HashSet<int>();
        foreach (var (start, end) in Ranges)
        {
            var s = start < 0 ? frameCount - 1 : start;
            var e = end < 0 ? frameCount - 1 : end;
            if (s < 0 || e >= frameCount)
            {
                frames = [];
                return false;
            }

            for (var i = s; i <= e; i++)
            {
                if (seen.Add(i))
                {
                    list.Add(i);
                }
            }
        }

        frames = [.. list];
        return frames.Length > 0;
    }

    private static bool TryIndex(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0;
}

/// <summary>A requested output size: exact width and height, or one of them (0) derived from the aspect ratio.</summary>
/// <param name="Width">Columns, or 0 to derive from <paramref name="Height"/>.</param>
/// <param name="Height">Rows, or 0 to derive from <paramref name="Width"/>.</param>
public sealed record OutputSize(int Width, int Height)
{
    /// <summary>The largest edge accepted (pixels).</summary>
    public const int MaximumEdge = 65535;

    /// <summary>Parses "512x512", "512x" or "x512" ('x' or 'X' or '*').</summary>
    public static bool TryParse(string? text, out OutputSize size)
    {
        size = new OutputSize(0, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split('x', 'X', '*');
        if (parts.Length != 2)
        {
            return false;
        }

        var w = 0;
        var h = 0;
        if ((parts[0].Length > 0 && !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out w)) ||
            (parts[1].Length > 0 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out h)))
        {
            return false;
        }

        if ((w == 0 && h == 0) || w > MaximumEdge || h > MaximumEdge)
        {
            return false;
        }

        size = new OutputSize(w, h);
        return true;
    }
}
