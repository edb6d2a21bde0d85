using MedImageCleaner.Core.Pixels;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>Block completion: missing lines of a burned-in block, and values beyond a label that was read alone.</summary>
public sealed class BlockCompletionTests
{
    private static TextBox Line(int x, int y, int width, int height = 14, bool label = false) =>
        new(new PixelBox(x, y, width, height), TextDetectionMethods.Auto, "ocr-confirmed-candidate", 95) { EndsWithLabel = label };

    private static List<TextBox> Added(List<TextBox> boxes, int before) => boxes.GetRange(before, boxes.Count - before);

    [Fact]
    public void CompleteBlocks_OneLineMissingBetweenConfirmedLines_FillsItAtThePitchToTheBlocksRight()
    {
        // Six lines at pitch 18 from y = 10; the fourth (y = 64) was not confirmed by any view.
        var boxes = new List<TextBox> { Line(8, 10, 190), Line(8, 28, 140), Line(8, 46, 120), Line(8, 82, 70), Line(8, 100, 100) };
        ImageRedactionSession.CompleteBlocks(boxes, 256, 256);
        var added = Assert.Single(Added(boxes, 5));
        Assert.Equal("block-line", added.Reason);
        Assert.Equal(new PixelBox(8, 64, 190, 14), added.Box);
    }

    [Fact]
    public void CompleteBlocks_TwoMissingLines_FillsBoth()
    {
        var boxes = new List<TextBox> { Line(20, 100, 90), Line(20, 120, 90), Line(20, 140, 90), Line(20, 200, 90) };
        ImageRedactionSession.CompleteBlocks(boxes, 512, 512);
        var added = Added(boxes, 4);
        Assert.Equal([160, 180], added.Select(b => b.Box.Y).Order().ToArray());
    }

    [Fact]
    public void CompleteBlocks_GapNotAMultipleOfThePitch_AddsNothing()
    {
        // 20-pixel pitch, then 51 pixels: not two pitches (a separate caption further down, not a missing line).
        var boxes = new List<TextBox> { Line(20, 100, 90), Line(20, 120, 90), Line(20, 140, 90), Line(20, 191, 90) };
        ImageRedactionSession.CompleteBlocks(boxes, 512, 512);
        Assert.Empty(Added(boxes, 4));
    }

    [Fact]
    public void CompleteBlocks_TwoLinesOnly_AddsNothing()
    {
        var boxes = new List<TextBox> { Line(20, 100, 90), Line(20, 140, 90) };
        ImageRedactionSession.CompleteBlocks(boxes, 512, 512);
        Assert.Empty(Added(boxes, 2));
    }

    [Fact]
    public void CompleteBlocks_LinesAtOtherMargins_AreNotOneBlock()
    {
        var boxes = new List<TextBox> { Line(20, 100, 90), Line(120, 120, 90), Line(220, 140, 90), Line(20, 160, 90) };
        ImageRedactionSession.CompleteBlocks(boxes, 512, 512);
        Assert.Empty(Added(boxes, 4));
    }

    [Fact]
    public void CompleteBlocks_LineEndingWithItsLabel_ReachesTheLongestLine_OthersDoNot()
    {
        var boxes = new List<TextBox> { Line(300, 350, 290), Line(300, 370, 260), Line(300, 390, 50, label: true), Line(300, 410, 200) };
        ImageRedactionSession.CompleteBlocks(boxes, 1024, 768);
        var added = Assert.Single(Added(boxes, 4));
        Assert.Equal(PixelBox.FromEdges(350, 390, 590, 404), added.Box);
    }

    [Fact]
    public void CompleteBlocks_LineEndingWithLabelOutsideAnyBlock_IsLeftAsItIs()
    {
        var boxes = new List<TextBox> { Line(300, 350, 290), Line(300, 390, 50, label: true) };
        ImageRedactionSession.CompleteBlocks(boxes, 1024, 768);
        Assert.Empty(Added(boxes, 2));
    }
}
