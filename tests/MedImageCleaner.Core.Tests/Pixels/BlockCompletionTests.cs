using MedImageCleaner.Core.Pixels;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>Block completion: missing lines of a burned-in block, and values beyond a label that was read alone.</summary>
public sealed class BlockCompletionTests
{
    private static TextBox Line(int x, int y, int width, int height = 14, bool label = false) =>
        new(new PixelBox(x, y, width, height), TextDetectionMethods.Auto, "ocr-confirmed-candidate", 95) { EndsWithLabel = label, Confirmed = true };

    private static List<TextBox> Added(List<TextBox> boxes, int before) => boxes.GetRange(before, boxes.Count - before);

    [Fact]
    public void CompleteBlocks_OneLineMissingBetweenConfirmedLines_FillsTheBandBetweenThemToTheBlocksRight()
    {
        // Six lines at pitch 18 from y = 10; the fourth (y = 64) was not confirmed by any view.
        var boxes = new List<TextBox> { Line(8, 10, 190), Line(8, 28, 140), Line(8, 46, 120), Line(8, 82, 70), Line(8, 100, 100) };
        ImageRedactionSession.CompleteBlocks(boxes, 256, 256);
        var added = Assert.Single(Added(boxes, 5));
        Assert.Equal("block-line", added.Reason);
        Assert.Equal(PixelBox.FromEdges(8, 60, 198, 82), added.Box);
    }

    [Fact]
    public void CompleteBlocks_TwoMissingLines_FillsTheBandOfBoth()
    {
        var boxes = new List<TextBox> { Line(20, 100, 90), Line(20, 120, 90), Line(20, 140, 90), Line(20, 200, 90) };
        ImageRedactionSession.CompleteBlocks(boxes, 512, 512);
        var added = Assert.Single(Added(boxes, 4));
        Assert.Equal(PixelBox.FromEdges(20, 154, 110, 200), added.Box);
    }

    [Fact]
    public void CompleteBlocks_ATallerConfirmedBox_StaysInTheBlock()
    {
        // The second line's box merged with anatomy (29 pixels for 17-pixel text); two lines missing after the third.
        var boxes = new List<TextBox> { Line(8, 8, 224, 17), Line(9, 29, 170, 29), Line(8, 54, 144, 17), Line(8, 119, 126, 24) };
        ImageRedactionSession.CompleteBlocks(boxes, 256, 256);
        var added = Assert.Single(Added(boxes, 4));
        Assert.Equal(PixelBox.FromEdges(8, 71, 232, 119), added.Box);
    }

    [Fact]
    public void CompleteBlocks_GapOfMoreThanThreePitches_AddsNothing()
    {
        // 20-pixel pitch, then 70 pixels: more than two missing lines (a separate caption further down).
        var boxes = new List<TextBox> { Line(20, 100, 90), Line(20, 120, 90), Line(20, 140, 90), Line(20, 210, 90) };
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
