using System.Text;
using System.Text.Json;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Samples;
using MedImageCleaner.Dicom;
using Microsoft.Data.Sqlite;

namespace MedImageCleaner.Core.Tests;

public sealed class AuditStoreTests : IDisposable
{
    private const string OriginalPatientId = "MRN-ORIGINAL-4711";
    private const string PseudoPatientId = "ANON-7F3A9C";
    private const string OriginalStudyUid = "1.2.826.0.1.3680043.99.4711";
    private const string PseudoStudyUid = "2.25.111111111111111111111111111111111";
    private const string OriginalSourceFolder = "DOE_JANE_19700101";

    private static readonly AuditSessionInfo Session = new(
        "Basic Application Confidentiality Profile", "RetainLongitudinalModifiedDates", "DICOM PS3.15 2024e", "MedImageCleaner 0.1.0", "tester", "testhost",
        new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private readonly string _dir;
    private readonly string _db;

    public AuditStoreTests()
    {
        _dir = Path.Combine(Path.GetTempPath(), "mic-audit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _db = Path.Combine(_dir, "audit.db");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Open_NewFile_CreatesWalDatabaseWithSessionRow()
    {
        using var key = DeidentificationKey.CreateRandom();
        string sessionId;
        using (var store = AuditStore.Open(_db, key, Session, new FixedClock()))
        {
            sessionId = store.SessionId;
            Assert.Matches("^[0-9a-f-]{36}$", sessionId);
            using var raw = Raw();
            Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode;"));
            Assert.Equal(0x4D494341L, Scalar(raw, "PRAGMA application_id;"));
        }

        using var read = AuditStore.OpenExisting(_db);
        Assert.Equal(string.Empty, read.SessionId);
        var s = Assert.Single(read.GetSessions());
        Assert.Equal(sessionId, s.SessionId);
        Assert.Equal(1, s.Sequence);
        Assert.Equal(Session.Started, s.Started);
        Assert.Equal("tester", s.User);
        Assert.Equal("testhost", s.Host);
        Assert.Equal(Session.Profile, s.Profile);
        Assert.Equal(Session.Options, s.Options);
        Assert.Equal(Session.Edition, s.Edition);
        Assert.Equal(Session.ToolVersion, s.ToolVersion);
        Assert.Equal(key.KeyId, s.KeyId);
        Assert.Equal(0, s.FileCount);
        Assert.Equal(Path.GetFullPath(_db), s.AuditDatabase);
        Assert.True(read.Verify().Passed);
    }

    [Fact]
    public void Record_ThenRead_RoundTripsFileRowsWithoutPhi()
    {
        using var key = DeidentificationKey.CreateRandom();
        var results = Enumerable.Range(1, 3).Select(i => Result(i)).ToList();
        results.Add(new DeidentificationResult
        {
            FullName = Source(9),
            SourcePath = Source(9),
            Status = DeidentificationStatus.Failed,
            ErrorId = "NotDicomFile",
            Message = $"'{Source(9)}' is not a DICOM file.",
        });
        using (var store = AuditStore.Open(_db, key, Session, new FixedClock()))
        {
            foreach (var r in results)
            {
                store.Record(r);
            }
        }

        using var read = AuditStore.OpenExisting(_db);
        var files = read.GetFiles();
        Assert.Equal(4, files.Count);
        Assert.Equal([2L, 3L, 4L, 5L], files.Select(f => f.Sequence));
        var f1 = files[0];
        Assert.Equal(results[0].FullName, f1.FullName);
        Assert.Equal("Written", f1.Status);
        Assert.Null(f1.ErrorId);
        Assert.Equal(results[0].SourceSha256, f1.SourceSha256);
        Assert.Equal(results[0].OutputSha256, f1.OutputSha256);
        Assert.Equal(PseudoPatientId, f1.PseudoPatientId);
        Assert.Equal(results[0].SopInstanceUid, f1.SopInstanceUid);
        Assert.Equal(PseudoStudyUid, f1.StudyInstanceUid);
        Assert.Equal(new Dictionary<string, int> { ["Keep"] = 12, ["Remove"] = 7, ["Uid"] = 3 }, f1.ActionCounts);
        Assert.Equal(["SomeWarning"], f1.Warnings);
        Assert.Equal(TimeSpan.FromMilliseconds(25), f1.Duration);
        Assert.Equal(FixedClock.Now, f1.Recorded);
        Assert.Matches("^[0-9a-f]{64}$", f1.SourcePathHash);
        Assert.NotEqual(f1.SourcePathHash, files[1].SourcePathHash);

        var failed = files[3];
        Assert.Equal("Failed", failed.Status);
        Assert.Equal("NotDicomFile", failed.ErrorId);
        Assert.Null(failed.FullName); // the source path stands in FullName of a failed result: kept in the vault only
        Assert.Null(failed.PseudoPatientId);

        var session = Assert.Single(read.GetSessions());
        Assert.Equal(4, session.FileCount);
        Assert.Equal(1, session.FailedCount);
        Assert.Equal(4, read.GetFiles(session.SessionId).Count);
        Assert.Empty(read.GetFiles("no-such-session"));

        var v = read.Verify();
        Assert.True(v.Passed, v.Message);
        Assert.Equal(5, v.RowsChecked);
        Assert.Null(v.FirstBrokenRow);
        Assert.Matches("^[0-9a-f]{64}$", v.HeadHash);
    }

    [Fact]
    public void Record_DatabaseBytes_HoldNoOriginalValue()
    {
        using var key = DeidentificationKey.CreateRandom();
        using (var store = AuditStore.Open(_db, key, Session))
        {
            for (var i = 1; i <= 5; i++)
            {
                store.Record(Result(i));
            }

            store.Record(Result(6) with { Warnings = ["MirrorLayoutNamesMayHoldPhi"], FullName = "/clean/" + OriginalSourceFolder + "/scan6.dcm" });
        }

        Assert.False(File.Exists(_db + "-wal") && new FileInfo(_db + "-wal").Length > 0, "the last connection checkpoints the WAL");
        var bytes = File.ReadAllBytes(_db);
        foreach (var original in Originals(6))
        {
            Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes(original)) < 0, "an original value is stored in clear");
        }

        using var read = AuditStore.OpenExisting(_db);
        Assert.Null(read.GetFiles()[^1].FullName);
        Assert.Contains(read.Resolve(key, PseudoPatientId), r => r.Original == OriginalPatientId);
    }

    [Fact]
    public void Resolve_RightKey_ReturnsOriginals()
    {
        using var key = DeidentificationKey.CreateRandom();
        string sessionId;
        using (var store = AuditStore.Open(_db, key, Session))
        {
            sessionId = store.SessionId;
            for (var i = 1; i <= 3; i++)
            {
                store.Record(Result(i));
            }
        }

        using var read = AuditStore.OpenExisting(_db);
        var patient = read.Resolve(key, PseudoPatientId);
        Assert.Equal(
            [
                new ResolvedIdentity("PatientId", OriginalPatientId, PseudoPatientId, sessionId),
                new ResolvedIdentity("DateOffsetDays", OriginalPatientId, "-42", sessionId),
            ],
            patient);

        var study = Assert.Single(read.Resolve(key, PseudoStudyUid));
        Assert.Equal(new ResolvedIdentity("StudyInstanceUid", OriginalStudyUid, PseudoStudyUid, sessionId), study);

        var sop = Assert.Single(read.Resolve(key, Pseudo(2)));
        Assert.Equal(("SopInstanceUid", OriginalSop(2)), (sop.Kind, sop.Original));

        Assert.Empty(read.Resolve(key, "ANON-UNKNOWN"));
    }

    [Fact]
    public void Resolve_WrongKey_ThrowsKeyMismatchWithoutValues()
    {
        using (var key = DeidentificationKey.CreateRandom())
        using (var store = AuditStore.Open(_db, key, Session))
        {
            store.Record(Result(1));
        }

        using var wrong = DeidentificationKey.CreateRandom();
        using var read = AuditStore.OpenExisting(_db);
        var ex = Assert.Throws<AuditKeyMismatchException>(() => read.Resolve(wrong, PseudoPatientId));
        Assert.IsAssignableFrom<MedImageCleanerException>(ex);
        Assert.DoesNotContain(PseudoPatientId, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OriginalPatientId, ex.Message, StringComparison.Ordinal);
        Assert.Contains("AES-GCM", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_TwoSessionsTwoKeys_ReturnsOnlyTheSessionsTheKeyOpens()
    {
        using var keyA = DeidentificationKey.CreateRandom();
        using var keyB = DeidentificationKey.CreateRandom();
        string sessionA;
        using (var a = AuditStore.Open(_db, keyA, Session))
        {
            sessionA = a.SessionId;
            a.Record(Result(1));
        }

        using (var b = AuditStore.Open(_db, keyB, Session))
        {
            b.Record(Result(2));
        }

        using var read = AuditStore.OpenExisting(_db);
        var found = read.Resolve(keyA, PseudoPatientId);
        Assert.All(found, r => Assert.Equal(sessionA, r.SessionId));
        Assert.Empty(read.Resolve(keyA, Pseudo(2)));
        Assert.Single(read.Resolve(keyB, Pseudo(2)));
        Assert.True(read.Verify().Passed);
        Assert.Equal(4, read.Verify().RowsChecked);
    }

    [Fact]
    public void Verify_RowUpdatedWithRawSql_ReportsThatRow()
    {
        var key = Populate(5);
        using (var raw = Raw())
        {
            // The triggers refuse the change until dropped.
            Assert.Throws<SqliteException>(() => Exec(raw, "UPDATE files SET status = 'Failed' WHERE seq = 3;"));
            Exec(raw, "DROP TRIGGER files_no_update; UPDATE files SET status = 'Failed' WHERE seq = 3;");
        }

        var v = Verify();
        Assert.False(v.Passed);
        Assert.Equal(3, v.FirstBrokenRow);
        Assert.Equal(2, v.RowsChecked);
        Assert.Contains("altered", v.Message, StringComparison.Ordinal);
        key.Dispose();
    }

    [Fact]
    public void Verify_VaultUpdatedWithRawSql_BreaksChainAndResolve()
    {
        using var key = Populate(3);
        using (var raw = Raw())
        {
            Exec(raw, "DROP TRIGGER files_no_update; UPDATE files SET vault = (SELECT vault FROM files WHERE seq = 2) WHERE seq = 3;");
        }

        Assert.Equal(3, Verify().FirstBrokenRow);
        using var read = AuditStore.OpenExisting(_db);
        Assert.Throws<AuditIntegrityException>(() => read.Resolve(key, Pseudo(2)));
    }

    [Fact]
    public void Verify_SessionUpdatedWithRawSql_ReportsThatRow()
    {
        using var key = Populate(2);
        using (var raw = Raw())
        {
            Exec(raw, "DROP TRIGGER sessions_no_update; UPDATE sessions SET user_name = 'someone-else' WHERE seq = 1;");
        }

        var v = Verify();
        Assert.False(v.Passed);
        Assert.Equal(1, v.FirstBrokenRow);
        Assert.Equal(0, v.RowsChecked);
    }

    [Fact]
    public void Verify_RowDeletedWithRawSql_ReportsTheGap()
    {
        using var key = Populate(5);
        using (var raw = Raw())
        {
            Exec(raw, "DROP TRIGGER files_no_delete; DROP TRIGGER lookups_no_delete; DELETE FROM lookups WHERE file_seq = 4; DELETE FROM files WHERE seq = 4;");
        }

        var v = Verify();
        Assert.False(v.Passed);
        Assert.Equal(4, v.FirstBrokenRow);
        Assert.Equal(3, v.RowsChecked);
        Assert.Contains("deleted", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LastRowDeletedWithRawSql_ReportsTheMissingTail()
    {
        using var key = Populate(5);
        using (var raw = Raw())
        {
            Exec(raw, "DROP TRIGGER files_no_delete; DROP TRIGGER lookups_no_delete; DELETE FROM lookups WHERE file_seq = 6; DELETE FROM files WHERE seq = 6;");
        }

        var v = Verify();
        Assert.False(v.Passed);
        Assert.Equal(6, v.FirstBrokenRow);
        Assert.Equal(5, v.RowsChecked);
    }

    [Fact]
    public void Verify_LookupDeletedWithRawSql_ReportsItsRow()
    {
        using var key = Populate(3);
        using (var raw = Raw())
        {
            Exec(raw, "DROP TRIGGER lookups_no_delete; DELETE FROM lookups WHERE rowid = (SELECT MIN(rowid) FROM lookups WHERE file_seq = 3);");
        }

        Assert.Equal(3, Verify().FirstBrokenRow);
    }

    [Fact]
    public void Verify_RowInsertedWithRawSql_ReportsIt()
    {
        using var key = Populate(4);
        using (var raw = Raw())
        {
            // A copy of row 3 appended with the head's hash as its previous hash (what a naive forger would do).
            Exec(raw, """
                INSERT INTO files (seq, file_id, session_id, recorded, status, error_id, output_path, output_sha256, source_sha256, source_path_hash,
                    pseudo_patient_id, sop_instance_uid, study_instance_uid, action_counts, warnings, duration_ms, vault, prev_hash, row_hash)
                SELECT 6, 'forged', session_id, recorded, status, error_id, output_path, output_sha256, source_sha256, source_path_hash,
                    pseudo_patient_id, sop_instance_uid, study_instance_uid, action_counts, warnings, duration_ms, vault,
                    (SELECT row_hash FROM files WHERE seq = 5), row_hash
                FROM files WHERE seq = 3;
                """);
        }

        var v = Verify();
        Assert.False(v.Passed);
        Assert.Equal(6, v.FirstBrokenRow);
        Assert.Equal(5, v.RowsChecked);
    }

    [Fact]
    public void Verify_RowInsertedWithCorrectHashButHeadUnchanged_ReportsIt()
    {
        using var key = Populate(2);
        using (var raw = Raw())
        {
            // A forger who knows the hash algorithm but does not move the recorded head.
            var values = new object?[AuditSchema.FileColumns.Length];
            using (var cmd = raw.CreateCommand())
            {
                cmd.CommandText = $"SELECT {string.Join(", ", AuditSchema.FileColumns)}, row_hash FROM files WHERE seq = 3;";
                using var r = cmd.ExecuteReader();
                Assert.True(r.Read());
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = r.IsDBNull(i) ? null : r.GetValue(i);
                }

                values[0] = 4L;
                values[1] = "forged";
                values[^1] = r.GetString(values.Length);
            }

            var hash = ChainHash.Compute("files", AuditSchema.FileColumns, values, "lookups", []);
            using var insert = raw.CreateCommand();
            insert.CommandText = $"INSERT INTO files ({string.Join(", ", AuditSchema.FileColumns)}, row_hash) VALUES ({string.Join(", ", AuditSchema.FileColumns.Select((_, i) => "$p" + i))}, $h);";
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters.AddWithValue("$p" + i, values[i] ?? DBNull.Value);
            }

            insert.Parameters.AddWithValue("$h", hash);
            insert.ExecuteNonQuery();
        }

        var v = Verify();
        Assert.False(v.Passed);
        Assert.Equal(4, v.FirstBrokenRow);
        Assert.Contains("recorded head", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_EightParallelWriters_KeepOneLinearChain()
    {
        using var key = DeidentificationKey.CreateRandom();
        using (var store = AuditStore.Open(_db, key, Session))
        {
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
            {
                for (var i = 0; i < 200; i++)
                {
                    store.Record(Result((w * 1000) + i));
                }
            });
        }

        using var read = AuditStore.OpenExisting(_db);
        var v = read.Verify();
        Assert.True(v.Passed, v.Message);
        Assert.Equal(1601, v.RowsChecked);
        Assert.Equal(1600, read.GetFiles().Count);
        Assert.Equal(1600, read.GetFiles().Select(f => f.SopInstanceUid).Distinct().Count());
        Assert.Single(read.Resolve(key, Pseudo(7199)));
    }

    [Fact]
    public void Record_TwoStoresOnSeparateConnections_KeepOneLinearChain()
    {
        // Two writers with their own connections, as two processes would be (the Pester tests run two real processes).
        using var key = DeidentificationKey.CreateRandom();
        using var start = new Barrier(2);
        var sessions = new string[2];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            using var store = AuditStore.Open(_db, key, Session);
            sessions[t] = store.SessionId;
            start.SignalAndWait();
            for (var i = 0; i < 200; i++)
            {
                store.Record(Result((t * 1000) + i));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        using var read = AuditStore.OpenExisting(_db);
        var v = read.Verify();
        Assert.True(v.Passed, v.Message);
        Assert.Equal(402, v.RowsChecked);
        Assert.Equal(Enumerable.Range(1, 402).Select(i => (long)i), read.GetSessions().Select(s => s.Sequence).Concat(read.GetFiles().Select(f => f.Sequence)).Order());
        Assert.Equal(sessions.Order(), read.GetSessions().Select(s => s.SessionId).Order());
        Assert.All(read.GetSessions(), s => Assert.Equal(200, s.FileCount));
    }

    [Fact]
    public void Export_JsonAndCsv_HoldNoOriginalValue()
    {
        using var key = Populate(4);
        using var read = AuditStore.OpenExisting(_db);
        foreach (var format in new[] { AuditExportFormat.Json, AuditExportFormat.Csv })
        {
            var target = Path.Combine(_dir, "export." + format);
            AuditExporter.WriteFile(read, format, target, overwrite: false);
            var text = File.ReadAllText(target);
            Assert.Contains(PseudoPatientId, text, StringComparison.Ordinal);
            Assert.Contains(key.KeyId, text, StringComparison.Ordinal);
            foreach (var original in Originals(4))
            {
                Assert.DoesNotContain(original, text, StringComparison.Ordinal);
            }

            Assert.Throws<IOException>(() => AuditExporter.WriteFile(read, format, target, overwrite: false));
            AuditExporter.WriteFile(read, format, target, overwrite: true);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "export.Json")));
        Assert.True(json.RootElement.GetProperty("verification").GetProperty("passed").GetBoolean());
        Assert.Equal(1, json.RootElement.GetProperty("sessions").GetArrayLength());
        Assert.Equal(4, json.RootElement.GetProperty("files").GetArrayLength());
        Assert.Equal(PseudoPatientId, json.RootElement.GetProperty("files")[0].GetProperty("pseudoPatientId").GetString());

        var csv = File.ReadAllLines(Path.Combine(_dir, "export.Csv"));
        Assert.Equal(5, csv.Length);
        Assert.StartsWith("SessionId,SessionStarted,User,Host,", csv[0], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*.mic-partial"));
    }

    [Fact]
    public void Pipeline_RealDeidentification_RecordsResolvableMappingsAndNoOriginal()
    {
        var raw = Path.Combine(_dir, "raw " + OriginalSourceFolder);
        var samples = SampleCorpus.Write(raw, 3);
        var originals = new List<string>();
        foreach (var path in samples)
        {
            using var f = DicomFile.Open(path);
            originals.Add(f.Dataset.GetString(DicomTag.PatientID)!);
            originals.Add(f.Dataset.GetString(DicomTag.StudyInstanceUID)!);
            originals.Add(f.Dataset.GetString(DicomTag.SOPInstanceUID)!);
        }

        using var key = DeidentificationKey.CreateRandom();
        var settings = new DeidentificationSettings { Options = ProfileOptions.RetainLongitudinalModifiedDates };
        var service = DeidentificationService.Create(settings, key, Path.Combine(_dir, "clean"), OutputLayout.Flat, force: false, scrubber: null);
        var results = new List<DeidentificationResult>();
        using (var store = AuditStore.Open(_db, key, AuditSessionInfo.ForCurrentProcess("Basic", "RetainLongitudinalModifiedDates", ConfidentialityProfile.Edition, DeidentificationEngine.ToolName)))
        {
            foreach (var path in samples)
            {
                var result = service.Process(new DeidentificationRequest(path));
                Assert.Equal(DeidentificationStatus.Written, result.Status);
                store.Record(result);
                results.Add(result);
            }
        }

        using var read = AuditStore.OpenExisting(_db);
        Assert.True(read.Verify().Passed);
        Assert.Equal(Environment.UserName, read.GetSessions()[0].User);
        var files = read.GetFiles();
        Assert.Equal(results.Select(r => r.FullName), files.Select(f => f.FullName));
        Assert.Equal(results.Select(r => r.OutputSha256), files.Select(f => f.OutputSha256));

        var first = read.Resolve(key, results[0].PseudoPatientId!);
        Assert.Contains(first, r => r.Kind == "PatientId" && r.Original == originals[0]);
        Assert.Contains(first, r => r.Kind == "DateOffsetDays" && r.Original == originals[0] && r.Pseudonym == results[0].DateOffsetDays!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var sop = read.Resolve(key, results[1].SopInstanceUid!);
        Assert.Contains(sop, r => r.Kind == "SopInstanceUid");
        Assert.All(sop, r => Assert.Equal(originals[5], r.Original));

        AuditExporter.WriteFile(read, AuditExportFormat.Json, Path.Combine(_dir, "e.json"), overwrite: false);
        var text = File.ReadAllText(Path.Combine(_dir, "e.json")) + Encoding.UTF8.GetString(File.ReadAllBytes(_db));
        foreach (var original in originals.Append(OriginalSourceFolder))
        {
            Assert.DoesNotContain(original, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OpenExisting_NotAnAuditDatabase_Throws()
    {
        var text = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(text, "this is not a database, it is long enough to have a header of some sort........");
        Assert.Throws<AuditStoreException>(() => AuditStore.OpenExisting(text));
        using (var key = DeidentificationKey.CreateRandom())
        {
            Assert.Throws<AuditStoreException>(() => AuditStore.Open(text, key, Session));
        }

        var other = Path.Combine(_dir, "other.db");
        using (var c = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            c.Open();
            Exec(c, "CREATE TABLE t (x);");
        }

        Assert.Throws<AuditStoreException>(() => AuditStore.OpenExisting(other));
        Assert.Throws<AuditStoreException>(() => AuditStore.OpenExisting(Path.Combine(_dir, "missing.db")));
        Assert.False(File.Exists(Path.Combine(_dir, "missing.db")));
    }

    [Fact]
    public void OpenExisting_Closed_LeavesNoJournalFiles()
    {
        using var key = Populate(2);
        using (var read = AuditStore.OpenExisting(_db))
        {
            Assert.True(read.Verify().Passed);
            Assert.Equal(2, read.GetFiles().Count);
        }

        Assert.False(File.Exists(_db + "-wal"));
        Assert.False(File.Exists(_db + "-shm"));
    }

    [Fact]
    public void Record_ReadOnlyStore_Throws()
    {
        using var key = Populate(1);
        using var read = AuditStore.OpenExisting(_db);
        Assert.Throws<InvalidOperationException>(() => read.Record(Result(5)));
    }

    private DeidentificationKey Populate(int files)
    {
        var key = DeidentificationKey.CreateRandom();
        using var store = AuditStore.Open(_db, key, Session);
        for (var i = 1; i <= files; i++)
        {
            store.Record(Result(i));
        }

        return key;
    }

    private AuditVerification Verify()
    {
        using var read = AuditStore.OpenExisting(_db);
        return read.Verify();
    }

    private SqliteConnection Raw()
    {
        var c = new SqliteConnection($"Data Source={_db};Pooling=False");
        c.Open();
        return c;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static string Source(int i) => $"/data/raw/{OriginalSourceFolder}/scan-{i:D5}.dcm";

    private static string OriginalSop(int i) => $"1.2.826.0.1.3680043.99.4711.{i}";

    private static string Pseudo(int i) => $"2.25.9{i:D10}";

    private static IEnumerable<string> Originals(int count) =>
        new[] { OriginalPatientId, OriginalStudyUid, OriginalSourceFolder }.Concat(Enumerable.Range(1, count).Select(Source)).Concat(Enumerable.Range(1, count).Select(OriginalSop));

    private static DeidentificationResult Result(int i) => new()
    {
        FullName = $"/data/clean/{Pseudo(i)}.dcm",
        SourcePath = Source(i),
        PseudoPatientId = PseudoPatientId,
        SopInstanceUid = Pseudo(i),
        StudyInstanceUid = PseudoStudyUid,
        ActionCounts = new Dictionary<string, int> { ["Remove"] = 7, ["Keep"] = 12, ["Uid"] = 3 },
        DateOffsetDays = -42,
        Duration = TimeSpan.FromMilliseconds(25),
        Status = DeidentificationStatus.Written,
        Warnings = ["SomeWarning"],
        SourceSha256 = new string('a', 63) + (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        OutputSha256 = new string('b', 63) + (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Mappings =
        [
            new IdentityMapping("StudyInstanceUid", OriginalStudyUid, PseudoStudyUid),
            new IdentityMapping("SopInstanceUid", OriginalSop(i), Pseudo(i)),
            new IdentityMapping("PatientId", OriginalPatientId, PseudoPatientId),
            new IdentityMapping("DateOffsetDays", OriginalPatientId, "-42"),
        ],
    };

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private sealed class FixedClock : TimeProvider
    {
        public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 30, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
