using System.Buffers.Binary;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// The independent reader reads a plane only when it holds a row of character-sized shapes: a value plane that CT noise
/// fills with specks (a dozen of them character-sized, scattered) cost a full-frame read of nothing.
/// </summary>
public sealed class ReaderPlaneTests
{
    private const int Size = 256;
    private const int InkValue = 2187;

    [Fact]
    public void HasRowOfThree_ThreeLettersSideBySide_IsARow()
    {
        PixelBox[] shapes = [new(10, 20, 7, 10), new(19, 21, 6, 9), new(27, 20, 7, 10)];
        Assert.True(IndependentTextReader.HasRowOfThree(shapes));
    }

    [Fact]
    public void HasRowOfThree_WordsApartOnOneLine_IsARow()
    {
        // Two heights of gap: the space between words of a line.
        PixelBox[] shapes = [new(10, 20, 8, 10), new(38, 20, 8, 10), new(66, 20, 8, 10)];
        Assert.True(IndependentTextReader.HasRowOfThree(shapes));
    }

    [Theory]
    [InlineData(0)] // scattered over the frame
    [InlineData(1)] // one column (stacked, not side by side)
    [InlineData(2)] // one row, but more than two heights apart
    [InlineData(3)] // side by side, but of very different heights
    public void HasRowOfThree_ShapesNotInARow_IsNot(int layout)
    {
        PixelBox[] shapes = layout switch
        {
            0 => [new(10, 20, 7, 10), new(120, 90, 7, 10), new(40, 200, 7, 10), new(200, 30, 6, 9), new(230, 160, 6, 8)],
            1 => [new(10, 20, 7, 10), new(10, 34, 7, 10), new(10, 48, 7, 10)],
            2 => [new(10, 20, 7, 10), new(40, 20, 7, 10), new(70, 20, 7, 10)],
            _ => [new(10, 20, 7, 5), new(19, 15, 7, 14), new(28, 20, 7, 5)],
        };
        Assert.False(IndependentTextReader.HasRowOfThree(shapes));
    }

    [Fact]
    public void HasRowOfThree_FewerThanThree_IsNot()
    {
        Assert.False(IndependentTextReader.HasRowOfThree([new(10, 20, 7, 10), new(19, 20, 7, 10)]));
    }

    [RequiresTheory(Requirements.Ocr)]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_ValuePlane_IsReadOnlyWhenItHoldsARowOfShapes(bool row)
    {
        // Noise over the whole 12-bit range, and twelve 6x9 blocks in one mid value: side by side in a row (a word's
        // letters), or scattered over the frame (what CT noise leaves in a value plane after redaction).
        var random = new Random(11);
        var data = new byte[Size * Size * 2];
        for (var i = 0; i < Size * Size; i++)
        {
            var v = random.Next(0, 4001);
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), (ushort)(v == InkValue ? v + 1 : v));
        }

        for (var k = 0; k < 12; k++)
        {
            var (x0, y0) = row ? (20 + (k * 9), 100) : (10 + (k % 4 * 60), 20 + (k / 4 * 80) + (k % 4 * 13));
            for (var y = y0; y < y0 + 9; y++)
            {
                for (var x = x0; x < x0 + 6; x++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(((y * Size) + x) * 2), InkValue);
                }
            }
        }

        var frame = new DecodedFrame(Size, Size, 1, 16, 12, false, "MONOCHROME2", data);
        using var reader = new IndependentTextReader();
        reader.Read(frame, ImageAttributes.None, new PhiContext());
        Assert.Equal(row, reader.LastViews.Contains("value-plane1"));
    }
}
