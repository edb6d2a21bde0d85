using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>
/// The independent reader: the tesseract command-line program in its own process (never our P/Invoke engine), on 8-bit
/// grey images written as PGM files (several pages through a list file: one process start for all of them). One thread
/// per process (OMP_THREAD_LIMIT=1).
/// </summary>
public static class TesseractCli
{
    /// <summary>
    /// The text tesseract reads in <paramref name="pages"/> with page segmentation mode <paramref name="psm"/> (6 block,
    /// 7 line). Tesseract 5 dies (SIGFPE, exit 136) on rare pages ("pixScanForForeground: invalid box"): then every page
    /// is read in its own process, and a page that still kills it is read again inside a 16-pixel border of its edge
    /// value (which only adds background). A page that fails even then is an error: the reader never reports "nothing
    /// read" for a page it could not read.
    /// </summary>
    public static string Read(IReadOnlyList<OcrView> pages, int psm, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(pages);
        if (pages.Count == 0)
        {
            return string.Empty;
        }

        if (TryRun(pages, psm, workDirectory, out var text, out _))
        {
            return text;
        }

        var all = new StringBuilder();
        foreach (var page in pages)
        {
            if (TryRun([page], psm, workDirectory, out var one, out var code))
            {
                all.Append(one).Append('\n');
                continue;
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tesseract CLI exited with code {code} on a {page.Width}x{page.Height} page ({page.Name}); read again with a border."));
            if (!TryRun([Bordered(page, 16)], psm, workDirectory, out one, out code))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"tesseract exited with code {code} on a {page.Width}x{page.Height} page ({page.Name}), also with a border."));
            }

            all.Append(one).Append('\n');
        }

        return all.ToString();
    }

    /// <summary><paramref name="page"/> inside a border of <paramref name="margin"/> pixels of its top-left value.</summary>
    internal static OcrView Bordered(OcrView page, int margin)
    {
        var w = page.Width + (2 * margin);
        var h = page.Height + (2 * margin);
        var grey = new byte[w * h];
        Array.Fill(grey, page.Grey[0]);
        for (var y = 0; y < page.Height; y++)
        {
            Array.Copy(page.Grey, y * page.Width, grey, ((y + margin) * w) + margin, page.Width);
        }

        return new OcrView(page.Name + "+border", grey, w, h);
    }

    private static bool TryRun(IReadOnlyList<OcrView> pages, int psm, string workDirectory, out string text, out int exitCode)
    {
        var stem = Path.Combine(workDirectory, Guid.NewGuid().ToString("N"));
        var written = new List<string>();
        foreach (var page in pages)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{stem}-{written.Count}.pgm");
            using (var fs = new FileStream(name, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P5\n{page.Width} {page.Height}\n255\n")));
                fs.Write(page.Grey, 0, page.Width * page.Height);
            }

            written.Add(name);
        }

        var file = stem + ".txt";
        File.WriteAllLines(file, written);
        written.Add(file);
        try
        {
            var start = new ProcessStartInfo("tesseract")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(file);
            start.ArgumentList.Add("stdout");
            start.ArgumentList.Add("--psm");
            start.ArgumentList.Add(psm.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("-l");
            start.ArgumentList.Add("eng");
            start.Environment["OMP_THREAD_LIMIT"] = "1";
            using var p = Process.Start(start) ?? throw new InvalidOperationException("tesseract did not start.");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            _ = stderr.Result;
            exitCode = p.ExitCode;
            text = stdout.Result;
            return exitCode == 0;
        }
        finally
        {
            foreach (var f in written)
            {
                File.Delete(f);
            }
        }
    }
}
