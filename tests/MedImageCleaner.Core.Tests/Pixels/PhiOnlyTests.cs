using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Validation;
using OpenCvSharp;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// -Mode PhiOnly on a synthetic frame carrying both PHI (the header's name and ID, a date in three formats, a clock
/// time, an MRN-like number) and harmless labels ("L", "R", "5 cm", "THI", "Gain 50"): every PHI string must be
/// covered (>= 98% of its ink box) and no label pixel may change.
/// </summary>
public sealed class PhiOnlyTests
{
    private const int Cols = 1024;
    private const int Rows = 768;
    private readonly ITestOutputHelper _output;

    public PhiOnlyTests(ITestOutputHelper output) => _output = output;

    [RequiresTheory(Requirements.Ocr)]
    [InlineData(SyntheticRepresentation.Grey8)]
    [InlineData(SyntheticRepresentation.Rgb)]
    [InlineData(SyntheticRepresentation.Monochrome1)]
    public void RedactPhiOnly_PhiAndLabels_PhiCoveredLabelsUntouched(SyntheticRepresentation representation)
    {
        var (display, alpha, phiTruth, labels) = Render();
        var original = SyntheticTextFixture.Encode(display, alpha, Cols, Rows, representation);
        var frame = PixelTestSupport.Copy(original);
        var phi = new PhiContext();
        phi.PersonNames.Add("DOE^JANE");
        phi.Identifiers.Add("84736251");
        phi.Dates.Add("20240314");

        using var engine = new FrameRedactionEngine(new TextRedactionOptions { Mode = TextRedactionMode.PhiOnly });
        var result = engine.Redact(frame, ImageAttributes.None, phi);
        var changed = PixelTestSupport.Changed(original, frame);
        var failures = new List<string>();
        foreach (var t in phiTruth)
        {
            var coverage = SyntheticTextFixture.Measure(original, frame, result.Boxes, [t]).Coverage;
            _output.WriteLine($"PHI string {phiTruth.IndexOf(t)} at {t.Ink}: {coverage:P1} covered");
            if (coverage < 0.98)
            {
                failures.Add($"PHI string of {t.Text.Length} characters at {t.Ink}: {coverage:P1} covered");
            }
        }

        foreach (var t in labels)
        {
            var touched = 0;
            var area = t.Ink.Inflate(1, 1).ClipTo(Cols, Rows);
            for (var y = area.Y; y < area.Bottom; y++)
            {
                for (var x = area.X; x < area.Right; x++)
                {
                    touched += changed[(y * Cols) + x] ? 1 : 0;
                }
            }

            _output.WriteLine($"label {t.Text}: {touched} pixels changed");
            if (touched > 0)
            {
                failures.Add($"label \"{t.Text}\" at {t.Ink}: {touched} pixels changed");
            }
        }

        _output.WriteLine($"{representation}: {result.Boxes.Count} boxes ({string.Join(", ", result.Boxes.Select(b => b.Reason).Distinct())}), " +
                          $"verified {result.Verified}, OCR candidates {result.OcrCandidates}, {result.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(failures.Count == 0, string.Join("; ", failures));
        Assert.True(result.Verified, string.Join("; ", result.VerificationReasons));
        Assert.All(result.Boxes, b => Assert.Null(b.Text));
    }

    /// <summary>
    /// A dark frame with a noisy "anatomy" ellipse in the middle and a light band at the bottom; PHI strings down the
    /// left side, labels down the right side and on the band (both polarities), far enough apart not to form one line.
    /// </summary>
    private static (byte[] Display, byte[] Alpha, List<DrawnText> Phi, List<DrawnText> Labels) Render()
    {
        NativeLoadOrder.Ensure();
        using var anatomy = new Mat(Rows, Cols, MatType.CV_8UC1, Scalar.All(0));
        using (var noise = new Mat(Rows, Cols, MatType.CV_8UC1))
        using (var ellipse = new Mat(Rows, Cols, MatType.CV_8UC1, Scalar.All(0)))
        {
            var bytes = new byte[Rows * Cols];
            new Random(17).NextBytes(bytes);
            System.Runtime.InteropServices.Marshal.Copy(bytes, 0, noise.Data, bytes.Length);
            Cv2.GaussianBlur(noise, noise, new Size(0, 0), 3);
            Cv2.Normalize(noise, noise, 30, 170, NormTypes.MinMax);
            Cv2.Ellipse(ellipse, new Point(Cols / 2, Rows / 2), new Size(Cols / 4, Rows / 4), 0, 0, 360, Scalar.All(255), -1);
            noise.CopyTo(anatomy, ellipse);
        }

        var bandTop = Rows - 70;
        Cv2.Rectangle(anatomy, new Rect(0, bandTop, Cols, Rows - bandTop), Scalar.All(215), -1);
        using var alpha = new Mat(Rows, Cols, MatType.CV_8UC1, Scalar.All(0));
        var phi = new List<DrawnText>();
        var labels = new List<DrawnText>();
        const HersheyFonts Simplex = HersheyFonts.HersheySimplex;
        const HersheyFonts Duplex = HersheyFonts.HersheyDuplex;

        phi.Add(Draw(alpha, "DOE, JANE", new Point(12, 40), Simplex, 0.9, dark: false));
        phi.Add(Draw(alpha, "84736251", new Point(12, 100), Duplex, 0.8, dark: false));
        phi.Add(Draw(alpha, "03/14/2024", new Point(12, 160), Simplex, 0.8, dark: false));
        phi.Add(Draw(alpha, "2024-03-14", new Point(12, 220), Duplex, 0.7, dark: false));
        phi.Add(Draw(alpha, "14.03.2024", new Point(12, 280), Simplex, 0.8, dark: false));
        phi.Add(Draw(alpha, "10:42:17", new Point(12, 340), Simplex, 0.8, dark: false));

        // An MRN-like number after its label: only the number is the ground truth (the label may go too).
        var mrnLabel = Draw(alpha, "MRN", new Point(12, 400), Simplex, 0.8, dark: false);
        var space = Cv2.GetTextSize("MRN ", Simplex, 0.8, 1, out _).Width;
        phi.Add(Draw(alpha, "40917735", new Point(12 + space, 400), Simplex, 0.8, dark: false));
        Assert.NotNull(mrnLabel);

        // Dark on the light band: a date and a time.
        phi.Add(Draw(alpha, "03/14/2024", new Point(12, Rows - 25), Simplex, 0.8, dark: true));
        phi.Add(Draw(alpha, "10:42:17", new Point(260, Rows - 25), Simplex, 0.8, dark: true));

        labels.Add(Draw(alpha, "L", new Point(900, 40), Simplex, 0.9, dark: false));
        labels.Add(Draw(alpha, "5 cm", new Point(900, 120), Simplex, 0.8, dark: false));
        labels.Add(Draw(alpha, "THI", new Point(900, 200), Duplex, 0.8, dark: false));
        labels.Add(Draw(alpha, "Gain 50", new Point(860, 280), Simplex, 0.8, dark: false));
        labels.Add(Draw(alpha, "R", new Point(980, 360), Simplex, 0.9, dark: false));
        labels.Add(Draw(alpha, "THI", new Point(620, Rows - 25), Simplex, 0.8, dark: true));
        labels.Add(Draw(alpha, "Gain 50", new Point(840, Rows - 25), Simplex, 0.8, dark: true));

        anatomy.GetArray(out byte[] display);
        alpha.GetArray(out byte[] a);
        for (var i = 0; i < display.Length; i++)
        {
            var target = i / Cols >= bandTop ? 20 : 250;
            display[i] = (byte)(((display[i] * (255 - a[i])) + (target * a[i]) + 127) / 255);
        }

        return (display, a, phi, labels);
    }

    private static DrawnText Draw(Mat alpha, string text, Point org, HersheyFonts font, double scale, bool dark)
    {
        using var mask = new Mat(alpha.Rows, alpha.Cols, MatType.CV_8UC1, Scalar.All(0));
        Cv2.PutText(mask, text, org, font, scale, Scalar.All(255), 1, LineTypes.AntiAlias);
        using var points = new Mat();
        Cv2.FindNonZero(mask, points);
        var r = Cv2.BoundingRect(points);
        Cv2.Max(alpha, mask, alpha);
        return new DrawnText(text, new PixelBox(r.X, r.Y, r.Width, r.Height), dark);
    }
}
