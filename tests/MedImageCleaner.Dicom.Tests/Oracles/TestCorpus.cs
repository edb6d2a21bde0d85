namespace MedImageCleaner.Dicom.Tests.Oracles;

/// <summary>
/// Locates the repository root (the folder holding MedImageCleaner.sln, found by walking up from the test binaries)
/// and the shared corpus of real files next to it (<c>&lt;root&gt;/../shared/corpus</c>).
/// </summary>
internal static class TestCorpus
{
    /// <summary>The corpus folders the conformance and round-trip theories run over.</summary>
    public static readonly string[] Folders = ["pydicom", "fodicom", "burned-in"];

    /// <summary>The case name yielded when the corpus is absent, so a theory still has one case that explains the skip.</summary>
    public const string AbsentCase = "(corpus absent)";

    private static readonly Lazy<string?> LazyRepoRoot = new(FindRepoRoot);

    /// <summary>The repository root, or null when the tests run outside a checkout.</summary>
    public static string? RepoRoot => LazyRepoRoot.Value;

    /// <summary>The corpus folder, or null when it does not exist.</summary>
    public static string? Root
    {
        get
        {
            if (RepoRoot is null)
            {
                return null;
            }

            var dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "corpus"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>
    /// Every file of the corpus folders as "folder/name" (sorted), or the single <see cref="AbsentCase"/> when the
    /// corpus is not there. Every file is listed, DICOM or not: files dcmdump rejects are part of the contract too.
    /// </summary>
    public static IEnumerable<object[]> Cases()
    {
        var root = Root;
        if (root is null)
        {
            yield return [AbsentCase];
            yield break;
        }

        var any = false;
        foreach (var folder in Folders)
        {
            var dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            var files = Directory.GetFiles(dir);
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var f in files)
            {
                any = true;
                yield return [folder + "/" + Path.GetFileName(f)];
            }
        }

        if (!any)
        {
            yield return [AbsentCase];
        }
    }

    /// <summary>The full path of a case, or null for <see cref="AbsentCase"/>.</summary>
    public static string? Resolve(string relative) =>
        relative == AbsentCase || Root is null ? null : Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedImageCleaner.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
