namespace MedImageCleaner.Core.Pixels;

/// <summary>An axis-aligned rectangle of pixels: left column <see cref="X"/>, top row <see cref="Y"/>, size.</summary>
public readonly record struct PixelBox(int X, int Y, int Width, int Height)
{
    /// <summary>Column one past the right edge.</summary>
    public int Right => X + Width;

    /// <summary>Row one past the bottom edge.</summary>
    public int Bottom => Y + Height;

    /// <summary>Width x height (0 for an empty box).</summary>
    public long Area => IsEmpty ? 0 : (long)Width * Height;

    /// <summary>True when the box holds no pixel.</summary>
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>The box from its edges (left, top inclusive; right, bottom exclusive).</summary>
    public static PixelBox FromEdges(int left, int top, int right, int bottom) => new(left, top, right - left, bottom - top);

    /// <summary>The overlap of two boxes (empty when they do not overlap).</summary>
    public PixelBox Intersect(PixelBox other)
    {
        var l = Math.Max(X, other.X);
        var t = Math.Max(Y, other.Y);
        var r = Math.Min(Right, other.Right);
        var b = Math.Min(Bottom, other.Bottom);
        return r > l && b > t ? FromEdges(l, t, r, b) : default;
    }

    /// <summary>The smallest box holding both.</summary>
    public PixelBox Union(PixelBox other) =>
        IsEmpty ? other : other.IsEmpty ? this :
        FromEdges(Math.Min(X, other.X), Math.Min(Y, other.Y), Math.Max(Right, other.Right), Math.Max(Bottom, other.Bottom));

    /// <summary>The box grown by <paramref name="dx"/> left and right and <paramref name="dy"/> above and below.</summary>
    public PixelBox Inflate(int dx, int dy) => new(X - dx, Y - dy, Width + 2 * dx, Height + 2 * dy);

    /// <summary>The part of the box inside a <paramref name="columns"/> x <paramref name="rows"/> image.</summary>
    public PixelBox ClipTo(int columns, int rows) => Intersect(new PixelBox(0, 0, columns, rows));

    /// <summary>True when <paramref name="other"/> lies wholly inside this box.</summary>
    public bool Contains(PixelBox other) => other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    /// <summary>True when the boxes share at least one pixel.</summary>
    public bool Overlaps(PixelBox other) => !Intersect(other).IsEmpty;

    /// <summary>The box scaled by <paramref name="factor"/> (for views that are resized).</summary>
    public PixelBox Scale(double factor) =>
        FromEdges((int)Math.Floor(X * factor), (int)Math.Floor(Y * factor), (int)Math.Ceiling(Right * factor), (int)Math.Ceiling(Bottom * factor));

    /// <summary>"x,y,w,h", the form -Region takes.</summary>
    public override string ToString() => $"{X},{Y},{Width},{Height}";

    /// <summary>Parses "x,y,w,h".</summary>
    public static bool TryParse(string? text, out PixelBox box)
    {
        box = default;
        var parts = text?.Split(',', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 4 } ||
            !int.TryParse(parts[0], out var x) || !int.TryParse(parts[1], out var y) ||
            !int.TryParse(parts[2], out var w) || !int.TryParse(parts[3], out var h) || w <= 0 || h <= 0)
        {
            return false;
        }

        box = new PixelBox(x, y, w, h);
        return true;
    }
}
