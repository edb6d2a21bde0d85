namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>The online help of each cmdlet (Get-Help -Online): its page in docs/help of the project (ProjectUri in the manifest).</summary>
internal static class HelpLinks
{
    /// <summary>The folder of the help pages.</summary>
    public const string Base = "https://github.com/medimagecleaner/medimagecleaner/blob/main/docs/help/";
}
