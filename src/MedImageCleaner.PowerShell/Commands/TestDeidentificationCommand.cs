using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks de-identified DICOM files for PHI left behind; a gate for runbooks.</para>
/// <para type="description">
/// Checks each file against the confidentiality profile it records (or -Profile), for the de-identification markers,
/// private attributes, PHI patterns in every text value at every depth, identifying values of the original (-Original,
/// the piped SourcePath, or -AuditDatabase with -KeyFile), burned-in text and well-formed UIDs. Writes one
/// DeidentificationReport per file, one summary (-Summary) or one Boolean (-Quiet).
/// </para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "Deidentification", DefaultParameterSetName = DefaultSet, HelpUri = HelpLinks.Base + "Test-Deidentification.md")]
[OutputType(typeof(DeidentificationReport), typeof(DeidentificationSummary), typeof(bool))]
public sealed class TestDeidentificationCommand : DerivedFileInputCommand, IDisposable
{
    private const int ProgressActivityId = ProgressIds.TestDeidentification;

    private readonly DeidentificationSummaryBuilder _summary = new();
    private FilePipeline<ValidationRequest, DeidentificationReport>? _pipeline;
    private DeidentificationValidator? _validator;
    private AuditOriginalValueSource? _vault;
    private DeidentificationKey? _key;
    private ValidationSampler? _sampler;
    private ValidationRequest? _firstSkipped;
    private bool _anyFailed;
    private int _checked;




    /// <summary>Warnings fail a file too.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>PS3.15 E.3 options to check against instead of those each file records (-Profile @() checks against the Basic Profile alone).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public ProfileOptions[]? Profile { get; set; }

    /// <summary>The fraction of files to check, 0..1 (at least one file when any is given).</summary>
    [Parameter]
    public double SampleRate { get; set; } = 1;

    /// <summary>The seed of the sample: the same seed checks the same files.</summary>
    [Parameter]
    public int? Seed { get; set; }

    /// <summary>The audit database of the de-identification run: with -KeyFile, the original values of each file come from its encrypted vault.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AuditDatabase { get; set; }

    /// <summary>The key file the files were de-identified with (opens the audit vault).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    /// <summary>Read every frame and overlay with OCR (Tesseract) for burned-in PHI.</summary>
    [Parameter]
    public SwitchParameter CheckPixels { get; set; }

    /// <summary>Tesseract language(s) for -CheckPixels (default eng).</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z_]+(\\+[A-Za-z_]+)*$")]
    public string Language { get; set; } = "eng";

    /// <summary>The tessdata folder for -CheckPixels.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TessdataPath { get; set; }

    /// <summary>Put the offending values into the findings (they may be PHI: for review only).</summary>
    [Parameter]
    public SwitchParameter IncludeValues { get; set; }

    /// <summary>Write one summary object for all files instead of a report per file.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>Write only $true (every checked file passed) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Files checked at once (default: the number of processors).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <inheritdoc/>
    private protected override void Begin()
    {
        if (double.IsNaN(SampleRate) || SampleRate is < 0 or > 1)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(SampleRate), "-SampleRate must be between 0 and 1."), "InvalidSampleRate", ErrorCategory.InvalidArgument, SampleRate));
        }

        if ((AuditDatabase is null) != (KeyFile is null))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-AuditDatabase and -KeyFile go together: the vault opens only with the key."), "AuditKeyFileRequired", ErrorCategory.InvalidArgument, null));
        }

        if (OnCommandLine(nameof(Original)))
        {
            // A missing original typed on the command line stops the command before any file is read.
            _ = ResolveOriginal(out _);
        }

        if (SampleRate < 1)
        {
            var seed = Seed ?? Random.Shared.Next();
            WriteVerbose($"Sampling {SampleRate:P1} of the files with seed {seed}.");
            _sampler = new ValidationSampler(SampleRate, seed);
        }

        OpenVault();
        var options = new ValidationOptions
        {
            Strict = Strict,
            Profile = MyInvocation.BoundParameters.ContainsKey(nameof(Profile)) ? Combine(Profile) : null,
            IncludeValues = IncludeValues,
            CheckPixels = CheckPixels,
            Language = Language,
            TessdataPath = TessdataPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(TessdataPath),
        };
        try
        {
            _validator = new DeidentificationValidator(options, _vault);
        }
        catch (Exception ex) when (ex is OcrEngineUnavailableException or NativeLibraryMissingException || NativeLibraries.IsMissingNative(ex))
        {
            ThrowTerminatingError(PipelineFailure.ToErrorRecord(ex, null));
        }

        var validator = _validator!;
        _pipeline = new FilePipeline<ValidationRequest, DeidentificationReport>(
            ThrottleLimit, (request, token) => validator.Validate(request, token), ProgressActivityId, "Test-Deidentification", "Checking de-identified files");
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var files = ResolveInputs();

        var original = ResolveOriginal(out var missing);
        _anyFailed |= missing;

        foreach (var (file, _) in files)
        {
            if (_pipeline!.IsStopping)
            {
                return;
            }

            _summary.Files++;
            var request = new ValidationRequest(file, original);
            if (_sampler is not null && !_sampler.Takes(file))
            {
                _firstSkipped ??= request;
                continue;
            }

            Submit(request);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_checked == 0 && _firstSkipped is not null)
        {
            // At least one file when any: a small folder is never "validated" by checking nothing.
            WriteVerbose("The sample took no file: checking the first one.");
            Submit(_firstSkipped);
        }

        _pipeline?.Complete(this, Emit);
        if (Summary)
        {
            WriteObject(_summary.Build());
        }
        else if (Quiet)
        {
            WriteObject(!_anyFailed && _checked > 0);
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _pipeline?.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        _pipeline?.Dispose();
        _validator?.Dispose();
        _vault?.Dispose();
        _key?.Dispose();
    }

    private void Submit(ValidationRequest request)
    {
        _checked++;
        _pipeline!.Submit(this, request);
        _pipeline.Drain(this, Emit, block: false);
    }

    private void OpenVault()
    {
        if (AuditDatabase is null || KeyFile is null)
        {
            return;
        }

        _key = KeyFiles.Load(this, KeyFile);
        var db = AuditCmdlet.ResolveFilePath(this, AuditDatabase);
        if (db is null || !File.Exists(db))
        {
            ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException($"Cannot find the audit database '{db ?? AuditDatabase}' because it does not exist."), "AuditDatabaseNotFound", ErrorCategory.ObjectNotFound, db ?? AuditDatabase));
        }

        try
        {
            _vault = new AuditOriginalValueSource(db!, _key);
        }
        catch (AuditKeyMismatchException ex)
        {
            ThrowTerminatingError(AuditCmdlet.Error(ex, "AuditKeyMismatch", ErrorCategory.SecurityError, db));
        }
        catch (AuditStoreException ex)
        {
            ThrowTerminatingError(AuditCmdlet.Error(ex, "AuditDatabaseInvalid", ErrorCategory.InvalidData, db));
        }
    }

    private static ProfileOptions Combine(ProfileOptions[]? options)
    {
        var all = ProfileOptions.None;
        foreach (var o in options ?? [])
        {
            all |= o;
        }

        return all;
    }

    private void Emit(DeidentificationReport report)
    {
        _summary.Add(report);
        _anyFailed |= !report.Passed;
        if (report.ErrorId is { } errorId)
        {
            WriteError(new ErrorRecord(new MedImageCleanerException(report.Message ?? "The file cannot be checked.") { FilePath = report.FullName }, errorId, ErrorCategories.For(errorId), report.FullName));
            return;
        }

        WriteVerbose($"'{report.FullName}': {(report.Passed ? "passed" : "failed")}, score {report.Score}, {report.ErrorCount} errors, {report.WarningCount} warnings (profile {report.Profile}, residual scan: {report.ResidualSource}).");
        if (!Summary && !Quiet)
        {
            WriteObject(report);
        }
    }
}
