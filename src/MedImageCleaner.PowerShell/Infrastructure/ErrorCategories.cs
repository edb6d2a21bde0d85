using System.Management.Automation;
using MedImageCleaner.Core.Files;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>The PowerShell error category of each stable per-file error id the cmdlets write.</summary>
internal static class ErrorCategories
{
    public static ErrorCategory For(string? errorId) => errorId switch
    {
        FileErrorIds.NotDicomFile or "DuplicateSopInstanceUid" or "InputDamaged" => ErrorCategory.InvalidData,
        FileErrorIds.DicomReadFailed => ErrorCategory.ReadError,
        "DestinationExists" => ErrorCategory.ResourceExists,
        "InputInsideDestination" or "DestinationIsSource" or "DestinationRequired" => ErrorCategory.InvalidArgument,
        FileErrorIds.WriteFailed => ErrorCategory.WriteError,
        _ => ErrorCategory.InvalidOperation,
    };
}
