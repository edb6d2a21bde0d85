using System.Text.Json;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Samples;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Core.Workflow;
using MedImageCleaner.Dicom;
using static MedImageCleaner.Core.Tests.Deidentification.DeidentificationTestSupport;

namespace MedImageCleaner.Core.Tests.Workflow;

/// <summary>
/// The workflow runner with the real services (de-identification, Tesseract redaction, the validator, the exporter,
/// the SQLite audit store): release by rename, quarantine, reruns, resuming through the journal, and the reports.
/// </summary>
public sealed class WorkflowRunnerTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly DeidentificationKey _key = DeidentificationKey.CreateRandom();

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Process_SampleFiles_ReleasedValidatedConvertedAndStagingEmptied()
    {
        var inputs = SampleCorpus.Write(_temp.Sub("raw"), 3, seed: 2);
        var destination = Path.Combine(_temp.Path, "clean");
        using var runner = Runner(destination, new DeidentificationSettings(), validate: true, convert: true);

        var results = inputs.Select(i => runner.Process(new WorkflowRequest(i))).ToList();

        // Without burned-in text removal, an image that declares burned-in annotation is not safe: quarantined.
        var declared = results.Where(r => DeclaresBurnedIn(r.SourcePath)).ToList();
        var released = results.Except(declared).ToList();
        Assert.NotEmpty(released);
        Assert.All(declared, r => Assert.Equal(WorkflowFileStatus.Quarantined, r.Status));
        Assert.All(declared, r => Assert.Contains(r.Validation!.Findings, f => f.CheckId == DeidentificationCheck.BurnedInAnnotation && f.Severity == "Error"));
        Assert.All(released, r => Assert.Equal(WorkflowFileStatus.Completed, r.Status));
        Assert.All(released, r => Assert.True(r.Validation!.Passed));
        Assert.All(released, r => Assert.StartsWith(destination + Path.DirectorySeparatorChar, r.FullName, StringComparison.Ordinal));
        Assert.All(released, r => Assert.Single(r.ConvertedFiles));
        Assert.Equal(released.Count, Directory.GetFiles(destination).Length);
        Assert.Empty(Directory.EnumerateFileSystemEntries(runner.Staging));
        Assert.All(results, r => Assert.Equal(r.OutputSha256, Sha256(r.FullName)));
    }

    private static bool DeclaresBurnedIn(string path)
    {
        using var file = DicomFile.Open(path);
        return string.Equals(file.Dataset.GetString(DicomTag.BurnedInAnnotation)?.Trim(), "YES", StringComparison.Ordinal);
    }

    [Fact]
    public void Process_SameInputTwice_SecondIsUnchanged()
    {
        var input = SampleCorpus.Write(_temp.Sub("raw"), 1)[0];
        using var runner = Runner(Path.Combine(_temp.Path, "clean"), new DeidentificationSettings(), validate: false, convert: false);

        var first = runner.Process(new WorkflowRequest(input));
        var second = runner.Process(new WorkflowRequest(input));

        Assert.Equal(WorkflowFileStatus.Completed, first.Status);
        Assert.Equal(WorkflowFileStatus.Unchanged, second.Status);
        Assert.Equal(first.FullName, second.FullName);
    }

    [Fact]
    public void Process_OtherContentUnderTheOutputName_DestinationExistsAndNothingReplaced()
    {
        var input = SampleCorpus.Write(_temp.Sub("raw"), 1)[0];
        var destination = Path.Combine(_temp.Path, "clean");
        using (var first = Runner(destination, new DeidentificationSettings(), validate: false, convert: false))
        {
            Assert.Equal(WorkflowFileStatus.Completed, first.Process(new WorkflowRequest(input)).Status);
        }

        var released = Directory.GetFiles(destination).Single();
        var before = Sha256(released);
        using var other = Runner(destination, new DeidentificationSettings { ReplacementValue = "REMOVED" }, validate: false, convert: false);
        var result = other.Process(new WorkflowRequest(input));

        Assert.Equal(WorkflowFileStatus.Failed, result.Status);
        Assert.Equal("DestinationExists", result.ErrorId);
        Assert.Equal(before, Sha256(released));
        Assert.Empty(Directory.EnumerateFileSystemEntries(other.Staging));
    }

    [Fact]
    public void Process_SettingsThatKeepTheName_FailValidationAndGoToQuarantineNotDestination()
    {
        var input = SampleCorpus.Write(_temp.Sub("raw"), 1)[0];
        var destination = Path.Combine(_temp.Path, "clean");
        var keepName = new DeidentificationSettings { CustomRules = [new CustomTagRule(DicomTag.PatientName, DeidentificationAction.Keep)] };
        using var runner = Runner(destination, keepName, validate: true, convert: true);

        var result = runner.Process(new WorkflowRequest(input));

        Assert.Equal(WorkflowFileStatus.Quarantined, result.Status);
        Assert.Equal("ValidationFailed", result.ErrorId);
        Assert.False(result.Validation!.Passed);
        Assert.Contains(result.Validation.Findings, f => f.Severity == "Error");
        Assert.True(!Directory.Exists(destination) || Directory.GetFiles(destination, "*", SearchOption.AllDirectories).Length == 0);
        Assert.Empty(result.ConvertedFiles);
        Assert.True(File.Exists(result.QuarantinePath));
        var reason = File.ReadAllText(result.QuarantinePath + Quarantine.ReasonSuffix);
        Assert.Contains("ValidationFailed", reason, StringComparison.Ordinal);
        foreach (var name in SampleCorpus.PatientNames)
        {
            Assert.DoesNotContain(name.Split('^')[0], reason, StringComparison.OrdinalIgnoreCase);
        }
    }

    [RequiresFact(Requirements.Ocr)]
    public void Process_BurnedInImages_RedactedVerifiedAndReleased()
    {
        var inputs = BurnedInSamples.Write(_temp.Sub("raw"), 0);
        using var runner = Runner(Path.Combine(_temp.Path, "clean"), new DeidentificationSettings(), validate: true, convert: false, redact: true);

        foreach (var input in inputs)
        {
            var result = runner.Process(new WorkflowRequest(input));
            Assert.Equal(WorkflowFileStatus.Completed, result.Status);
            Assert.Equal(TextRedactionStatus.Redacted, result.TextRedaction);
            Assert.NotEmpty(result.RedactedBoxes);
            Assert.True(result.TextVerified);
            using var file = DicomFile.Open(result.FullName);
            Assert.Equal("NO", file.Dataset.GetString(DicomTag.BurnedInAnnotation)?.Trim());
        }
    }

    [Fact]
    public void Process_WithJournal_SecondRunSkipsAndChangedSettingsDoNot()
    {
        var inputs = SampleCorpus.Write(_temp.Sub("raw"), 2, seed: 5);
        var destination = Path.Combine(_temp.Path, "clean");
        var db = Path.Combine(_temp.Path, "audit.db");
        var settingsA = new Dictionary<string, string> { ["profileOptions"] = "None" };
        var settingsB = new Dictionary<string, string> { ["profileOptions"] = "RetainUids" };

        IReadOnlyList<WorkflowFileResult> RunOnce(IReadOnlyDictionary<string, string> settings, bool force)
        {
            var profile = AuditJournal.ProfileText("test", settings);
            using var store = AuditStore.Open(db, _key, AuditSessionInfo.ForCurrentProcess(profile, "None", "test", "test"));
            using var runner = Runner(destination, new DeidentificationSettings(), validate: false, convert: false, journal: new AuditJournal(store, _key.KeyId, profile), force: force);
            return inputs.Select(i => runner.Process(new WorkflowRequest(i))).ToList();
        }

        var first = RunOnce(settingsA, force: false);
        var second = RunOnce(settingsA, force: false);
        var third = RunOnce(settingsB, force: true);

        Assert.All(first, r => Assert.Equal(WorkflowFileStatus.Completed, r.Status));
        Assert.All(second, r => Assert.Equal(WorkflowFileStatus.Skipped, r.Status));
        Assert.Equal(first.Select(r => r.FullName), second.Select(r => r.FullName));
        Assert.All(third, r => Assert.NotEqual(WorkflowFileStatus.Skipped, r.Status));

        using var check = AuditStore.OpenExisting(db);
        Assert.True(check.Verify().Passed);
    }

    [Fact]
    public void Process_OutputChangedAfterTheRun_IsNotSkipped()
    {
        var input = SampleCorpus.Write(_temp.Sub("raw"), 1)[0];
        var destination = Path.Combine(_temp.Path, "clean");
        var db = Path.Combine(_temp.Path, "audit.db");
        var profile = AuditJournal.ProfileText("test", new Dictionary<string, string>());
        WorkflowFileResult RunOnce()
        {
            using var store = AuditStore.Open(db, _key, AuditSessionInfo.ForCurrentProcess(profile, "None", "test", "test"));
            using var runner = Runner(destination, new DeidentificationSettings(), validate: false, convert: false, journal: new AuditJournal(store, _key.KeyId, profile), force: true);
            return runner.Process(new WorkflowRequest(input));
        }

        var first = RunOnce();
        File.AppendAllText(first.FullName, "tampered");
        var second = RunOnce();

        Assert.Equal(WorkflowFileStatus.Completed, second.Status);
        Assert.Equal(first.OutputSha256, Sha256(second.FullName));
    }

    [Fact]
    public void Process_NotDicom_FailedWithoutOutput()
    {
        var raw = _temp.Sub("raw");
        var text = Path.Combine(raw, "notes.txt");
        File.WriteAllText(text, "not DICOM");
        var destination = Path.Combine(_temp.Path, "clean");
        using var runner = Runner(destination, new DeidentificationSettings(), validate: true, convert: true);

        var result = runner.Process(new WorkflowRequest(text));

        Assert.Equal(WorkflowFileStatus.Failed, result.Status);
        Assert.Equal("NotDicomFile", result.ErrorId);
        Assert.Contains(text, result.Message, StringComparison.Ordinal);
        Assert.True(!Directory.Exists(destination) || Directory.GetFiles(destination).Length == 0);
    }

    [Fact]
    public void Report_WritesJsonHtmlAndTextMatchingTheResults()
    {
        var inputs = SampleCorpus.Write(_temp.Sub("raw"), 3, seed: 7).Append(WriteText(Path.Combine(_temp.Path, "raw", "x.txt"))).ToList();
        var destination = Path.Combine(_temp.Path, "clean");
        var reportDir = Path.Combine(_temp.Path, "report");
        using var runner = Runner(destination, new DeidentificationSettings(), validate: true, convert: false);
        using var report = new WorkflowReport(destination, runner.Quarantine.Directory, reportDir, new ThumbnailRenderer(), includeOriginalThumbnails: false, DateTimeOffset.UtcNow);
        foreach (var input in inputs)
        {
            report.Add(runner.Process(new WorkflowRequest(input)));
        }

        var summary = report.Write(DateTimeOffset.UtcNow, new Dictionary<string, string> { ["validate"] = "yes" });

        var declared = inputs.Count(i => i.EndsWith(".dcm", StringComparison.Ordinal) && DeclaresBurnedIn(i));
        Assert.Equal(4, summary.Files);
        Assert.Equal(3 - declared, summary.Count("Completed"));
        Assert.Equal(declared, summary.Count("Quarantined"));
        Assert.Equal(1, summary.ByError["NotDicomFile"]);
        Assert.Equal(3, summary.Validated);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(reportDir, "report.json")));
        Assert.Equal(4, json.RootElement.GetProperty("files").GetArrayLength());
        Assert.Equal(3 - declared, json.RootElement.GetProperty("summary").GetProperty("byStatus").GetProperty("Completed").GetInt32());
        var html = File.ReadAllText(Path.Combine(reportDir, "report.html"));
        Assert.Contains("NotDicomFile", html, StringComparison.Ordinal);
        Assert.Contains("Success rate", File.ReadAllText(Path.Combine(reportDir, "report.txt")), StringComparison.Ordinal);
        foreach (var name in SampleCorpus.PatientNames)
        {
            foreach (var part in name.Split('^'))
            {
                Assert.DoesNotContain(part, html, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(part, File.ReadAllText(Path.Combine(reportDir, "report.json")), StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Equal(["report.html", "report.json", "report.txt"], Directory.GetFiles(reportDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static string WriteText(string path)
    {
        File.WriteAllText(path, "not DICOM");
        return path;
    }

    private WorkflowRunner Runner(string destination, DeidentificationSettings settings, bool validate, bool convert, bool redact = false, IWorkflowJournal? journal = null, bool force = false)
    {
        var deid = DeidentificationService.Create(settings, _key, WorkflowRunner.StagingFor(destination), OutputLayout.Flat, force: true, new PhiScrubber());
        var quarantine = new Quarantine(destination + "-quarantine");
        var validator = validate ? new ValidatorStep(new DeidentificationValidator()) : null;
        var converter = convert ? new ConverterStep(new ExportOptions { Destination = destination + "-images", Format = ExportFormat.Png, Overwrite = true }) : null;
        var redaction = redact ? new BurnedInTextService(new TextRedactionOptions(), null, quarantine) : null;
        return new WorkflowRunner(destination, quarantine, deid, redaction, validator, converter, journal, force);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
