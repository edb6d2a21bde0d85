using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using Microsoft.PowerShell.Commands;
using MedImageCleaner.PowerShell.Completers;

using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the sessions or the file rows of a de-identification audit database.</para>
/// <para type="description">
/// Reads an audit database written by Remove-DicomPhi -AuditDatabase: one AuditSessionRecord per session (who, host,
/// when, profile, options, edition, tool version, key id, file counts), or with -Files one AuditFileRecord per file
/// (hashes, action counts, status, error id, pseudonyms). Neither holds PHI: source paths and mappings stay encrypted.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeidentificationAudit", HelpUri = HelpLinks.Base + "Get-DeidentificationAudit.md")]
[OutputType(typeof(AuditSessionRecord), typeof(AuditFileRecord))]
public sealed class GetDeidentificationAuditCommand : PSCmdlet
{
    /// <summary>The audit database file.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AuditDatabaseCompleter))]
    public string AuditDatabase { get; set; } = string.Empty;

    /// <summary>Only these sessions.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = [];

    /// <summary>List file rows instead of sessions.</summary>
    [Parameter]
    public SwitchParameter Files { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        using var store = AuditCmdlet.OpenExisting(this, AuditDatabase);
        if (store is null)
        {
            return;
        }

        try
        {
            if (Files)
            {
                if (SessionId.Length == 0)
                {
                    WriteObject(store.GetFiles(), enumerateCollection: true);
                }

                foreach (var id in SessionId)
                {
                    WriteObject(store.GetFiles(id), enumerateCollection: true);
                }

                return;
            }

            foreach (var session in store.GetSessions())
            {
                if (SessionId.Length == 0 || Array.IndexOf(SessionId, session.SessionId) >= 0)
                {
                    WriteObject(session);
                }
            }
        }
        catch (AuditStoreException ex)
        {
            WriteError(AuditCmdlet.Error(ex, "AuditDatabaseInvalid", ErrorCategory.ReadError, store.Path));
        }
    }
}
