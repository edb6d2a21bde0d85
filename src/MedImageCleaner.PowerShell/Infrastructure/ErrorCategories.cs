using System.Management.Automation;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>The PowerShell error category of each stable per-file error id the cmdlets write.</summary>
internal static class ErrorCategories
{
    public static ErrorCategory For(string? errorId) => errorId switch
    {
        "NotDicomFile" or "DuplicateSopInstanceUid" or "InputDamaged" => ErrorCategory.InvalidData,
        "DicomReadFailed" => ErrorCategory.ReadError,
        "DestinationExists" => ErrorCategory.ResourceExists,
        "InputInsideDestination" or "DestinationIsSource" or "DestinationRequired" => ErrorCategory.InvalidArgument,
        "WriteFailed" => ErrorCategory.WriteError,
        _ => ErrorCategory.InvalidOperation,
    };
}
