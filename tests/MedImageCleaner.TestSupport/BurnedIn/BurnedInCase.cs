using System.Text.Json.Serialization;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>The stored value the text is drawn at.</summary>
public enum TextValueClass
{
    /// <summary>The largest stored value of the image (white on MONOCHROME2, black on MONOCHROME1; white for RGB).</summary>
    Max,

    /// <summary>The smallest stored value of the image (black for RGB).</summary>
    Min,

    /// <summary>Halfway between the smallest and largest stored value (mid grey for RGB).</summary>
    Mid,

    /// <summary>RGB only: a saturated colour (yellow or cyan).</summary>
    Colour,
}

/// <summary>Where the text block is.</summary>
public enum TextPlacement
{
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,

    /// <summary>Over the middle of the image (over anatomy).</summary>
    Anatomy,
}

/// <summary>How the header presents the pixels.</summary>
public enum HeaderVariant
{
    /// <summary>The source's representation, window and rescale (a window from the value range when it had none).</summary>
    Native,

    /// <summary>Values 0-255 in a 16-bit container, Rescale Intercept -1024, Window 40/400: the whole frame (text included) shows black.</summary>
    EightBitHiddenByWindow,

    /// <summary>Unsigned 12-bit stored values with a rescale (intercept -1024 or -1000, slope 1 or 0.5) and a window over the data.</summary>
    Rescaled,

    /// <summary>The grey values inverted and the photometric interpretation flipped (MONOCHROME2 &lt;-&gt; MONOCHROME1).</summary>
    PolarityFlipped,

    /// <summary>Three windows (the data range, a narrow low one, a narrow high one).</summary>
    SeveralWindows,
}

/// <summary>A rectangle of a frame, in pixels.</summary>
public sealed record TruthBox(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    /// <summary>This box grown by <paramref name="d"/> pixels on every side and clipped to the frame.</summary>
    public TruthBox Inflate(int d, int columns, int rows)
    {
        var x = Math.Max(0, X - d);
        var y = Math.Max(0, Y - d);
        return new TruthBox(x, y, Math.Min(columns, Right + d) - x, Math.Min(rows, Bottom + d) - y);
    }

    /// <summary>This box moved by (dx, dy).</summary>
    public TruthBox Offset(int dx, int dy) => this with { X = X + dx, Y = Y + dy };
}

/// <summary>One burned word: its text, the bounding box of its ink, and whether it is a PHI value (keys like "Name:" are not).</summary>
public sealed record TruthWord(string Text, TruthBox Box, bool IsPhi);

/// <summary>One burned line: its text, the bounding box of its ink, and its words.</summary>
public sealed record TruthLine(string Text, TruthBox Box, IReadOnlyList<TruthWord> Words);

/// <summary>
/// One generated file and its ground truth: what was burned where, at which value, through which header. The glyph
/// coverage (the same in every frame) and the pixels it actually changed per frame are kept in memory for the scorer.
/// </summary>
public sealed record BurnedInCase
{
    public required string Id { get; init; }

    public required string Path { get; init; }

    public required string BaseName { get; init; }

    public required string BaseSource { get; init; }

    public required string Modality { get; init; }

    public int Rows { get; init; }

    public int Columns { get; init; }

    public int Frames { get; init; }

    public int SamplesPerPixel { get; init; }

    public TextValueClass ValueClass { get; init; }

    /// <summary>The stored value of the text (grey) or its colour as "R,G,B".</summary>
    public required string TextValue { get; init; }

    public TextPlacement RequestedPlacement { get; init; }

    /// <summary>Where the block went (the requested corner, unless the text would not have shown there: see Notes).</summary>
    public TextPlacement Placement { get; init; }

    public required string Font { get; init; }

    /// <summary>Cap height of the text in pixels.</summary>
    public int TextHeight { get; init; }

    public bool AntiAliased { get; init; }

    public HeaderVariant Header { get; init; }

    public required string Photometric { get; init; }

    public int BitsStored { get; init; }

    public bool IsSigned { get; init; }

    public double RescaleIntercept { get; init; }

    public double RescaleSlope { get; init; }

    /// <summary>The header windows (centre, width), first one first; empty for none.</summary>
    public IReadOnlyList<double[]> Windows { get; init; } = [];

    /// <summary>Burned In Annotation (0028,0301) as written, or null when absent.</summary>
    public string? BurnedInAnnotation { get; init; }

    /// <summary>True when the header's patient values are the burned ones; false when the header holds another identity.</summary>
    public bool HeaderMatchesText { get; init; }

    /// <summary>Grey only: through the first header window the text is (nearly) the same grey as its background.</summary>
    public bool WindowHidesText { get; init; }

    /// <summary>The view class of the table: value class, window hides or shows (or none), corner or anatomy.</summary>
    public string ViewClass => $"{ValueClass.ToString().ToLowerInvariant()} / {WindowClass} / {(Placement == TextPlacement.Anatomy ? "anatomy" : "corner")}";

    /// <summary>"window hides", "window shows" or "no window".</summary>
    public string WindowClass => Windows.Count == 0 ? "no window" : WindowHidesText ? "window hides" : "window shows";

    public required IReadOnlyList<TruthLine> Lines { get; init; }

    /// <summary>Anything the generator changed from the plan (e.g. a placement that would have hidden the text).</summary>
    public string? Notes { get; init; }

    /// <summary>Glyph coverage 0-255 per pixel (Rows x Columns), the same in every frame.</summary>
    [JsonIgnore]
    public byte[] Coverage { get; init; } = [];

    /// <summary>Per frame: the pixels whose stored value the text changed (coverage above 0 and a value that moved).</summary>
    [JsonIgnore]
    public IReadOnlyList<bool[]> Ink { get; init; } = [];

    /// <summary>Frame 0 as it was before the text was burned (the generator's self-check compares the file with it).</summary>
    [JsonIgnore]
    public int[] BaseFrame { get; init; } = [];

    /// <summary>The text's sample values (one for grey, R, G, B for colour).</summary>
    [JsonIgnore]
    public int[] TextSamples { get; init; } = [];

    /// <summary>Every word over all lines.</summary>
    public IEnumerable<TruthWord> Words => Lines.SelectMany(l => l.Words);
}
