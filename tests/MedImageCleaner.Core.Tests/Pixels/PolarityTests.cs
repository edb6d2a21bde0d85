using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.TestSupport.BurnedIn;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// Dark text over a bright background shows in the bright detail view only as the gaps between its strokes, which
/// Tesseract reads as nonsense at the cost of a real line. Such lines wait for the dark detail view and are read there.
/// </summary>
public sealed class PolarityTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<IReadOnlyList<(string Text, bool IsPhi)>> Block =
    [
        [("Patient", false), ("ID:", false), ("MRN4471920", true)],
        [("Name:", false), ("HALVORSEN,", true), ("SOPHIE", true)],
        [("DOB:", false), ("1971-03-14", true)],
        [("Study", false), ("Date:", false), ("20200427", true)],
    ];

    [Theory]
    [InlineData(40, 200, true)]
    [InlineData(230, 60, false)]
    public void DarkerThanBackground_TellsALinesPolarityFromItsBox(byte ink, byte background, bool dark)
    {
        Assert.NotEmpty(BenchmarkEnvironment.Fonts);
        using var renderer = new GlyphRenderer(BenchmarkEnvironment.Fonts[0].Path);
        var block = renderer.Render([Block[1]], 14, antiAliased: true);
        var data = Burn(block, block.Width + 20, block.Height + 20, 10, 10, ink, (_, _) => background);
        using var grey = FrameViews.ToMat(data, block.Height + 20, block.Width + 20);
        var line = block.Lines[0].Box;
        Assert.Equal(dark, ImageRedactionSession.DarkerThanBackground(grey, new PixelBox(10 + line.X - 2, 10 + line.Y - 2, line.Width + 4, line.Height + 4)));
    }

    [RequiresFact(Requirements.Ocr)]
    public void Detect_DarkBlockOverABrightBackground_IsReadOnceAndBoxed()
    {
        Assert.NotEmpty(BenchmarkEnvironment.Fonts);
        using var renderer = new GlyphRenderer(BenchmarkEnvironment.Fonts[0].Path);
        var block = renderer.Render(Block, 14, antiAliased: true);
        const int cols = 512, rows = 512, x0 = 60, y0 = 140;

        // A bright, slowly varying background (a radiograph's soft tissue) with the block in dark grey.
        var data = Burn(block, cols, rows, x0, y0, 45, (x, y) => (byte)(150 + (60 * x / cols) + (30 * y / rows)));
        var frame = new DecodedFrame(rows, cols, 1, 8, 8, false, "MONOCHROME2", data);
        using var engine = new FrameRedactionEngine(new TextRedactionOptions { Methods = TextDetectionMethods.Auto, Verify = false });
        var result = engine.BeginImage(ImageAttributes.None, new PhiContext()).Detect(frame, 0);
        output.WriteLine($"OCR candidates {result.OcrCandidates}; boxes: {string.Join(" ", result.Boxes.Select(static b => $"{b.Box} ({b.Reason}, {b.View})"))}");
        foreach (var line in block.Lines)
        {
            var ink = new PixelBox(x0 + line.Box.X, y0 + line.Box.Y, line.Box.Width, line.Box.Height);
            Assert.True(result.Boxes.Any(b => b.Box.Intersect(ink).Area * 10 >= ink.Area * 9), $"line at {ink} not boxed");
        }

        // Each line read once (in the dark detail view), not also as the gaps between its strokes in the bright one.
        Assert.InRange(result.OcrCandidates, 1, block.Lines.Count + 1);
    }

    private static byte[] Burn(RenderedBlock block, int cols, int rows, int x0, int y0, byte ink, Func<int, int, byte> background)
    {
        var data = new byte[cols * rows];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < cols; x++)
            {
                var bx = x - x0;
                var by = y - y0;
                var coverage = bx >= 0 && by >= 0 && bx < block.Width && by < block.Height ? block.Coverage[(by * block.Width) + bx] : 0;
                var b = background(x, y);
                data[(y * cols) + x] = (byte)Math.Round(b + ((ink - b) * coverage / 255.0));
            }
        }

        return data;
    }
}
