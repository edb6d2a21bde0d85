using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using Microsoft.Data.Sqlite;

namespace MedImageCleaner.Core.Audit;

/// <summary>The audit store's vault side: re-identification and original values, for the holder of the key.</summary>
public sealed partial class AuditStore
{
    /// <summary>
    /// Re-identification: the original values behind a pseudonymous patient ID or UID, from the vault rows whose
    /// lookup matches, in the sessions the key opens. For a patient ID, the patient's date offset comes too.
    /// Throws <see cref="AuditKeyMismatchException"/> when the key opens no session of the database.
    /// </summary>
    public IReadOnlyList<ResolvedIdentity> Resolve(DeidentificationKey key, string pseudonym)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(pseudonym);
        using var vault = new AuditVault(key);
        return InTransaction(tx =>
        {
            var opened = OpenedSessions(tx, vault);

            var rows = new List<(long Seq, string Session, string FileId, byte[] Blob)>();
            using (var cmd = Command(_connection, tx, "SELECT f.seq, f.session_id, f.file_id, f.vault FROM lookups l JOIN files f ON f.seq = l.file_seq WHERE l.lookup = $lookup ORDER BY f.seq;"))
            {
                cmd.Parameters.AddWithValue("$lookup", vault.Lookup(pseudonym));
                ReadRows(cmd, rows);
            }

            var found = new List<ResolvedIdentity>();
            var seen = new HashSet<ResolvedIdentity>();
            foreach (var (session, content) in OpenRows(vault, opened, rows))
            {
                Collect(content, pseudonym, session, found, seen);
            }

            return found;
        });
    }

    /// <summary>
    /// The original header values of the file recorded with output SOP Instance UID <paramref name="sopInstanceUid"/>
    /// (found through its lookup) or, failing that, with output path <paramref name="outputPath"/>: the identifying
    /// values sealed at de-identification time, the original patient ID and the original UIDs. Null when no row the key
    /// opens matches. Holds PHI: for residual-identifier scans only.
    /// Throws <see cref="AuditKeyMismatchException"/> when the key opens no session of the database.
    /// </summary>
    public OriginalValues? FindOriginalValues(DeidentificationKey key, string? sopInstanceUid, string? outputPath)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var vault = new AuditVault(key);
        return InTransaction(tx =>
        {
            var opened = OpenedSessions(tx, vault);
            var rows = new List<(long Seq, string Session, string FileId, byte[] Blob)>();
            if (!string.IsNullOrEmpty(sopInstanceUid))
            {
                using var cmd = Command(_connection, tx, "SELECT f.seq, f.session_id, f.file_id, f.vault FROM lookups l JOIN files f ON f.seq = l.file_seq WHERE l.lookup = $lookup ORDER BY f.seq DESC;");
                cmd.Parameters.AddWithValue("$lookup", vault.Lookup(sopInstanceUid));
                ReadRows(cmd, rows);
            }

            if (rows.Count == 0 && !string.IsNullOrEmpty(outputPath))
            {
                using var cmd = Command(_connection, tx, "SELECT seq, session_id, file_id, vault FROM files WHERE output_path = $path ORDER BY seq DESC;");
                cmd.Parameters.AddWithValue("$path", outputPath);
                ReadRows(cmd, rows);
            }

            foreach (var (_, content) in OpenRows(vault, opened, rows))
            {
                if (!string.IsNullOrEmpty(sopInstanceUid) && !content.Mappings.Any(m => m.Kind == "SopInstanceUid" && m.Pseudonym == sopInstanceUid) &&
                    !string.Equals(content.OutputPath ?? outputPath, outputPath, StringComparison.Ordinal))
                {
                    // The lookup matched another kind of UID of this row (a reference): not this file's row.
                    continue;
                }

                return ToOriginalValues(content);
            }

            return null;
        });
    }

    /// <summary>Checks that <paramref name="key"/> opens at least one session; throws <see cref="AuditKeyMismatchException"/> otherwise.</summary>
    public void CheckKey(DeidentificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var vault = new AuditVault(key);
        _ = InTransaction(tx => OpenedSessions(tx, vault));
    }

    /// <summary>The vault contents of <paramref name="rows"/> in sessions the key opens; a row that fails authentication there means the database was altered.</summary>
    private IEnumerable<(string Session, VaultContent Content)> OpenRows(AuditVault vault, HashSet<string> opened, List<(long Seq, string Session, string FileId, byte[] Blob)> rows)
    {
        foreach (var (seq, session, fileId, blob) in rows)
        {
            if (!opened.Contains(session))
            {
                continue;
            }

            if (!vault.TryOpen(blob, session, fileId, out var content) || content is null)
            {
                throw new AuditIntegrityException($"The encrypted vault of row {seq} failed authentication under a key that opens its session: the audit database was altered.") { FilePath = _path };
            }

            yield return (session, content);
        }
    }

    private static void ReadRows(SqliteCommand cmd, List<(long, string, string, byte[])> rows)
    {
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            rows.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3)));
        }
    }

    private static OriginalValues ToOriginalValues(VaultContent content)
    {
        var values = new List<IdentifyingValue>();
        foreach (var m in content.Mappings)
        {
            switch (m.Kind)
            {
                case "PatientId":
                    values.Add(new IdentifyingValue(IdentifyingValueKind.Identifier, Dicom.DicomTag.PatientID, m.Original));
                    break;
                case "StudyInstanceUid":
                    values.Add(new IdentifyingValue(IdentifyingValueKind.Uid, Dicom.DicomTag.StudyInstanceUID, m.Original));
                    break;
                case "SeriesInstanceUid":
                    values.Add(new IdentifyingValue(IdentifyingValueKind.Uid, Dicom.DicomTag.SeriesInstanceUID, m.Original));
                    break;
                case "SopInstanceUid":
                    values.Add(new IdentifyingValue(IdentifyingValueKind.Uid, Dicom.DicomTag.SOPInstanceUID, m.Original));
                    break;
                case "Uid":
                    values.Add(new IdentifyingValue(IdentifyingValueKind.Uid, Dicom.DicomTag.ReferencedSOPInstanceUID, m.Original));
                    break;
            }
        }

        if (content.HeaderValues is { } header)
        {
            values.AddRange(header);
        }

        return new OriginalValues(values, content.HeaderValues is not null);
    }

    /// <summary>The sessions the key opens; throws <see cref="AuditKeyMismatchException"/> when the database has sessions and it opens none.</summary>
    private HashSet<string> OpenedSessions(SqliteTransaction tx, AuditVault vault)
    {
        var opened = new HashSet<string>(StringComparer.Ordinal);
        var sessions = 0;
        using (var cmd = Command(_connection, tx, "SELECT session_id, key_check FROM sessions ORDER BY seq;"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                sessions++;
                var id = r.GetString(0);
                if (vault.OpensKeyCheck(id, (byte[])r.GetValue(1)))
                {
                    opened.Add(id);
                }
            }
        }

        if (sessions > 0 && opened.Count == 0)
        {
            throw new AuditKeyMismatchException("The key does not open this audit database: none of its sessions was recorded with it (AES-GCM authentication failed).") { FilePath = _path };
        }

        return opened;
    }

    private static void Collect(VaultContent content, string pseudonym, string sessionId, List<ResolvedIdentity> found, HashSet<ResolvedIdentity> seen)
    {
        var patients = new List<string>();
        foreach (var m in content.Mappings)
        {
            if (m.Kind == "DateOffsetDays" || !string.Equals(m.Pseudonym, pseudonym, StringComparison.Ordinal))
            {
                continue;
            }

            Add(new ResolvedIdentity(m.Kind, m.Original, m.Pseudonym, sessionId));
            if (m.Kind == "PatientId")
            {
                patients.Add(m.Original);
            }
        }

        foreach (var m in content.Mappings)
        {
            if (m.Kind == "DateOffsetDays" && patients.Contains(m.Original))
            {
                Add(new ResolvedIdentity(m.Kind, m.Original, m.Pseudonym, sessionId));
            }
        }

        void Add(ResolvedIdentity identity)
        {
            if (seen.Add(identity))
            {
                found.Add(identity);
            }
        }
    }
}
