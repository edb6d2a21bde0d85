using System.Management.Automation;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Core.Workflow;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// The one mapping from an exception that ends a command (a worker failure in <see cref="FilePipeline{TRequest, TResult}"/>,
/// a native library that cannot be loaded while a service starts) to its terminating ErrorRecord.
/// </summary>
internal static class PipelineFailure
{
    /// <summary>The terminating error for <paramref name="exception"/> met while processing <paramref name="request"/> (may be null).</summary>
    public static ErrorRecord ToErrorRecord(Exception exception, object? request)
    {
        var target = TargetOf(request);
        return exception switch
        {
            NativeLibraryMissingException missing => new ErrorRecord(missing, ErrorIds.NativeLibraryMissing, ErrorCategory.NotInstalled, missing.Library),
            OcrEngineUnavailableException ocr => new ErrorRecord(ocr, OcrEngineUnavailableException.ErrorId, ErrorCategory.NotInstalled, null),
            _ when NativeLibraries.IsMissingNative(exception) => ToErrorRecord(NativeLibraries.Describe(exception), request),
            _ => new ErrorRecord(
                new InvalidOperationException($"Processing '{target}' failed unexpectedly ({exception.GetType().Name}: {exception.Message}); the command stopped.", exception),
                ErrorIds.WorkerFailed,
                ErrorCategory.NotSpecified,
                target),
        };
    }

    private static string? TargetOf(object? request) => request switch
    {
        null => null,
        string s => s,
        BurnedInTextRequest r => r.Path,
        DeidentificationRequest r => r.SourcePath,
        WorkflowRequest r => r.SourcePath,
        ValidationRequest r => r.Path,
        _ => request.ToString(),
    };
}
