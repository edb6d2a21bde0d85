using System.Diagnostics;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>
/// Where the burned-in benchmark finds its inputs: the repository root (the folder holding MedImageCleaner.sln), the
/// shared corpus next to it (<c>../shared/corpus</c>), the Debian fonts and the tesseract CLI. Each can be absent; the
/// callers then skip and say why.
/// </summary>
public static class BenchmarkEnvironment
{
    /// <summary>The fonts the text is rendered with, by name; the ones not installed are left out.</summary>
    private static readonly (string Name, string Path)[] FontFiles =
    [
        ("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        ("DejaVu Sans Mono", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
        ("Liberation Sans", "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
        ("Liberation Serif", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    ];

    private static readonly Lazy<bool> TesseractPresent = new(ProbeTesseract);

    /// <summary>The repository root, found from the binaries upwards, then from the current directory upwards.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The shared corpus folder (it may not exist).</summary>
    public static string CorpusRoot { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "corpus"));

    /// <summary>True when the corpus folder is present.</summary>
    public static bool CorpusAvailable => Directory.Exists(CorpusRoot);

    /// <summary>The installed fonts of the benchmark (name and file).</summary>
    public static IReadOnlyList<(string Name, string Path)> Fonts { get; } = FontFiles.Where(f => File.Exists(f.Path)).ToArray();

    /// <summary>True when the tesseract CLI runs and has English language data.</summary>
    public static bool TesseractAvailable => TesseractPresent.Value;

    /// <summary>Why the benchmark cannot run here, or null when everything it needs is present.</summary>
    public static string? MissingPrerequisite()
    {
        if (!CorpusAvailable)
        {
            return $"the corpus ({CorpusRoot}) is absent";
        }

        if (Fonts.Count == 0)
        {
            return "no benchmark font is installed (apt-get install fonts-dejavu-core fonts-liberation2)";
        }

        if (!TesseractAvailable)
        {
            return "the tesseract CLI with English data is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)";
        }

        return null;
    }

    private static bool ProbeTesseract()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("tesseract", "--list-langs")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (p is null)
            {
                return false;
            }

            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            var all = stdout.Result + "\n" + stderr.Result;
            return p.ExitCode == 0 && all.Split('\n').Any(l => l.Trim() == "eng");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MedImageCleaner.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("The repository root (MedImageCleaner.sln) was not found above the binaries or the current directory.");
    }
}
