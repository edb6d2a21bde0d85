using MedImageCleaner.Core.Pixels;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>Block completion: missing lines of a burned-in block, and values beyond a label that was read alone.</summary>
public sealed class BlockCompletionTests
{
    private static TextBox Line(int x, int y, int width, int height = 14, bool label = false, bool phi = true) =>
        new(new PixelBox(x, y, width, height), TextDetectionMethods.Auto, "ocr-confirmed-candidate", 95) { EndsWithLabel = label, Confirmed = true, HoldsPhi = phi };

    private static List<TextBox> Added(List<TextBox> boxes, int before) => boxes.GetRange(before, boxes.Count - before);

    /// <summary>Completes <paramref name="boxes"/> on a square frame and checks it added exactly one box, and which.</summary>
    private static void AssertAddsOne(List<TextBox> boxes, int side, string reason, PixelBox expected)
    {
        var before = boxes.Count;
        ImageRedactionSession.CompleteBlocks(boxes, side, side);
        var added = Assert.Single(Added(boxes, before));
        Assert.Equal(reason, added.Reason);
        Assert.Equal(expected, added.Box);
    }

    [Fact]
    public void CompleteBlocks_TwoConfirmedPartsOfARowWithPhi_TheGapBetweenThemGoesToo()
    {
        // "WHITFIELD," and "14870 04/05/2017" were read over anatomy, "DORIAN MRN..." between them was not.
        AssertAddsOne([Line(2, 2, 108, 21), Line(248, 2, 177, 21)], 512, "row-bridge", PixelBox.FromEdges(110, 2, 248, 23));
    }

    [Fact]
    public void CompleteBlocks_ThreePartsOfOneRow_EachJoinsItsNeighbour()
    {
        var boxes = new List<TextBox> { Line(10, 50, 40), Line(100, 51, 40), Line(200, 49, 40, height: 15) };
        ImageRedactionSession.CompleteBlocks(boxes, 512, 512);
        var added = Added(boxes, 3);
        Assert.Equal(2, added.Count);
        Assert.Equal(PixelBox.FromEdges(50, 50, 100, 65), added[0].Box);
        Assert.Equal(PixelBox.FromEdges(140, 49, 200, 65), added[1].Box);
    }

    [Fact]
    public void CompleteBlocks_PartsOfOneRowFarApart_OrOnOtherRows_OrWithoutPhi_OrUnconfirmed_AreNotJoined()
    {
        // 150 pixels between 14-pixel lines (over 10 line heights): two strings, e.g. opposite corners.
        var far = new List<TextBox> { Line(10, 10, 60), Line(220, 10, 60) };
        ImageRedactionSession.CompleteBlocks(far, 512, 512);
        Assert.Empty(Added(far, 2));

        // Half a line apart vertically, or twice the height: not one row.
        var rows = new List<TextBox> { Line(10, 10, 60), Line(100, 18, 60), Line(200, 10, 60, height: 30) };
        ImageRedactionSession.CompleteBlocks(rows, 512, 512);
        Assert.Empty(Added(rows, 3));

        // Parts without PHI (blobs of colour Doppler read as "Als" and "Fa") are not joined.
        var noPhi = new List<TextBox> { Line(10, 10, 60, phi: false), Line(100, 10, 60, phi: false) };
        ImageRedactionSession.CompleteBlocks(noPhi, 512, 512);
        Assert.Empty(Added(noPhi, 2));

        // A part no OCR confirmed (an edge text line) is not a part of a read line.
        var unread = new List<TextBox> { Line(10, 10, 60), Line(100, 10, 60) with { Confirmed = false, Reason = "edge-textline" } };
        ImageRedactionSession.CompleteBlocks(unread, 512, 512);
        Assert.Empty(Added(unread, 2));
    }

    [Fact]
    public void CompleteBlocks_OneLineMissingBetweenConfirmedLines_FillsTheBandBetweenThemToTheBlocksRight()
    {
        // Six lines at pitch 18 from y = 10; the fourth (y = 64) was not confirmed by any view.
        AssertAddsOne([Line(8, 10, 190), Line(8, 28, 140), Line(8, 46, 120), Line(8, 82, 70), Line(8, 100, 100)], 256, "block-line", PixelBox.FromEdges(8, 60, 198, 82));
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
