using System.Management.Automation;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.PowerShell.Completers;

using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Re-identifies: finds the original patient ID or UID behind a pseudonym, with the key. Outputs PHI.</para>
/// <para type="description">
/// Looks the pseudonym up in the encrypted vault of an audit database and decrypts the matching rows with the key
/// (AES-GCM). -PseudoPatientId gives the original patient ID and the patient's date offset (Kind DateOffsetDays:
/// Original is the patient ID, Pseudonym the shift in days); -Uid gives the original study, series, instance or other
/// UID. A key that opens none of the database's sessions gives the error AuditKeyMismatch.
/// </para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Resolve, "DeidentifiedIdentity", DefaultParameterSetName = PatientSet, HelpUri = HelpLinks.Base + "Resolve-DeidentifiedIdentity.md")]
[OutputType(typeof(ResolvedIdentity))]
public sealed class ResolveDeidentifiedIdentityCommand : PSCmdlet, IDisposable
{
    private const string PatientSet = "PseudoPatientId";
    private const string UidSet = "Uid";

    private readonly Dictionary<string, AuditStore?> _stores = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private DeidentificationKey? _key;

    /// <summary>The audit database file.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AuditDatabaseCompleter))]
    public string AuditDatabase { get; set; } = string.Empty;

    /// <summary>The key file the pseudonyms were made with.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KeyFileCompleter))]
    public string KeyFile { get; set; } = string.Empty;

    /// <summary>Pseudonymous patient IDs (empty values from the pipeline are skipped).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PatientSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string?[] PseudoPatientId { get; set; } = [];

    /// <summary>Pseudonymous UIDs (study, series, SOP instance or any other remapped UID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UidSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Uid { get; set; } = [];

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _key = KeyFiles.Load(this, KeyFile);
        WriteVerbose($"Re-identifying with the key {_key.KeyId}.");
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var patient = ParameterSetName == PatientSet;
        var values = patient ? PseudoPatientId : Uid;
        var store = Store();
        if (store is null || _refused.Contains(store.Path))
        {
            return;
        }

        foreach (var pseudonym in values)
        {
            if (string.IsNullOrEmpty(pseudonym) || !_done.Add(store.Path + "\0" + pseudonym))
            {
                continue;
            }

            IReadOnlyList<ResolvedIdentity> found;
            try
            {
                found = store.Resolve(_key!, pseudonym);
            }
            catch (AuditKeyMismatchException ex)
            {
                // Reported once per database: every other pseudonym would fail the same way.
                _refused.Add(store.Path);
                WriteError(AuditCmdlet.Error(ex, "AuditKeyMismatch", ErrorCategory.SecurityError, store.Path));
                return;
            }
            catch (AuditIntegrityException ex)
            {
                WriteError(AuditCmdlet.Error(ex, "AuditIntegrityFailed", ErrorCategory.InvalidData, store.Path));
                continue;
            }
            catch (AuditStoreException ex)
            {
                WriteError(AuditCmdlet.Error(ex, "AuditDatabaseInvalid", ErrorCategory.ReadError, store.Path));
                return;
            }

            var any = false;
            foreach (var identity in found)
            {
                var isPatient = identity.Kind is "PatientId" or "DateOffsetDays";
                if (isPatient == patient)
                {
                    any = true;
                    WriteObject(identity);
                }
            }

            if (!any)
            {
                WriteVerbose($"No row of '{store.Path}' that this key opens holds the {(patient ? "patient ID" : "UID")} asked for.");
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var store in _stores.Values)
        {
            store?.Dispose();
        }

        _stores.Clear();
        _key?.Dispose();
        _key = null;
    }

    /// <summary>The store of the current AuditDatabase (opened once per database; a failure is reported once).</summary>
    private AuditStore? Store()
    {
        if (!_stores.TryGetValue(AuditDatabase, out var store))
        {
            store = AuditCmdlet.OpenExisting(this, AuditDatabase);
            _stores[AuditDatabase] = store;
        }

        return store;
    }
}
