using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Dicom.Codecs;
using OpenCvSharp;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>The pixel representations the synthetic fixtures are encoded in.</summary>
public enum SyntheticRepresentation
{
    Grey8,
    Grey16,
    Grey16SignedRescaled,
    Monochrome1,
    Rgb,
}

/// <summary>One string drawn into a fixture: where its ink is (the ground truth).</summary>
public sealed record DrawnText(string Text, PixelBox Ink, bool DarkOnLight);

/// <summary>
/// Frames with text rendered by OpenCV (Hershey fonts, several sizes, both polarities) at known places over a
/// synthetic "anatomy" (blurred noise in an ellipse), encoded in several representations. The ground truth of each
/// string is the bounding box of its ink, measured from its own mask.
/// </summary>
public static class SyntheticTextFixture
{
    private static readonly (string Text, HersheyFonts Font, double Scale, int Thickness)[] Strings =
    [
        ("DOE, JANE Q", HersheyFonts.HersheySimplex, 0.7, 1),
        ("MRN 84736251", HersheyFonts.HersheyDuplex, 0.6, 1),
        ("2024-03-05 14:22:07", HersheyFonts.HersheySimplex, 0.5, 1),
        ("ST MARY HOSPITAL", HersheyFonts.HersheyComplex, 0.8, 1),
        ("DOB 11/23/1961", HersheyFonts.HersheyTriplex, 0.9, 2),
        ("Acc 55512", HersheyFonts.HersheyPlain, 1.4, 1),
    ];

    /// <summary>The display image (8-bit, bright = bright) and the text drawn into it.</summary>
    public static (byte[] Display, byte[] TextAlpha, List<DrawnText> Truth) Render(int cols, int rows, int seed, int anatomyShift = 0)
    {
        NativeLoadOrder.Ensure();
        var rng = new Random(seed);
        // The noise comes from the seeded Random, not OpenCV's process-wide RNG (Cv2.Randu): the fixture must not
        // depend on what else ran in the process.
        var noiseBytes = new byte[rows * cols];
        rng.NextBytes(noiseBytes);
        using var noise = new Mat(rows, cols, MatType.CV_8UC1);
        Marshal.Copy(noiseBytes, 0, noise.Data, noiseBytes.Length);
        Cv2.GaussianBlur(noise, noise, new Size(0, 0), 3);
        Cv2.Normalize(noise, noise, 30, 170, NormTypes.MinMax);
        using var anatomy = new Mat(rows, cols, MatType.CV_8UC1, Scalar.All(0));
        using var ellipse = new Mat(rows, cols, MatType.CV_8UC1, Scalar.All(0));
        Cv2.Ellipse(ellipse, new Point((cols / 2) + anatomyShift, rows / 2), new Size(cols / 3, rows / 4), 0, 0, 360, Scalar.All(255), -1);
        noise.CopyTo(anatomy, ellipse);

        // A light band at the bottom for dark-on-light text.
        var bandTop = rows - (rows / 8);
        Cv2.Rectangle(anatomy, new Rect(0, bandTop, cols, rows - bandTop), Scalar.All(215), -1);

        using var alpha = new Mat(rows, cols, MatType.CV_8UC1, Scalar.All(0));
        var truth = new List<DrawnText>();
        var slots = new List<(Point Org, bool Dark)>
        {
            (new Point(8, 28), false),
            (new Point(cols / 2 + 20, 28), false),
            (new Point(8, 64), false),
            (new Point(cols / 2 + 20, 70), false),
            (new Point(12, rows - 20), true),
            (new Point(cols / 2 + 30, rows - 22), true),
        };
        for (var i = 0; i < Strings.Length; i++)
        {
            var (text, font, scale, thickness) = Strings[i];
            var s = scale * (0.85 + (rng.NextDouble() * 0.3)) * Math.Min(1.0, cols / 640.0);
            using var mask = new Mat(rows, cols, MatType.CV_8UC1, Scalar.All(0));
            Cv2.PutText(mask, text, slots[i].Org, font, s, Scalar.All(255), thickness, LineTypes.AntiAlias);
            using var points = new Mat();
            Cv2.FindNonZero(mask, points);
            var r = Cv2.BoundingRect(points);
            truth.Add(new DrawnText(text, new PixelBox(r.X, r.Y, r.Width, r.Height), slots[i].Dark));
            Cv2.Max(alpha, mask, alpha);
        }

        anatomy.GetArray(out byte[] display);
        alpha.GetArray(out byte[] a);
        var dark = new bool[rows * cols];
        foreach (var t in truth)
        {
            if (t.DarkOnLight)
            {
                var b = t.Ink.Inflate(3, 3).ClipTo(cols, rows);
                for (var y = b.Y; y < b.Bottom; y++)
                {
                    Array.Fill(dark, true, (y * cols) + b.X, b.Width);
                }
            }
        }

        for (var i = 0; i < display.Length; i++)
        {
            var target = dark[i] ? 20 : 250;
            display[i] = (byte)(((display[i] * (255 - a[i])) + (target * a[i]) + 127) / 255);
        }

        return (display, a, truth);
    }

    /// <summary>The display image encoded as a decoded frame of <paramref name="representation"/>.</summary>
    public static DecodedFrame Encode(byte[] display, byte[] alpha, int cols, int rows, SyntheticRepresentation representation)
    {
        var n = cols * rows;
        switch (representation)
        {
            case SyntheticRepresentation.Grey8:
                return new DecodedFrame(rows, cols, 1, 8, 8, false, "MONOCHROME2", (byte[])display.Clone());
            case SyntheticRepresentation.Grey16:
            {
                var data = new byte[n * 2];
                for (var i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), (ushort)(display[i] * 16));
                }

                return new DecodedFrame(rows, cols, 1, 16, 12, false, "MONOCHROME2", data);
            }

            case SyntheticRepresentation.Grey16SignedRescaled:
            {
                var data = new byte[n * 2];
                for (var i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), (short)((display[i] * 12) - 1024));
                }

                return new DecodedFrame(rows, cols, 1, 16, 16, true, "MONOCHROME2", data);
            }

            case SyntheticRepresentation.Monochrome1:
            {
                var data = new byte[n * 2];
                for (var i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), (ushort)((255 - display[i]) * 4));
                }

                return new DecodedFrame(rows, cols, 1, 16, 10, false, "MONOCHROME1", data);
            }

            default:
            {
                // Grey anatomy, yellow text (R and G follow the text, B does not), dark text stays dark.
                var data = new byte[n * 3];
                for (var i = 0; i < n; i++)
                {
                    var d = display[i];
                    var background = (byte)(((d * 255) - (250 * alpha[i])) / Math.Max(1, 255 - alpha[i]));
                    var blue = alpha[i] > 0 && d > 128 ? (byte)((background * (255 - alpha[i]) + (40 * alpha[i])) / 255) : d;
                    data[(i * 3) + 0] = d;
                    data[(i * 3) + 1] = d;
                    data[(i * 3) + 2] = blue;
                }

                return new DecodedFrame(rows, cols, 3, 8, 8, false, "RGB", data);
            }
        }
    }

    /// <summary>Covered fraction of the ground-truth boxes, and the altered fraction of the rest of the frame.</summary>
    public static (double Coverage, double NonTextAltered) Measure(DecodedFrame before, DecodedFrame after, IReadOnlyList<TextBox> boxes, List<DrawnText> truth)
    {
        var cols = before.Columns;
        var rows = before.Rows;
        var redacted = PixelTestSupport.Mask(cols, rows, boxes.Select(b => b.Box));
        var text = PixelTestSupport.Mask(cols, rows, truth.Select(t => t.Ink));
        var textNear = PixelTestSupport.Mask(cols, rows, truth.Select(t => t.Ink.Inflate(2, 2)));
        var changed = PixelTestSupport.Changed(before, after);
        long inText = 0, covered = 0, nonText = 0, nonTextChanged = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i])
            {
                inText++;
                covered += redacted[i] ? 1 : 0;
            }

            if (!textNear[i])
            {
                nonText++;
                nonTextChanged += changed[i] ? 1 : 0;
            }
        }

        return (covered / (double)inText, nonTextChanged / (double)nonText);
    }

    /// <summary>Bytes of an interleaved frame copied into a CV Mat (tests only).</summary>
    public static void CopyTo(byte[] data, Mat mat) => Marshal.Copy(data, 0, mat.Data, data.Length);
}
