using System.Diagnostics;
using System.Security.Cryptography;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Workflow;

/// <summary>One input of the workflow.</summary>
/// <param name="SourcePath">The input file.</param>
/// <param name="RelativePath">Its path below the folder it was found in (for the Mirror layout).</param>
public sealed record WorkflowRequest(string SourcePath, string? RelativePath = null)
{
    /// <summary>The input's number in input order: of two inputs with one output name the lower wins. -1: not arbitrated.</summary>
    public long Sequence { get; init; } = -1;
}

/// <summary>
/// The whole seed workflow for one file at a time, safe to call from parallel workers: de-identify into a staging
/// folder (a sibling of the destination, so the final rename is atomic), remove burned-in text in place there, validate,
/// then release the file into the destination with one rename, or move it to the quarantine with a reason; convert the
/// released file to images; record it in the journal (the audit store). A file a previous run finished with the same
/// key and settings is skipped. Nothing but finished files ever appears in the destination, so a run killed at any
/// point leaves no partial file there, and a rerun finishes the rest.
/// </summary>
public sealed class WorkflowRunner : IDisposable
{
    private const string StagingSuffix = ".mic-staging";
    private readonly DeidentificationService _deidentification;
    private readonly BurnedInTextService? _redaction;
    private readonly IOutputValidator? _validator;
    private readonly IOutputConverter? _converter;
    private readonly IWorkflowJournal? _journal;
    private readonly bool _force;

    /// <summary>
    /// Creates a runner. <paramref name="deidentification"/> must write into <see cref="StagingFor"/>(destination);
    /// <paramref name="redaction"/>, when given, must work in place (no destination) with the workflow's quarantine.
    /// </summary>
    public WorkflowRunner(
        string destination,
        Quarantine quarantine,
        DeidentificationService deidentification,
        BurnedInTextService? redaction,
        IOutputValidator? validator,
        IOutputConverter? converter,
        IWorkflowJournal? journal,
        bool force)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        ArgumentNullException.ThrowIfNull(quarantine);
        ArgumentNullException.ThrowIfNull(deidentification);
        Destination = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination));
        Staging = StagingFor(Destination);
        if (!string.Equals(Path.TrimEndingDirectorySeparator(deidentification.Destination), Staging, StringComparison.Ordinal))
        {
            throw new ArgumentException("The de-identification service must write into the workflow's staging folder.", nameof(deidentification));
        }

        if (redaction is { Destination: not null })
        {
            throw new ArgumentException("The burned-in text service must work in place.", nameof(redaction));
        }

        Quarantine = quarantine;
        _deidentification = deidentification;
        _redaction = redaction;
        _validator = validator;
        _converter = converter;
        _journal = journal;
        _force = force;
    }

    /// <summary>The clean output folder.</summary>
    public string Destination { get; }

    /// <summary>The staging folder: a hidden sibling of the destination on the same file system.</summary>
    public string Staging { get; }

    /// <summary>The quarantine.</summary>
    public Quarantine Quarantine { get; }

    /// <summary>Release de-identified outputs of damaged inputs (truncated values, incomplete pixel data) instead of quarantining them.</summary>
    public bool AllowDamagedInput { get; init; }

    /// <summary>Which input of this run owns each output name.</summary>
    public OutputClaims Claims { get; } = new();

    /// <summary>
    /// Called on the pipeline thread, in input order, before a result is reported: a released (or skipped) result whose
    /// output name an earlier input owns becomes a Failed DuplicateSopInstanceUid naming both inputs.
    /// </summary>
    public WorkflowFileResult Settle(WorkflowFileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var released = result.Status is WorkflowFileStatus.Completed or WorkflowFileStatus.Unchanged or WorkflowFileStatus.Skipped
            || result is { Status: WorkflowFileStatus.Failed, ErrorId: "DestinationExists" };
        if (!released || result.QuarantinePath is not null || Claims.OwnerOtherThan(result.FullName, result.SourcePath) is not { } owner)
        {
            return result;
        }

        return result with
        {
            Status = WorkflowFileStatus.Failed,
            ErrorId = OutputClaims.DuplicateErrorId,
            Message = OutputClaims.DuplicateMessage(owner, result.SourcePath, result.FullName),
            ConvertedFiles = [],
        };
    }

    /// <summary>The staging folder of a destination folder.</summary>
    public static string StagingFor(string destination)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination));
        var parent = Path.GetDirectoryName(full) ?? full;
        return Path.Combine(parent, "." + Path.GetFileName(full) + StagingSuffix);
    }

    /// <summary>Removes what an interrupted run left in the staging folder; returns the number of files removed.</summary>
    public int CleanStaging()
    {
        if (!Directory.Exists(Staging))
        {
            return 0;
        }

        var count = Directory.EnumerateFiles(Staging, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(Staging, recursive: true);
        return count;
    }

    /// <summary>Whether <paramref name="path"/> is the destination, the staging folder or the quarantine, or inside one of them.</summary>
    public bool IsWorkflowPath(string path)
    {
        var full = Path.GetFullPath(path);
        return IsInside(full, Destination) || IsInside(full, Staging) || IsInside(full, Quarantine.Directory);
    }

    /// <summary>Runs the workflow for one file. Never throws for a bad input (only for cancellation).</summary>
    public WorkflowFileResult Process(WorkflowRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var watch = Stopwatch.StartNew();
        var source = Path.GetFullPath(request.SourcePath);
        if (IsWorkflowPath(source))
        {
            return Failed(source, source, "InputInsideDestination", $"'{source}' is inside the destination, staging or quarantine folder; it is not processed.", watch);
        }

        string sourceHash;
        try
        {
            sourceHash = HashFile(source);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(source, source, FileErrorIds.DicomReadFailed, $"'{source}' cannot be read: {ex.Message}", watch);
        }

        if (_journal?.FindFinished(sourceHash) is { } finished && File.Exists(finished.OutputPath) && SafeHash(finished.OutputPath) == finished.OutputSha256)
        {
            var (previous, previousHash, previousStatus) = finished;
            if (request.Sequence >= 0 && previousStatus != WorkflowFileStatus.Quarantined)
            {
                // Claimed like a released file, so a duplicate is reported on reruns too (see Settle).
                _ = Claims.TryClaim(previous, request.Sequence, source);
            }

            return new WorkflowFileResult
            {
                FullName = previous,
                SourcePath = source,
                Status = WorkflowFileStatus.Skipped,
                QuarantinePath = previousStatus == WorkflowFileStatus.Quarantined ? previous : null,
                SourceSha256 = sourceHash,
                OutputSha256 = previousHash,
                Duration = watch.Elapsed,
            };
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Each file is staged in a folder of its own: two inputs that give the same output name never share a staged file.
        var stage = Path.Combine(Staging, Guid.NewGuid().ToString("N"));
        try
        {
            return ProcessStaged(request, source, sourceHash, stage, watch, cancellationToken);
        }
        finally
        {
            TryDeleteFolder(stage);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _redaction?.Dispose();

    private WorkflowFileResult ProcessStaged(WorkflowRequest request, string source, string sourceHash, string stage, Stopwatch watch, CancellationToken cancellationToken)
    {
        var deid = _deidentification.Process(new DeidentificationRequest(source, request.RelativePath) { Destination = stage }, cancellationToken: cancellationToken);
        var staged = deid.FullName;
        var final = Path.Combine(Destination, Path.GetRelativePath(stage, staged));
        var result = new WorkflowFileResult
        {
            FullName = final,
            SourcePath = source,
            Modality = ReadModality(staged, deid.Status),
            PseudoPatientId = deid.PseudoPatientId,
            ActionCounts = deid.ActionCounts,
            Warnings = deid.Warnings,
            Damage = deid.Damage,
            SourceSha256 = sourceHash,
        };
        if (deid.Status == DeidentificationStatus.Failed)
        {
            return result with { FullName = source, Status = WorkflowFileStatus.Failed, ErrorId = deid.ErrorId, Message = deid.Message, Duration = watch.Elapsed };
        }

        try
        {
            result = Finish(request, result, deid, staged, final, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Discard(staged);
            result = result with { Status = WorkflowFileStatus.Failed, ErrorId = FileErrorIds.WriteFailed, Message = $"'{final}' could not be written: {ex.Message}" };
        }
        catch
        {
            Discard(staged);
            throw;
        }

        result = result with { Duration = watch.Elapsed };
        if (_journal is not null && result.Status is WorkflowFileStatus.Completed or WorkflowFileStatus.Unchanged or WorkflowFileStatus.Quarantined)
        {
            var recorded = result.Status == WorkflowFileStatus.Quarantined
                ? deid with { FullName = result.QuarantinePath ?? result.FullName, Status = DeidentificationStatus.Failed, ErrorId = result.ErrorId, Message = result.Message, OutputSha256 = result.OutputSha256, SourceSha256 = sourceHash }
                : deid with { FullName = result.FullName, Status = result.Status == WorkflowFileStatus.Unchanged ? DeidentificationStatus.Unchanged : DeidentificationStatus.Written, OutputSha256 = result.OutputSha256, SourceSha256 = sourceHash };
            _journal.Record(recorded, result);
        }

        return result;
    }

    private WorkflowFileResult Finish(WorkflowRequest request, WorkflowFileResult result, DeidentificationResult deid, string staged, string final, CancellationToken cancellationToken)
    {
        if (deid.InputDamaged && !AllowDamagedInput)
        {
            // Data is missing from the input: what was read is de-identified, but it is not the image; never released silently.
            var message = InputDamage.Summary(result.SourcePath, deid.Damage);
            var quarantined = Quarantine.Place(staged, InputDamage.ErrorId, message, move: true);
            return result with
            {
                FullName = quarantined,
                Status = WorkflowFileStatus.Quarantined,
                QuarantinePath = quarantined,
                ErrorId = InputDamage.ErrorId,
                Message = message + " Quarantined (-AllowDamagedInput releases such files).",
                OutputSha256 = SafeHash(quarantined),
            };
        }

        if (_redaction is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = _redaction.Process(new BurnedInTextRequest(staged, deid.SourcePath), cancellationToken);
            result = result with
            {
                TextRedaction = text.Status,
                RedactedBoxes = text.Boxes,
                TextVerified = text.Boxes.Count > 0 ? text.Verified : null,
                Warnings = [.. result.Warnings, .. text.Warnings],
            };
            switch (text.Status)
            {
                case TextRedactionStatus.Quarantined:
                    // The service moved the staged file (redacted as far as it could) into the quarantine.
                    Discard(staged);
                    return result with
                    {
                        FullName = text.QuarantinePath ?? final,
                        Status = WorkflowFileStatus.Quarantined,
                        QuarantinePath = text.QuarantinePath,
                        ErrorId = text.ErrorId,
                        Message = $"'{result.SourcePath}': {QuarantineReason(text.ErrorId)}; quarantined.",
                        OutputSha256 = text.QuarantinePath is { } q && File.Exists(q) ? SafeHash(q) : null,
                    };
                case TextRedactionStatus.Failed:
                    Discard(staged);
                    return result with { Status = WorkflowFileStatus.Failed, ErrorId = text.ErrorId ?? "PixelRedactionFailed", Message = $"'{result.SourcePath}': the burned-in text step failed ({text.ErrorId})." };
            }
        }

        if (_validator is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var validation = _validator.Validate(staged, deid.SourcePath, cancellationToken);
            result = result with { Validation = validation };
            if (!validation.Passed)
            {
                var checks = string.Join(", ", validation.Findings.Where(f => f.Severity == "Error").Select(f => f.CheckId).Distinct(StringComparer.Ordinal));
                var message = $"Validation failed ({(checks.Length == 0 ? "warnings under -Strict" : checks)}).";
                var quarantined = Quarantine.Place(staged, "ValidationFailed", message, move: true);
                return result with
                {
                    FullName = quarantined,
                    Status = WorkflowFileStatus.Quarantined,
                    QuarantinePath = quarantined,
                    ErrorId = "ValidationFailed",
                    Message = $"'{result.SourcePath}': {message} Quarantined.",
                    OutputSha256 = SafeHash(quarantined),
                };
            }
        }

        if (request.Sequence >= 0 && Claims.TryClaim(final, request.Sequence, result.SourcePath) is { } owner)
        {
            // An earlier input has this output name (one SOP Instance UID in two inputs): it wins, whatever finished first.
            Discard(staged);
            return result with { Status = WorkflowFileStatus.Failed, ErrorId = OutputClaims.DuplicateErrorId, Message = OutputClaims.DuplicateMessage(owner, result.SourcePath, final) };
        }

        var outputHash = HashFile(staged);
        var status = Claims.Exclusive(() => Release(staged, final, outputHash));
        if (status is null)
        {
            Discard(staged);
            return result with
            {
                Status = WorkflowFileStatus.Failed,
                ErrorId = "DestinationExists",
                Message = $"'{result.SourcePath}': '{final}' already holds a different de-identified file (another input with the same SOP Instance UID, or an earlier run with other settings); nothing was replaced. -Force replaces it.",
            };
        }

        result = result with { Status = status.Value, OutputSha256 = outputHash };
        if (_converter is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var images = _converter.Convert(final, cancellationToken, out var conversionError);
            result = result with { ConvertedFiles = images };
            if (conversionError is not null)
            {
                // The de-identified file is released and safe; only (some of) its images are missing.
                result = result with { Warnings = [.. result.Warnings, "ConversionFailed: " + conversionError] };
            }
        }

        return result;
    }

    /// <summary>Moves the staged file into place: Completed, Unchanged (same bytes there), or null (other bytes there, no -Force).</summary>
    private WorkflowFileStatus? Release(string staged, string final, string outputHash)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        try
        {
            // Never replaces a file: another worker may release the same name at the same moment.
            File.Move(staged, final, overwrite: false);
            Claims.RecordWritten(final, outputHash);
            return WorkflowFileStatus.Completed;
        }
        catch (IOException) when (File.Exists(final))
        {
            var existing = SafeHash(final);
            if (existing == outputHash)
            {
                Discard(staged);
                return WorkflowFileStatus.Unchanged;
            }

            // A file another input of this run released there (a later one in input order) is replaced by its owner.
            if (!_force && (existing is null || !Claims.WrittenThisRun(final, existing)))
            {
                return null;
            }

            File.Move(staged, final, overwrite: true);
            Claims.RecordWritten(final, outputHash);
            return WorkflowFileStatus.Completed;
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next run empties the staging folder.
        }
    }

    private static string QuarantineReason(string? id) => id switch
    {
        "UnsupportedPixelEncoding" => "the pixel encoding cannot be decoded, so burned-in text cannot be ruled out",
        "PixelDecodeFailed" => "a frame could not be decoded",
        "PixelDataIncomplete" => "the pixel data is incomplete",
        "TextRemains" => "text that looks like PHI is still readable after redaction",
        _ => "the file could not be made safe",
    };

    private static string? ReadModality(string staged, DeidentificationStatus status)
    {
        if (status == DeidentificationStatus.Failed || !File.Exists(staged))
        {
            return null;
        }

        try
        {
            using var file = DicomFile.Open(staged);
            return file.Dataset.GetString(DicomTag.Modality)?.Trim() is { Length: > 0 and <= 16 } m ? m : null;
        }
        catch (MedImageCleanerException)
        {
            return null;
        }
    }

    private static bool IsInside(string full, string folder) =>
        string.Equals(full, folder, StringComparison.Ordinal) || full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static void Discard(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the staging folder, which the next run empties; never in the destination.
        }
    }

    private static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string? SafeHash(string path)
    {
        try
        {
            return HashFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static WorkflowFileResult Failed(string source, string target, string errorId, string message, Stopwatch watch) => new()
    {
        FullName = target,
        SourcePath = source,
        Status = WorkflowFileStatus.Failed,
        ErrorId = errorId,
        Message = message,
        Duration = watch.Elapsed,
    };
}
