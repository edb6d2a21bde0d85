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

    [Theory]
    [InlineData(149, true)] // "Age:" read from 7 to 53, the box (its ink) runs on to 149: "020Y" is in it, unread
    [InlineData(71, false)] // 18 pixels past the label: speckle grown onto the box, the value may lie beyond
    [InlineData(53, false)] // the box ends with the label
    public void ValueInBox_TheBoxRunsOnPastItsLabelByAShortValuesWidth(int right, bool inBox)
    {
        var box = PixelBox.FromEdges(6, 76, right, 102);
        Assert.Equal(inBox, ImageRedactionSession.ValueInBox(box, new PixelBox(7, 80, 46, 19), lineHeight: 26));
    }

    [Fact]
    public void ValueInBox_ALabelReadAsAShortWord_LeavesTheRestOfTheLabelNotAValue()
    {
        // "Age:" read as "IN" over its first letter (11 pixels of 41): the tail is the rest of the label.
        Assert.False(ImageRedactionSession.ValueInBox(PixelBox.FromEdges(169, 461, 210, 473), new PixelBox(169, 461, 11, 12), lineHeight: 12));
    }

    [Fact]
    public void CompleteBlocks_LineEndingWithLabelOutsideAnyBlock_IsLeftAsItIs()
    {
        var boxes = new List<TextBox> { Line(300, 350, 290), Line(300, 390, 50, label: true) };
        ImageRedactionSession.CompleteBlocks(boxes, 1024, 768);
        Assert.Empty(Added(boxes, 2));
    }

    [Fact]
    public void CompleteBlocks_UnreadLineAPitchAboveTheBlock_IsRedacted()
    {
        // A surname wrapped above its given name, ID and date (a 128-pixel frame): the three lower lines were confirmed,
        // the surname's candidate line was read without confirming it.
        var boxes = new List<TextBox> { Line(9, 57, 49), Line(9, 81, 72), Line(9, 105, 84) };
        ImageRedactionSession.CompleteBlocks(boxes, 128, 128, [new PixelBox(9, 33, 86, 14)]);
        var added = Assert.Single(Added(boxes, 3));
        Assert.Equal("block-edge", added.Reason);
        Assert.Equal(PixelBox.FromEdges(7, 31, 97, 49), added.Box);
    }

    [Fact]
    public void CompleteBlocks_UnreadLinesBelowTheBlock_AreWalkedOneAfterTheOther_AndThroughALineAlreadyConfirmed()
    {
        // Study date and ID in one column; the name line confirmed, but on the rows of a label at the frame's edge (one
        // line with it, at another margin); age and DOB unread; a caption further down.
        var boxes = new List<TextBox> { Line(172, 126, 264, 24), Line(172, 165, 238, 24), Line(171, 203, 333, 24), Line(0, 215, 40, 20) };
        ImageRedactionSession.CompleteBlocks(boxes, 640, 480, [new PixelBox(174, 243, 120, 25), new PixelBox(174, 281, 195, 20), new PixelBox(174, 360, 100, 20)]);
        var added = Added(boxes, 4).FindAll(static a => a.Reason == "block-edge");
        Assert.Equal(2, added.Count);
        Assert.Contains(added, a => a.Box.Y < 243 && a.Box.Bottom > 268);
        Assert.Contains(added, a => a.Box.Y < 281 && a.Box.Bottom > 301);
    }

    [Fact]
    public void CompleteBlocks_UnreadLineBetweenConfirmedLines_IsRedacted()
    {
        // Boxes refined to their ink make the steps uneven (42 and 27 for a 23-pixel pitch): the given name between the
        // surname and the ID is found as a candidate line at the margin, and lies in the band between them.
        var boxes = new List<TextBox> { Line(10, 30, 113, 20), Line(10, 72, 78, 22), Line(10, 99, 84, 18) };
        ImageRedactionSession.CompleteBlocks(boxes, 128, 128, [new PixelBox(12, 55, 47, 14)]);
        var added = Added(boxes, 3);
        Assert.Contains(added, static a => a.Reason is "block-edge" or "block-line" && a.Box.Contains(new PixelBox(12, 55, 47, 14)));
        Assert.All(added, static a => Assert.True(a.Box.Y >= 48 && a.Box.Bottom <= 74, $"{a.Box} reaches past the missing line"));
    }

    [Fact]
    public void CompleteBlocks_UnreadLinesOffTheBlock_AreLeftAlone()
    {
        // A pitch away but at another margin, of another height, two pitches away, or beside a single line.
        var boxes = new List<TextBox> { Line(20, 100, 90), Line(20, 120, 90), Line(20, 140, 90) };
        ImageRedactionSession.CompleteBlocks(boxes, 512, 512, [new PixelBox(120, 160, 90, 14), new PixelBox(20, 160, 90, 40), new PixelBox(20, 60, 90, 14)]);
        Assert.Empty(Added(boxes, 3));
        var single = new List<TextBox> { Line(20, 100, 90) };
        ImageRedactionSession.CompleteBlocks(single, 512, 512, [new PixelBox(20, 120, 90, 14)]);
        Assert.Empty(Added(single, 1));
    }

    [Fact]
    public void CompleteBlocks_TwoLinesThreePitchesApart_WithConfirmedRowsInside_FillsTheBand()
    {
        // "Patient ID" and "DOB" at one margin; of the two lines between them only "WALTER" (the end of "Name: MORE...,
        // WALTER") and a fragment of the age line were confirmed, right of the margin: they give the pitch (19).
        AssertAddsOne([Line(69, 50, 142, 20), Line(176, 69, 76, 16, phi: false), Line(108, 88, 37, 10, phi: false), Line(71, 107, 123, 18)], 256, "block-line", PixelBox.FromEdges(69, 70, 211, 107));
    }

    [Fact]
    public void BridgeResiduals_PhiWordsOfOneRow_TheGapsBetweenThemGo_OtherRowsAndFarWordsDoNot()
    {
        // "MARSH," "DESMOND" [C838805 not read as PHI] "2016-03-28" read by the independent reader; a word on another
        // row; a word 20 heights further on.
        var bridges = ImageRedactionSession.BridgeResiduals([new PixelBox(350, 421, 40, 12), new PixelBox(410, 418, 44, 18), new PixelBox(534, 421, 76, 12), new PixelBox(420, 470, 60, 12), new PixelBox(900, 421, 40, 12)]);
        Assert.Equal([PixelBox.FromEdges(390, 418, 410, 436), PixelBox.FromEdges(454, 418, 534, 436)], bridges);
    }

    [Fact]
    public void CompleteBlocks_ALastLineMergedWithAnatomy_DoesNotSetThePitch_TheMissingLineAboveItIsFilled()
    {
        // ID, name and DOB read on an MR of 128x256 scaled up; the age between name and DOB was not. The DOB box merged
        // with anatomy (28 pixels for 14-pixel text), so its step over the missing line (46) passes the height test:
        // the pitch is still the step between ID and name (27).
        var boxes = new List<TextBox> { Line(14, 8, 234, 21), Line(13, 35, 224, 20), Line(14, 81, 177, 28) };
        ImageRedactionSession.CompleteBlocks(boxes, 256, 128);
        var added = Added(boxes, 3).FindAll(static a => a.Reason == "block-line");
        Assert.Equal(PixelBox.FromEdges(13, 55, 248, 81), Assert.Single(added).Box);
    }

    [Fact]
    public void CompleteBlocks_ALineOfASearchZone_CountsAsALineOfTheBlock()
    {
        // An ultrasound's top band took "Patient ID: ..." as text without reading it (its zone's rule); name and DOB
        // were read further down, the age between them was not.
        var zone = new TextBox(new PixelBox(35, 6, 213, 20), TextDetectionMethods.Auto, "search-zone:us-top-band", 100);
        var boxes = new List<TextBox> { zone, Line(35, 32, 279, 20), Line(36, 84, 196, 22) };
        ImageRedactionSession.CompleteBlocks(boxes, 320, 240);
        var added = Added(boxes, 3).FindAll(static a => a.Reason == "block-line");
        Assert.Equal(PixelBox.FromEdges(35, 52, 314, 84), Assert.Single(added).Box);

        // Without the zone's line, two lines give no pitch: nothing is filled.
        var two = new List<TextBox> { Line(35, 32, 279, 20), Line(36, 84, 196, 22) };
        ImageRedactionSession.CompleteBlocks(two, 320, 240);
        Assert.DoesNotContain(Added(two, 2), static a => a.Reason == "block-line");
    }

    [Fact]
    public void CompleteBlocks_ThreeLinesMissing_TwoFoundAsCandidates_TheThirdIsFilled_FromTheMarginNotFromABlobBesideIt()
    {
        // Colour text over Doppler (640x480): institution and study date read; ID and name were candidates read as
        // noise; the age was no candidate at all; the DOB was read together with a blob left of the margin.
        var boxes = new List<TextBox> { Line(194, 134, 336, 20), Line(196, 159, 236, 24), Line(114, 252, 38, 27), Line(195, 252, 169, 27) };
        PixelBox[] unread = [new(196, 187, 330, 16), new(197, 212, 330, 15)];
        ImageRedactionSession.CompleteBlocks(boxes, 640, 480, unread);
        var added = Added(boxes, 4);
        Assert.Equal(2, added.Count(static a => a.Reason == "block-edge"));
        var age = Assert.Single(added, static a => a.Reason == "block-line").Box;
        Assert.True(age.Y <= 238 && age.Bottom >= 251, $"the age row (238-251) is not covered by {age}");
        Assert.True(age.X >= 190, $"the fill starts at the blob ({age.X}), not at the block's margin");
    }

    [Fact]
    public void CompleteBlocks_ALineBelowTheBlockReadFromItsMiddle_IsRedactedFromTheMargin_AndTheLineBetweenIsFilled()
    {
        // Mid-grey text over an echo: date, ID and name read at the margin (191); the age was not read at all; the
        // DOB was read only from its digits on (x = 243), two pitches below the name.
        var boxes = new List<TextBox> { Line(191, 157, 202, 19), Line(190, 182, 243, 19), Line(191, 207, 242, 19), Line(243, 251, 95, 16) };
        ImageRedactionSession.CompleteBlocks(boxes, 636, 434);
        var added = Added(boxes, 4).FindAll(static a => a.Reason == "block-line");
        // The DOB's text lies on rows 260-273: the box read (251-267) sat between the age and the DOB; the pitch puts
        // the line on 257-276.
        Assert.Contains(added, static a => a.Box.X <= 191 && a.Box.Right >= 338 && a.Box.Y <= 251 && a.Box.Bottom >= 273);
        Assert.Contains(added, static a => a.Box.X <= 191 && a.Box.Y <= 228 && a.Box.Bottom >= 251);

        // A line that starts right of the block's longest line is another string: it is not taken for the block's.
        var elsewhere = new List<TextBox> { Line(191, 157, 202, 19), Line(190, 182, 243, 19), Line(191, 207, 242, 19), Line(440, 251, 95, 16) };
        ImageRedactionSession.CompleteBlocks(elsewhere, 636, 434);
        Assert.DoesNotContain(Added(elsewhere, 4), static a => a.Reason == "block-line" && a.Box.Bottom > 240);
    }

    [Fact]
    public void CompleteBlocks_AValueReadFromItsMiddle_DoesNotJoinTheColumnAtASurnamesStart_ItsLineGoesFromTheMargin()
    {
        // Black text running from bright tissue onto a mammogram's dark edge (800x972): four lines read at the margin
        // (x = 1-2; the name line also from its surname on, x = 55); the age and DOB only from their values (x = 46-47),
        // which start where the surname does. Their labels at x = 4 must go too.
        var boxes = new List<TextBox>
        {
            Line(2, 849, 108, 17), Line(118, 849, 157, 17), Line(1, 870, 201, 20), Line(109, 870, 94, 17), Line(1, 891, 100, 17),
            Line(109, 891, 76, 17), Line(55, 912, 100, 17), Line(163, 912, 58, 17), Line(2, 908, 218, 25), Line(46, 933, 41, 17), Line(47, 954, 93, 17),
        };
        ImageRedactionSession.CompleteBlocks(boxes, 800, 972);
        var added = Added(boxes, 11);
        Assert.Contains(added, static a => a.Reason == "block-line" && a.Box.X <= 4 && a.Box.Y <= 936 && a.Box.Bottom >= 950);
        Assert.Contains(added, static a => a.Reason == "block-line" && a.Box.X <= 4 && a.Box.Y <= 957 && a.Box.Bottom >= 968);
    }

    [Fact]
    public void CompleteBlocks_AnUnreadLineAPitchBelow_StartingPastItsLabelsFirstLetters_IsRedactedFromTheMargin()
    {
        // Dark 15-pixel text over a CT head (512x512): five lines confirmed, their boxes padded and grown to 120-136 (the
        // text starts at 136); the DOB line below is a candidate from x = 158 only ("D" lost over bone) and was not read.
        var boxes = new List<TextBox> { Line(120, 330, 378, 32), Line(72, 359, 289, 32), Line(133, 396, 203, 21), Line(132, 425, 294, 34), Line(136, 458, 102, 24) };
        ImageRedactionSession.CompleteBlocks(boxes, 512, 512, [new PixelBox(158, 491, 149, 21)]);
        Assert.Contains(Added(boxes, 5), static a => a.Reason == "block-edge" && a.Box.X <= 136 && a.Box.Y <= 492 && a.Box.Bottom >= 507 && a.Box.Right >= 303);

        // Starting more than two line heights right of the margin, it is something else.
        var far = new List<TextBox> { Line(120, 330, 378, 32), Line(72, 359, 289, 32), Line(133, 396, 203, 21), Line(132, 425, 294, 34), Line(136, 458, 102, 24) };
        ImageRedactionSession.CompleteBlocks(far, 512, 512, [new PixelBox(200, 491, 149, 21)]);
        Assert.DoesNotContain(Added(far, 5), static a => a.Reason == "block-edge");
    }

    [Fact]
    public void CompleteBlocks_TwoPiecesOfOneRow_AreNotAStepOfThePitch_TheMissingLineBetweenIsFilled()
    {
        // 9-pixel white text over ultrasound speckle (320x240), pitch 17: the first two lines read as one 32-pixel box,
        // the name and the DOB at the margin (45), and two pieces of the age row 3 pixels apart (colour and light
        // plane). The step between those pieces is not the pitch: the age line (rows 117-129) is filled.
        var boxes = new List<TextBox>
        {
            Line(45, 62, 232, 32), Line(41, 92, 37, 24), Line(106, 107, 88, 16), Line(45, 97, 170, 15), Line(149, 112, 37, 12),
            Line(220, 114, 21, 13), Line(54, 118, 22, 9), Line(45, 131, 112, 15),
        };
        ImageRedactionSession.CompleteBlocks(boxes, 320, 240);
        Assert.Contains(Added(boxes, 8), static a => a.Reason == "block-line" && a.Box.X <= 48 && a.Box.Right >= 110 && a.Box.Y <= 117 && a.Box.Bottom >= 129);
    }

    [Fact]
    public void CompleteBlocks_APieceOfALineReadAPitchAboveTheBlock_TheLineIsRedactedAcrossTheBlock()
    {
        // A PET frame of 128: given name, ID and date read at the margin; the surname above them lay over bright
        // anatomy, was no candidate line, and OCR read only "il" of it.
        var fragment = Line(36, 64, 12, 8, phi: false);
        var boxes = new List<TextBox> { Line(2, 74, 58, 18), Line(2, 94, 58, 15), Line(3, 111, 79, 15), fragment };
        ImageRedactionSession.CompleteBlocks(boxes, 128, 128);
        var edge = Assert.Single(Added(boxes, 4), static a => a.Reason == "block-edge").Box;
        Assert.True(edge.X <= 2 && edge.Right >= 78 && edge.Y <= 62 && edge.Bottom >= 73, $"the surname's row is not covered by {edge}");

        // Without the piece, nothing is added above the block.
        var without = new List<TextBox> { Line(2, 74, 58, 18), Line(2, 94, 58, 15), Line(3, 111, 79, 15) };
        ImageRedactionSession.CompleteBlocks(without, 128, 128);
        Assert.DoesNotContain(Added(without, 3), static a => a.Box.Y < 70);
    }

    [Fact]
    public void CompleteBlocks_APartFarAlongTheSameRow_IsAnotherString_TheBandStopsAtTheBlock()
    {
        // An ultrasound's left header column (lines at x = 7, pitch 16, one missing) and, on one of its rows, a string
        // of the right header column at x = 262: the band filled between the left lines ends at the left column.
        var boxes = new List<TextBox> { Line(7, 10, 80, 12), Line(7, 26, 60, 12), Line(262, 26, 50, 12), Line(7, 58, 70, 12) };
        ImageRedactionSession.CompleteBlocks(boxes, 320, 240);
        var band = Assert.Single(Added(boxes, 4), static a => a.Reason == "block-line").Box;
        Assert.True(band.Y <= 42 && band.Bottom >= 54 && band.Right <= 90, $"{band}");
    }

    [Fact]
    public void CompleteBlocks_SingleCharactersOfASearchZone_AreNotLines()
    {
        // A search zone's boxes of single characters (7 x 7) stacked every 8 rows, one row without: no block, no band.
        var boxes = new[] { 10, 18, 26, 42 }.Select(static y => new TextBox(new PixelBox(9, y, 7, 7), TextDetectionMethods.Auto, "search-zone:us-top-band", 35)).ToList();
        ImageRedactionSession.CompleteBlocks(boxes, 320, 240);
        Assert.Empty(Added(boxes, 4));

        // The same boxes shaped as lines are lines of a block: the missing row is filled.
        var lines = new[] { 10, 18, 26, 42 }.Select(static y => new TextBox(new PixelBox(9, y, 40, 7), TextDetectionMethods.Auto, "search-zone:us-top-band", 35)).ToList();
        ImageRedactionSession.CompleteBlocks(lines, 320, 240);
        Assert.Contains(Added(lines, 4), static a => a.Reason == "block-line" && a.Box.Y <= 34 && a.Box.Bottom >= 41);
    }
}
