using System.Management.Automation;
using MedImageCleaner.Network;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>Checks shared by the network cmdlets (AE titles), with their stable error ids.</summary>
internal static class NetworkParameters
{
    /// <summary>An AE title parameter is empty, longer than 16 characters, or holds a backslash or control character.</summary>
    public const string InvalidAETitle = "InvalidAETitle";

    /// <summary>Stops the command when <paramref name="title"/> is not a valid AE title.</summary>
    public static string RequireAETitle(PSCmdlet cmdlet, string? title, string parameter)
    {
        if (!AeTitle.IsValid(title))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-{parameter} must be 1 to 16 printable ASCII characters without a backslash."),
                InvalidAETitle,
                ErrorCategory.InvalidArgument,
                title));
        }

        return title!.Trim();
    }
}
