using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using Microsoft.PowerShell.Commands;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>What the audit cmdlets share: path resolution, opening stores and keys, error records (never values).</summary>
internal static class AuditCmdlet
{
    /// <summary>Resolves a file-system path (literal, may not exist yet); writes NotFileSystemPath and returns null for other providers.</summary>
    public static string? ResolveFilePath(PSCmdlet cmdlet, string path)
    {
        var full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            cmdlet.WriteError(new ErrorRecord(
                new ArgumentException($"'{path}' is not a file-system path; {cmdlet.MyInvocation.MyCommand.Name} works on files only."),
                "NotFileSystemPath",
                ErrorCategory.InvalidArgument,
                path));
            return null;
        }

        return full;
    }

    /// <summary>Opens an audit database read-only, or writes AuditDatabaseNotFound / AuditDatabaseInvalid and returns null.</summary>
    public static AuditStore? OpenExisting(PSCmdlet cmdlet, string path)
    {
        var full = ResolveFilePath(cmdlet, path);
        if (full is null)
        {
            return null;
        }

        if (!File.Exists(full))
        {
            cmdlet.WriteError(new ErrorRecord(
                new ItemNotFoundException($"Cannot find the audit database '{full}' because it does not exist."),
                "AuditDatabaseNotFound",
                ErrorCategory.ObjectNotFound,
                full));
            return null;
        }

        cmdlet.WriteVerbose($"Opening the audit database '{full}' read-only.");
        try
        {
            return AuditStore.OpenExisting(full);
        }
        catch (AuditStoreException ex)
        {
            cmdlet.WriteError(Error(ex, "AuditDatabaseInvalid", ErrorCategory.InvalidData, full));
            return null;
        }
    }

    /// <summary>An error record whose message is the Core's (which never holds values).</summary>
    public static ErrorRecord Error(Exception ex, string errorId, ErrorCategory category, object? target) =>
        new(ex, errorId, category, target);
}
