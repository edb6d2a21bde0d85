using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.PowerShell.Infrastructure;
using SiteProfile = MedImageCleaner.Core.Deidentification.ProfileFile;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">De-identifies DICOM files with the PS3.15 Annex E profile and keyed pseudonyms.</para>
/// <para type="description">
/// Reads each input (never modified), applies the Basic Application Level Confidentiality Profile with the options
/// asked for, and writes the result atomically into -Destination under a name derived from the new SOP Instance UID.
/// -WhatIf writes nothing and lists the per-attribute plan instead.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "DicomPhi", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DeidentificationResult))]
[OutputType(typeof(PlanEntry))]
public sealed class RemoveDicomPhiCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int ProgressActivityId = 2;

    /// <summary>Parameters that, given explicitly, win over the same setting of a -ProfileFile.</summary>
    private static readonly (string Parameter, ProfileFileFields Field)[] ProfileFileParameters =
    [
        (nameof(Profile), ProfileFileFields.Options), (nameof(KeepPrivateTags), ProfileFileFields.KeepPrivateTags),
        (nameof(KeepOverlays), ProfileFileFields.KeepOverlays), (nameof(KeepCurves), ProfileFileFields.KeepCurves),
        (nameof(PatientIdPrefix), ProfileFileFields.PatientIdPrefix), (nameof(DateOffsetDays), ProfileFileFields.DateOffsetDays),
    ];

    private FilePipeline<DeidentificationRequest, DeidentificationResult>? _pipeline;
    private DeidentificationService? _service;
    private DeidentificationKey? _key;
    private AuditStore? _audit;
    private bool _literalPathOnCommandLine;
    private SiteProfile? _siteProfile;

    /// <summary>Input files or folders (wildcards expanded).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Input files or folders taken literally; binds FullName/PSPath of piped objects (Get-ChildItem, Get-DicomFile).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The folder that receives the de-identified files (created when missing; never an input folder).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Include files in folders below input folders.</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>PS3.15 E.3 options to apply on top of the Basic Profile.</summary>
    [Parameter]
    public ProfileOptions[] Profile { get; set; } = [];

    /// <summary>The key file (New-DeidentificationKey) that makes pseudonyms repeat across runs and machines.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    /// <summary>The SQLite audit database (created when missing).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AuditDatabase { get; set; }

    /// <summary>How output files are named: Flat (default), Hierarchy, or Mirror (keeps input names: they may hold PHI).</summary>
    [Parameter]
    public OutputLayout Layout { get; set; } = OutputLayout.Flat;

    /// <summary>Files processed at once (default: the number of processors). 1 is sequential and ordered.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <summary>Overwrite outputs that exist with other content.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Seed option: shift every date by this many days (implies Retain Longitudinal Temporal Information with Modified Dates).</summary>
    [Parameter]
    [ValidateRange(-36500, 36500)]
    public int? DateOffsetDays { get; set; }

    /// <summary>Seed option: Patient ID becomes a keyed pseudonym (the default). -HashPatientId:$false empties it.</summary>
    [Parameter]
    public SwitchParameter HashPatientId { get; set; }

    /// <summary>Seed option: keep Patient's Age.</summary>
    [Parameter]
    public SwitchParameter PreserveAge { get; set; }

    /// <summary>Seed option: keep Patient's Sex.</summary>
    [Parameter]
    public SwitchParameter PreserveSex { get; set; }

    /// <summary>Seed option: extra rules, keyword or tag -> action (Keep, Remove, Zero, Dummy, Clean, Uid), e.g. @{ StationName = 'Remove' }.</summary>
    [Parameter]
    public IDictionary? CustomPhiTag { get; set; }

    /// <summary>Seed option: keep every private attribute.</summary>
    [Parameter]
    public SwitchParameter KeepPrivateTags { get; set; }

    /// <summary>Seed option: keep overlays (60xx groups).</summary>
    [Parameter]
    public SwitchParameter KeepOverlays { get; set; }

    /// <summary>Seed option: keep curves (50xx groups).</summary>
    [Parameter]
    public SwitchParameter KeepCurves { get; set; }

    /// <summary>Seed option: the dummy text for text attributes replaced by the profile (default ANONYMIZED); dates, numbers and UIDs always get valid dummies.</summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string ReplacementValue { get; set; } = "ANONYMIZED";

    /// <summary>Prefix of pseudonymous patient IDs (default ANON).</summary>
    [Parameter]
    [ValidateLength(0, 40)]
    public string PatientIdPrefix { get; set; } = "ANON";

    /// <summary>A JSON site profile (schema medimagecleaner-profile/1): options, per-tag rules and seed switches layered over the standard. Parameters given explicitly win over it; -CustomPhiTag rules override its rules for the same tag.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileFile { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _literalPathOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(LiteralPath));
        var settings = BuildSettings();
        _key = LoadKey();
        var destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
        try
        {
            _service = DeidentificationService.Create(settings, _key, destination, Layout, Force, new PhiScrubber());
        }
        catch (DeidentificationConfigurationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidDeidentificationSettings", ErrorCategory.InvalidArgument, null));
        }

        if (WhatIfActive())
        {
            return;
        }

        if (File.Exists(destination))
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"The destination '{destination}' is a file; give a folder."), "DestinationIsFile", ErrorCategory.InvalidArgument, destination));
        }

        Directory.CreateDirectory(destination);
        var stale = _service!.CleanStaleTemporaryFiles();
        if (stale > 0)
        {
            WriteVerbose($"Removed {stale} partial files an interrupted run left in the destination.");
        }

        if (AuditDatabase is not null)
        {
            OpenAudit(settings);
        }

        var service = _service;
        _pipeline = new FilePipeline<DeidentificationRequest, DeidentificationResult>(
            ThrottleLimit, (request, token) => service.Process(request, cancellationToken: token), ProgressActivityId, "Remove-DicomPhi", "De-identifying DICOM files");
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        var files = new List<(string File, string Root)>();
        foreach (var path in literal ? LiteralPath : Path)
        {
            FileResolver.Resolve(this, path, literal, literal && !_literalPathOnCommandLine, Recurse, files);
        }

        foreach (var (file, root) in files)
        {
            if (_pipeline?.IsStopping == true)
            {
                return;
            }

            var request = new DeidentificationRequest(file, System.IO.Path.GetRelativePath(root, file));
            if (!ShouldProcess(file, $"De-identify into '{_service!.Destination}'"))
            {
                if (WhatIfActive())
                {
                    WritePlan(request);
                }

                continue;
            }

            _pipeline!.Submit(request);
            _pipeline.Drain(this, Emit, block: false);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing() => _pipeline?.Complete(this, Emit);

    /// <inheritdoc/>
    protected override void StopProcessing() => _pipeline?.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        _pipeline?.Dispose();
        _audit?.Dispose();
        _key?.Dispose();
    }

    private bool WhatIfActive() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? ((SwitchParameter)w).IsPresent :
        SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;

    private DeidentificationSettings BuildSettings()
    {
        var rules = new List<CustomTagRule>();
        if (CustomPhiTag is not null)
        {
            foreach (DictionaryEntry entry in CustomPhiTag)
            {
                var tagText = entry.Key?.ToString() ?? string.Empty;
                var actionText = entry.Value?.ToString() ?? "Remove";
                if (!DeidentificationNames.TryParseTag(tagText, out var tag))
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{tagText}' is not a DICOM keyword or a tag written (gggg,eeee)."), "InvalidTag", ErrorCategory.InvalidArgument, tagText));
                }

                if (!DeidentificationNames.TryParseAction(actionText, out var action))
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{actionText}' is not an action: use Keep, Remove, Zero, Dummy, Clean or Uid."), "InvalidAction", ErrorCategory.InvalidArgument, actionText));
                }

                rules.Add(new CustomTagRule(tag, action));
            }
        }

        var options = ProfileOptions.None;
        foreach (var o in Profile)
        {
            options |= o;
        }

        return ApplyProfileFile(new DeidentificationSettings
        {
            Options = options,
            KeepPrivateTags = KeepPrivateTags,
            KeepOverlays = KeepOverlays,
            KeepCurves = KeepCurves,
            HashPatientId = !MyInvocation.BoundParameters.ContainsKey(nameof(HashPatientId)) || HashPatientId.IsPresent,
            PreserveAge = PreserveAge,
            PreserveSex = PreserveSex,
            DateOffsetDays = DateOffsetDays,
            PatientIdPrefix = PatientIdPrefix,
            ReplacementValue = ReplacementValue,
            CustomRules = rules,
        });
    }

    private DeidentificationSettings ApplyProfileFile(DeidentificationSettings settings)
    {
        if (ProfileFile is null)
        {
            return settings;
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProfileFile);
        if (!File.Exists(path))
        {
            ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The profile file '{path}' does not exist."), "ProfileFileNotFound", ErrorCategory.ObjectNotFound, path));
        }

        try
        {
            _siteProfile = SiteProfile.Load(path);
        }
        catch (ProfileFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidProfileFile", ErrorCategory.InvalidData, path));
        }

        var given = ProfileFileFields.None;
        foreach (var (parameter, field) in ProfileFileParameters)
        {
            given |= MyInvocation.BoundParameters.ContainsKey(parameter) ? field : ProfileFileFields.None;
        }

        WriteVerbose($"Site profile '{path}' (SHA-256 {_siteProfile!.Sha256}): {_siteProfile.Rules.Count} rules; parameters given here win over it.");
        return _siteProfile.Apply(settings, given);
    }

    private DeidentificationKey LoadKey()
    {
        if (KeyFile is null)
        {
            WriteWarning("No -KeyFile was given: an ephemeral key is used for this run, so pseudonyms and date offsets will not repeat in another run. Make a key with New-DeidentificationKey.");
            return DeidentificationKey.CreateRandom(ephemeral: true);
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile);
        if (!File.Exists(path))
        {
            ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The key file '{path}' does not exist. Make one with New-DeidentificationKey."), "KeyFileNotFound", ErrorCategory.ObjectNotFound, path));
        }

        try
        {
            return DeidentificationKey.Load(path);
        }
        catch (DeidentificationConfigurationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidKeyFile", ErrorCategory.InvalidData, path));
            throw;
        }
    }

    private void OpenAudit(DeidentificationSettings settings)
    {
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(AuditDatabase!);
        var session = new AuditSessionInfo(
            "PS3.15 E.1 Basic Application Level Confidentiality Profile" + (_siteProfile is null ? string.Empty : $"; site profile {System.IO.Path.GetFileName(_siteProfile.FilePath)} sha256:{_siteProfile.Sha256}"),
            settings.EffectiveOptions.ToString(),
            ConfidentialityProfile.Edition,
            DeidentificationEngine.ToolName,
            Environment.UserName,
            Environment.MachineName,
            DateTimeOffset.UtcNow);
        try
        {
            _audit = AuditStore.Open(path, _key!, session);
        }
        catch (MedImageCleanerException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "AuditDatabaseFailed", ErrorCategory.OpenError, path));
        }
    }

    private void Emit(DeidentificationResult result)
    {
        try
        {
            _audit?.Record(result);
        }
        catch (MedImageCleanerException ex)
        {
            // The output is written; only its audit row is missing: say so for this file and go on.
            WriteError(new ErrorRecord(ex, "AuditRecordFailed", ErrorCategory.WriteError, result.SourcePath));
        }

        if (result.Status == DeidentificationStatus.Failed)
        {
            var category = ErrorCategories.For(result.ErrorId);
            WriteError(new ErrorRecord(new MedImageCleanerException(result.Message ?? "De-identification failed.") { FilePath = result.SourcePath }, result.ErrorId, category, result.SourcePath));
            return;
        }

        if (result.Warnings.Count > 0)
        {
            WriteVerbose($"'{result.SourcePath}': {string.Join(", ", result.Warnings)}.");
        }

        WriteObject(result);
    }

    private void WritePlan(DeidentificationRequest request)
    {
        var planned = _service!.Process(request, whatIf: true);
        if (planned.Status == DeidentificationStatus.Failed)
        {
            Emit(planned);
            return;
        }

        foreach (var entry in planned.Plan)
        {
            WriteObject(entry with { SourcePath = planned.SourcePath });
        }
    }
}
