namespace MedImageCleaner.Core.Audit;

/// <summary>Who started a de-identification run, where, when and how: the session row of the audit store.</summary>
/// <param name="Profile">The profile name (e.g. Basic Application Confidentiality Profile).</param>
/// <param name="Options">The options in effect, as text (names of options and switches, never values).</param>
/// <param name="Edition">The edition of the standard's tables the engine was generated from.</param>
/// <param name="ToolVersion">The tool name and version.</param>
/// <param name="User">The account that ran the session.</param>
/// <param name="Host">The machine it ran on.</param>
/// <param name="Started">When it started.</param>
public sealed record AuditSessionInfo(string Profile, string Options, string Edition, string ToolVersion, string User, string Host, DateTimeOffset Started)
{
    /// <summary>A session of the current user on this machine, started now (by <paramref name="clock"/>, else the system clock).</summary>
    public static AuditSessionInfo ForCurrentProcess(string profile, string options, string edition, string toolVersion, TimeProvider? clock = null) =>
        new(profile, options, edition, toolVersion, Environment.UserName, Environment.MachineName, (clock ?? TimeProvider.System).GetUtcNow());
}

/// <summary>A session row as stored (no key, no PHI).</summary>
public sealed record AuditSessionRecord
{
    /// <summary>The session's identifier.</summary>
    public required string SessionId { get; init; }

    /// <summary>The row's position in the database's hash chain (shared by sessions and files).</summary>
    public required long Sequence { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required string User { get; init; }

    public required string Host { get; init; }

    public required string Profile { get; init; }

    public required string Options { get; init; }

    public required string Edition { get; init; }

    public required string ToolVersion { get; init; }

    /// <summary>The public identifier of the key the session used (never the key).</summary>
    public required string KeyId { get; init; }

    /// <summary>Files recorded in the session.</summary>
    public int FileCount { get; init; }

    /// <summary>Files recorded with Status Failed.</summary>
    public int FailedCount { get; init; }

    /// <summary>The audit database the row was read from.</summary>
    public string? AuditDatabase { get; init; }
}

/// <summary>A file row as stored: hashes, counts, status and pseudonyms. No PHI: the source path is only in the encrypted vault.</summary>
public sealed record AuditFileRecord
{
    /// <summary>The row's position in the database's hash chain.</summary>
    public required long Sequence { get; init; }

    public required string SessionId { get; init; }

    /// <summary>A random identifier of the row.</summary>
    public required string FileId { get; init; }

    /// <summary>When the row was recorded.</summary>
    public required DateTimeOffset Recorded { get; init; }

    /// <summary>The output file; null when the name could hold PHI (failed inputs, mirrored layouts): then it is in the vault only.</summary>
    public string? FullName { get; init; }

    /// <summary>The output file's name, or "(in the vault)" when only the vault knows it.</summary>
    public string Name => FullName is null ? "(in the vault)" : Path.GetFileName(FullName);

    /// <summary>The de-identification status (Written, Unchanged, Planned, Failed).</summary>
    public required string Status { get; init; }

    /// <summary>The stable error id of a failed file.</summary>
    public string? ErrorId { get; init; }

    /// <summary>SHA-256 of the input file (hex).</summary>
    public string? SourceSha256 { get; init; }

    /// <summary>SHA-256 of the output file (hex).</summary>
    public string? OutputSha256 { get; init; }

    /// <summary>HMAC-SHA256 of the input's full path under the session key (hex): matches a path given the key, reveals nothing without it.</summary>
    public string? SourcePathHash { get; init; }

    /// <summary>The pseudonymous patient ID written.</summary>
    public string? PseudoPatientId { get; init; }

    /// <summary>The new SOP Instance UID.</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>The new Study Instance UID.</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Attributes per action.</summary>
    public IReadOnlyDictionary<string, int> ActionCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>Warning codes (no values).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public TimeSpan Duration { get; init; }

    /// <summary>The audit database the row was read from.</summary>
    public string? AuditDatabase { get; init; }
}

/// <summary>The outcome of walking the hash chain of an audit database.</summary>
/// <param name="Passed">True when every row is intact and the chain is complete up to the recorded head.</param>
/// <param name="RowsChecked">Rows found intact (all rows when <paramref name="Passed"/>).</param>
/// <param name="FirstBrokenRow">The chain position (Sequence) of the first row that is missing, altered or out of place; null when passed.</param>
/// <param name="Message">What was found (never values).</param>
public sealed record AuditVerification(bool Passed, long RowsChecked, long? FirstBrokenRow, string Message)
{
    /// <summary>The hash of the last row (hex): record it elsewhere to detect a rewrite of the whole chain later.</summary>
    public string? HeadHash { get; init; }

    /// <summary>The audit database checked.</summary>
    public string? AuditDatabase { get; init; }
}

/// <summary>
/// One original value recovered from the encrypted vault. Holds PHI by design (re-identification).
/// For Kind DateOffsetDays, Original is the original patient ID and Pseudonym the date shift in days.
/// </summary>
/// <param name="Kind">PatientId, StudyInstanceUid, SeriesInstanceUid, SopInstanceUid, Uid or DateOffsetDays.</param>
/// <param name="Original">The original value.</param>
/// <param name="Pseudonym">The value written instead.</param>
/// <param name="SessionId">The session that recorded it.</param>
public sealed record ResolvedIdentity(string Kind, string Original, string Pseudonym, string SessionId);

/// <summary>Formats of <see cref="AuditExporter"/>.</summary>
public enum AuditExportFormat
{
    /// <summary>One JSON document: sessions, files and the verification of the chain.</summary>
    Json,

    /// <summary>One CSV row per file, with its session's columns (a session without files gets one row).</summary>
    Csv,
}

/// <summary>The latest output recorded for an input (see <see cref="AuditStore.FindFinished"/>).</summary>
/// <param name="OutputPath">Where the output went.</param>
/// <param name="OutputSha256">The output's SHA-256 when it was written.</param>
/// <param name="Status">The row's status (Written, Unchanged, Failed...).</param>
/// <param name="ErrorId">The row's error id, or null.</param>
public sealed record FinishedFileRecord(string OutputPath, string OutputSha256, string Status, string? ErrorId);
