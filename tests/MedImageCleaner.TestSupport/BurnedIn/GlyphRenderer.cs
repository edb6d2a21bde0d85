using SkiaSharp;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>A rendered text block: its coverage mask (0-255), size, and the lines and words with their ink boxes.</summary>
/// <param name="Width">Mask width.</param>
/// <param name="Height">Mask height.</param>
/// <param name="Coverage">Width x Height coverage values, 0 = no ink.</param>
/// <param name="Lines">Lines and words, boxes relative to the mask.</param>
public sealed record RenderedBlock(int Width, int Height, byte[] Coverage, IReadOnlyList<TruthLine> Lines);

/// <summary>
/// Renders lines of text with SkiaSharp (a real TrueType rasteriser) into an 8-bit coverage mask, anti-aliased or not.
/// Each word is drawn on its own, at the advance of the text before it, so its box is the exact extent of its own ink.
/// </summary>
public sealed class GlyphRenderer : IDisposable
{
    private readonly SKTypeface _typeface;

    public GlyphRenderer(string fontPath)
    {
        _typeface = SKTypeface.FromFile(fontPath) ?? throw new ArgumentException($"The font '{fontPath}' cannot be loaded.", nameof(fontPath));
    }

    public void Dispose() => _typeface.Dispose();

    /// <summary>The font size (em, px) whose capital letters are <paramref name="capHeight"/> pixels high.</summary>
    public float SizeForCapHeight(int capHeight)
    {
        using var font = new SKFont(_typeface, 100);
        var cap = font.Metrics.CapHeight;
        if (cap <= 0)
        {
            font.MeasureText("H", out var bounds);
            cap = bounds.Height;
        }

        return capHeight * 100f / cap;
    }

    /// <summary>
    /// Renders <paramref name="lines"/> (each a list of words with their PHI flag) at cap height
    /// <paramref name="capHeight"/>; line pitch is 1.35 em.
    /// </summary>
    public RenderedBlock Render(IReadOnlyList<IReadOnlyList<(string Text, bool IsPhi)>> lines, int capHeight, bool antiAliased)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var font = new SKFont(_typeface, SizeForCapHeight(capHeight))
        {
            Edging = antiAliased ? SKFontEdging.Antialias : SKFontEdging.Alias,
            Subpixel = false,
            Hinting = antiAliased ? SKFontHinting.Slight : SKFontHinting.Full,
        };
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = antiAliased };
        var metrics = font.Metrics;
        var pitch = (int)Math.Ceiling(font.Size * 1.35f);
        var space = font.MeasureText(" ");
        var margin = (int)Math.Ceiling(font.Size);

        // Layout first: x of each word, width of the block.
        var layout = new List<List<(string Text, bool IsPhi, float X)>>();
        var width = 0f;
        foreach (var line in lines)
        {
            var x = 0f;
            var placed = new List<(string, bool, float)>();
            foreach (var (text, phi) in line)
            {
                placed.Add((text, phi, x));
                x += font.MeasureText(text) + space;
            }

            width = Math.Max(width, x - space);
            layout.Add(placed);
        }

        var w = (int)Math.Ceiling(width) + (2 * margin);
        var h = (pitch * lines.Count) + (2 * margin);
        var coverage = new byte[w * h];
        var truth = new List<TruthLine>();
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Alpha8, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        for (var l = 0; l < layout.Count; l++)
        {
            var baseline = margin + (l * pitch) - metrics.Ascent;
            var words = new List<TruthWord>();
            foreach (var (text, phi, x) in layout[l])
            {
                canvas.Clear(SKColors.Transparent);
                canvas.DrawText(text, margin + x, baseline, SKTextAlign.Left, font, paint);
                canvas.Flush();
                var box = Merge(bitmap.GetPixelSpan(), bitmap.RowBytes, w, h, coverage);
                if (box is not null)
                {
                    words.Add(new TruthWord(text, box, phi));
                }
            }

            if (words.Count > 0)
            {
                var x0 = words.Min(b => b.Box.X);
                var y0 = words.Min(b => b.Box.Y);
                var box = new TruthBox(x0, y0, words.Max(b => b.Box.Right) - x0, words.Max(b => b.Box.Bottom) - y0);
                truth.Add(new TruthLine(string.Join(' ', words.Select(wd => wd.Text)), box, words));
            }
        }

        return new RenderedBlock(w, h, coverage, truth);
    }

    /// <summary>Adds one word's coverage into the block (max) and returns the box of its ink, or null when it drew nothing.</summary>
    private static TruthBox? Merge(ReadOnlySpan<byte> word, int rowBytes, int w, int h, byte[] coverage)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var a = word[(y * rowBytes) + x];
                if (a == 0)
                {
                    continue;
                }

                var i = (y * w) + x;
                coverage[i] = Math.Max(coverage[i], a);
                minX = Math.Min(minX, x);
                minY = Math.Min(minY, y);
                maxX = Math.Max(maxX, x);
                maxY = Math.Max(maxY, y);
            }
        }

        return maxX < 0 ? null : new TruthBox(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }
}
