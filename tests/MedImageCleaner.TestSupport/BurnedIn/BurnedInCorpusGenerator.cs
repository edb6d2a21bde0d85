using System.Globalization;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>What to generate.</summary>
/// <param name="Seed">The seed of every random choice (same seed, same files).</param>
/// <param name="CasesPerBase">Cases per base image; the axes rotate with the case index so that 3 cases of a base cover
/// the three grey value classes and three placements, and the header variants rotate across bases.</param>
public sealed record BurnedInGeneratorOptions(int Seed = 20261124, int CasesPerBase = 3)
{
    /// <summary>Use <see cref="BaseImageCatalog.LoadWider"/> (bases the detector was not tuned on) instead of the main set.</summary>
    public bool WiderBases { get; init; }
}

/// <summary>The generated files and their ground truth.</summary>
public sealed record BurnedInCorpus(string Directory, IReadOnlyList<BurnedInCase> Cases, IReadOnlyList<BaseImage> Bases, IReadOnlyList<string> MissingBases);

/// <summary>
/// Writes the burned-in text benchmark: for each base image (<see cref="BaseImageCatalog"/>) and case index, a seeded
/// choice of text value (max, min, mid, colour), cap height 8-20 px, anti-aliasing, font, placement (each corner or
/// over anatomy), a single line or a 4-6 line <c>Key: Value</c> block of a synthetic patient, and a header variant
/// (<see cref="HeaderVariant"/>; Burned In Annotation absent, NO or YES; header identity equal to the burned one or not).
/// The text is rendered by <see cref="GlyphRenderer"/> and burned into the stored values as
/// <c>value = lerp(pixel, textValue, coverage)</c>. A placement where the text would not show in the stored values (text at
/// the minimum over a black corner) is moved, and the case says so. Files are native Explicit VR Little Endian, written
/// with our own writer.
/// </summary>
public static class BurnedInCorpusGenerator
{
    private static readonly TextPlacement[] Placements = [TextPlacement.TopLeft, TextPlacement.Anatomy, TextPlacement.BottomRight, TextPlacement.TopRight, TextPlacement.BottomLeft];
    private static readonly HeaderVariant[] GreyVariants = [HeaderVariant.Native, HeaderVariant.EightBitHiddenByWindow, HeaderVariant.Rescaled, HeaderVariant.PolarityFlipped, HeaderVariant.SeveralWindows];
    private static readonly TextValueClass[] GreyClasses = [TextValueClass.Max, TextValueClass.Min, TextValueClass.Mid];
    private static readonly TextValueClass[] ColourClasses = [TextValueClass.Max, TextValueClass.Min, TextValueClass.Mid, TextValueClass.Colour];

    /// <summary>The fraction of full-coverage glyph pixels that must differ from the pixel under them for the text to count as shown.</summary>
    private const double MinVisible = 0.8;

    /// <summary>Generates the corpus into <paramref name="directory"/> (created if needed).</summary>
    public static BurnedInCorpus Generate(string directory, BurnedInGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        IReadOnlyList<string> missing;
        var bases = options.WiderBases ? BaseImageCatalog.LoadWider(out missing) : BaseImageCatalog.Load(out missing);
        var fonts = BenchmarkEnvironment.Fonts;
        if (fonts.Count == 0)
        {
            throw new InvalidOperationException("No benchmark font is installed (fonts-dejavu-core, fonts-liberation2).");
        }

        var cases = new List<BurnedInCase>();
        for (var b = 0; b < bases.Count; b++)
        {
            for (var k = 0; k < options.CasesPerBase; k++)
            {
                cases.Add(CreateCase(directory, bases[b], b, k, options.Seed, fonts, cases.Count));
            }
        }

        return new BurnedInCorpus(directory, cases, bases, missing);
    }

    private static BurnedInCase CreateCase(string directory, BaseImage source, int b, int k, int seed, IReadOnlyList<(string Name, string Path)> fonts, int index)
    {
        var rng = new Random(unchecked((seed * 7919) + (b * 131) + k));
        var variant = source.IsGrey ? GreyVariants[(k + (2 * b)) % GreyVariants.Length] : HeaderVariant.Native;
        var image = PixelVariant.Apply(source, variant, rng);
        var classes = source.IsGrey ? GreyClasses : ColourClasses;
        var valueClass = classes[(k + b) % classes.Length];
        var text = TextValue(image, valueClass, rng);
        var identity = SyntheticIdentity.Create(rng);
        var matches = rng.Next(2) == 0;
        var headerIdentity = matches ? identity : SyntheticIdentity.Create(rng);
        var font = fonts[(k + (b / 2)) % fonts.Count];
        var antiAliased = rng.Next(2) == 0;
        var height = 8 + rng.Next(13);
        var block = k % 3 != 2;
        var lineCount = 4 + rng.Next(3);
        var requested = Placements[((2 * k) + b) % Placements.Length];
        var bia = rng.Next(4) switch { 0 => null, 1 => "YES", _ => "NO" };
        var gap = 4 + rng.Next(8);
        var notes = new List<string>();

        using var renderer = new GlyphRenderer(font.Path);
        var rendered = Layout(renderer, identity, block, lineCount, height, antiAliased, image.Columns, image.Rows, gap, notes, out var usedHeight);
        // The requested value class where the text shows; else the first other class that shows (the case says so).
        var (placement, x, y, visible) = Place(image, rendered, text, requested, gap, rng);
        foreach (var other in classes.Where(v => v != valueClass))
        {
            if (visible >= MinVisible)
            {
                break;
            }

            var otherText = TextValue(image, other, rng);
            var attempt = Place(image, rendered, otherText, requested, gap, rng);
            if (attempt.Visible >= MinVisible)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"value {valueClass} -> {other}: {valueClass} text would show nowhere (best {visible:0.00})"));
                (valueClass, text, placement, x, y, visible) = (other, otherText, attempt.Placement, attempt.X, attempt.Y, attempt.Visible);
            }
        }

        if (placement != requested)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"placement {requested} -> {placement}: the text would not show there"));
        }

        if (visible < MinVisible)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"low contrast: {visible:0.00} of the glyph pixels show"));
        }

        // Burn: the coverage of the block, at (x, y) in frame coordinates, into every frame.
        var n = image.Rows * image.Columns;
        var coverage = new byte[n];
        for (var by = 0; by < rendered.Height; by++)
        {
            var fy = y + by;
            if (fy < 0 || fy >= image.Rows)
            {
                continue;
            }

            for (var bx = 0; bx < rendered.Width; bx++)
            {
                var fx = x + bx;
                if (fx >= 0 && fx < image.Columns)
                {
                    coverage[(fy * image.Columns) + fx] = rendered.Coverage[(by * rendered.Width) + bx];
                }
            }
        }

        var backgroundFrame = (int[])image.Frames[0].Clone();
        var ink = new List<bool[]>();
        var spp = image.SamplesPerPixel;
        foreach (var frame in image.Frames)
        {
            var changed = new bool[n];
            for (var i = 0; i < n; i++)
            {
                if (coverage[i] == 0)
                {
                    continue;
                }

                var a = coverage[i] / 255.0;
                for (var s = 0; s < spp; s++)
                {
                    var v = frame[(i * spp) + s];
                    var burned = (int)Math.Round(v + ((text[s] - v) * a), MidpointRounding.AwayFromZero);
                    changed[i] |= burned != v;
                    frame[(i * spp) + s] = burned;
                }
            }

            ink.Add(changed);
        }

        var lines = rendered.Lines.Select(l => new TruthLine(l.Text, l.Box.Offset(x, y), l.Words.Select(w => w with { Box = w.Box.Offset(x, y) }).ToList())).ToList();
        var hides = image.Windows.Count > 0 && WindowHides(image, backgroundFrame, coverage, text[0], lines);
        var id = string.Create(CultureInfo.InvariantCulture, $"c{index:000}-{Slug(source.Name)}");
        var path = Path.Combine(directory, id + ".dcm");
        CaseFileWriter.Write(path, image, headerIdentity, bia, seed, index);
        return new BurnedInCase
        {
            Id = id,
            Path = path,
            BaseName = source.Name,
            BaseSource = source.Source,
            Modality = source.Modality,
            Rows = image.Rows,
            Columns = image.Columns,
            Frames = image.Frames.Count,
            SamplesPerPixel = spp,
            ValueClass = valueClass,
            TextValue = string.Join(',', text.Select(t => t.ToString(CultureInfo.InvariantCulture))),
            RequestedPlacement = requested,
            Placement = placement,
            Font = font.Name,
            TextHeight = usedHeight,
            AntiAliased = antiAliased,
            Header = variant,
            Photometric = image.Photometric,
            BitsStored = image.BitsStored,
            IsSigned = image.IsSigned,
            RescaleIntercept = image.RescaleIntercept,
            RescaleSlope = image.RescaleSlope,
            Windows = image.Windows.Select(w => new[] { w.Center, w.Width }).ToList(),
            BurnedInAnnotation = bia,
            HeaderMatchesText = matches,
            WindowHidesText = hides,
            Lines = lines,
            Notes = notes.Count == 0 ? null : string.Join("; ", notes),
            Coverage = coverage,
            Ink = ink,
            BaseFrame = backgroundFrame,
            TextSamples = text,
        };
    }

    /// <summary>The text's sample values (one for grey, three for RGB).</summary>
    private static int[] TextValue(PixelVariant image, TextValueClass valueClass, Random rng)
    {
        if (image.SamplesPerPixel == 1)
        {
            var (min, max) = image.Range();
            return valueClass switch
            {
                TextValueClass.Max => [max],
                TextValueClass.Min => [min],
                _ => [(int)Math.Round((min + (double)max) / 2)],
            };
        }

        return valueClass switch
        {
            TextValueClass.Max => [255, 255, 255],
            TextValueClass.Min => [0, 0, 0],
            TextValueClass.Mid => [128, 128, 128],
            _ => rng.Next(2) == 0 ? [250, 230, 40] : [40, 230, 250],
        };
    }

    /// <summary>
    /// The block at the largest cap height up to <paramref name="height"/> whose ink fits the frame (with the gap); a block
    /// too wide even at 8 px becomes a single line, then one value per line.
    /// </summary>
    private static RenderedBlock Layout(GlyphRenderer renderer, SyntheticIdentity identity, bool block, int lineCount, int height, bool antiAliased, int columns, int rows, int gap, List<string> notes, out int usedHeight)
    {
        var layouts = new List<(string Name, IReadOnlyList<IReadOnlyList<(string, bool)>> Lines)>();
        if (block)
        {
            layouts.Add(("block", identity.Block(lineCount)));
        }

        layouts.Add(("single line", identity.SingleLine()));
        var stacked = identity.SingleLine()[0].Select(w => (IReadOnlyList<(string, bool)>)[w]).ToList();
        layouts.Add(("one value per line", stacked));
        foreach (var (name, lines) in layouts)
        {
            for (var h = height; h >= 8; h--)
            {
                var r = renderer.Render(lines, h, antiAliased);
                var (inkW, inkH) = InkSize(r);
                if (inkW + (2 * gap) <= columns && inkH + (2 * gap) <= rows)
                {
                    if (h != height)
                    {
                        notes.Add($"cap height {height} -> {h} px to fit");
                    }

                    if (name != layouts[0].Name)
                    {
                        notes.Add($"{layouts[0].Name} -> {name} to fit");
                    }

                    usedHeight = h;
                    return r;
                }
            }
        }

        throw new InvalidOperationException($"No text layout fits a {columns}x{rows} frame.");
    }

    private static (int Width, int Height) InkSize(RenderedBlock r)
    {
        var x0 = r.Lines.Min(l => l.Box.X);
        var y0 = r.Lines.Min(l => l.Box.Y);
        return (r.Lines.Max(l => l.Box.Right) - x0, r.Lines.Max(l => l.Box.Bottom) - y0);
    }

    /// <summary>
    /// The block's top-left in frame coordinates and the fraction of its glyph pixels that show: the requested placement
    /// when at least 80 % of the full-coverage ink differs from the pixel under it by 20 % of the value range (the text
    /// shows in the stored values), else the first other placement where it does, else the best one found.
    /// </summary>
    private static (TextPlacement Placement, int X, int Y, double Visible) Place(PixelVariant image, RenderedBlock r, int[] text, TextPlacement requested, int gap, Random rng)
    {
        var x0 = r.Lines.Min(l => l.Box.X);
        var y0 = r.Lines.Min(l => l.Box.Y);
        var (w, h) = InkSize(r);
        var jx = rng.Next(-image.Columns / 10, (image.Columns / 10) + 1);
        var jy = rng.Next(-image.Rows / 10, (image.Rows / 10) + 1);
        var order = new List<TextPlacement> { requested };
        order.AddRange(Placements.Where(p => p != requested));
        (TextPlacement, int, int, double)? best = null;
        foreach (var p in order)
        {
            var (ix, iy) = p switch
            {
                TextPlacement.TopLeft => (gap, gap),
                TextPlacement.TopRight => (image.Columns - gap - w, gap),
                TextPlacement.BottomLeft => (gap, image.Rows - gap - h),
                TextPlacement.BottomRight => (image.Columns - gap - w, image.Rows - gap - h),
                _ => (Math.Clamp(((image.Columns - w) / 2) + jx, gap, image.Columns - gap - w), Math.Clamp(((image.Rows - h) / 2) + jy, gap, image.Rows - gap - h)),
            };
            var visible = VisibleFraction(image, r, text, ix - x0, iy - y0);
            if (visible >= MinVisible)
            {
                return (p, ix - x0, iy - y0, visible);
            }

            if (best is null || visible > best.Value.Item4)
            {
                best = (p, ix - x0, iy - y0, visible);
            }
        }

        return best!.Value;
    }

    /// <summary>Fraction of full-coverage glyph pixels whose base value differs from the text by at least 20 % of the range (frame 0).</summary>
    private static double VisibleFraction(PixelVariant image, RenderedBlock r, int[] text, int x, int y)
    {
        var frame = image.Frames[0];
        var spp = image.SamplesPerPixel;
        var (min, max) = image.SamplesPerPixel == 1 ? image.Range() : (0, 255);
        var range = Math.Max(1.0, max - min);
        int total = 0, visible = 0;
        for (var by = 0; by < r.Height; by++)
        {
            for (var bx = 0; bx < r.Width; bx++)
            {
                if (r.Coverage[(by * r.Width) + bx] < 192)
                {
                    continue;
                }

                var fx = x + bx;
                var fy = y + by;
                if (fx < 0 || fy < 0 || fx >= image.Columns || fy >= image.Rows)
                {
                    continue;
                }

                total++;
                var i = ((fy * image.Columns) + fx) * spp;
                var d = 0.0;
                for (var s = 0; s < spp; s++)
                {
                    d = Math.Max(d, Math.Abs(frame[i + s] - text[s]) / range);
                }

                visible += d >= 0.2 ? 1 : 0;
            }
        }

        return total == 0 ? 0 : visible / (double)total;
    }

    /// <summary>
    /// True when, through the first header window (rescale applied, MONOCHROME1 inverted), the text's grey is within
    /// 10 % of the median grey of the pixels around the glyphs inside the line boxes.
    /// </summary>
    private static bool WindowHides(PixelVariant image, int[] background, byte[] coverage, int text, IReadOnlyList<TruthLine> lines)
    {
        var (center, width) = image.Windows[0];
        double Display(int v)
        {
            var x = (v * image.RescaleSlope) + image.RescaleIntercept;
            var d = Math.Clamp(((x - (center - 0.5)) / Math.Max(1, width - 1)) + 0.5, 0, 1);
            return image.Photometric == "MONOCHROME1" ? 1 - d : d;
        }

        var around = new List<double>();
        foreach (var line in lines)
        {
            for (var y = line.Box.Y; y < line.Box.Bottom; y++)
            {
                for (var x = line.Box.X; x < line.Box.Right; x++)
                {
                    var i = (y * image.Columns) + x;
                    if (coverage[i] == 0)
                    {
                        around.Add(Display(background[i]));
                    }
                }
            }
        }

        if (around.Count == 0)
        {
            return false;
        }

        around.Sort();
        return Math.Abs(Display(text) - around[around.Count / 2]) < 0.1;
    }

    private static string Slug(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        return string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}
