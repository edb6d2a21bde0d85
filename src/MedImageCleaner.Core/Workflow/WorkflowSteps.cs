using MedImageCleaner.Core.Deidentification;

namespace MedImageCleaner.Core.Workflow;

/// <summary>Checks a de-identified file before it is released (Test-Deidentification's validator behind it).</summary>
public interface IOutputValidator
{
    /// <summary>Validates <paramref name="outputPath"/>, knowing its original at <paramref name="originalPath"/>.</summary>
    WorkflowValidation Validate(string outputPath, string originalPath, CancellationToken cancellationToken);
}

/// <summary>Exports a released file as images (Convert-DicomImage's exporter behind it).</summary>
public interface IOutputConverter
{
    /// <summary>Writes the images of <paramref name="outputPath"/>; returns their paths, and the error id when it could not (files without pixels are no error).</summary>
    IReadOnlyList<string> Convert(string outputPath, CancellationToken cancellationToken, out string? errorId);
}

/// <summary>
/// What earlier runs finished, and the record of this run: the audit store behind it. A file is finished for good
/// when its row exists and its output still holds the recorded bytes.
/// </summary>
public interface IWorkflowJournal
{
    /// <summary>The output a previous run with the same key and settings wrote for an input with these bytes, if any.</summary>
    bool TryFindFinished(string sourceSha256, out string outputPath, out string outputSha256, out WorkflowFileStatus status);

    /// <summary>Records one finished file (thread-safe).</summary>
    void Record(DeidentificationResult deidentification, WorkflowFileResult result);
}
