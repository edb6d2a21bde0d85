using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Core.Phi;
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
[Cmdlet(VerbsCommon.Remove, "DicomPhi", DefaultParameterSetName = DefaultSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Remove-DicomPhi.md")]
[OutputType(typeof(DeidentificationResult))]
[OutputType(typeof(PlanEntry))]
public sealed class RemoveDicomPhiCommand : DeidentificationCommandBase, IDisposable
{
    private const int ProgressActivityId = ProgressIds.RemoveDicomPhi;

    private FilePipeline<DeidentificationRequest, DeidentificationResult>? _pipeline;
    private DeidentificationService? _service;

    /// <inheritdoc/>
    private protected override void Begin()
    {
        var settings = BuildSettings();
        _key = LoadKey();
        var destination = Destinations.RequireWritableFolder(this, Destination, nameof(Destination), WhatIfActive());
        try
        {
            _service = DeidentificationService.Create(settings, _key, destination, Layout, Force, new PhiScrubber(), auditValues: AuditDatabase is not null);
        }
        catch (DeidentificationConfigurationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidDeidentificationSettings", ErrorCategory.InvalidArgument, null));
        }

        if (WhatIfActive())
        {
            return;
        }

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
        var files = ResolveInputs();

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

            _pipeline!.Submit(this, request with { Sequence = _pipeline.Submitted });
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

    private void Emit(DeidentificationResult result)
    {
        result = _service!.Settle(result);
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

        if (result.InputDamaged)
        {
            WriteWarning(InputDamage.Summary(result.SourcePath, result.Damage) + " The output holds only what could be read.");
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
