using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Core.Results;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>How output files are named.</summary>
public enum OutputLayout
{
    /// <summary>&lt;Destination&gt;/&lt;new SOP Instance UID&gt;.dcm: names carry no PHI.</summary>
    Flat,

    /// <summary>&lt;Destination&gt;/&lt;pseudo patient ID&gt;/&lt;new Study UID&gt;/&lt;new Series UID&gt;/&lt;new SOP Instance UID&gt;.dcm.</summary>
    Hierarchy,

    /// <summary>The input's path relative to its root, kept: names may hold PHI (a warning says so).</summary>
    Mirror,
}

/// <summary>What happened to one file.</summary>
public enum DeidentificationStatus
{
    /// <summary>Written to the destination.</summary>
    Written,

    /// <summary>The destination already holds the identical output (a rerun): nothing written.</summary>
    Unchanged,

    /// <summary>Only planned (-WhatIf).</summary>
    Planned,

    /// <summary>Failed; see ErrorId.</summary>
    Failed,
}

/// <summary>The result of de-identifying one file. Holds no PHI: the pseudonymous patient ID and new paths only.</summary>
public sealed record DeidentificationResult
{
    private readonly FlatCollection<PlanEntry> _plan = FlatCollection.Empty<PlanEntry>();
    private readonly FlatCollection<string> _damage = FlatCollection.Empty<string>();
    private readonly FlatCollection<string> _warnings = FlatCollection.Empty<string>();
    private readonly CountDictionary _actionCounts = CountDictionary.Empty;

    /// <summary>The output file (or the planned output path).</summary>
    public required string FullName { get; init; }

    /// <summary>The input file.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The output file's name.</summary>
    public string Name => Path.GetFileName(FullName);

    /// <summary>The input file's name.</summary>
    public string SourceName => Path.GetFileName(SourcePath);

    /// <summary>Attributes removed (action Remove).</summary>
    public int Removed => ActionCounts.TryGetValue("Remove", out var n) ? n : 0;

    /// <summary>Attributes replaced (actions Dummy, Zero, Uid and Clean).</summary>
    public int Replaced => Sum("Dummy", "Zero", "Uid", "Clean");

    /// <summary>Attributes kept (action Keep).</summary>
    public int Kept => ActionCounts.TryGetValue("Keep", out var n) ? n : 0;

    public string? PseudoPatientId { get; init; }

    public string? SopInstanceUid { get; init; }

    public string? StudyInstanceUid { get; init; }

    /// <summary>Attributes per action (Keep, Remove, Zero, Dummy, Clean, Uid).</summary>
    public IReadOnlyDictionary<string, int> ActionCounts { get => _actionCounts; init => _actionCounts = CountDictionary.From(value); }

    public int? DateOffsetDays { get; init; }

    public TimeSpan Duration { get; init; }

    public DeidentificationStatus Status { get; init; }

    /// <summary>Reader warnings and notes (codes and fixed text, never values).</summary>
    public IReadOnlyList<string> Warnings { get => _warnings; init => _warnings = FlatCollection.From(value); }

    /// <summary>What is missing from a damaged input (truncated values, incomplete pixel data...), no values; empty for a sound input.</summary>
    public IReadOnlyList<string> Damage { get => _damage; init => _damage = FlatCollection.From(value); }

    /// <summary>True when the input is damaged: the output holds only what could be read (see <see cref="Damage"/>).</summary>
    public bool InputDamaged => Damage.Count > 0;

    /// <summary>A stable error id when Status is Failed (NotDicomFile, DicomReadFailed, DestinationExists, WriteFailed...).</summary>
    public string? ErrorId { get; init; }

    /// <summary>The error message (no values).</summary>
    public string? Message { get; init; }

    /// <summary>SHA-256 of the input file (hex).</summary>
    public string? SourceSha256 { get; init; }

    /// <summary>SHA-256 of the output file (hex).</summary>
    public string? OutputSha256 { get; init; }

    /// <summary>The plan, when asked for.</summary>
    public IReadOnlyList<PlanEntry> Plan { get => _plan; init => _plan = FlatCollection.From(value); }

    /// <summary>Original -> pseudonym pairs for the encrypted audit vault (PHI: never printed).</summary>
    internal IReadOnlyList<IdentityMapping> Mappings { get; init; } = [];

    /// <summary>The identifying values of the input header (names, IDs, dates, institution...) for the encrypted audit vault (PHI: never printed).</summary>
    internal IReadOnlyList<IdentifyingValue> IdentifyingValues { get; init; } = [];

    public override string ToString() => FullName;

    private int Sum(params string[] actions)
    {
        var total = 0;
        foreach (var a in actions)
        {
            total += ActionCounts.TryGetValue(a, out var n) ? n : 0;
        }

        return total;
    }
}

/// <summary>One request: an input file and where it goes.</summary>
/// <param name="SourcePath">The input file (full path).</param>
/// <param name="RelativePath">The path relative to the input root (used by <see cref="OutputLayout.Mirror"/>).</param>
public sealed record DeidentificationRequest(string SourcePath, string? RelativePath = null)
{
    /// <summary>A folder that receives this file instead of the service's destination (the workflow stages each file apart).</summary>
    public string? Destination { get; init; }

    /// <summary>The input's number in input order (0, 1, 2...): of two inputs with one output name the lower wins. -1: not arbitrated.</summary>
    public long Sequence { get; init; } = -1;
}

/// <summary>
/// De-identifies files: read (inputs opened read-only), run the engine, write atomically to the destination
/// (temporary file renamed into place), hash input and output. One instance is shared by parallel workers.
/// </summary>
public sealed class DeidentificationService
{
    /// <summary>Temporary files of this service end with this suffix (stale ones are removed by <see cref="CleanStaleTemporaryFiles"/>).</summary>
    public const string TemporarySuffix = AtomicFile.TemporarySuffix;

    private readonly DeidentificationEngine _engine;
    private readonly string _destination;
    private readonly OutputLayout _layout;
    private readonly bool _force;
    private readonly bool _auditValues;
    private readonly ConcurrentDictionary<string, byte> _folders = new(StringComparer.Ordinal);

    /// <summary>Creates a service.</summary>
    /// <param name="engine">The engine that de-identifies each dataset.</param>
    /// <param name="destination">The destination folder.</param>
    /// <param name="layout">How outputs are named.</param>
    /// <param name="force">Overwrite outputs that exist with other content.</param>
    /// <param name="auditValues">
    /// Collect the header's identifying values of each input for the audit vault (false when no audit store records
    /// the results: the collection is a fair part of a small file's cost).
    /// </param>
    public DeidentificationService(DeidentificationEngine engine, string destination, OutputLayout layout = OutputLayout.Flat, bool force = false, bool auditValues = true)
    {
        Claims = new OutputClaims();
        _engine = engine;
        _destination = Path.GetFullPath(destination);
        _layout = layout;
        _force = force;
        _auditValues = auditValues;
    }

    /// <summary>The destination folder.</summary>
    public string Destination => _destination;

    /// <summary>Which input of this run owns each output name (see <see cref="Settle"/>).</summary>
    public OutputClaims Claims { get; }

    /// <summary>
    /// Called on the pipeline thread, in input order, before a result is reported: a result whose output name an
    /// earlier input of the run owns becomes a DuplicateSopInstanceUid failure naming both inputs.
    /// </summary>
    public DeidentificationResult Settle(DeidentificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status is DeidentificationStatus.Planned || result.ErrorId is FileErrorIds.NotDicomFile or FileErrorIds.DicomReadFailed or "InputInsideDestination")
        {
            return result;
        }

        return Claims.OwnerOtherThan(result.FullName, result.SourcePath) is { } owner
            ? result with { Status = DeidentificationStatus.Failed, ErrorId = OutputClaims.DuplicateErrorId, Message = OutputClaims.DuplicateMessage(owner, result.SourcePath, result.FullName) }
            : result;
    }

    /// <summary>Builds a service from cmdlet-level inputs.</summary>
    public static DeidentificationService Create(DeidentificationSettings settings, DeidentificationKey key, string destination, OutputLayout layout, bool force, IPhiScrubber? scrubber, bool auditValues = true)
    {
        var pseudonymizer = new Pseudonymizer(key, settings.PatientIdPrefix, settings.DateOffsetDays);
        return new DeidentificationService(new DeidentificationEngine(settings, pseudonymizer, scrubber), destination, layout, force, auditValues);
    }

    /// <summary>Removes partial files a killed run left in the destination.</summary>
    public int CleanStaleTemporaryFiles()
    {
        if (!Directory.Exists(_destination))
        {
            return 0;
        }

        var n = 0;
        foreach (var f in Directory.EnumerateFiles(_destination, "*" + TemporarySuffix, SearchOption.AllDirectories))
        {
            try
            {
                File.Delete(f);
                n++;
            }
            catch (IOException)
            {
                // in use by another process: leave it
            }
        }

        return n;
    }

    /// <summary>True when <paramref name="path"/> is inside (or equal to) the destination: such inputs are refused.</summary>
    public bool IsInsideDestination(string path)
    {
        var full = Path.GetFullPath(path);
        var dest = _destination.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return full.StartsWith(dest, StringComparison.Ordinal) || full == _destination;
    }

    /// <summary>De-identifies one file. Never throws for a bad input: failures come back as a Failed result.</summary>
    public DeidentificationResult Process(DeidentificationRequest request, bool whatIf = false, bool collectPlan = false, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var source = Path.GetFullPath(request.SourcePath);
        if (IsInsideDestination(source))
        {
            return Failed(source, "InputInsideDestination", "The input is inside the destination folder; it is not processed (inputs are never overwritten).", watch);
        }

        // Small inputs are read once: the same bytes are hashed for the audit and parsed.
        if (DicomFileOpener.TryOpen(source, InMemoryLimit, out var bytes, out var failure) is not { } file)
        {
            return Failed(source, failure!.ErrorId, failure.Message, watch);
        }

        var sourceHash = bytes is null ? null : Convert.ToHexStringLower(SHA256.HashData(bytes));

        using (file)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DeidentificationOutcome outcome;
            try
            {
                outcome = _engine.Apply(file.Dataset, collectPlan || whatIf);
            }
            catch (MedImageCleanerException ex)
            {
                return Failed(source, "DeidentificationFailed", $"'{source}' could not be de-identified: {ex.Message}", watch);
            }

            var newSop = outcome.Dataset.GetString(DicomTag.SOPInstanceUID);
            var newStudy = outcome.Dataset.GetString(DicomTag.StudyInstanceUID);
            var newSeries = outcome.Dataset.GetString(DicomTag.SeriesInstanceUID);
            var warnings = new List<string>();
            foreach (var w in file.Warnings)
            {
                warnings.Add(w.Code);
            }

            var target = TargetPath(request, outcome, newSop, newStudy, newSeries, warnings);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var kv in outcome.Counts)
            {
                counts[kv.Key.ToString()] = kv.Value;
            }

            var result = new DeidentificationResult
            {
                FullName = target,
                SourcePath = source,
                PseudoPatientId = outcome.PseudoPatientId,
                SopInstanceUid = newSop,
                StudyInstanceUid = newStudy,
                ActionCounts = counts,
                DateOffsetDays = outcome.DateOffsetDays,
                Warnings = warnings,
                Damage = InputDamage.Describe(file),
                Plan = outcome.Plan,
                Mappings = outcome.Mappings,
                IdentifyingValues = whatIf || !_auditValues ? [] : HeaderValues(file.Dataset),
                Status = DeidentificationStatus.Planned,
            };
            if (whatIf)
            {
                return result with { Duration = watch.Elapsed };
            }

            if (request.Sequence >= 0 && Claims.TryClaim(target, request.Sequence, source) is { } owner)
            {
                // An earlier input has this output name (one SOP Instance UID in two inputs): it wins, whatever finished first.
                return Failed(source, OutputClaims.DuplicateErrorId, OutputClaims.DuplicateMessage(owner, source, target), watch) with { FullName = target };
            }

            var output = new DicomFile(outcome.Dataset, file.TransferSyntax);
            var options = new DicomWriteOptions { KeepOtherFileMetaElements = false };
            try
            {
                string outputHash;
                using (var pending = CreatePending(target))
                {
                    using (var hashing = new HashingStream(pending.Stream))
                    {
                        // Hashed as it is written: the output is not read back.
                        output.Save(hashing, options);
                        outputHash = hashing.HashHex();
                    }

                    var (status, onDisk) = Claims.Exclusive(() => Commit(pending, target, outputHash));
                    if (status == DeidentificationStatus.Failed)
                    {
                        return Failed(source, "DestinationExists", $"'{target}' exists with other content (from another run, other settings or another input); use -Force to overwrite it.", watch) with { FullName = target };
                    }

                    return result with { Status = status, OutputSha256 = onDisk, SourceSha256 = sourceHash ?? HashFile(source), Duration = watch.Elapsed };
                }
            }
            catch (DicomWriteException ex)
            {
                return Failed(source, FileErrorIds.WriteFailed, $"'{source}' could not be written: {ex.Message}", watch);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Failed(source, FileErrorIds.WriteFailed, $"'{target}' could not be written: {ex.Message}", watch);
            }
        }
    }

    /// <summary>
    /// Renames the written output into place (run alone, see <see cref="OutputClaims.Exclusive"/>): Written, Unchanged
    /// (the same bytes are there, or a file an in-place pass of ours derived from exactly these bytes, see
    /// <see cref="OutputLineage"/>), or Failed (other content, without -Force). Returns the hash of the file left there.
    /// </summary>
    private (DeidentificationStatus Status, string Hash) Commit(PendingFile pending, string target, string outputHash)
    {
        if (pending.TryCommit(overwrite: false))
        {
            Claims.RecordWritten(target, outputHash);
            return (DeidentificationStatus.Written, outputHash);
        }

        var existing = HashFile(target);
        if (existing == outputHash)
        {
            return (DeidentificationStatus.Unchanged, outputHash);
        }

        if (OutputLineage.IsDerivedFrom(target, outputHash))
        {
            // A rerun: Remove-BurnedInText cleaned exactly this output in place last time.
            return (DeidentificationStatus.Unchanged, existing);
        }

        if (!_force && !Claims.WrittenThisRun(target, existing))
        {
            return (DeidentificationStatus.Failed, existing);
        }

        pending.TryCommit(overwrite: true);
        Claims.RecordWritten(target, outputHash);
        return (DeidentificationStatus.Written, outputHash);
    }

    private string TargetPath(DeidentificationRequest request, DeidentificationOutcome outcome, string? sop, string? study, string? series, List<string> warnings)
    {
        // A dataset without a SOP Instance UID (a DICOMDIR, a bare dataset) is named after its input's content, so reruns agree.
        var name = (sop is { Length: > 0 } ? sop : "NO-SOP-" + ContentName(request.SourcePath)) + ".dcm";
        var root = request.Destination is null ? _destination : Path.GetFullPath(request.Destination);
        switch (_layout)
        {
            case OutputLayout.Hierarchy:
                return Path.Combine(root, Safe(outcome.PseudoPatientId ?? "NO-PATIENT-ID"), Safe(study ?? "NO-STUDY"), Safe(series ?? "NO-SERIES"), name);
            case OutputLayout.Mirror:
                warnings.Add("MirrorLayoutNamesMayHoldPhi");
                var rel = request.RelativePath ?? Path.GetFileName(request.SourcePath);
                return Path.GetFullPath(Path.Combine(root, rel));
            default:
                return Path.Combine(root, name);
        }
    }

    /// <summary>
    /// Starts the atomic write of <paramref name="target"/>, creating its folder the first time this service writes
    /// into it (one mkdir per folder, not per file) or when it has gone missing since.
    /// </summary>
    private PendingFile CreatePending(string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        if (_folders.TryAdd(folder, 0))
        {
            Directory.CreateDirectory(folder);
            return AtomicFile.Create(target);
        }

        try
        {
            return AtomicFile.Create(target);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(folder);
            return AtomicFile.Create(target);
        }
    }

    /// <summary>The header's identifying values except UIDs (those are in the mappings already).</summary>
    private static List<IdentifyingValue> HeaderValues(DicomDataset dataset)
    {
        var values = PhiContextBuilder.CollectValues(dataset);
        values.RemoveAll(v => v.Kind == IdentifyingValueKind.Uid);
        return values;
    }

    /// <summary>Inputs up to this size are read into memory in one read (and hashed from those bytes).</summary>
    private const long InMemoryLimit = 8 * 1024 * 1024;

    private static string ContentName(string path) => HashFile(path)[..32];

    private static string Safe(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not '.' and not '-' and not '_')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string HashFile(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }

    private static DeidentificationResult Failed(string source, string errorId, string message, Stopwatch watch) => new()
    {
        FullName = source,
        SourcePath = source,
        Status = DeidentificationStatus.Failed,
        ErrorId = errorId,
        Message = message,
        Duration = watch.Elapsed,
    };
}
