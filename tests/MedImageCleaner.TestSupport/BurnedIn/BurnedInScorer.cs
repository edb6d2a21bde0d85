using System.Collections.Concurrent;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>
/// Runs the real pipeline (<see cref="BurnedInTextService"/>: destination folder, quarantine, the given options) on
/// generated files and scores each against its ground truth: PHI words the tesseract CLI reads before and after
/// (<see cref="OcrViews"/> of the block's crop with psm 6 and of each line's crop with psm 7), glyph pixels covered, word boxes
/// changed, non-text pixels changed, quarantine, ms per frame. The reading of an output crop whose samples equal the
/// input's is the input's reading, and a flat crop reads nothing (both exact: the CLI is deterministic).
/// </summary>
public sealed class BurnedInScorer
{
    private const int CropMargin = 6;
    private const int NonTextMargin = 4;

    /// <summary>A PHI word with less of its glyph pixels covered than this is counted as partly covered (legible to the eye).</summary>
    public const double LegibleCoverage = 0.8;
    private readonly string _work;
    private readonly ConcurrentDictionary<(string Id, int Frame), IReadOnlyList<string>> _originalReadings = new();

    /// <summary>Creates a scorer working in <paramref name="workDirectory"/> (outputs, quarantine, OCR images go below it).</summary>
    public BurnedInScorer(string workDirectory)
    {
        _work = workDirectory;
        Directory.CreateDirectory(Path.Combine(_work, "ocr"));
        CoreCodecs.EnsureRegistered();
    }

    /// <summary>The PHI words of <paramref name="c"/> the tesseract CLI reads in frame <paramref name="frame"/> of the generated file (cached).</summary>
    public IReadOnlyList<string> ReadableInOriginal(BurnedInCase c, int frame = 0)
    {
        ArgumentNullException.ThrowIfNull(c);
        return _originalReadings.GetOrAdd((c.Id, frame), key => Readable(c, ReadFrames(c.Path)[key.Frame]));
    }

    /// <summary>Runs the pipeline on every case with <paramref name="threads"/> workers and scores them (in case order).</summary>
    public IReadOnlyList<CaseScore> Score(BurnedInCorpus corpus, TextRedactionOptions options, string label, int threads)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var destination = Path.Combine(_work, label, "out");
        var quarantine = Path.Combine(_work, label, "quarantine");
        Directory.CreateDirectory(destination);
        var scores = new CaseScore[corpus.Cases.Count];
        if (corpus.Cases.Count > 0)
        {
            // One untimed warm-up file (as BenchmarkDotNet and the pixels section do): the first file would otherwise
            // carry the JIT of every code path and Tesseract's first use in its ms per frame.
            var warmUp = Path.Combine(_work, label, "warm-up");
            using var first = new BurnedInTextService(options, warmUp, new Quarantine(Path.Combine(warmUp, "quarantine")), RedactionOutputSyntax.Native, force: true);
            first.Process(new BurnedInTextRequest(corpus.Cases[0].Path));
        }

        using (var service = new BurnedInTextService(options, destination, new Quarantine(quarantine), RedactionOutputSyntax.Native, force: true))
        {
            Parallel.For(0, corpus.Cases.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
            {
                var c = corpus.Cases[i];
                var result = service.Process(new BurnedInTextRequest(c.Path));
                scores[i] = Measure(c, result);
            });
        }

        return scores;
    }

    private CaseScore Measure(BurnedInCase c, TextRedactionResult result)
    {
        var before = ReadFrames(c.Path);
        var outputPath = result.Status switch
        {
            TextRedactionStatus.Quarantined => result.QuarantinePath,
            TextRedactionStatus.Failed => null,
            _ => result.FullName,
        };
        var after = outputPath is not null && File.Exists(outputPath) ? ReadFrames(outputPath) : null;
        var phi = c.Words.Where(w => w.IsPhi).Select(w => w.Text).Distinct(StringComparer.Ordinal).ToList();
        var readableBefore = ReadableInOriginal(c);

        // After: every frame of the output; a crop equal to the input's reads as the input's does, a flat one reads nothing.
        var readableAfter = new HashSet<string>(StringComparer.Ordinal);
        var crop = Crop(c);
        for (var f = 0; f < c.Frames; f++)
        {
            if (after is null)
            {
                readableAfter.UnionWith(ReadableInOriginal(c, f));
            }
            else if (SameCrop(before[f], after[f], c, crop))
            {
                readableAfter.UnionWith(ReadableInOriginal(c, f));
            }
            else if (!OcrViews.IsFlat(after[f], c.Columns, c.SamplesPerPixel, crop))
            {
                readableAfter.UnionWith(Readable(c, after[f]));
            }
        }

        long glyph = 0, covered = 0, nonText = 0, nonTextChanged = 0;
        int boxes = 0, boxesChanged = 0;
        var partly = new List<string>();
        var textArea = new bool[c.Rows * c.Columns];
        foreach (var w in c.Words)
        {
            var b = w.Box.Inflate(NonTextMargin, c.Columns, c.Rows);
            for (var y = b.Y; y < b.Bottom; y++)
            {
                Array.Fill(textArea, true, (y * c.Columns) + b.X, b.Width);
            }
        }

        for (var f = 0; f < c.Frames; f++)
        {
            var ink = c.Ink[f];
            for (var i = 0; i < ink.Length; i++)
            {
                var changed = after is not null && Changed(before[f], after[f], i, c.SamplesPerPixel);
                if (ink[i])
                {
                    glyph++;
                    covered += changed || (after is not null && Flat5x5(after[f], i, c)) ? 1 : 0;
                }

                if (!textArea[i])
                {
                    nonText++;
                    nonTextChanged += changed ? 1 : 0;
                }
            }

            foreach (var w in c.Words)
            {
                boxes++;
                boxesChanged += after is not null && AnyChanged(before[f], after[f], w.Box, c) ? 1 : 0;
                if (w.IsPhi && WordCoverage(before[f], after?[f], ink, w.Box, c) < LegibleCoverage)
                {
                    partly.Add(f.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + w.Text);
                }
            }
        }

        return new CaseScore
        {
            Case = c,
            Status = result.Status.ToString(),
            ErrorId = result.ErrorId,
            Frames = result.Frames,
            MsPerFrame = result.Duration.TotalMilliseconds / Math.Max(1, result.Frames == 0 ? c.Frames : result.Frames),
            PhiWords = phi.Count,
            ReadableBefore = readableBefore,
            ReadableAfter = phi.Where(readableAfter.Contains).ToList(),
            GlyphPixels = glyph,
            GlyphCovered = covered,
            Boxes = boxes,
            BoxesChanged = boxesChanged,
            NonTextPixels = nonText,
            NonTextChanged = nonTextChanged,
            PartlyCovered = partly,
        };
    }

    /// <summary>The PHI words of <paramref name="c"/> found in what the CLI reads in the views of the block's crop of one frame.</summary>
    private List<string> Readable(BurnedInCase c, int[] samples)
    {
        // The block's crop (psm 6) at x3 and x1, then every line's crop at x3 (psm 7): two CLI processes, all views as pages.
        var crop = Crop(c);
        var ocr = Path.Combine(_work, "ocr");
        var block = OcrViews.Of(samples, c.Rows, c.Columns, c.SamplesPerPixel, crop).Concat(OcrViews.Of(samples, c.Rows, c.Columns, c.SamplesPerPixel, crop, scale: 1)).ToList();
        var lines = c.Lines.SelectMany(l => OcrViews.Of(samples, c.Rows, c.Columns, c.SamplesPerPixel, l.Box.Inflate(4, c.Columns, c.Rows))).ToList();
        var text = TesseractCli.Read(block, 6, ocr) + "\n" + TesseractCli.Read(lines, 7, ocr);
        return c.Words.Where(w => w.IsPhi && TextMatch.Contains(text, w.Text)).Select(w => w.Text).Distinct(StringComparer.Ordinal).ToList();
    }

    private static TruthBox Crop(BurnedInCase c)
    {
        var x0 = c.Lines.Min(l => l.Box.X);
        var y0 = c.Lines.Min(l => l.Box.Y);
        var box = new TruthBox(x0, y0, c.Lines.Max(l => l.Box.Right) - x0, c.Lines.Max(l => l.Box.Bottom) - y0);
        return box.Inflate(CropMargin, c.Columns, c.Rows);
    }

    /// <summary>The stored samples of every frame of a file, decoded with our codecs.</summary>
    public static IReadOnlyList<int[]> ReadFrames(string path)
    {
        using var file = DicomFile.Open(path);
        if (!PixelData.TryCreate(file.Dataset, out var pixels))
        {
            throw new InvalidDataException($"'{path}' has no pixel data.");
        }

        var frames = new List<int[]>();
        for (var i = 0; i < pixels.AvailableFrames; i++)
        {
            frames.Add(BaseImageCatalog.Samples(PixelCodecs.Decode(pixels, file.TransferSyntax, i)));
        }

        return frames;
    }

    private static bool Changed(int[] a, int[] b, int pixel, int spp)
    {
        for (var s = 0; s < spp; s++)
        {
            if (a[(pixel * spp) + s] != b[(pixel * spp) + s])
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyChanged(int[] a, int[] b, TruthBox box, BurnedInCase c)
    {
        for (var y = box.Y; y < box.Bottom; y++)
        {
            for (var x = box.X; x < box.Right; x++)
            {
                if (Changed(a, b, (y * c.Columns) + x, c.SamplesPerPixel))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The fraction of a word's glyph pixels changed in the output, or lying in a flat 5x5 patch of it (1 when it has none).</summary>
    private static double WordCoverage(int[] before, int[]? after, bool[] ink, TruthBox box, BurnedInCase c)
    {
        int glyph = 0, covered = 0;
        for (var y = box.Y; y < box.Bottom; y++)
        {
            for (var x = box.X; x < box.Right; x++)
            {
                var i = (y * c.Columns) + x;
                if (!ink[i])
                {
                    continue;
                }

                glyph++;
                covered += after is not null && (Changed(before, after, i, c.SamplesPerPixel) || Flat5x5(after, i, c)) ? 1 : 0;
            }
        }

        return glyph == 0 ? 1 : covered / (double)glyph;
    }

    private static bool SameCrop(int[] a, int[] b, BurnedInCase c, TruthBox box) => !AnyChanged(a, b, box, c);

    /// <summary>True when the 5x5 patch around the pixel is inside the frame and every sample in it equals the pixel's.</summary>
    private static bool Flat5x5(int[] samples, int pixel, BurnedInCase c)
    {
        var spp = c.SamplesPerPixel;
        var px = pixel % c.Columns;
        var py = pixel / c.Columns;
        if (px < 2 || py < 2 || px >= c.Columns - 2 || py >= c.Rows - 2)
        {
            return false;
        }

        for (var y = py - 2; y <= py + 2; y++)
        {
            for (var x = px - 2; x <= px + 2; x++)
            {
                for (var s = 0; s < spp; s++)
                {
                    if (samples[(((y * c.Columns) + x) * spp) + s] != samples[(pixel * spp) + s])
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }
}
