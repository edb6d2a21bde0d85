using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.PowerShell.Completers;

using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Verifies the hash chain of a de-identification audit database.</para>
/// <para type="description">
/// Walks every session and file row in chain order and checks that each carries the hash of the row before it and
/// matches its own hash, and that the chain ends at its recorded head. Emits one AuditVerification per database:
/// Passed, RowsChecked, FirstBrokenRow (the chain position of the first missing, altered or inserted row), Message.
/// </para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DeidentificationAudit", HelpUri = HelpLinks.Base + "Test-DeidentificationAudit.md")]
[OutputType(typeof(AuditVerification))]
public sealed class TestDeidentificationAuditCommand : PSCmdlet
{
    /// <summary>The audit database files.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AuditDatabaseCompleter))]
    public string[] AuditDatabase { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var path in AuditDatabase)
        {
            using var store = AuditCmdlet.OpenExisting(this, path);
            if (store is null)
            {
                continue;
            }

            try
            {
                var result = store.Verify();
                WriteVerbose(result.Passed
                    ? $"The audit database '{store.Path}' passed: {result.RowsChecked} rows."
                    : $"The audit database '{store.Path}' failed at chain position {result.FirstBrokenRow}.");
                WriteObject(result);
            }
            catch (AuditStoreException ex)
            {
                WriteError(AuditCmdlet.Error(ex, "AuditDatabaseInvalid", ErrorCategory.ReadError, store.Path));
            }
        }
    }
}
