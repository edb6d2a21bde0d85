using System.Diagnostics;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Fixtures;
using OpenCvSharp;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// Issue 4, acceptance 4: burned-in text, ms per 1024x768 frame for Auto (with and without verification) and Ocr (full
/// frame), on a synthetic RGB frame and on the corpus ultrasound frame; and a 27-frame cine with a static overlay.
/// </summary>
internal sealed partial class BenchmarkSuite
{
    private const int PixelCols = 1024;
    private const int PixelRows = 768;
    private const int CineFrames = 27;

    private int Pixels()
    {
        Line("## Burned-in text: ms per 1024x768 frame (FrameRedactionEngine)");
        Line();
        if (!TesseractOcr.IsLibraryAvailable)
        {
            Line("libtesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng): not measured.");
            Line();
            return 0;
        }

        var runs = _settings.Quick ? 3 : 9;
        Line($"One engine per configuration (Tesseract initialised outside the timing), one untimed warm-up frame, then {runs} timed frames, " +
             "each a fresh copy of the same decoded frame in a new image session (nothing reused between them). Wall clock " +
             "(Stopwatch) and CPU time of the calling thread (clock_gettime; Tesseract runs on it with OMP_THREAD_LIMIT=1), medians. " +
             "The CPU column is the steadier one when other work shares the machine. Target for Auto: <= 250 ms per frame.");
        Line();
        Line("| Frame | Method | Wall median (ms) | CPU median (ms) | Wall min-max (ms) | OCR candidates | Verify OCR candidates | Boxes |");
        Line("|---|---|---:|---:|---|---:|---:|---:|");
        var synthetic = SyntheticFrame(0);
        MeasureFrame("synthetic RGB, 6 strings over noise", synthetic, ImageAttributes.None, new PhiContext(), runs);
        var corpus = Path.Combine(TestCorpus.CorpusRoot, "burned-in", "us_siemens_rgb.dcm");
        if (File.Exists(corpus))
        {
            using var file = DicomFile.Open(corpus);
            if (PixelData.TryCreate(file.Dataset, out var pixels) && PixelCodecs.TryGetDecoder(file.TransferSyntax, out _))
            {
                var frame = PixelCodecs.Decode(pixels, file.TransferSyntax, 0);
                MeasureFrame("corpus us_siemens_rgb.dcm", frame, ImageAttributes.FromDataset(file.Dataset), PhiContextBuilder.Build(file.Dataset), runs);
            }
        }
        else
        {
            Line($"| corpus us_siemens_rgb.dcm | not present ({corpus}) | | | | | | |");
        }

        Line();
        Cine();
        return 0;
    }

    private void MeasureFrame(string label, DecodedFrame original, ImageAttributes attributes, PhiContext phi, int runs)
    {
        var medians = new List<double>();
        foreach (var (method, options) in new[]
                 {
                     ("Auto + verify (default)", new TextRedactionOptions()),
                     ("Auto, no verify", new TextRedactionOptions { Verify = false }),
                     ("Ocr (full frame, both polarities), no verify", new TextRedactionOptions { Methods = TextDetectionMethods.Ocr, Verify = false }),
                 })
        {
            using var engine = new FrameRedactionEngine(options);
            _ = engine.BeginImage(attributes, phi).Redact(Copy(original), 0);
            var wall = new List<double>();
            var cpu = new List<double>();
            FrameRedactionResult? last = null;
            for (var i = 0; i < runs; i++)
            {
                var frame = Copy(original);
                var c0 = ResourceUsage.ThreadSeconds();
                var sw = Stopwatch.StartNew();
                last = engine.BeginImage(attributes, phi).Redact(frame, 0);
                wall.Add(sw.Elapsed.TotalMilliseconds);
                cpu.Add((ResourceUsage.ThreadSeconds() - c0) * 1000);
            }

            medians.Add(Median(wall));
            Line($"| {label} | {method} | {Median(wall):0} | {Median(cpu):0} | {wall.Min():0}-{wall.Max():0} | {last!.OcrCandidates} | {last.VerifiedCandidates} | {last.Boxes.Count} |");
            Console.WriteLine($"pixels: {label}, {method}: {Median(wall):0} ms wall, {Median(cpu):0} ms CPU per frame");
        }

        Metric("ocr", $"Burned-in text, Auto + verify, per 1024x768 frame ({label})", medians[0], "ms/frame", "full-frame OCR, both polarities, no verify (same engine)", medians[2], higherIsBetter: false, target: "<= 250 ms");
    }

    /// <summary>27 frames, moving anatomy, static text: one session (reuse) against a new session per frame (no reuse).</summary>
    private void Cine()
    {
        var frames = new DecodedFrame[CineFrames];
        for (var f = 0; f < CineFrames; f++)
        {
            frames[f] = SyntheticFrame(f * 3);
        }

        using var engine = new FrameRedactionEngine();
        _ = engine.Redact(Copy(frames[0]));
        var rounds = _settings.Quick ? 1 : 3;
        var sessionWall = new List<double>();
        var sessionCpu = new List<double>();
        var singleWall = new List<double>();
        var singleCpu = new List<double>();
        int read = 0, reused = 0, verifyRead = 0, singleRead = 0, verified = 0;
        for (var round = 0; round < rounds; round++)
        {
            // One session for the whole cine: unchanged candidate regions are read once.
            read = reused = verifyRead = verified = 0;
            var c0 = ResourceUsage.ThreadSeconds();
            var sw = Stopwatch.StartNew();
            var session = engine.BeginImage(ImageAttributes.None, new PhiContext());
            for (var f = 0; f < CineFrames; f++)
            {
                var r = session.Redact(Copy(frames[f]), f);
                read += r.OcrCandidates;
                reused += r.ReusedCandidates;
                verifyRead += r.VerifiedCandidates;
                verified += r.Verified ? 1 : 0;
            }

            sessionWall.Add(sw.Elapsed.TotalMilliseconds);
            sessionCpu.Add((ResourceUsage.ThreadSeconds() - c0) * 1000);

            // The same frames, each as its own image: 27 single-frame passes.
            singleRead = 0;
            c0 = ResourceUsage.ThreadSeconds();
            sw.Restart();
            for (var f = 0; f < CineFrames; f++)
            {
                singleRead += engine.BeginImage(ImageAttributes.None, new PhiContext()).Redact(Copy(frames[f]), f).OcrCandidates;
            }

            singleWall.Add(sw.Elapsed.TotalMilliseconds);
            singleCpu.Add((ResourceUsage.ThreadSeconds() - c0) * 1000);
        }

        Line($"### {CineFrames}-frame 1024x768 RGB cine, static text overlay over moving anatomy (Auto + verify)");
        Line();
        Line($"Median of {rounds} round(s). \"One session\" feeds the frames to one `ImageRedactionSession` (regions whose box and pixels " +
             $"match an earlier reading reuse it; every frame is still detected, redacted and verified); \"{CineFrames} single frames\" " +
             "gives each frame its own session (no reuse), i.e. 27 full single-frame passes.");
        Line();
        Line("| Run | Wall total (ms) | CPU total (ms) | ms per frame (wall) | OCR candidates read | reused | verify OCR candidates | frames verified |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|");
        Line($"| One session | {Median(sessionWall):0} | {Median(sessionCpu):0} | {Median(sessionWall) / CineFrames:0} | {read} | {reused} | {verifyRead} | {verified}/{CineFrames} |");
        Line($"| {CineFrames} single frames | {Median(singleWall):0} | {Median(singleCpu):0} | {Median(singleWall) / CineFrames:0} | {singleRead} | 0 | | |");
        Line();
        Line($"**Cine: one session {Median(sessionWall):0} ms against {CineFrames} single frames {Median(singleWall):0} ms " +
             $"({Median(singleWall) / Median(sessionWall):0.00}x); OCR candidates read {read}, reused {reused}.**");
        Line();
        Console.WriteLine($"pixels: cine {Median(sessionWall):0} ms (one session) vs {Median(singleWall):0} ms (27 single frames); read {read}, reused {reused}");
    }

    /// <summary>A 1024x768 RGB frame: blurred noise "anatomy" (shifted by <paramref name="shift"/>), six strings of text in both polarities.</summary>
    private static DecodedFrame SyntheticFrame(int shift)
    {
        NativeLoadOrder.Ensure();
        var bytes = new byte[PixelCols * PixelRows];
        new Random(5).NextBytes(bytes);
        using var noise = new Mat(PixelRows, PixelCols, MatType.CV_8UC1);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, noise.Data, bytes.Length);
        Cv2.GaussianBlur(noise, noise, new Size(0, 0), 3);
        Cv2.Normalize(noise, noise, 30, 170, NormTypes.MinMax);
        using var grey = new Mat(PixelRows, PixelCols, MatType.CV_8UC1, Scalar.All(0));
        using (var ellipse = new Mat(PixelRows, PixelCols, MatType.CV_8UC1, Scalar.All(0)))
        {
            Cv2.Ellipse(ellipse, new Point((PixelCols / 2) + shift, PixelRows / 2), new Size(PixelCols / 3, PixelRows / 4), 0, 0, 360, Scalar.All(255), -1);
            noise.CopyTo(grey, ellipse);
        }

        Cv2.Rectangle(grey, new Rect(0, PixelRows - 96, PixelCols, 96), Scalar.All(215), -1);
        using var rgb = new Mat();
        Cv2.CvtColor(grey, rgb, ColorConversionCodes.GRAY2RGB);
        var yellow = new Scalar(250, 250, 40);
        var dark = new Scalar(20, 20, 20);
        Cv2.PutText(rgb, "DOE, JANE Q", new Point(8, 28), HersheyFonts.HersheySimplex, 0.7, yellow, 1, LineTypes.AntiAlias);
        Cv2.PutText(rgb, "MRN 84736251", new Point(532, 28), HersheyFonts.HersheyDuplex, 0.6, yellow, 1, LineTypes.AntiAlias);
        Cv2.PutText(rgb, "2024-03-05 14:22:07", new Point(8, 64), HersheyFonts.HersheySimplex, 0.5, yellow, 1, LineTypes.AntiAlias);
        Cv2.PutText(rgb, "ST MARY HOSPITAL", new Point(532, 70), HersheyFonts.HersheyComplex, 0.8, yellow, 1, LineTypes.AntiAlias);
        Cv2.PutText(rgb, "DOB 11/23/1961", new Point(12, PixelRows - 20), HersheyFonts.HersheyTriplex, 0.9, dark, 2, LineTypes.AntiAlias);
        Cv2.PutText(rgb, "Acc 55512", new Point(542, PixelRows - 22), HersheyFonts.HersheyPlain, 1.4, dark, 1, LineTypes.AntiAlias);
        rgb.GetArray(out Vec3b[] pixels);
        var data = new byte[PixelCols * PixelRows * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            data[i * 3] = pixels[i].Item0;
            data[(i * 3) + 1] = pixels[i].Item1;
            data[(i * 3) + 2] = pixels[i].Item2;
        }

        return new DecodedFrame(PixelRows, PixelCols, 3, 8, 8, false, "RGB", data);
    }

    private static DecodedFrame Copy(DecodedFrame f) =>
        new(f.Rows, f.Columns, f.SamplesPerPixel, f.BitsAllocated, f.BitsStored, f.IsSigned, f.PhotometricInterpretation, (byte[])f.Data.Clone());
}
