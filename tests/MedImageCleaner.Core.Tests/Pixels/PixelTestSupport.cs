using System.Diagnostics;
using System.Text.RegularExpressions;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Dicom.Codecs;
using OpenCvSharp;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>Helpers for the burned-in text tests: PNG export, the independent tesseract CLI, ground-truth measures.</summary>
internal static partial class PixelTestSupport
{
    public static bool TesseractCliAvailable { get; } = FindOnPath("tesseract") is not null;

    public static bool OcrAvailable { get; } = ProbeOcr();

    /// <summary>Writes the frame as an 8-bit PNG (colour frames as colour, others as their grey view), optionally scaled.</summary>
    public static void WritePng(DecodedFrame frame, string path, double scale = 1)
    {
        NativeLoadOrder.Ensure();
        using var mat = new Mat();
        if (frame.SamplesPerPixel == 3 && frame.BitsAllocated == 8 && frame.PhotometricInterpretation == "RGB")
        {
            using var rgb = new Mat(frame.Rows, frame.Columns, MatType.CV_8UC3);
            System.Runtime.InteropServices.Marshal.Copy(frame.Data, 0, rgb.Data, frame.Data.Length);
            Cv2.CvtColor(rgb, mat, ColorConversionCodes.RGB2BGR);
        }
        else
        {
            using var grey = GreyView.Create(frame);
            grey.CopyTo(mat);
        }

        if (scale != 1)
        {
            Cv2.Resize(mat, mat, new Size(0, 0), scale, scale, InterpolationFlags.Cubic);
        }

        Cv2.ImWrite(path, mat);
    }

    /// <summary>The tesseract CLI's reading of <paramref name="png"/> (stdout), run as its own process.</summary>
    public static string RunTesseractCli(string png, int? psm = null, bool tsv = false)
    {
        var psi = new ProcessStartInfo("tesseract")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(png);
        psi.ArgumentList.Add("stdout");
        if (psm is { } p)
        {
            psi.ArgumentList.Add("--psm");
            psi.ArgumentList.Add(p.ToString());
        }

        if (tsv)
        {
            psi.ArgumentList.Add("tsv");
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEnd();
        _ = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return stdout;
    }

    /// <summary>Word boxes of the CLI's TSV output with a positive confidence.</summary>
    public static List<PixelBox> CliWordBoxes(string tsv, double scale)
    {
        var boxes = new List<PixelBox>();
        foreach (var line in tsv.Split('\n'))
        {
            var f = line.Split('\t');
            if (f.Length < 12 || f[0] != "5" || !double.TryParse(f[10], out var conf) || conf <= 0 || f[11].Trim().Length == 0)
            {
                continue;
            }

            var b = new PixelBox(int.Parse(f[6]), int.Parse(f[7]), int.Parse(f[8]), int.Parse(f[9]));
            boxes.Add(b.Scale(1 / scale));
        }

        return boxes;
    }

    /// <summary>Upper-case tokens of at least two characters (separators: whitespace and , ; | " ' ( )).</summary>
    public static HashSet<string> Tokens(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in TokenSplit().Split(text.ToUpperInvariant()))
        {
            var token = t.Trim('.', ':', '-', '_', '*', '=');
            if (token.Length >= 2)
            {
                set.Add(token);
            }
        }

        return set;
    }

    [GeneratedRegex(@"[\s,;|""'()\[\]]+")]
    private static partial Regex TokenSplit();

    [GeneratedRegex(@"^[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{2,4}$|^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$|^[0-9]{6,}$")]
    public static partial Regex DateTimeOrNumber();

    /// <summary>A mask (rows x cols) with the boxes set.</summary>
    public static bool[] Mask(int cols, int rows, IEnumerable<PixelBox> boxes)
    {
        var mask = new bool[cols * rows];
        foreach (var b in boxes)
        {
            var c = b.ClipTo(cols, rows);
            for (var y = c.Y; y < c.Bottom; y++)
            {
                Array.Fill(mask, true, (y * cols) + c.X, c.Width);
            }
        }

        return mask;
    }

    /// <summary>Pixels whose bytes differ between two frames of the same shape.</summary>
    public static bool[] Changed(DecodedFrame before, DecodedFrame after)
    {
        var n = before.Rows * before.Columns;
        var bpp = before.SamplesPerPixel * before.BytesPerSample;
        var changed = new bool[n];
        for (var i = 0; i < n; i++)
        {
            changed[i] = !before.Data.AsSpan(i * bpp, bpp).SequenceEqual(after.Data.AsSpan(i * bpp, bpp));
        }

        return changed;
    }

    public static DecodedFrame Copy(DecodedFrame f) =>
        new(f.Rows, f.Columns, f.SamplesPerPixel, f.BitsAllocated, f.BitsStored, f.IsSigned, f.PhotometricInterpretation, (byte[])f.Data.Clone());

    private static bool ProbeOcr()
    {
        try
        {
            using var ocr = new TesseractOcr();
            return true;
        }
        catch (OcrEngineUnavailableException)
        {
            return false;
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p))
            {
                return p;
            }
        }

        return null;
    }
}
