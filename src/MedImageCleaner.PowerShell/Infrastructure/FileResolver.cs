using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// Turns -Path (wildcards) / -LiteralPath values into file paths the way every file cmdlet of the module does:
/// file-system provider only, folders expanded (recursively with -Recurse), hidden files and links skipped.
/// </summary>
internal static class FileResolver
{
    private const string FileSystemQualifier = @"Microsoft.PowerShell.Core\FileSystem::";
    private const string ShortFileSystemQualifier = "FileSystem::";
    private static readonly System.Buffers.SearchValues<char> WildcardCharacters = System.Buffers.SearchValues.Create("*?[]`");

    /// <summary>Resolves one path into <paramref name="files"/>; problems are written as non-terminating errors.</summary>
    /// <param name="cmdlet">The calling cmdlet (for errors and verbose output).</param>
    /// <param name="path">The path as given.</param>
    /// <param name="literal">True for -LiteralPath (no wildcards).</param>
    /// <param name="fromPipeline">True when the path came from the pipeline (Get-ChildItem output).</param>
    /// <param name="recurse">-Recurse.</param>
    /// <param name="files">Receives full file paths (with the folder they were found under, for relative layouts).</param>
    public static void Resolve(PSCmdlet cmdlet, string path, bool literal, bool fromPipeline, bool recurse, List<(string File, string Root)> files)
    {
        // The common pipeline case (a FileInfo's PSPath, or an absolute path naming a file) is decided without the
        // provider's path machinery, which costs more per object than the rest of this method.
        if (TryDirectFile(cmdlet, path, literal) is { } direct)
        {
            files.Add((direct, Path.GetDirectoryName(direct) ?? direct));
            return;
        }

        IEnumerable<string> resolved;
        ProviderInfo provider;
        try
        {
            if (literal)
            {
                var full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
                resolved = [full];
            }
            else
            {
                resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }
        }
        catch (SessionStateException ex)
        {
            cmdlet.WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, path));
            return;
        }

        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            cmdlet.WriteError(new ErrorRecord(
                new ArgumentException($"'{path}' is not a file-system path; {cmdlet.MyInvocation.MyCommand.Name} reads files only."),
                "NotFileSystemPath",
                ErrorCategory.InvalidArgument,
                path));
            return;
        }

        foreach (var item in resolved)
        {
            if (File.Exists(item))
            {
                // Checked first: most inputs are files, and a file is never a folder (one stat instead of two).
                files.Add((item, Path.GetDirectoryName(item) ?? item));
            }
            else if (Directory.Exists(item))
            {
                if (fromPipeline && !recurse)
                {
                    cmdlet.WriteVerbose($"Skipping the folder '{item}' from the pipeline (use -Recurse to read folders).");
                    continue;
                }

                var before = files.Count;
                AddFolderFiles(item, recurse, files);
                cmdlet.WriteVerbose($"Found {files.Count - before} files in '{item}'.");
            }
            else
            {
                cmdlet.WriteError(new ErrorRecord(
                    new ItemNotFoundException($"Cannot find the file '{item}' because it does not exist."),
                    "PathNotFound",
                    ErrorCategory.ObjectNotFound,
                    item));
            }
        }
    }

    /// <summary>
    /// The file <paramref name="path"/> names when that needs no provider: a canonical absolute file-system path,
    /// qualified with the FileSystem provider (a piped FileInfo's PSPath) or bare while the current location is in the
    /// file system, that names an existing file and, unless literal, holds no wildcard or escape character. Null
    /// otherwise (the provider then decides, and reports what is wrong).
    /// </summary>
    internal static string? TryDirectFile(PSCmdlet cmdlet, string path, bool literal)
    {
        var rest = path.AsSpan();
        if (rest.StartsWith(FileSystemQualifier, StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[FileSystemQualifier.Length..];
        }
        else if (rest.StartsWith(ShortFileSystemQualifier, StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[ShortFileSystemQualifier.Length..];
        }
        else if (cmdlet.SessionState.Path.CurrentLocation is not { Provider.ImplementingType: var type, Drive.Root: "/" } || type != typeof(FileSystemProvider))
        {
            // "/x" means the root of the current drive, which may belong to another provider or be another folder.
            return null;
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return null;
        }

        if (rest.Length < 2 || rest[0] != '/' || (!literal && rest.IndexOfAny(WildcardCharacters) >= 0))
        {
            return null;
        }

        var candidate = rest.ToString();
        return string.Equals(Path.GetFullPath(candidate), candidate, StringComparison.Ordinal) && File.Exists(candidate) ? candidate : null;
    }

    /// <summary>The files of a folder (and, when recursing, of the folders below it), sorted, hidden ones skipped, links not followed.</summary>
    private static void AddFolderFiles(string folder, bool recurse, List<(string File, string Root)> files)
    {
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        var subOptions = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint };
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            var here = Directory.GetFiles(dir, "*", options);
            Array.Sort(here, StringComparer.Ordinal);
            foreach (var f in here)
            {
                files.Add((f, folder));
            }

            if (!recurse)
            {
                continue;
            }

            var subs = Directory.GetDirectories(dir, "*", subOptions);
            Array.Sort(subs, StringComparer.Ordinal);
            for (var i = subs.Length - 1; i >= 0; i--)
            {
                pending.Push(subs[i]);
            }
        }
    }
}
