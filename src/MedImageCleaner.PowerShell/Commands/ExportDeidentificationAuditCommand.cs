using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.PowerShell.Completers;

using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Exports the sessions and files of a de-identification audit database as JSON or CSV, without PHI.</para>
/// <para type="description">
/// Writes what Get-DeidentificationAudit shows, plus the verification of the hash chain (JSON): no encrypted vault, no
/// lookup, no source path (only its keyed hash), no mapping. The file is written to a temporary name and renamed into
/// place; an existing destination is replaced only with -Force.
/// </para>
/// </summary>
[Cmdlet(VerbsData.Export, "DeidentificationAudit", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Export-DeidentificationAudit.md")]
[OutputType(typeof(FileInfo))]
public sealed class ExportDeidentificationAuditCommand : PSCmdlet
{
    /// <summary>The audit database file.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AuditDatabaseCompleter))]
    public string AuditDatabase { get; set; } = string.Empty;

    /// <summary>Json or Csv.</summary>
    [Parameter(Mandatory = true)]
    public AuditExportFormat Format { get; set; }

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Replace an existing destination file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the destination's FileInfo.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var destination = AuditCmdlet.ResolveFilePath(this, Destination);
        var database = AuditCmdlet.ResolveFilePath(this, AuditDatabase);
        if (destination is null || database is null)
        {
            return;
        }

        if (destination.StartsWith(database, StringComparison.Ordinal) && (destination.Length == database.Length || destination[database.Length] == '-'))
        {
            WriteError(new ErrorRecord(
                new ArgumentException("The destination is the audit database (or one of its journal files); export to another file."),
                "DestinationIsAuditDatabase",
                ErrorCategory.InvalidArgument,
                destination));
            return;
        }

        if (File.Exists(destination) && !Force)
        {
            WriteError(new ErrorRecord(
                new IOException($"The file '{destination}' exists; use -Force to replace it."),
                "DestinationExists",
                ErrorCategory.ResourceExists,
                destination));
            return;
        }

        if (!ShouldProcess(destination, $"Export the audit database '{database}' as {Format}"))
        {
            return;
        }

        using var store = AuditCmdlet.OpenExisting(this, database);
        if (store is null)
        {
            return;
        }

        try
        {
            AuditExporter.WriteFile(store, Format, destination, overwrite: Force);
        }
        catch (AuditStoreException ex)
        {
            WriteError(AuditCmdlet.Error(ex, "AuditDatabaseInvalid", ErrorCategory.ReadError, database));
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(
                new IOException($"The export to '{destination}' could not be written: {ex.Message}", ex),
                "ExportFailed",
                ErrorCategory.WriteError,
                destination));
            return;
        }

        if (PassThru)
        {
            WriteObject(new FileInfo(destination));
        }
    }
}
