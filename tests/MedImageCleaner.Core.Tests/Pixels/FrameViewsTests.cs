using System.Buffers.Binary;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>The views of a frame: value planes (one value that stands out of the histogram), extreme planes, long lines.</summary>
public sealed class FrameViewsTests
{
    private const int Size = 128;

    /// <summary>16-bit grey: a noisy background spread over 0..4000, and a block of "strokes" drawn at exactly <paramref name="inkValue"/>.</summary>
    private static (DecodedFrame Frame, bool[] Ink) NoisyFrameWithInk(int inkValue, bool drawInk = true)
    {
        var random = new Random(7);
        var data = new byte[Size * Size * 2];
        var ink = new bool[Size * Size];
        for (var i = 0; i < Size * Size; i++)
        {
            var v = random.Next(0, 4001);
            if (v == inkValue)
            {
                v++;
            }

            var x = i % Size;
            var y = i / Size;
            if (drawInk && y is >= 20 and < 30 && x is >= 10 and < 100 && (x % 6 < 2 || (y % 9 == 2 && x % 12 < 8)))
            {
                v = inkValue;
                ink[i] = true;
            }

            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), (ushort)v);
        }

        return (new DecodedFrame(Size, Size, 1, 16, 12, false, "MONOCHROME2", data), ink);
    }

    [Fact]
    public void Create_InkDrawnInOneMidValueOverNoise_GivesAValuePlaneOfExactlyTheInk()
    {
        var (frame, ink) = NoisyFrameWithInk(2187);
        var views = FrameViews.Create(frame);
        try
        {
            var plane = Assert.Single(views, v => v.Kind == FrameViewKind.ValuePlane);
            Assert.True(plane.IsPlane);
            plane.Grey.GetArray(out byte[] pixels);
            for (var i = 0; i < pixels.Length; i++)
            {
                Assert.Equal(ink[i] ? 255 : 0, pixels[i]);
            }
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    [Fact]
    public void Create_NoiseAlone_GivesNoValuePlane()
    {
        var (frame, _) = NoisyFrameWithInk(2187, drawInk: false);
        var views = FrameViews.Create(frame);
        try
        {
            Assert.DoesNotContain(views, v => v.Kind == FrameViewKind.ValuePlane);
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    [Fact]
    public void Create_WithoutPlanes_GivesNoValuePlane()
    {
        var (frame, _) = NoisyFrameWithInk(2187);
        var views = FrameViews.Create(frame, includePlanes: false);
        try
        {
            Assert.DoesNotContain(views, v => v.IsPlane);
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    [Fact]
    public void Create_ColourFrameWithGreyTextOverSpeckle_GivesALuminanceValuePlane()
    {
        var random = new Random(3);
        var data = new byte[Size * Size * 3];
        var inkPixels = 0;
        for (var i = 0; i < Size * Size; i++)
        {
            var x = i % Size;
            var y = i / Size;
            var v = (byte)random.Next(0, 200);
            if (y is >= 40 and < 52 && x is >= 8 and < 110 && x % 5 < 2)
            {
                v = 150;
                inkPixels++;
            }
            else if (v == 150)
            {
                v = 151;
            }

            data[i * 3] = data[(i * 3) + 1] = data[(i * 3) + 2] = v;
        }

        var frame = new DecodedFrame(Size, Size, 3, 8, 8, false, "RGB", data);
        var views = FrameViews.Create(frame);
        try
        {
            var plane = Assert.Single(views, v => v.Kind == FrameViewKind.ValuePlane);
            Assert.Equal(inkPixels, plane.Grey.CountNonZero());
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    [Fact]
    public void Create_ColourFrameWithWhiteTextOverSpeckle_GivesAHighPlaneOfTheText()
    {
        var random = new Random(5);
        var data = new byte[Size * Size * 3];
        var inkPixels = 0;
        for (var i = 0; i < Size * Size; i++)
        {
            var x = i % Size;
            var y = i / Size;
            var v = (byte)random.Next(0, 220);
            if (y is >= 40 and < 52 && x is >= 8 and < 110 && x % 5 < 2)
            {
                v = 255;
                inkPixels++;
            }

            data[i * 3] = data[(i * 3) + 1] = data[(i * 3) + 2] = v;
        }

        var views = FrameViews.Create(new DecodedFrame(Size, Size, 3, 8, 8, false, "RGB", data));
        try
        {
            var plane = Assert.Single(views, v => v.Kind == FrameViewKind.HighPlane);
            Assert.Equal(inkPixels, plane.Grey.CountNonZero());
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    [Fact]
    public void Create_ColourFrameWithNearWhiteTextOverSpeckleAndDoppler_GivesALightPlaneOfTheTextOnly()
    {
        // Anti-aliased white text: its strokes' cores at 200-250 in all three samples, none at 255 (the high plane has
        // nothing of it); grey speckle below 190 and yellow Doppler (255, 230, 0) around it.
        var random = new Random(6);
        var data = new byte[Size * Size * 3];
        var inkPixels = 0;
        for (var i = 0; i < Size * Size; i++)
        {
            var x = i % Size;
            var y = i / Size;
            var grey = (byte)random.Next(0, 190);
            byte r = grey, g = grey, b = grey;
            if (y is >= 60 and < 70 && x is >= 10 and < 60)
            {
                (r, g, b) = ((byte)255, (byte)230, (byte)0);
            }

            if (y is >= 40 and < 52 && x is >= 8 and < 110 && x % 5 < 2)
            {
                r = g = b = (byte)random.Next(200, 251);
                inkPixels++;
            }

            data[i * 3] = r;
            data[(i * 3) + 1] = g;
            data[(i * 3) + 2] = b;
        }

        var views = FrameViews.Create(new DecodedFrame(Size, Size, 3, 8, 8, false, "RGB", data));
        try
        {
            var plane = Assert.Single(views, v => v.Kind == FrameViewKind.LightPlane);
            Assert.True(plane.IsPlane);
            Assert.Equal(inkPixels, plane.Grey.CountNonZero());
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    [Fact]
    public void Create_TextCrossedByABorderLine_PlaneKeepsTheTextWithoutTheLine()
    {
        // Strokes at the largest value, and one-pixel border lines in the same value, one through the middle of the line
        // of text and on across the frame (what a ruler or a sector border does to burned-in text): the lines are gone,
        // where they cross the strokes too.
        AssertHighPlaneIsTheStrokes(
            (x, y) => y is >= 20 and < 30 && x is >= 10 and < 100 && x % 6 < 2,
            (x, y) => y == 25 || x == 120);
    }

    [Fact]
    public void Create_LargeTextStrokes_StayInThePlane()
    {
        // A 60-pixel tall "T" in 6-pixel strokes (a large label): its bar and stem are long runs but thick, not graphics;
        // a 1-pixel line beside it goes.
        AssertHighPlaneIsTheStrokes(
            (x, y) => (y is >= 20 and < 26 && x is >= 20 and < 70) || (x is >= 42 and < 48 && y is >= 20 and < 80),
            (_, y) => y == 100);
    }

    /// <summary>
    /// A 16-bit frame over a smooth background with <paramref name="stroke"/> and <paramref name="line"/> pixels at the
    /// largest value: its high plane holds exactly the stroke pixels that are not line pixels.
    /// </summary>
    private static void AssertHighPlaneIsTheStrokes(Func<int, int, bool> stroke, Func<int, int, bool> line)
    {
        var data = new byte[Size * Size * 2];
        for (var i = 0; i < Size * Size; i++)
        {
            var (x, y) = (i % Size, i / Size);
            var v = stroke(x, y) || line(x, y) ? 4000 : 1000 + (((x * 7) + (y * 13)) % 900);
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), (ushort)v);
        }

        var views = FrameViews.Create(new DecodedFrame(Size, Size, 1, 16, 12, false, "MONOCHROME2", data));
        try
        {
            var plane = Assert.Single(views, v => v.Kind == FrameViewKind.HighPlane);
            plane.Grey.GetArray(out byte[] pixels);
            for (var i = 0; i < pixels.Length; i++)
            {
                var (x, y) = (i % Size, i / Size);
                var expected = stroke(x, y) && !line(x, y) ? 255 : 0;
                Assert.True(expected == pixels[i], $"pixel ({x}, {y})");
            }
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    /// <summary>8-bit grey 100, one black pixel, a faint checker (100/125) and bright 2-pixel strokes (255) well apart.</summary>
    private static DecodedFrame FaintTextureAndBrightStrokes()
    {
        var data = new byte[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                byte v = 100;
                if (x is >= 10 and < 40 && y is >= 60 and < 90 && ((x / 2) + (y / 2)) % 2 == 0)
                {
                    v = 125;
                }
                else if (x is >= 80 and < 110 && y is >= 20 and < 30 && x % 6 < 2)
                {
                    v = 255;
                }

                data[(y * Size) + x] = v;
            }
        }

        data[0] = 0;
        return new DecodedFrame(Size, Size, 1, 8, 8, false, "MONOCHROME2", data);
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(96, false)]
    public void Create_DetailFloor_DecidesWhetherFaintTextureIsStretchedWhileStrokesAlwaysAre(double floor, bool textureStretched)
    {
        var views = FrameViews.Create(FaintTextureAndBrightStrokes(), null, includePlanes: false, floor);
        try
        {
            var detail = Assert.Single(views, v => v.Name == "detail");
            detail.Grey.GetArray(out byte[] pixels);
            var texture = 0;
            var strokes = 0;
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var v = pixels[(y * Size) + x];
                    if (x is >= 10 and < 40 && y is >= 60 and < 90)
                    {
                        texture = Math.Max(texture, v);
                    }
                    else if (x is >= 80 and < 110 && y is >= 20 and < 30)
                    {
                        strokes = Math.Max(strokes, v);
                    }
                }
            }

            // 110 is the level the independent reader binarizes its detail views at.
            Assert.Equal(textureStretched, texture >= 110);
            Assert.True(strokes >= 200, $"strokes at {strokes}");
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }
}
