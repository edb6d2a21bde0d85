using System.Globalization;
using System.Management.Automation;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Core.Workflow;
using MedImageCleaner.Dicom;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Runs the whole de-identification workflow over folders of DICOM files, resumably, with reports.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DicomDeidentification", DefaultParameterSetName = DefaultSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Invoke-DicomDeidentification.md")]
[OutputType(typeof(WorkflowFileResult))]
[OutputType(typeof(WorkflowSummary))]
public sealed class InvokeDicomDeidentificationCommand : DeidentificationCommandBase, IDisposable
{
    private const int ProgressActivityId = ProgressIds.InvokeDicomDeidentification;
    private FilePipeline<WorkflowRequest, WorkflowFileResult>? _pipeline;
    private WorkflowRunner? _runner;
    private WorkflowReport? _report;
    private DeidentificationValidator? _validator;
    private IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();
    private DateTimeOffset _started;

    /// <summary>Remove text burned into the pixels (the seed's --remove-text).</summary>
    [Parameter]
    public SwitchParameter RemoveBurnedInText { get; set; }

    /// <summary>How burned-in text is found (default Auto).</summary>
    [Parameter]
    [Alias("Method")]
    public TextDetectionMethods[] TextMethod { get; set; } = [TextDetectionMethods.Auto];

    /// <summary>All text, or only text that looks like PHI.</summary>
    [Parameter]
    public TextRedactionMode TextMode { get; set; } = TextRedactionMode.All;

    /// <summary>Validate every output before it is released; a file that fails goes to the quarantine (the seed's --validate).</summary>
    [Parameter]
    public SwitchParameter Validate { get; set; }

    /// <summary>With -Validate: warnings fail a file too.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>Also export every released image as Png, Jpeg, Tiff or Npy (the seed's --format), into -ImageDestination.</summary>
    [Parameter]
    public ExportFormat? ConvertTo { get; set; }

    /// <summary>The folder for the exported images (default: '&lt;destination&gt;-images').</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ImageDestination { get; set; }

    /// <summary>Where files that cannot be made safe go (default: '&lt;destination&gt;-quarantine').</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? QuarantinePath { get; set; }

    /// <summary>The folder for report.json, report.html and report.txt (default: '&lt;destination&gt;-report').</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    /// <summary>Also draw the original image next to each redacted one in the HTML report (it shows the burned-in PHI: for internal review only).</summary>
    [Parameter]
    public SwitchParameter IncludeOriginalThumbnails { get; set; }

    /// <summary>Release the de-identified outputs of damaged inputs (truncated values, incomplete pixel data) with a warning instead of quarantining them (InputDamaged).</summary>
    [Parameter]
    public SwitchParameter AllowDamagedInput { get; set; }

    /// <summary>Write one summary object at the end instead of one result per file.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <inheritdoc/>
    private protected override void Begin()
    {
        var settings = BuildSettings();
        try
        {
            settings.Validate();
        }
        catch (DeidentificationConfigurationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidDeidentificationSettings", ErrorCategory.InvalidArgument, null));
        }

        // The key is checked before anything is created: a bad -KeyFile leaves no empty destination behind.
        var key = WhatIfActive() ? null : LoadKey();
        var destination = Destinations.RequireWritableFolder(this, Destination, nameof(Destination), WhatIfActive());

        var quarantine = QuarantinePath is null ? Quarantine.DefaultFor(destination) : SessionState.Path.GetUnresolvedProviderPathFromPSPath(QuarantinePath);
        var reportPath = ReportPath is null ? destination + "-report" : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ReportPath);
        var images = ImageDestination is null ? destination + "-images" : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ImageDestination);
        foreach (var (name, path, id) in new[]
        {
            ("quarantine", quarantine, "QuarantineInsideDestination"), ("report folder", reportPath, "ReportInsideDestination"), ("image folder", images, "ImagesInsideDestination"),
        })
        {
            if (IsInside(path, destination))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The {name} '{path}' is inside the destination; the destination holds only de-identified files."), id, ErrorCategory.InvalidArgument, path));
            }
        }

        _settings = DescribeSettings(settings);
        if (key is null)
        {
            return;
        }

        _key = key;
        var auditPath = AuditDatabase is not null ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(AuditDatabase)
            : KeyFile is not null ? destination + ".audit.db" : null;
        var profileText = AuditJournal.ProfileText(ProfileDescription(), _settings);
        if (auditPath is not null)
        {
            OpenAudit(settings, auditPath, profileText);
            WriteVerbose($"Audit database and resume journal: '{auditPath}'.");
        }
        else
        {
            WriteWarning("Without -KeyFile this run cannot be resumed: an interrupted run starts again from the first file.");
        }

        Directory.CreateDirectory(destination);
        var staging = WorkflowRunner.StagingFor(destination);
        BurnedInTextService? redaction = null;
        try
        {
            var deidentification = DeidentificationService.Create(settings, key, staging, Layout, force: true, new PhiScrubber(), auditValues: auditPath is not null);
            if (RemoveBurnedInText)
            {
                redaction = new BurnedInTextService(TextOptions(), destination: null, new Quarantine(quarantine));
            }

            var journal = _audit is null ? null : new AuditJournal(_audit, key.KeyId, profileText);
            _validator = Validate ? new DeidentificationValidator(new ValidationOptions { Strict = Strict }) : null;
            var converter = ConvertTo is { } format ? new ConverterStep(new ExportOptions { Destination = images, Format = format, Overwrite = true }) : null;
            _runner = new WorkflowRunner(destination, new Quarantine(quarantine), deidentification, redaction, _validator is null ? null : new ValidatorStep(_validator), converter, journal, Force)
            {
                AllowDamagedInput = AllowDamagedInput,
            };
        }
        catch (Exception ex) when (ex is OcrEngineUnavailableException or NativeLibraryMissingException || NativeLibraries.IsMissingNative(ex))
        {
            redaction?.Dispose();
            ThrowTerminatingError(PipelineFailure.ToErrorRecord(ex, null));
        }

        var stale = _runner!.CleanStaging();
        if (stale > 0)
        {
            WriteVerbose($"Removed {stale} partial files an interrupted run left in the staging folder.");
        }

        _started = DateTimeOffset.UtcNow;
        _report = new WorkflowReport(destination, quarantine, reportPath, new ThumbnailRenderer(), IncludeOriginalThumbnails, _started);
        var runner = _runner;
        _pipeline = new FilePipeline<WorkflowRequest, WorkflowFileResult>(
            ThrottleLimit, (request, token) => runner.Process(request, token), ProgressActivityId, "Invoke-DicomDeidentification", "De-identifying");
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var files = ResolveInputs();

        foreach (var (file, root) in files)
        {
            if (_pipeline?.IsStopping == true)
            {
                return;
            }

            if (!ShouldProcess(file, "De-identify" + (RemoveBurnedInText ? ", remove burned-in text" : string.Empty) + (Validate ? ", validate" : string.Empty) + $" into '{Destination}'"))
            {
                continue;
            }

            _pipeline!.Submit(this, new WorkflowRequest(file, System.IO.Path.GetRelativePath(root, file)) { Sequence = _pipeline.Submitted });
            _pipeline.Drain(this, Emit, block: false);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_pipeline is null)
        {
            return;
        }

        _pipeline.Complete(this, Emit);
        var summary = _report!.Write(DateTimeOffset.UtcNow, _settings);
        if (Directory.Exists(_runner!.Staging) && !Directory.EnumerateFileSystemEntries(_runner.Staging).Any())
        {
            Directory.Delete(_runner.Staging);
        }

        WriteVerbose(WorkflowReport.Text(summary));
        WriteVerbose($"Reports: '{summary.ReportPath}'.");
        if (Summary)
        {
            WriteObject(summary);
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _pipeline?.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        _pipeline?.Dispose();
        _runner?.Dispose();
        _validator?.Dispose();
        _report?.Dispose();
        _audit?.Dispose();
        _key?.Dispose();
    }

    private TextRedactionOptions TextOptions()
    {
        var methods = TextDetectionMethods.None;
        foreach (var m in TextMethod)
        {
            methods |= m;
        }

        if ((methods & TextDetectionMethods.Region) != 0)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-TextMethod Region needs regions: use Remove-BurnedInText -Region for that."), "RegionRequired", ErrorCategory.InvalidArgument, null));
        }

        return new TextRedactionOptions { Methods = methods, Mode = TextMode };
    }

    /// <summary>Every setting that changes an output, as text: shown in the reports and fingerprinted for resuming.</summary>
    private Dictionary<string, string> DescribeSettings(DeidentificationSettings settings)
    {
        var inv = CultureInfo.InvariantCulture;
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["profileOptions"] = settings.EffectiveOptions.ToString(),
            ["keepPrivateTags"] = settings.KeepPrivateTags.ToString(inv),
            ["keepOverlays"] = settings.KeepOverlays.ToString(inv),
            ["keepCurves"] = settings.KeepCurves.ToString(inv),
            ["hashPatientId"] = settings.HashPatientId.ToString(inv),
            ["preserveAge"] = settings.PreserveAge.ToString(inv),
            ["preserveSex"] = settings.PreserveSex.ToString(inv),
            ["dateOffsetDays"] = settings.DateOffsetDays?.ToString(inv) ?? "keyed",
            ["patientIdPrefix"] = settings.PatientIdPrefix,
            ["replacementValue"] = settings.ReplacementValue,
            ["customRules"] = string.Join(";", settings.CustomRules.Select(r => $"{r.Tag}={r.Action}")),
            ["siteProfile"] = _siteProfile?.Sha256 ?? "none",
            ["layout"] = Layout.ToString(),
            ["removeBurnedInText"] = RemoveBurnedInText ? $"{string.Join(",", TextMethod)}/{TextMode}" : "no",
            ["validate"] = Validate ? (Strict ? "strict" : "yes") : "no",
            ["convertTo"] = ConvertTo?.ToString() ?? "no",
            ["tool"] = DeidentificationEngine.ToolName,
        };
        if (AllowDamagedInput)
        {
            d["allowDamagedInput"] = "yes";
        }

        return d;
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = System.IO.Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !System.IO.Path.IsPathRooted(relative));
    }

    private void Emit(WorkflowFileResult result)
    {
        result = _runner!.Settle(result);
        _report!.Add(result);
        switch (result.Status)
        {
            case WorkflowFileStatus.Failed:
                WriteError(new ErrorRecord(new MedImageCleanerException(result.Message ?? "The file could not be processed.") { FilePath = result.SourcePath }, result.ErrorId, ErrorCategories.For(result.ErrorId), result.SourcePath));
                break;
            case WorkflowFileStatus.Quarantined:
                WriteWarning($"{result.Message} ({result.ErrorId}; see '{result.QuarantinePath}{Quarantine.ReasonSuffix}').");
                break;
            case WorkflowFileStatus.Completed or WorkflowFileStatus.Unchanged when result.InputDamaged:
                WriteWarning(InputDamage.Summary(result.SourcePath, result.Damage) + " Released as asked (-AllowDamagedInput): the output holds only what could be read.");
                break;
        }

        if (!Summary && result.Status != WorkflowFileStatus.Failed)
        {
            WriteObject(result);
        }
    }
}
