using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Samples;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using OpenCvSharp;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// The demo sample burned_us_rgb.dcm (640x480 RGB, 4 frames, a static banner with the header's own name, ID, date and
/// time, institution, and a label "L") through one session with -Mode PhiOnly, as Remove-BurnedInText runs it: every
/// PHI string must be covered on every frame, "L" must stay, every frame must verify, and the static banner must give
/// the same boxes on every frame.
/// </summary>
public sealed class BurnedInSampleTests
{
    private readonly ITestOutputHelper _output;

    public BurnedInSampleTests(ITestOutputHelper output) => _output = output;

    [RequiresFact(Requirements.Ocr)]
    public void RedactPhiOnly_BurnedUltrasoundCine_PhiCoveredOnEveryFrameLabelKeptVerifiedSameBoxes()
    {
        var dir = Directory.CreateTempSubdirectory("mic-burned-sample-");
        try
        {
            var path = BurnedInSamples.Write(dir.FullName)[0];
            using var file = DicomFile.Open(path);
            var dataset = file.Dataset;
            Assert.True(PixelData.TryCreate(dataset, out var pixels));
            var (phiTruth, label) = GroundTruth(dataset, 640, 480);

            using var engine = new FrameRedactionEngine(new TextRedactionOptions { Mode = TextRedactionMode.PhiOnly, IncludeText = Environment.GetEnvironmentVariable("MIC_DEBUG_TEXT") is { Length: > 0 } });
            var session = engine.BeginImage(ImageAttributes.FromDataset(dataset), PhiContextBuilder.Build(dataset));
            var failures = new List<string>();
            List<PixelBox>? first = null;
            for (var i = 0; i < pixels.NumberOfFrames; i++)
            {
                var original = PixelCodecs.Decode(pixels, file.TransferSyntax, i);
                var frame = PixelTestSupport.Copy(original);
                var result = session.Redact(frame, i);
                var boxes = result.Boxes.Select(b => b.Box).OrderBy(b => b.Y).ThenBy(b => b.X).ToList();
                _output.WriteLine($"frame {i}: boxes {string.Join(" ", boxes)} ({string.Join(", ", result.Boxes.Select(b => b.Reason + (b.Text is null ? "" : " [" + b.Text + "]")))}), " +
                                  $"verified {result.Verified}, OCR candidates {result.OcrCandidates}, reused {result.ReusedCandidates}, {result.Elapsed.TotalMilliseconds:F0} ms");

                foreach (var t in phiTruth)
                {
                    var coverage = SyntheticTextFixture.Measure(original, frame, result.Boxes, [t]).Coverage;
                    _output.WriteLine($"  PHI string {phiTruth.IndexOf(t)} at {t.Ink}: {coverage:P1} covered");
                    if (coverage < 0.98)
                    {
                        failures.Add($"frame {i}: PHI string {phiTruth.IndexOf(t)} at {t.Ink}: {coverage:P1} covered");
                    }
                }

                var changed = PixelTestSupport.Changed(original, frame);
                var touched = 0;
                var area = label.Ink.Inflate(1, 1).ClipTo(640, 480);
                for (var y = area.Y; y < area.Bottom; y++)
                {
                    for (var x = area.X; x < area.Right; x++)
                    {
                        touched += changed[(y * 640) + x] ? 1 : 0;
                    }
                }

                if (touched > 0)
                {
                    failures.Add($"frame {i}: label at {label.Ink}: {touched} pixels changed");
                }

                if (!result.Verified)
                {
                    failures.Add($"frame {i}: not verified ({string.Join("; ", result.VerificationReasons)})");
                }

                // The banner is static: the same boxes on every frame (give or take the padding).
                if (first is null)
                {
                    first = boxes;
                }
                else if (boxes.Count != first.Count || boxes.Zip(first).Any(p => !Near(p.First, p.Second, 3)))
                {
                    failures.Add($"frame {i}: boxes {string.Join(" ", boxes)} differ from frame 0's {string.Join(" ", first)}");
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static bool Near(PixelBox a, PixelBox b, int tolerance) =>
        Math.Abs(a.X - b.X) <= tolerance && Math.Abs(a.Y - b.Y) <= tolerance &&
        Math.Abs(a.Right - b.Right) <= tolerance && Math.Abs(a.Bottom - b.Bottom) <= tolerance;

    /// <summary>
    /// The ink boxes of the banner's PHI (the whole name, date/time and institution lines; of the ID line the value
    /// after "ID ") and of the label "L", drawn again exactly as <see cref="BurnedInSamples"/> draws them.
    /// </summary>
    private static (List<DrawnText> Phi, DrawnText Label) GroundTruth(DicomDataset dataset, int cols, int rows)
    {
        NativeLoadOrder.Ensure();
        var lines = BurnedInSamples.BurnedLines(dataset);
        Assert.Equal(4, lines.Count);
        var phi = new List<DrawnText>();
        var y = 22;
        foreach (var line in lines)
        {
            var text = line;
            var x = 12;
            if (line.StartsWith("ID ", StringComparison.Ordinal))
            {
                text = line[3..];
                x += Cv2.GetTextSize("ID ", HersheyFonts.HersheySimplex, 0.6, 1, out _).Width;
            }

            phi.Add(Ink(text, new Point(x, y), 0.6, 1, cols, rows));
            y += 24;
        }

        return (phi, Ink("L", new Point(cols - 40, rows - 20), 0.8, 2, cols, rows));
    }

    private static DrawnText Ink(string text, Point org, double scale, int thickness, int cols, int rows)
    {
        using var mask = new Mat(rows, cols, MatType.CV_8UC1, Scalar.All(0));
        Cv2.PutText(mask, text, org, HersheyFonts.HersheySimplex, scale, Scalar.All(255), thickness, LineTypes.AntiAlias);
        using var points = new Mat();
        Cv2.FindNonZero(mask, points);
        var r = Cv2.BoundingRect(points);
        return new DrawnText(text, new PixelBox(r.X, r.Y, r.Width, r.Height), false);
    }
}
