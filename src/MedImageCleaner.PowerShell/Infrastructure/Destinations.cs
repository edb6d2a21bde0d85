using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// The one place that checks an output folder before any input is read: a file-system path, not a file, creatable,
/// and writable (a probe file is created and removed). Problems stop the command with a clear error whose category
/// and TargetObject are set (DestinationIsFile, DestinationNotWritable, NotFileSystemPath).
/// </summary>
internal static class Destinations
{
    /// <summary>
    /// Resolves <paramref name="path"/> (given as parameter <paramref name="parameter"/>), creates it when missing and
    /// checks that files can be written in it. Under -WhatIf nothing is created: only the path is checked.
    /// </summary>
    public static string RequireWritableFolder(PSCmdlet cmdlet, string path, string parameter, bool whatIf = false)
    {
        var full = Path.TrimEndingDirectorySeparator(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _));
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-{parameter} '{path}' is not a file-system path; give a folder."), "NotFileSystemPath", ErrorCategory.InvalidArgument, path));
        }

        if (File.Exists(full))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new IOException($"-{parameter} '{full}' is a file; give a folder."), ErrorIds.DestinationIsFile, ErrorCategory.InvalidArgument, full));
        }

        if (whatIf)
        {
            return full;
        }

        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, ".mic-write-test-" + Guid.NewGuid().ToString("N"));
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            var why = ex is UnauthorizedAccessException ? "permission denied" : ex.Message;
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new IOException($"-{parameter} '{full}' cannot be written ({why}); nothing was read. Give a folder this account can create and write.", ex),
                ErrorIds.DestinationNotWritable,
                ex is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError,
                full));
        }

        return full;
    }
}
