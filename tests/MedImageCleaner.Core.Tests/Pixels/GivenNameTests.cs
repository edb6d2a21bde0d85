using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.TestSupport.BurnedIn;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// A name line read up to its comma ("CASTELLANO,"), the given name after it not (black text running from bright tissue
/// onto the dark edge of a mammogram, where no view tells its ink from the background): the line goes on for a given
/// name's length.
/// </summary>
public sealed class GivenNameTests(ITestOutputHelper output)
{
    [RequiresFact(Requirements.Ocr)]
    public void Detect_NameLineReadUpToItsComma_TheBoxGoesOnPastIt()
    {
        Assert.NotEmpty(BenchmarkEnvironment.Fonts);
        using var renderer = new GlyphRenderer(BenchmarkEnvironment.Fonts[0].Path);
        var block = renderer.Render([[("Name:", false), ("CASTELLANO,", true)]], 14, antiAliased: true);
        const int cols = 512, rows = 256, x0 = 40, y0 = 100;
        var data = new byte[cols * rows];
        for (var y = 0; y < block.Height && y0 + y < rows; y++)
        {
            for (var x = 0; x < block.Width && x0 + x < cols; x++)
            {
                data[((y0 + y) * cols) + x0 + x] = block.Coverage[(y * block.Width) + x];
            }
        }

        var frame = new DecodedFrame(rows, cols, 1, 8, 8, false, "MONOCHROME2", data);
        using var engine = new FrameRedactionEngine(new TextRedactionOptions { Methods = TextDetectionMethods.Auto, Verify = false });
        var boxes = engine.BeginImage(ImageAttributes.None, new PhiContext()).Detect(frame, 0).Boxes;
        var line = block.Lines[0].Box;
        var comma = x0 + line.Right;
        output.WriteLine($"line ink {x0 + line.X}-{comma}, height {line.Height}; boxes: {string.Join(" ", boxes.Select(static b => $"{b.Box} ({b.Reason})"))}");
        Assert.Contains(boxes, b => b.Box.X <= x0 + line.X && b.Box.Right >= comma + (4 * line.Height) && b.Box.Y <= y0 + line.Y && b.Box.Bottom >= y0 + line.Bottom);
    }

    [Theory]
    [InlineData("CASTELLANO,", true)]
    [InlineData("MORETTI.", true)]
    [InlineData("Dr.", false)]
    [InlineData("1978.", false)]
    [InlineData("MORETTI", false)]
    public void EndsWithComma_ASurnameReadWithItsCommaOrAFullStop(string last, bool expected) =>
        Assert.Equal(expected, ImageRedactionSession.EndsWithComma([new(new PixelBox(0, 0, 10, 10), 90, "Name:"), new(new PixelBox(12, 0, 40, 10), 90, last)]));
}
