using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// Turns -Path (wildcards) / -LiteralPath values into file paths the way every file cmdlet of the module does:
/// file-system provider only, folders expanded (recursively with -Recurse), hidden files and links skipped.
/// </summary>
internal static class FileResolver
{
    /// <summary>Resolves one path into <paramref name="files"/>; problems are written as non-terminating errors.</summary>
    /// <param name="cmdlet">The calling cmdlet (for errors and verbose output).</param>
    /// <param name="path">The path as given.</param>
    /// <param name="literal">True for -LiteralPath (no wildcards).</param>
    /// <param name="fromPipeline">True when the path came from the pipeline (Get-ChildItem output).</param>
    /// <param name="recurse">-Recurse.</param>
    /// <param name="files">Receives full file paths (with the folder they were found under, for relative layouts).</param>
    public static void Resolve(PSCmdlet cmdlet, string path, bool literal, bool fromPipeline, bool recurse, List<(string File, string Root)> files)
    {
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
            if (Directory.Exists(item))
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
            else if (File.Exists(item))
            {
                files.Add((item, Path.GetDirectoryName(item) ?? item));
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
