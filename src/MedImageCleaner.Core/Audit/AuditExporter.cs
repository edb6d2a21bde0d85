using MedImageCleaner.Dicom.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MedImageCleaner.Core.Audit;

/// <summary>
/// Writes an audit database's sessions and files as JSON or CSV without PHI: no vault, no lookup, no source path
/// (only its keyed hash), no output path that may hold PHI (those are null in the store already).
/// </summary>
public static class AuditExporter
{
    private static readonly string[] CsvHeader =
    [
        "SessionId", "SessionStarted", "User", "Host", "Profile", "Options", "Edition", "ToolVersion", "KeyId",
        "Sequence", "FileId", "Recorded", "FullName", "Status", "ErrorId", "SourceSha256", "OutputSha256", "SourcePathHash",
        "PseudoPatientId", "SopInstanceUid", "StudyInstanceUid", "ActionCounts", "Warnings", "DurationMs",
    ];

    /// <summary>Writes the export to <paramref name="writer"/>.</summary>
    public static void Write(AuditStore store, AuditExportFormat format, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(writer);
        var sessions = store.GetSessions();
        var files = store.GetFiles();
        switch (format)
        {
            case AuditExportFormat.Json:
                WriteJson(sessions, files, store.Verify(), writer);
                break;
            case AuditExportFormat.Csv:
                WriteCsv(sessions, files, writer);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Json or Csv.");
        }
    }

    /// <summary>Writes the export to a file: a temporary file in the same folder renamed into place (overwriting only when asked).</summary>
    public static void WriteFile(AuditStore store, AuditExportFormat format, string destination, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var full = Path.GetFullPath(destination);
        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"'{full}' exists; overwrite it only when asked.");
        }

        AtomicFile.Write(full, overwrite, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            writer.NewLine = "\n";
            Write(store, format, writer);
        });
    }

    private static void WriteJson(IReadOnlyList<AuditSessionRecord> sessions, IReadOnlyList<AuditFileRecord> files, AuditVerification verification, TextWriter writer)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", "MedImageCleaner audit export v1");
            w.WriteStartObject("verification");
            w.WriteBoolean("passed", verification.Passed);
            w.WriteNumber("rowsChecked", verification.RowsChecked);
            if (verification.FirstBrokenRow is { } broken)
            {
                w.WriteNumber("firstBrokenRow", broken);
            }
            else
            {
                w.WriteNull("firstBrokenRow");
            }

            w.WriteString("message", verification.Message);
            w.WriteString("headHash", verification.HeadHash);
            w.WriteEndObject();

            w.WriteStartArray("sessions");
            foreach (var s in sessions)
            {
                w.WriteStartObject();
                w.WriteString("sessionId", s.SessionId);
                w.WriteNumber("sequence", s.Sequence);
                w.WriteString("started", s.Started);
                w.WriteString("user", s.User);
                w.WriteString("host", s.Host);
                w.WriteString("profile", s.Profile);
                w.WriteString("options", s.Options);
                w.WriteString("edition", s.Edition);
                w.WriteString("toolVersion", s.ToolVersion);
                w.WriteString("keyId", s.KeyId);
                w.WriteNumber("fileCount", s.FileCount);
                w.WriteNumber("failedCount", s.FailedCount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (var f in files)
            {
                w.WriteStartObject();
                w.WriteNumber("sequence", f.Sequence);
                w.WriteString("sessionId", f.SessionId);
                w.WriteString("fileId", f.FileId);
                w.WriteString("recorded", f.Recorded);
                w.WriteString("fullName", f.FullName);
                w.WriteString("status", f.Status);
                w.WriteString("errorId", f.ErrorId);
                w.WriteString("sourceSha256", f.SourceSha256);
                w.WriteString("outputSha256", f.OutputSha256);
                w.WriteString("sourcePathHash", f.SourcePathHash);
                w.WriteString("pseudoPatientId", f.PseudoPatientId);
                w.WriteString("sopInstanceUid", f.SopInstanceUid);
                w.WriteString("studyInstanceUid", f.StudyInstanceUid);
                w.WriteStartObject("actionCounts");
                foreach (var kv in f.ActionCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    w.WriteNumber(kv.Key, kv.Value);
                }

                w.WriteEndObject();
                w.WriteStartArray("warnings");
                foreach (var warning in f.Warnings)
                {
                    w.WriteStringValue(warning);
                }

                w.WriteEndArray();
                w.WriteNumber("durationMs", (long)f.Duration.TotalMilliseconds);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        writer.Write(Encoding.UTF8.GetString(ms.ToArray()));
        writer.Write('\n');
    }

    private static void WriteCsv(IReadOnlyList<AuditSessionRecord> sessions, IReadOnlyList<AuditFileRecord> files, TextWriter writer)
    {
        WriteCsvRow(writer, CsvHeader);
        var bySession = files.GroupBy(f => f.SessionId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var row = new string?[CsvHeader.Length];
        foreach (var s in sessions)
        {
            row[0] = s.SessionId;
            row[1] = s.Started.ToString("O", CultureInfo.InvariantCulture);
            row[2] = s.User;
            row[3] = s.Host;
            row[4] = s.Profile;
            row[5] = s.Options;
            row[6] = s.Edition;
            row[7] = s.ToolVersion;
            row[8] = s.KeyId;
            if (!bySession.TryGetValue(s.SessionId, out var own) || own.Count == 0)
            {
                Array.Clear(row, 9, row.Length - 9);
                WriteCsvRow(writer, row);
                continue;
            }

            foreach (var f in own)
            {
                row[9] = f.Sequence.ToString(CultureInfo.InvariantCulture);
                row[10] = f.FileId;
                row[11] = f.Recorded.ToString("O", CultureInfo.InvariantCulture);
                row[12] = f.FullName;
                row[13] = f.Status;
                row[14] = f.ErrorId;
                row[15] = f.SourceSha256;
                row[16] = f.OutputSha256;
                row[17] = f.SourcePathHash;
                row[18] = f.PseudoPatientId;
                row[19] = f.SopInstanceUid;
                row[20] = f.StudyInstanceUid;
                row[21] = string.Join(';', f.ActionCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value.ToString(CultureInfo.InvariantCulture)));
                row[22] = string.Join(';', f.Warnings);
                row[23] = ((long)f.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                WriteCsvRow(writer, row);
            }
        }
    }

    /// <summary>RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled.</summary>
    private static void WriteCsvRow(TextWriter writer, string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            var f = fields[i] ?? string.Empty;
            if (f.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                writer.Write('"');
                writer.Write(f.Replace("\"", "\"\"", StringComparison.Ordinal));
                writer.Write('"');
            }
            else
            {
                writer.Write(f);
            }
        }

        writer.Write("\r\n");
    }
}
