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
    /// <summary>The text tesseract reads in <paramref name="pages"/> with page segmentation mode <paramref name="psm"/> (6 block, 7 line).</summary>
    public static string Read(IReadOnlyList<OcrView> pages, int psm, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(pages);
        if (pages.Count == 0)
        {
            return string.Empty;
        }

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
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"tesseract exited with code {p.ExitCode}.");
            }

            return stdout.Result;
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
