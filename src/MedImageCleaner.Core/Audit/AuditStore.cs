using System.Globalization;
using System.Text;
using System.Text.Json;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using Microsoft.Data.Sqlite;

namespace MedImageCleaner.Core.Audit;

/// <summary>
/// The audit database of de-identification runs: an embedded SQLite file (WAL) holding one row per session and one
/// per file, chained by hashes so that an altered, removed or inserted row is detected by <see cref="Verify"/>, and
/// an AES-GCM vault of the original -> pseudonym mappings that only the key opens (<see cref="Resolve"/>).
/// Rows hold no PHI in clear. A store opened with <see cref="Open(string, DeidentificationKey, AuditSessionInfo)"/>
/// is bound to one new session and may be shared by parallel workers; other processes may write to the same file.
/// </summary>
public sealed partial class AuditStore : IDisposable
{
    private const int BusyTimeoutSeconds = 60;
    private const string ReadFailure = "cannot be read";
    private static readonly string[] PhiNameWarnings = ["MirrorLayoutNamesMayHoldPhi"];

    private readonly SqliteConnection _connection;
    private readonly AuditVault? _vault;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly string _path;
    private bool _disposed;

    private AuditStore(SqliteConnection connection, string path, AuditVault? vault, string sessionId, TimeProvider clock)
    {
        _connection = connection;
        _path = path;
        _vault = vault;
        SessionId = sessionId;
        _clock = clock;
    }

    /// <summary>The session this store records into; empty for a store opened with <see cref="OpenExisting"/>.</summary>
    public string SessionId { get; }

    /// <summary>The full path of the database file.</summary>
    public string Path => _path;

    /// <summary>
    /// Opens (creating the file and schema when missing) an audit database for writing, inserts a session row (with the
    /// key's id, never the key) and returns a store bound to that session.
    /// </summary>
    public static AuditStore Open(string path, DeidentificationKey key, AuditSessionInfo session) => Open(path, key, session, TimeProvider.System);

    /// <summary>As <see cref="Open(string, DeidentificationKey, AuditSessionInfo)"/>, with the clock that stamps file rows.</summary>
    public static AuditStore Open(string path, DeidentificationKey key, AuditSessionInfo session, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(clock);
        var full = System.IO.Path.GetFullPath(path);
        var connection = Connect(full, SqliteOpenMode.ReadWriteCreate);
        var vault = new AuditVault(key);
        try
        {
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
            var sessionId = Guid.NewGuid().ToString("D");
            using (var tx = connection.BeginTransaction(deferred: false))
            {
                EnsureSchema(connection, tx, create: true);
                var values = new object?[]
                {
                    null, sessionId, session.Started.ToString("O", CultureInfo.InvariantCulture), session.User, session.Host, session.Profile,
                    session.Options, session.Edition, session.ToolVersion, key.KeyId, vault.KeyCheck(sessionId), null,
                };
                Append(connection, tx, "sessions", AuditSchema.SessionColumns, values, []);
                tx.Commit();
            }

            return new AuditStore(connection, full, vault, sessionId, clock);
        }
        catch (SqliteException ex)
        {
            vault.Dispose();
            connection.Dispose();
            throw new AuditStoreException($"The audit database '{full}' cannot be opened for writing: {Describe(ex)}", ex) { FilePath = full };
        }
        catch
        {
            vault.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing audit database read-only (for listing, export, verification and re-identification).</summary>
    public static AuditStore OpenExisting(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new AuditStoreException($"The audit database '{full}' does not exist.", new FileNotFoundException(null, full)) { FilePath = full };
        }

        // Opened read-write (SQLite falls back to read-only for a write-protected file) but query-only: no statement
        // writes, yet the last connection to close can still checkpoint and remove the -wal and -shm files.
        var connection = Connect(full, SqliteOpenMode.ReadWrite);
        try
        {
            Execute(connection, "PRAGMA query_only = ON;");
            using (var tx = connection.BeginTransaction(deferred: true))
            {
                EnsureSchema(connection, tx, create: false);
                tx.Commit();
            }

            return new AuditStore(connection, full, null, string.Empty, TimeProvider.System);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new AuditStoreException($"The audit database '{full}' cannot be read: {Describe(ex)}", ex) { FilePath = full };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Records one file: a chained row (hashes, counts, status, pseudonyms) and, encrypted, the source path and the
    /// original -> pseudonym mappings with their lookups. Thread-safe; each call is one transaction.
    /// </summary>
    public void Record(DeidentificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var vault = _vault ?? throw new InvalidOperationException("This audit store was opened read-only; open it with a key and a session to record files.");

        // Everything but the chain position is prepared outside the lock: parallel workers only queue for the insert.
        var outputNameMayHoldPhi = string.Equals(result.FullName, result.SourcePath, StringComparison.Ordinal) || result.Warnings.Any(w => PhiNameWarnings.Contains(w));
        var pseudoPatientId = result.PseudoPatientId is { } p && result.Mappings.Any(m => m.Kind == "PatientId" && m.Pseudonym == p) ? p : null;
        var fileId = Guid.NewGuid().ToString("D");
        var content = new VaultContent(result.SourcePath, outputNameMayHoldPhi ? result.FullName : null, result.Message, result.Mappings)
        {
            HeaderValues = result.IdentifyingValues,
        };
        var blob = vault.Seal(content, SessionId, fileId);
        var lookups = new SortedSet<byte[]>(ByteComparer.Instance);
        foreach (var m in result.Mappings)
        {
            if (m.Kind != "DateOffsetDays" && m.Pseudonym.Length > 0)
            {
                lookups.Add(vault.Lookup(m.Pseudonym));
            }
        }

        var values = new object?[]
        {
            null, fileId, SessionId, _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), result.Status.ToString(), result.ErrorId,
            outputNameMayHoldPhi ? null : result.FullName, result.OutputSha256, result.SourceSha256, vault.SourcePathHash(result.SourcePath),
            pseudoPatientId, result.SopInstanceUid, result.StudyInstanceUid, CountsToJson(result.ActionCounts), string.Join(';', result.Warnings),
            (long)result.Duration.TotalMilliseconds, blob, null,
        };

        _ = Locked("could not record a file", () =>
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            var seq = Append(_connection, tx, "files", AuditSchema.FileColumns, values, lookups);
            foreach (var lookup in lookups)
            {
                using var cmd = Command(_connection, tx, "INSERT INTO lookups (file_seq, lookup) VALUES ($seq, $lookup);");
                cmd.Parameters.AddWithValue("$seq", seq);
                cmd.Parameters.AddWithValue("$lookup", lookup);
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
            return seq;
        });
    }

    /// <summary>The sessions, in chain order, with their file counts.</summary>
    public IReadOnlyList<AuditSessionRecord> GetSessions()
    {
        const string Sql = """
            SELECT s.seq, s.session_id, s.started, s.user_name, s.host_name, s.profile, s.options, s.edition, s.tool_version, s.key_id,
                   (SELECT COUNT(*) FROM files f WHERE f.session_id = s.session_id),
                   (SELECT COUNT(*) FROM files f WHERE f.session_id = s.session_id AND f.status = 'Failed')
            FROM sessions s ORDER BY s.seq;
            """;
        var list = new List<AuditSessionRecord>();
        Read(Sql, null, r => list.Add(new AuditSessionRecord
        {
            Sequence = r.GetInt64(0),
            SessionId = r.GetString(1),
            Started = ParseTime(r.GetString(2)),
            User = r.GetString(3),
            Host = r.GetString(4),
            Profile = r.GetString(5),
            Options = r.GetString(6),
            Edition = r.GetString(7),
            ToolVersion = r.GetString(8),
            KeyId = r.GetString(9),
            FileCount = r.GetInt32(10),
            FailedCount = r.GetInt32(11),
            AuditDatabase = _path,
        }));
        return list;
    }

    /// <summary>The file rows (of one session, or all), in chain order. No PHI: no source path, no mapping.</summary>
    public IReadOnlyList<AuditFileRecord> GetFiles(string? sessionId = null)
    {
        const string Sql = """
            SELECT seq, file_id, session_id, recorded, status, error_id, output_path, output_sha256, source_sha256, source_path_hash,
                   pseudo_patient_id, sop_instance_uid, study_instance_uid, action_counts, warnings, duration_ms
            FROM files WHERE $session IS NULL OR session_id = $session ORDER BY seq;
            """;
        var list = new List<AuditFileRecord>();
        Read(Sql, cmd => cmd.Parameters.AddWithValue("$session", (object?)sessionId ?? DBNull.Value), r => list.Add(new AuditFileRecord
        {
            Sequence = r.GetInt64(0),
            FileId = r.GetString(1),
            SessionId = r.GetString(2),
            Recorded = ParseTime(r.GetString(3)),
            Status = r.GetString(4),
            ErrorId = Text(r, 5),
            FullName = Text(r, 6),
            OutputSha256 = Text(r, 7),
            SourceSha256 = Text(r, 8),
            SourcePathHash = Text(r, 9),
            PseudoPatientId = Text(r, 10),
            SopInstanceUid = Text(r, 11),
            StudyInstanceUid = Text(r, 12),
            ActionCounts = CountsFromJson(r.GetString(13)),
            Warnings = r.GetString(14).Length == 0 ? [] : r.GetString(14).Split(';'),
            Duration = TimeSpan.FromMilliseconds(r.GetInt64(15)),
            AuditDatabase = _path,
        }));
        return list;
    }

    /// <summary>
    /// Walks the hash chain (sessions and files in chain order, with each file's lookups) and reports the first row
    /// that is missing, altered or inserted, and whether the chain ends at the recorded head.
    /// </summary>
    public AuditVerification Verify() => InTransaction(tx => new ChainWalker(_connection, tx).Walk() with { AuditDatabase = _path });

    /// <summary>
    /// The latest file row of a session with the same key and profile text (which the workflow makes unique to its
    /// settings) for an input with these bytes that left an output: where the output went, its hash, and the row's
    /// status and error id. Rows whose output name may hold PHI (kept only in the vault) are not found.
    /// </summary>
    public FinishedFileRecord? FindFinished(string keyId, string profile, string sourceSha256)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(sourceSha256);
        const string Sql = """
            SELECT f.output_path, f.output_sha256, f.status, f.error_id FROM files f JOIN sessions s ON s.session_id = f.session_id
            WHERE s.key_id = $key AND s.profile = $profile AND f.source_sha256 = $hash AND f.output_path IS NOT NULL AND f.output_sha256 IS NOT NULL
            ORDER BY f.seq DESC LIMIT 1;
            """;
        return Locked(ReadFailure, () =>
        {
            using var cmd = Command(_connection, null, Sql);
            cmd.Parameters.AddWithValue("$key", keyId);
            cmd.Parameters.AddWithValue("$profile", profile);
            cmd.Parameters.AddWithValue("$hash", sourceSha256);
            using var r = cmd.ExecuteReader();
            return r.Read() ? new FinishedFileRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)) : null;
        });
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _vault?.Dispose();
            _connection.Dispose();
        }
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};");
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new AuditStoreException($"The audit database '{path}' cannot be opened: {Describe(ex)}", ex) { FilePath = path };
        }

        return connection;
    }

    private static void EnsureSchema(SqliteConnection connection, SqliteTransaction tx, bool create)
    {
        var appId = Scalar<long>(connection, tx, "PRAGMA application_id;");
        var version = Scalar<long>(connection, tx, "PRAGMA user_version;");
        if (appId == 0 && create && Scalar<long>(connection, tx, "SELECT COUNT(*) FROM sqlite_schema;") == 0)
        {
            Execute(connection, AuditSchema.Create, tx);
            Execute(connection, $"PRAGMA application_id = {AuditSchema.ApplicationId}; PRAGMA user_version = {AuditSchema.Version};", tx);
            return;
        }

        if (appId != AuditSchema.ApplicationId)
        {
            throw new AuditStoreException("The file is an SQLite database but not a MedImageCleaner audit database.");
        }

        if (version > AuditSchema.Version)
        {
            throw new AuditStoreException($"The audit database has schema version {version}; this version of MedImageCleaner reads version {AuditSchema.Version}.");
        }
    }

    /// <summary>Appends a chained row inside a write transaction: takes the head, hashes, inserts, moves the head. Returns the row's position.</summary>
    private static long Append(SqliteConnection connection, SqliteTransaction tx, string table, string[] columns, object?[] values, IEnumerable<byte[]> lookups)
    {
        var headSeq = long.Parse(MetaValue(connection, tx, AuditSchema.HeadSeq), CultureInfo.InvariantCulture);
        var headHash = MetaValue(connection, tx, AuditSchema.HeadHash);
        var seq = headSeq + 1;
        values[0] = seq;
        values[^1] = headHash;
        var hash = table == "files"
            ? ChainHash.Compute(table, columns, values, "lookups", ChainWalker.Concat(lookups))
            : ChainHash.Compute(table, columns, values);

        var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns).Append(", row_hash) VALUES (");
        for (var i = 0; i < columns.Length; i++)
        {
            sql.Append("$p").Append(i.ToString(CultureInfo.InvariantCulture)).Append(", ");
        }

        sql.Append("$hash);");
        using (var cmd = Command(connection, tx, sql.ToString()))
        {
            for (var i = 0; i < columns.Length; i++)
            {
                cmd.Parameters.AddWithValue("$p" + i.ToString(CultureInfo.InvariantCulture), values[i] ?? DBNull.Value);
            }

            cmd.Parameters.AddWithValue("$hash", hash);
            cmd.ExecuteNonQuery();
        }

        using (var cmd = Command(connection, tx, "UPDATE meta SET value = CASE name WHEN $seqName THEN $seq ELSE $hash END WHERE name IN ($seqName, $hashName);"))
        {
            cmd.Parameters.AddWithValue("$seqName", AuditSchema.HeadSeq);
            cmd.Parameters.AddWithValue("$hashName", AuditSchema.HeadHash);
            cmd.Parameters.AddWithValue("$seq", seq.ToString(CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$hash", hash);
            cmd.ExecuteNonQuery();
        }

        return seq;
    }

    internal static string MetaValue(SqliteConnection connection, SqliteTransaction tx, string name)
    {
        using var cmd = Command(connection, tx, "SELECT value FROM meta WHERE name = $name;");
        cmd.Parameters.AddWithValue("$name", name);
        return cmd.ExecuteScalar() as string ?? throw new AuditStoreException("The audit database has no chain head: its meta table was altered.");
    }

    private void Read(string sql, Action<SqliteCommand>? bind, Action<SqliteDataReader> row) =>
        InTransaction(tx =>
        {
            using var cmd = Command(_connection, tx, sql);
            bind?.Invoke(cmd);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                row(r);
            }

            return 0;
        });

    /// <summary>
    /// The one way into the connection: under the lock, on a store not yet disposed, with a SQLite error reported as an
    /// <see cref="AuditStoreException"/> that names the database and what could not be done.
    /// </summary>
    private T Locked<T>(string failure, Func<T> body)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return body();
            }
            catch (SqliteException ex)
            {
                throw new AuditStoreException($"The audit database '{_path}' {failure}: {Describe(ex)}", ex) { FilePath = _path };
            }
        }
    }

    /// <summary><see cref="Locked"/> in a read transaction.</summary>
    private T InTransaction<T>(Func<SqliteTransaction, T> body) => Locked(ReadFailure, () =>
    {
        using var tx = _connection.BeginTransaction(deferred: true);
        return body(tx);
    });

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(connection, tx, sql);
        cmd.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var cmd = Command(connection, tx, sql);
        return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>An SQLite error in words, without values (SQLite messages name no data).</summary>
    private static string Describe(SqliteException ex) => ex.SqliteErrorCode switch
    {
        5 or 6 => "it stayed locked by another writer for longer than " + BusyTimeoutSeconds + " s.",
        8 => "it is read-only.",
        11 => "it is damaged (SQLite reports a malformed database).",
        14 => "the file cannot be opened.",
        26 => "the file is not an SQLite database.",
        _ => "SQLite error " + ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture) + " (" + ex.SqliteExtendedErrorCode.ToString(CultureInfo.InvariantCulture) + ").",
    };

    private static string CountsToJson(IReadOnlyDictionary<string, int> counts)
    {
        var keys = counts.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var k in keys)
            {
                w.WriteNumber(k, counts[k]);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static Dictionary<string, int> CountsFromJson(string json)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            counts[p.Name] = p.Value.GetInt32();
        }

        return counts;
    }
}
