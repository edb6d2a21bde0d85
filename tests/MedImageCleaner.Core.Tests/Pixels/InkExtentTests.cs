using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels;
using OpenCvSharp;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// Growing a confirmed line over its row's ink: small text whose letters touch at the baseline, a long line of which
/// only the start was a candidate, and a structure beside a line that is not grown over.
/// </summary>
public sealed class InkExtentTests
{
    private const byte Background = 240;
    private const byte InkValue = 120;

    private static Mat Band(int width = 400, int height = 16)
    {
        NativeLoadOrder.Ensure();
        return new Mat(height, width, MatType.CV_8UC1, Scalar.All(Background));
    }

    /// <summary>
    /// Vertical 2-pixel strokes 8 pixels high (rows 4-11) every 5 pixels from <paramref name="x0"/> to before
    /// <paramref name="x1"/>; with <paramref name="touching"/>, each pair joined by one row of ink, at the top and the
    /// bottom in turn (letters set so tightly that no column between them is empty, though no row is ink all along).
    /// </summary>
    private static void Letters(Mat band, int x0, int x1, bool touching)
    {
        for (var x = x0; x + 2 <= x1; x += 5)
        {
            Cv2.Rectangle(band, new Rect(x, 4, 2, 8), Scalar.All(InkValue), -1);
            if (touching && x + 7 <= x1)
            {
                Cv2.Rectangle(band, new Rect(x + 2, ((x - x0) / 5) % 2 == 0 ? 11 : 4, 3, 1), Scalar.All(InkValue), -1);
            }
        }
    }

    [Fact]
    public void Refine_SmallLettersTouchingAtTheirBaseline_GrowOverTheWholeLine()
    {
        // 8-pixel text set so tightly that every column between letters has ink in one row: before, the ink never
        // broke, the line looked like a structure and was not grown at all.
        using var band = Band();
        Letters(band, 20, 150, touching: true);
        var parts = InkExtent.Refine(band, new PixelBox(18, 2, 20, 12), grow: true);
        Assert.Equal(147, parts[^1].Right);
    }

    [Fact]
    public void Refine_ALongLineOfWhichOnlyTheStartWasACandidate_GrowsInStepsToItsEnd()
    {
        // A 12-pixel line box; its row's letters run on for about 18 line heights (a name, an ID and a date in one
        // line of small text): more than one step of 6 line heights.
        using var band = Band();
        Letters(band, 20, 250, touching: false);
        var parts = InkExtent.Refine(band, new PixelBox(18, 2, 20, 12), grow: true);
        Assert.Equal(18, parts[0].X);
        Assert.Equal(247, parts[^1].Right);
    }

    [Fact]
    public void Refine_ASolidStructureBesideTheLine_IsNotGrownOver()
    {
        using var band = Band();
        Letters(band, 20, 60, touching: false);
        // A solid block (a graphic, bright anatomy at the ink's level) two pixels after the last letter.
        Cv2.Rectangle(band, new Rect(62, 4, 80, 8), Scalar.All(InkValue), -1);
        var parts = InkExtent.Refine(band, new PixelBox(18, 2, 44, 12), grow: true);
        Assert.True(parts[^1].Right <= 62, $"grown to {parts[^1].Right}");
    }

    [Fact]
    public void Refine_AOneRowRuleBesideTheLine_IsNotGrownOver()
    {
        // A 1-pixel horizontal rule (the top edge of an ultrasound's colour box) runs on from the line's end: its
        // columns hold ink in one row only, like letters touching at their baseline, but for far longer than a letter.
        using var band = Band();
        Letters(band, 20, 60, touching: false);
        Cv2.Rectangle(band, new Rect(62, 8, 300, 1), Scalar.All(InkValue), -1);
        var parts = InkExtent.Refine(band, new PixelBox(18, 2, 44, 12), grow: true);
        Assert.True(parts[^1].Right <= 62, $"grown to {parts[^1].Right}");
    }
}
