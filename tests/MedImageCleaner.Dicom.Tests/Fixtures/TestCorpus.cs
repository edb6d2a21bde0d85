namespace MedImageCleaner.Dicom.Tests.Fixtures;

/// <summary>Locates the repository and the shared corpus (<c>../shared/corpus</c> relative to the repository root).</summary>
public static class TestCorpus
{
    /// <summary>The repository root (the folder holding MedImageCleaner.sln), found from the test binaries upwards.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The corpus folder; it may not exist (tests then fall back to fixtures built in code).</summary>
    public static string CorpusRoot { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "corpus"));

    /// <summary>True when the corpus folder is present.</summary>
    public static bool IsAvailable => Directory.Exists(CorpusRoot);

    /// <summary>The regular files of corpus sub-folders (e.g. "pydicom", "fodicom"), sorted ordinally; empty when absent.</summary>
    public static IReadOnlyList<string> Files(params string[] folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var list = new List<string>();
        foreach (var folder in folders)
        {
            var dir = Path.Combine(CorpusRoot, folder);
            if (Directory.Exists(dir))
            {
                list.AddRange(Directory.GetFiles(dir));
            }
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedImageCleaner.sln")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedImageCleaner.sln")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException("The repository root (MedImageCleaner.sln) was not found above the test binaries.");
    }
}
