using System.Management.Automation;
using MedImageCleaner.Core.Deidentification;
using Microsoft.PowerShell.Commands;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>The one place that loads a -KeyFile: a missing, misplaced or damaged key file is bad configuration (terminating).</summary>
internal static class KeyFiles
{
    /// <summary>Loads the key file <paramref name="keyFile"/> or stops the command (NotFileSystemPath, KeyFileIsFolder, KeyFileNotFound, InvalidKeyFile).</summary>
    public static DeidentificationKey Load(PSCmdlet cmdlet, string keyFile)
    {
        var full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(keyFile, out var provider, out _);
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"'{keyFile}' is not a file-system path; a key file is a file."), "NotFileSystemPath", ErrorCategory.InvalidArgument, keyFile));
        }

        if (Directory.Exists(full))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"The key file '{full}' is a folder; give the key file itself (made by New-DeidentificationKey)."), ErrorIds.KeyFileIsFolder, ErrorCategory.InvalidArgument, full));
        }

        if (!File.Exists(full))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new ItemNotFoundException($"Cannot find the key file '{full}' because it does not exist. Make one with New-DeidentificationKey."), "KeyFileNotFound", ErrorCategory.ObjectNotFound, full));
        }

        try
        {
            return DeidentificationKey.Load(full);
        }
        catch (DeidentificationConfigurationException ex)
        {
            // DeidentificationKey.Load reports every problem of the file (unreadable, not a key, damaged, too short) this way.
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "InvalidKeyFile", ErrorCategory.InvalidData, full));
            throw; // not reached: ThrowTerminatingError throws
        }
    }
}
