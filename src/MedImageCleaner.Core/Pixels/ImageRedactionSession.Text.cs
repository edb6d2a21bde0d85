using System.Diagnostics;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Pixels.Rules;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Pixels;

/// <summary>The words of one session: full-frame OCR, OCR words joined into runs and lines, and word tests.</summary>
public sealed partial class ImageRedactionSession
{
    /// <summary>
    /// Tesseract over the whole frame (enlarged when small), both polarities; in All mode the confident words, joined
    /// per line, in PhiOnly the PHI runs. <paramref name="method"/> and <paramref name="reason"/> label the boxes.
    /// </summary>
    private void FullFrameOcr(OpenCvSharp.Mat grey, TesseractOcr ocr, List<TextBox> boxes, TextDetectionMethods method, string reason, string viewName)
    {
        var first = boxes.Count;
        FullFrameOcrCore(grey, ocr, boxes, method, reason);
        for (var i = first; i < boxes.Count; i++)
        {
            boxes[i] = boxes[i] with { View = viewName };
        }
    }

    private void FullFrameOcrCore(OpenCvSharp.Mat grey, TesseractOcr ocr, List<TextBox> boxes, TextDetectionMethods method, string reason)
    {
        var cols = grey.Cols;
        var rows = grey.Rows;
        var scale = Math.Clamp(1000.0 / Math.Max(cols, rows), 1.0, 4.0);
        using var view = new OpenCvSharp.Mat();
        if (scale > 1.01)
        {
            OpenCvSharp.Cv2.Resize(grey, view, new OpenCvSharp.Size((int)Math.Round(cols * scale), (int)Math.Round(rows * scale)), 0, 0, OpenCvSharp.InterpolationFlags.Cubic);
        }
        else
        {
            scale = 1;
            grey.CopyTo(view);
        }

        var words = new List<OcrWord>();
        for (var polarity = 0; polarity < 2; polarity++)
        {
            if (polarity == 1)
            {
                OpenCvSharp.Cv2.BitwiseNot(view, view);
            }

            foreach (var w in RecognizeMat(ocr, view))
            {
                var box = PixelBox.FromEdges(
                    (int)Math.Floor(w.Box.X / scale), (int)Math.Floor(w.Box.Y / scale),
                    (int)Math.Ceiling(w.Box.Right / scale), (int)Math.Ceiling(w.Box.Bottom / scale)).ClipTo(cols, rows);
                if (!box.IsEmpty && box.Area < (long)cols * rows / 4)
                {
                    words.Add(w with { Box = box });
                }
            }
        }

        if (Options.Mode == TextRedactionMode.All)
        {
            var confirmed = new List<OcrWord>();
            foreach (var w in words)
            {
                if (w.Confidence >= Options.Confidence && HasAlphanumeric(w.Text))
                {
                    confirmed.Add(w);
                }
            }

            foreach (var run in LineRuns(confirmed))
            {
                boxes.Add(new TextBox(Pad(run.Box, cols, rows), method, reason, run.Confidence) { Text = run.Text });
            }

            // Words that read as PHI count at any confidence (an ID misread with letters for digits scores low).
            foreach (var run in PhiRuns(words))
            {
                boxes.Add(new TextBox(Pad(run.Box, cols, rows), method, reason, run.Confidence) { Text = run.Text });
            }

            return;
        }

        foreach (var run in PhiRuns(words))
        {
            boxes.Add(new TextBox(Pad(run.Box, cols, rows), method, "phi:" + run.Kind, run.Confidence) { Text = run.Text });
        }
    }

    /// <summary>
    /// Words of a line joined into one box while the gap to the next word is at most 1.5 line heights (the space
    /// between the words of a string goes with them; separate strings on the same row stay separate).
    /// </summary>
    private List<PhiRun> LineRuns(IEnumerable<OcrWord> words)
    {
        var runs = new List<PhiRun>();
        foreach (var line in PhiTextClassifier.Lines(words))
        {
            PhiRun? open = null;
            foreach (var w in line)
            {
                open = Join(runs, open, w, PhiKind.Other, 1.5);
            }
        }

        return runs;
    }

    /// <summary>
    /// The PHI words of <paramref name="words"/>, consecutive PHI words of a line joined into one box (a name's
    /// "DOE, JANE" is one string: the space between its words goes too) when they are at most two line heights apart.
    /// </summary>
    private List<PhiRun> PhiRuns(IEnumerable<OcrWord> words)
    {
        var runs = new List<PhiRun>();
        foreach (var line in PhiTextClassifier.Lines(words))
        {
            var kinds = _engine.Classifier.Classify(line, _phi);
            PhiRun? open = null;
            for (var i = 0; i < line.Count; i++)
            {
                if (kinds[i] is not { } kind)
                {
                    open = null;
                    continue;
                }

                open = Join(runs, open, line[i], kind, 2);
            }
        }

        return runs;
    }

    /// <summary>
    /// Adds <paramref name="w"/> to the open run (the last of <paramref name="runs"/>) when the gap to it is at most
    /// <paramref name="maxGapHeights"/> line heights, else starts a new run; returns the run it went to.
    /// </summary>
    private PhiRun Join(List<PhiRun> runs, PhiRun? open, OcrWord w, PhiKind kind, double maxGapHeights)
    {
        var text = Options.IncludeText ? w.Text : null;
        if (open is { } o && w.Box.X - o.Box.Right <= maxGapHeights * Math.Max(o.Box.Height, w.Box.Height))
        {
            var joined = o with
            {
                Box = o.Box.Union(w.Box),
                Confidence = Math.Min(o.Confidence, w.Confidence),
                Text = text is null ? null : o.Text + " " + text,
            };
            runs[^1] = joined;
            return joined;
        }

        var run = new PhiRun(w.Box, kind, w.Confidence, text);
        runs.Add(run);
        return run;
    }

    private static RecognizedWords RecognizeMat(TesseractOcr ocr, OpenCvSharp.Mat view)
    {
        unsafe
        {
            var step = (int)view.Step();
            var span = new ReadOnlySpan<byte>((void*)view.Data, step * view.Rows);
            return new RecognizedWords(ocr.Recognize(span, view.Cols, view.Rows, step, PageSegmentation.SparseText));
        }
    }

    private string? TextOf(List<OcrWord> words)
    {
        if (!Options.IncludeText || words.Count == 0)
        {
            return null;
        }

        return string.Join(' ', words.Select(w => w.Text));
    }

    /// <summary>Word confidence needed to confirm a candidate of a texture-prone view (detail, planes).</summary>
    private const double StrictConfidence = 75;

    /// <summary>Below this confidence, a word of a texture-prone view is not looked at at all.</summary>
    private const double StrictPhiConfidence = 50;

    /// <summary>At least two thirds letters and digits: Tesseract's readings of texture are full of | { } ~ and dashes.</summary>
    private static bool LooksLikeWord(string text)
    {
        var visible = 0;
        foreach (var ch in text)
        {
            visible += char.IsWhiteSpace(ch) ? 0 : 1;
        }

        return visible > 0 && CountAlphanumeric(text) * 3 >= visible * 2;
    }

    private static int CountAlphanumeric(string text)
    {
        var n = 0;
        foreach (var ch in text)
        {
            n += char.IsLetterOrDigit(ch) ? 1 : 0;
        }

        return n;
    }

    private static bool HasAlphanumeric(string text)
    {
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record PhiRun(PixelBox Box, PhiKind Kind, double Confidence, string? Text);

    private readonly record struct RecognizedWords(IReadOnlyList<OcrWord> Words)
    {
        public IEnumerator<OcrWord> GetEnumerator() => Words.GetEnumerator();
    }
}
