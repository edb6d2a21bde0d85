using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Audit;

/// <summary>
/// The original values of de-identified files, from the encrypted vault of an audit database: a file's row is found by
/// its (pseudonymous) SOP Instance UID, else by its output path, and opened with the key.
/// </summary>
public sealed class AuditOriginalValueSource : IOriginalValueSource, IDisposable
{
    private readonly AuditStore _store;
    private readonly DeidentificationKey _key;

    /// <summary>Opens <paramref name="auditDatabase"/> read-only and checks that <paramref name="key"/> opens it.</summary>
    /// <exception cref="AuditKeyMismatchException">The key opens none of the database's sessions.</exception>
    /// <exception cref="AuditStoreException">The database cannot be opened.</exception>
    public AuditOriginalValueSource(string auditDatabase, DeidentificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _store = AuditStore.OpenExisting(auditDatabase);
        _key = key;
        try
        {
            _store.CheckKey(key);
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public OriginalValues? Find(DicomDataset output, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sop = output.GetString(DicomTag.SOPInstanceUID)?.Trim(' ', '\0');
        return _store.FindOriginalValues(_key, sop, outputPath);
    }

    /// <inheritdoc/>
    public void Dispose() => _store.Dispose();
}
