namespace MedImageCleaner.Core.Audit;

/// <summary>
/// The SQLite schema of the audit store (version 1). Sessions and files form one hash chain ordered by
/// <c>seq</c> (a position shared by both tables); <c>meta</c> records the chain head. Rows are append-only (triggers).
/// </summary>
internal static class AuditSchema
{
    /// <summary>PRAGMA application_id of an audit database: 'MICA'.</summary>
    public const long ApplicationId = 0x4D494341;

    public const long Version = 1;

    public const string HeadSeq = "chain_head_seq";
    public const string HeadHash = "chain_head_hash";

    /// <summary>Chained columns of a session row, in hash order (row_hash is not hashed).</summary>
    public static readonly string[] SessionColumns =
    [
        "seq", "session_id", "started", "user_name", "host_name", "profile", "options", "edition", "tool_version", "key_id", "key_check", "prev_hash",
    ];

    /// <summary>Chained columns of a file row, in hash order (row_hash is not hashed; the row's lookups are hashed after them).</summary>
    public static readonly string[] FileColumns =
    [
        "seq", "file_id", "session_id", "recorded", "status", "error_id", "output_path", "output_sha256", "source_sha256", "source_path_hash",
        "pseudo_patient_id", "sop_instance_uid", "study_instance_uid", "action_counts", "warnings", "duration_ms", "vault", "prev_hash",
    ];

    public const string Create = """
        CREATE TABLE meta (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE sessions (
            seq          INTEGER PRIMARY KEY,   -- position in the chain (shared with files)
            session_id   TEXT NOT NULL UNIQUE,
            started      TEXT NOT NULL,         -- ISO 8601 round-trip
            user_name    TEXT NOT NULL,
            host_name    TEXT NOT NULL,
            profile      TEXT NOT NULL,
            options      TEXT NOT NULL,
            edition      TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            key_id       TEXT NOT NULL,         -- public id of the key, never the key
            key_check    BLOB NOT NULL,         -- AES-GCM of a constant: tells whether a key opens this session's vault
            prev_hash    TEXT NOT NULL,
            row_hash     TEXT NOT NULL
        ) STRICT;

        CREATE TABLE files (
            seq               INTEGER PRIMARY KEY,
            file_id           TEXT NOT NULL UNIQUE,
            session_id        TEXT NOT NULL REFERENCES sessions (session_id),
            recorded          TEXT NOT NULL,
            status            TEXT NOT NULL,
            error_id          TEXT,
            output_path       TEXT,            -- null when the name may hold PHI (then in the vault only)
            output_sha256     TEXT,
            source_sha256     TEXT,
            source_path_hash  TEXT,            -- HMAC-SHA256 of the source path under the key; the path itself is in the vault
            pseudo_patient_id TEXT,
            sop_instance_uid  TEXT,
            study_instance_uid TEXT,
            action_counts     TEXT NOT NULL,   -- JSON object, keys sorted
            warnings          TEXT NOT NULL,   -- codes separated by ';'
            duration_ms       INTEGER NOT NULL,
            vault             BLOB NOT NULL,   -- nonce | tag | AES-GCM(source path, message, original -> pseudonym mappings)
            prev_hash         TEXT NOT NULL,
            row_hash          TEXT NOT NULL
        ) STRICT;

        CREATE INDEX files_by_session ON files (session_id, seq);

        CREATE TABLE lookups (
            file_seq INTEGER NOT NULL REFERENCES files (seq),
            lookup   BLOB NOT NULL             -- HMAC-SHA256(key, 'audit-lookup', pseudonym)
        ) STRICT;

        CREATE INDEX lookups_by_value ON lookups (lookup);
        CREATE INDEX lookups_by_file ON lookups (file_seq);

        CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
        CREATE TRIGGER sessions_no_update BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
        CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
        CREATE TRIGGER files_no_update BEFORE UPDATE ON files BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
        CREATE TRIGGER files_no_delete BEFORE DELETE ON files BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
        CREATE TRIGGER lookups_no_update BEFORE UPDATE ON lookups BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
        CREATE TRIGGER lookups_no_delete BEFORE DELETE ON lookups BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;

        INSERT INTO meta (name, value) VALUES ('schema_version', '1'), ('chain_head_seq', '0'), ('chain_head_hash', '0000000000000000000000000000000000000000000000000000000000000000');
        """;
}
