using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>
/// The independent reader: the tesseract command-line program in its own process (never our P/Invoke engine), on an
/// 8-bit grey image written as a PGM file. One thread per process (OMP_THREAD_LIMIT=1).
/// </summary>
public static class TesseractCli
{
    /// <summary>The text tesseract reads in the image with page segmentation mode <paramref name="psm"/> (6 block, 7 line).</summary>
    public static string Read(byte[] grey, int width, int height, int psm, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(grey);
        var file = Path.Combine(workDirectory, Guid.NewGuid().ToString("N") + ".pgm");
        using (var fs = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
        {
            fs.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P5\n{width} {height}\n255\n")));
            fs.Write(grey, 0, width * height);
        }

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
            File.Delete(file);
        }
    }
}
