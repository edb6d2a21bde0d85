using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MedImageCleaner.Core.Audit;

/// <summary>
/// Verifies the chain by streaming sessions, files and lookups in chain order (three readers merged), so memory stays
/// constant whatever the size of the database.
/// </summary>
internal sealed class ChainWalker(SqliteConnection connection, SqliteTransaction tx)
{
    public static byte[] Concat(IEnumerable<byte[]> lookups)
    {
        var list = lookups.ToList();
        list.Sort(ByteComparer.Instance);
        var all = new byte[list.Sum(l => l.Length)];
        var at = 0;
        foreach (var l in list)
        {
            l.CopyTo(all, at);
            at += l.Length;
        }

        return all;
    }

    public AuditVerification Walk()
    {
        using var sessionCmd = Select("sessions", AuditSchema.SessionColumns);
        using var sessions = sessionCmd.ExecuteReader();
        using var fileCmd = Select("files", AuditSchema.FileColumns);
        using var files = fileCmd.ExecuteReader();
        using var lookupCmd = AuditStore.Command(connection, tx, "SELECT file_seq, lookup FROM lookups ORDER BY file_seq, lookup;");
        using var lookups = lookupCmd.ExecuteReader();
        var sessionRow = Next(sessions, AuditSchema.SessionColumns.Length);
        var fileRow = Next(files, AuditSchema.FileColumns.Length);
        var lookupRow = NextLookup(lookups);
        var knownSessions = new HashSet<string>(StringComparer.Ordinal);
        var previous = ChainHash.Genesis;
        long expected = 1;
        long intact = 0;

        while (sessionRow is not null || fileRow is not null)
        {
            var isFile = sessionRow is null || (fileRow is not null && (long)fileRow.Values[0]! < (long)sessionRow.Values[0]!);
            var row = isFile ? fileRow! : sessionRow!;
            var table = isFile ? "files" : "sessions";
            var seq = (long)row.Values[0]!;
            if (seq != expected)
            {
                return Broken(intact, expected, seq > expected
                    ? $"Chain position {expected} is missing: a row was deleted (the next row found is at position {seq})."
                    : $"Chain position {seq} is held by two rows: a row was inserted.");
            }

            string hash;
            if (isFile)
            {
                var own = new List<byte[]>();
                while (lookupRow is not null && lookupRow.Value.Seq <= seq)
                {
                    if (lookupRow.Value.Seq < seq)
                    {
                        return Broken(intact, lookupRow.Value.Seq, $"A lookup entry refers to chain position {lookupRow.Value.Seq}, which holds no file row: the lookups were altered.");
                    }

                    own.Add(lookupRow.Value.Lookup);
                    lookupRow = NextLookup(lookups);
                }

                hash = ChainHash.Compute(table, AuditSchema.FileColumns, row.Values, "lookups", Concat(own));
                var sessionId = row.Values[2] as string;
                if (sessionId is null || !knownSessions.Contains(sessionId))
                {
                    return Broken(intact, seq, $"The file row at chain position {seq} belongs to no earlier session: a row was inserted or its session removed.");
                }
            }
            else
            {
                hash = ChainHash.Compute(table, AuditSchema.SessionColumns, row.Values);
                if (row.Values[1] is string id)
                {
                    knownSessions.Add(id);
                }
            }

            var prev = row.Values[^1] as string;
            if (!string.Equals(prev, previous, StringComparison.Ordinal))
            {
                return Broken(intact, seq, $"The {Singular(table)} row at chain position {seq} does not carry the hash of the row before it: a row was inserted, deleted or altered.");
            }

            if (!string.Equals(row.RowHash, hash, StringComparison.Ordinal))
            {
                return Broken(intact, seq, $"The {Singular(table)} row at chain position {seq} does not match its hash: it was altered.");
            }

            previous = hash;
            intact++;
            expected++;
            if (isFile)
            {
                fileRow = Next(files, AuditSchema.FileColumns.Length);
            }
            else
            {
                sessionRow = Next(sessions, AuditSchema.SessionColumns.Length);
            }
        }

        if (lookupRow is not null)
        {
            return Broken(intact, lookupRow.Value.Seq, $"A lookup entry refers to chain position {lookupRow.Value.Seq}, which holds no file row: the lookups were altered.");
        }

        long headSeq;
        string headHash;
        try
        {
            headSeq = long.Parse(AuditStore.MetaValue(connection, tx, AuditSchema.HeadSeq), CultureInfo.InvariantCulture);
            headHash = AuditStore.MetaValue(connection, tx, AuditSchema.HeadHash);
        }
        catch (Exception ex) when (ex is AuditStoreException or FormatException or OverflowException)
        {
            return Broken(intact, expected, "The chain head is missing or unreadable: the meta table was altered.");
        }

        var last = expected - 1;
        if (headSeq > last)
        {
            return Broken(intact, last + 1, $"The chain ends at position {last} but its recorded head is at position {headSeq}: rows at the end were deleted.");
        }

        if (headSeq < last || !string.Equals(headHash, previous, StringComparison.Ordinal))
        {
            return Broken(intact, Math.Min(headSeq + 1, last), $"The chain does not end at its recorded head (position {headSeq}): rows were appended or the head was altered outside the store.");
        }

        return new AuditVerification(true, intact, null, intact == 0 ? "The audit database holds no rows." : $"All {intact} rows are intact and the chain ends at its recorded head.")
        {
            HeadHash = previous,
        };
    }

    private static AuditVerification Broken(long intact, long position, string message) => new(false, intact, position, message);

    private static string Singular(string table) => table == "files" ? "file" : "session";

    private SqliteCommand Select(string table, string[] columns) =>
        AuditStore.Command(connection, tx, $"SELECT {string.Join(", ", columns)}, row_hash FROM {table} ORDER BY seq;");

    private static ChainRow? Next(SqliteDataReader reader, int count)
    {
        if (!reader.Read())
        {
            return null;
        }

        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return new ChainRow(values, reader.IsDBNull(count) ? null : reader.GetValue(count) as string);
    }

    private static (long Seq, byte[] Lookup)? NextLookup(SqliteDataReader reader) =>
        reader.Read() ? (reader.GetInt64(0), reader.IsDBNull(1) ? [] : reader.GetValue(1) as byte[] ?? []) : null;

    private sealed record ChainRow(object?[] Values, string? RowHash);
}
