using System.Diagnostics;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Pixels.Rules;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// The region cache of one session: candidate regions already read (and their view pixels), so identical regions of
/// later frames (a static cine overlay) are not OCR'd again.
/// </summary>
public sealed partial class ImageRedactionSession
{
    private const int CacheLimit = 512;

    /// <summary>OCR of the candidates in <paramref name="indexes"/>, reusing the words of identical regions seen before.</summary>
    private List<OcrWord>[] ReadCandidates(OpenCvSharp.Mat view, double scale, List<TextCandidate> candidates, List<int> indexes, TesseractOcr ocr, bool polarityKnown, out int reused)
    {
        var result = new List<OcrWord>[indexes.Count];
        var crops = new byte[indexes.Count][];
        var pending = new List<int>();
        var pendingBoxes = new List<PixelBox>();
        reused = 0;
        for (var k = 0; k < indexes.Count; k++)
        {
            var box = candidates[indexes[k]].Box;
            crops[k] = Crop(view, ToView(box, scale, view));
            if (Lookup(_detected, box, crops[k]) is { } hit)
            {
                result[k] = hit.Words;
                reused++;
            }
            else
            {
                pending.Add(k);
                pendingBoxes.Add(box);
            }
        }

        if (pending.Count > 0)
        {
            var viewBoxes = pendingBoxes.ConvertAll(b => ToView(b, scale, view));
            var words = CandidateOcr.Read(view, viewBoxes, ocr, retryInverted: false, polarityKnown: polarityKnown);
            for (var p = 0; p < pending.Count; p++)
            {
                var k = pending[p];
                // The cache holds frame coordinates, as returned: a later frame reusing the entry gets the same boxes.
                result[k] = ToFrame(words[p], scale, pendingBoxes[p]);
                Remember(_detected, new CachedRegion(pendingBoxes[p], crops[k], result[k]));
            }
        }

        return result;
    }

    private static unsafe byte[] Crop(OpenCvSharp.Mat grey, PixelBox box)
    {
        var result = new byte[box.Width * box.Height];
        var step = (int)grey.Step();
        var data = new ReadOnlySpan<byte>((void*)grey.Data, step * grey.Rows);
        for (var y = 0; y < box.Height; y++)
        {
            data.Slice(((box.Y + y) * step) + box.X, box.Width).CopyTo(result.AsSpan(y * box.Width));
        }

        return result;
    }

    private static CachedRegion? Lookup(List<CachedRegion> cache, PixelBox box, byte[] crop)
    {
        foreach (var c in cache)
        {
            if (c.Box == box && MeanDifference(c.Crop, crop) <= SameRegionMeanDifference)
            {
                return c;
            }
        }

        return null;
    }

    private static void Remember(List<CachedRegion> cache, CachedRegion entry)
    {
        if (cache.Count >= CacheLimit)
        {
            cache.RemoveAt(0);
        }

        cache.Add(entry);
    }

    private static double MeanDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return a.Length == 0 ? 0 : sum / (double)a.Length;
    }

    /// <summary>A region read before: its frame box, its view pixels and its words in frame coordinates.</summary>
    private sealed record CachedRegion(PixelBox Box, byte[] Crop, List<OcrWord> Words);
}
