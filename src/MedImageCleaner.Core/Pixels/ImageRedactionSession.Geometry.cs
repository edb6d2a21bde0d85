using System.Diagnostics;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Pixels.Rules;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Pixels;

/// <summary>Frame and view coordinates of one session: the detection scale, boxes between views, zones and padding.</summary>
public sealed partial class ImageRedactionSession
{
    /// <summary>Small frames are examined enlarged (text a few pixels high merges with its neighbours otherwise).</summary>
    private static double DetectionScale(int cols, int rows)
    {
        var s = Math.Clamp(960.0 / Math.Max(cols, rows), 1.0, 4.0);
        return s < 1.25 ? 1.0 : s;
    }

    private static OpenCvSharp.Mat Upscale(OpenCvSharp.Mat grey, double scale)
    {
        var view = new OpenCvSharp.Mat();
        if (scale == 1.0)
        {
            grey.CopyTo(view);
        }
        else
        {
            OpenCvSharp.Cv2.Resize(grey, view, new OpenCvSharp.Size((int)Math.Round(grey.Cols * scale), (int)Math.Round(grey.Rows * scale)), 0, 0, OpenCvSharp.InterpolationFlags.Cubic);
        }

        return view;
    }

    private static List<TextCandidate> ToFrame(IReadOnlyList<TextCandidate> candidates, double scale, int cols, int rows)
    {
        var list = new List<TextCandidate>(candidates.Count);
        foreach (var c in candidates)
        {
            var box = scale == 1.0 ? c.Box : c.Box.Scale(1 / scale).ClipTo(cols, rows);
            if (!box.IsEmpty)
            {
                list.Add(c with { Box = box, MedianHeight = c.MedianHeight / scale });
            }
        }

        return list;
    }

    private static List<OcrWord> ToFrame(List<OcrWord> words, double scale, PixelBox clip)
    {
        if (scale == 1.0)
        {
            return words;
        }

        var list = new List<OcrWord>(words.Count);
        foreach (var w in words)
        {
            var box = w.Box.Scale(1 / scale).Intersect(clip.Inflate(Math.Max(2, clip.Height / 3), Math.Max(2, clip.Height / 3)));
            if (!box.IsEmpty)
            {
                list.Add(w with { Box = box });
            }
        }

        return list;
    }

    private static PixelBox ToView(PixelBox box, double scale, OpenCvSharp.Mat view) =>
        scale == 1.0 ? box : box.Scale(scale).ClipTo(view.Cols, view.Rows);

    private static bool IsLoneBlob(TextCandidate c) => c.Components < 2 && c.Box.Width < 1.5 * c.Box.Height;

    /// <summary>
    /// True when a candidate of a texture-prone view (detail, planes) cannot be a line that view confirms: there a
    /// line needs a word of four or more characters (or two of three), which a box narrower than
    /// <paramref name="aspect"/> line heights (<see cref="MinimumTextureAspect"/>) cannot hold. Such boxes are most of what anatomy gives those
    /// views to read; every line confirmed there on the benchmark is 2.6 heights wide or more. (A box much taller than
    /// its characters is still read: a line merged with the blobs around it is confirmed by its words and cut back to
    /// them.)
    /// </summary>
    private static bool CannotHoldAWord(TextCandidate c, double aspect) => c.Box.Width < aspect * c.Box.Height;

    private static string? ZoneOf(List<(PixelBox Box, string Reason)> zones, PixelBox box)
    {
        foreach (var z in zones)
        {
            if (z.Box.Intersect(box).Area * 2 >= box.Area)
            {
                return z.Reason;
            }
        }

        return null;
    }

    /// <summary>The complement of the data regions within the frame, as rectangles (grid of the region edges).</summary>
    internal static List<PixelBox> OutsideRegions(IReadOnlyList<PixelBox> regions, int cols, int rows)
    {
        var xs = new SortedSet<int> { 0, cols };
        var ys = new SortedSet<int> { 0, rows };
        foreach (var r in regions)
        {
            var c = r.ClipTo(cols, rows);
            if (c.IsEmpty)
            {
                continue;
            }

            xs.Add(c.X);
            xs.Add(c.Right);
            ys.Add(c.Y);
            ys.Add(c.Bottom);
        }

        var xa = xs.ToArray();
        var ya = ys.ToArray();
        var result = new List<PixelBox>();
        for (var yi = 0; yi + 1 < ya.Length; yi++)
        {
            var runStart = -1;
            for (var xi = 0; xi + 1 <= xa.Length - 1; xi++)
            {
                var cell = PixelBox.FromEdges(xa[xi], ya[yi], xa[xi + 1], ya[yi + 1]);
                var covered = false;
                foreach (var r in regions)
                {
                    if (r.Contains(cell))
                    {
                        covered = true;
                        break;
                    }
                }

                if (!covered && runStart < 0)
                {
                    runStart = xa[xi];
                }
                else if (covered && runStart >= 0)
                {
                    result.Add(PixelBox.FromEdges(runStart, ya[yi], xa[xi], ya[yi + 1]));
                    runStart = -1;
                }
            }

            if (runStart >= 0)
            {
                result.Add(PixelBox.FromEdges(runStart, ya[yi], xa[^1], ya[yi + 1]));
            }
        }

        return result;
    }

    /// <summary>A detected box with -Padding pixels on every side, clipped to the frame.</summary>
    private PixelBox Pad(PixelBox box, int cols, int rows) => box.Inflate(Options.Padding, Options.Padding).ClipTo(cols, rows);

    /// <summary>A word box grown to the candidate line's rows (Tesseract's word boxes can be shorter than the glyphs).</summary>
    private static PixelBox GrowToCandidateHeight(PixelBox word, PixelBox line) =>
        PixelBox.FromEdges(word.X, Math.Min(word.Y, line.Y), word.Right, Math.Max(word.Bottom, line.Bottom));
}
