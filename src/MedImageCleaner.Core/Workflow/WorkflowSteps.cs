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
    FinishedOutput? FindFinished(string sourceSha256);

    /// <summary>Records one finished file (thread-safe).</summary>
    void Record(DeidentificationResult deidentification, WorkflowFileResult result);
}

/// <summary>What a previous run left for an input (see <see cref="IWorkflowJournal.FindFinished"/>).</summary>
/// <param name="OutputPath">The output file.</param>
/// <param name="OutputSha256">The output's SHA-256 as recorded.</param>
/// <param name="Status">Completed, or Quarantined for an input the run quarantined.</param>
public sealed record FinishedOutput(string OutputPath, string OutputSha256, WorkflowFileStatus Status);
