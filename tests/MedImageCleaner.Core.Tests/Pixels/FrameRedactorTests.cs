using System.Buffers.Binary;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Pixels.Rules;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Tests.Pixels;

public sealed class FrameRedactorTests
{
    [Fact]
    public void Fill_Signed16_UsesFrameMinimumClipsAndCountsUnion()
    {
        var data = new byte[4 * 4 * 2];
        for (var i = 0; i < 16; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), (short)(i * 100 - 700));
        }

        var frame = new DecodedFrame(4, 4, 1, 16, 16, true, "MONOCHROME2", data);
        var altered = FrameRedactor.Fill(frame, [new PixelBox(2, 2, 5, 5), new PixelBox(3, 3, 1, 1), new PixelBox(-3, 0, 4, 1)]);
        Assert.Equal(4 + 1, altered);
        Assert.Equal(-700, BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(((3 * 4) + 3) * 2)));
        Assert.Equal(-700, BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(0)));
        Assert.Equal(-600, BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(2)));
    }

    [Fact]
    public void Fill_Monochrome1_UsesMaximumAndRgbBlack()
    {
        var grey = new byte[] { 1, 9, 3, 4 };
        var mono1 = new DecodedFrame(2, 2, 1, 8, 8, false, "MONOCHROME1", grey);
        FrameRedactor.Fill(mono1, [new PixelBox(0, 0, 1, 1)]);
        Assert.Equal(9, grey[0]);

        var rgb = new byte[] { 10, 20, 30, 40, 50, 60 };
        var colour = new DecodedFrame(1, 2, 3, 8, 8, false, "RGB", rgb);
        Assert.Equal(1, FrameRedactor.Fill(colour, [new PixelBox(1, 0, 1, 1)]));
        Assert.Equal(new byte[] { 10, 20, 30, 0, 0, 0 }, rgb);
    }

    [Fact]
    public void Rules_BuiltIn_MatchSiemensUltrasoundAndOutsideRegions()
    {
        var rules = BurnedInTextRules.Default;
        var attributes = new ImageAttributes { Modality = "US", Manufacturer = "SIEMENS", ManufacturerModelName = "S2000" };
        var matched = rules.Match(attributes, 1024, 768).Select(r => r.Id).ToList();
        Assert.Contains("siemens-s2000-header", matched);
        Assert.DoesNotContain("ge-logiq-header", matched);
        Assert.Empty(rules.Match(attributes with { Modality = "CT" }, 1024, 768));

        var outside = ImageRedactionSession.OutsideRegions([PixelBox.FromEdges(0, 60, 1009, 765)], 1024, 768);
        Assert.Equal((1024L * 768) - (1009L * 705), outside.Sum(b => b.Area));
    }

    [Fact]
    public void Rules_Load_RejectsBadAction()
    {
        using var json = new MemoryStream("""{"version":1,"rules":[{"id":"x","action":"blur","boxes":[[0,0,1,1]]}]}"""u8.ToArray());
        Assert.Throws<FormatException>(() => BurnedInTextRules.Load(json));
    }
}
