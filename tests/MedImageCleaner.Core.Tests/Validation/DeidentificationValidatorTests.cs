using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Tests.Deidentification;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;
using static MedImageCleaner.Core.Tests.Deidentification.DeidentificationTestSupport;

namespace MedImageCleaner.Core.Tests.Validation;

/// <summary>
/// Acceptance of Test-Deidentification's engine: every planted leak of <see cref="ValidationFixtures"/> fails with the
/// right check, clean de-identified fixtures and corpus files pass, the seed's false positive ("Left Knee", "SIEMENS")
/// passes and its false negative ("Doe^John" in a comment) fails.
/// </summary>
public sealed class DeidentificationValidatorTests : IDisposable
{
    private readonly ValidationFixtures _fixtures = new();
    private readonly ITestOutputHelper _output;

    public DeidentificationValidatorTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Leaks() => [.. ValidationFixtures.Leaks.Keys];

    public static TheoryData<string> Clean() => [.. SyntheticPhiFixtures.Names];

    public void Dispose() => _fixtures.Dispose();

    [Theory]
    [MemberData(nameof(Clean))]
    public void Validate_CleanDeidentifiedFixture_Passes(string fixture)
    {
        var (input, result) = _fixtures.Clean(fixture);
        using var validator = new DeidentificationValidator();
        var report = validator.Validate(new ValidationRequest(result.FullName));
        Print(report);
        Assert.True(report.Passed);
        Assert.DoesNotContain(report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("Basic", report.Profile);
        Assert.True(report.ProfileFromFile);

        // With the original, the residual scan runs, and still finds nothing.
        var withOriginal = validator.Validate(new ValidationRequest(result.FullName, input));
        Print(withOriginal);
        Assert.Equal("Original", withOriginal.ResidualSource);
        Assert.True(withOriginal.Passed);
    }

    [Theory]
    [MemberData(nameof(Leaks))]
    public void Validate_PlantedLeak_FailsWithTheRightCheck(string leak)
    {
        var (input, leaky) = _fixtures.Plant(leak);
        var pixels = leak == "overlay-data";
        using var validator = new DeidentificationValidator(new ValidationOptions { CheckPixels = pixels });
        var report = validator.Validate(new ValidationRequest(leaky));
        Print(report);
        Assert.False(report.Passed);
        var expected = ValidationFixtures.Leaks[leak];
        Assert.Contains(report.Findings, f => f.CheckId == expected && f.Severity == FindingSeverity.Error);

        // Findings never carry values unless asked; asked, the one expected does.
        Assert.All(report.Findings, f => Assert.Null(f.Value));
        using var withValues = new DeidentificationValidator(new ValidationOptions { CheckPixels = pixels, IncludeValues = true });
        Assert.Contains(withValues.Validate(new ValidationRequest(leaky)).Findings, f => f.CheckId == expected && f.Value is { Length: > 0 });
    }

    [Fact]
    public void Validate_ReformattedDateWithOriginal_FailsAsResidualIdentifier()
    {
        var (input, leaky) = _fixtures.Plant("reformatted-date");
        using var validator = new DeidentificationValidator();
        var report = validator.Validate(new ValidationRequest(leaky, input));
        Print(report);
        Assert.Contains(report.Findings, f => f.CheckId == DeidentificationCheck.ResidualIdentifier && f.Severity == FindingSeverity.Error && f.Path == "(0020,4000)");
    }

    [Fact]
    public void Validate_NestedSequenceLeak_ReportsTheElementPath()
    {
        var (_, leaky) = _fixtures.Plant("nested-sequence");
        using var validator = new DeidentificationValidator();
        var report = validator.Validate(new ValidationRequest(leaky));
        var finding = Assert.Single(report.Findings, f => f.CheckId == DeidentificationCheck.ProfileConformance && f.Severity == FindingSeverity.Error);
        Assert.Equal("(0008,1140)[0]/(0040,A730)[0]/(0010,0010)", finding.Path);
        Assert.Equal("PatientName", finding.Keyword);
    }

    [Fact]
    public void Validate_BurnedInPixelsMarkedNo_FailsOnlyWithCheckPixels()
    {
        var (input, leaky) = _fixtures.BurnedInPixels();
        using (var header = new DeidentificationValidator())
        {
            var report = header.Validate(new ValidationRequest(leaky));
            Print(report);
            Assert.DoesNotContain(report.Findings, f => f.CheckId == DeidentificationCheck.PixelText);
        }

        using var ocr = new DeidentificationValidator(new ValidationOptions { CheckPixels = true });
        var read = ocr.Validate(new ValidationRequest(leaky, input));
        Print(read);
        Assert.False(read.Passed);
        Assert.Contains(read.Findings, f => f.CheckId == DeidentificationCheck.PixelText && f.Severity == FindingSeverity.Error && f.Path == "frame 0");
    }

    [Fact]
    public void Validate_BurnedInAnnotationYes_Fails()
    {
        var (_, result) = _fixtures.Clean("ct");
        var path = Rewrite(result.FullName, ds => ds.AddOrUpdate(DicomTag.BurnedInAnnotation, DicomVR.CS, "YES"));
        using var validator = new DeidentificationValidator();
        var report = validator.Validate(new ValidationRequest(path));
        Assert.Contains(report.Findings, f => f.CheckId == DeidentificationCheck.BurnedInAnnotation && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void Validate_SeedParity_LeftKneeAndSiemensPass_DoeJohnInACommentFails()
    {
        var (_, result) = _fixtures.Clean("ct");
        var benign = Rewrite(result.FullName, ds =>
        {
            ds.AddOrUpdate(DicomTag.BodyPartExamined, DicomVR.CS, "KNEE");
            ds.AddOrUpdate(DicomTag.Manufacturer, DicomVR.LO, "SIEMENS");
            ds.AddOrUpdate(DicomTag.ManufacturerModelName, DicomVR.LO, "Left Knee");
            ds.AddOrUpdate(DicomTag.ProtocolName, DicomVR.LO, "CHEST");
        });
        using var validator = new DeidentificationValidator(new ValidationOptions { Strict = true });
        var ok = validator.Validate(new ValidationRequest(benign));
        Print(ok);
        Assert.True(ok.Passed);
        Assert.Equal(100, ok.Score);

        // Retain Device Identity keeps Device Serial Number etc.; Clean Descriptors keeps (cleaned) descriptions.
        var comment = Rewrite(result.FullName, ds => ds.AddOrUpdate(DicomTag.StudyDescription, DicomVR.LO, "Doe^John"), options: ProfileOptions.CleanDescriptors);
        var bad = validator.Validate(new ValidationRequest(comment));
        Print(bad);
        Assert.False(bad.Passed);
        var finding = Assert.Single(bad.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal(DeidentificationCheck.PhiPattern, finding.CheckId);
        Assert.Equal("StudyDescription", finding.Keyword);
    }

    [Fact]
    public void Validate_NotDicom_ReportsNotDicomFile()
    {
        var path = Path.Combine(_fixtures.Root, "notes.txt");
        File.WriteAllText(path, "not a DICOM file");
        using var validator = new DeidentificationValidator();
        var report = validator.Validate(new ValidationRequest(path));
        Assert.Equal("NotDicomFile", report.ErrorId);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Validate_UndeidentifiedInput_FailsMarkersAndProfile()
    {
        var (input, _) = _fixtures.Clean("ct");
        using var validator = new DeidentificationValidator();
        var report = validator.Validate(new ValidationRequest(input));
        Assert.False(report.Passed);
        Assert.Contains(report.Findings, f => f.CheckId == DeidentificationCheck.DeidentificationMarker);
        Assert.Contains(report.Findings, f => f.CheckId == DeidentificationCheck.ProfileConformance && f.Keyword == "PatientName");
        Assert.Contains(report.Findings, f => f.CheckId == DeidentificationCheck.PrivateAttribute);
        Assert.Equal(0, report.Score);
    }

    [Fact]
    public void Validate_OptionsRecordedInTheFile_AreHonoured()
    {
        // Retain Institution Identity and Full Dates keep institution and dates: the original's values are then allowed.
        var settings = new DeidentificationSettings { Options = ProfileOptions.RetainInstitutionIdentity | ProfileOptions.RetainLongitudinalFullDates | ProfileOptions.RetainUids };
        var (input, result) = _fixtures.Clean("ct", settings);
        using var validator = new DeidentificationValidator();
        var report = validator.Validate(new ValidationRequest(result.FullName, input));
        Print(report);
        Assert.True(report.Passed);
        Assert.Contains("RetainInstitutionIdentity", report.Profile, StringComparison.Ordinal);

        // Checked against the Basic Profile explicitly, the same file fails.
        using var basic = new DeidentificationValidator(new ValidationOptions { Profile = ProfileOptions.None });
        var strict = basic.Validate(new ValidationRequest(result.FullName, input));
        Assert.False(strict.Passed);
        Assert.Contains(strict.Findings, f => f.CheckId == DeidentificationCheck.ProfileConformance && f.Keyword == "InstitutionAddress");
        Assert.Contains(strict.Findings, f => f.CheckId == DeidentificationCheck.ResidualIdentifier);
    }

    [Fact]
    public void Validate_MalformedUid_FailsUidFormat()
    {
        var (_, result) = _fixtures.Clean("ct");
        var path = Rewrite(result.FullName, ds => ds.AddOrUpdate(DicomTag.FrameOfReferenceUID, DicomVR.UI, "1.2.03.4"));
        using var validator = new DeidentificationValidator();
        var f = Assert.Single(validator.Validate(new ValidationRequest(path)).Findings, f => f.CheckId == DeidentificationCheck.UidFormat);
        Assert.Equal("(0020,0052)", f.Path);
    }

    [Fact]
    public void Validate_AuditVault_FindsTheOriginalValuesOfTheFile()
    {
        using var key = DeidentificationKey.FromBytes(KeyABytes);
        var db = Path.Combine(_fixtures.Root, "audit.db");
        var input = Path.Combine(_fixtures.Root, "ct-in.dcm");
        DicomFixtureBuilder.WriteFile(input, SyntheticPhiFixtures.Create("ct"));
        var result = _fixtures.Deidentify(input, destination: Path.Combine(_fixtures.Root, "audited"));
        using (var store = AuditStore.Open(db, key, AuditSessionInfo.ForCurrentProcess("Basic", "None", "test", "test")))
        {
            store.Record(result);
        }

        using var source = new AuditOriginalValueSource(db, key);
        using var validator = new DeidentificationValidator(vault: source);
        var clean = validator.Validate(new ValidationRequest(result.FullName));
        Print(clean);
        Assert.Equal("AuditVault", clean.ResidualSource);
        Assert.True(clean.Passed);

        // The vault knows the original name and birth date: a copy with them in a comment fails.
        var leaky = Rewrite(result.FullName, ds => ds.AddOrUpdate(DicomTag.ImageComments, DicomVR.LT, "zebra quentin 23.04.1961"));
        var report = validator.Validate(new ValidationRequest(leaky));
        Print(report);
        Assert.Contains(report.Findings, f => f.CheckId == DeidentificationCheck.ResidualIdentifier && f.Severity == FindingSeverity.Error && f.Path == "(0020,4000)");

        // Another key does not open the database.
        using var other = DeidentificationKey.FromBytes(KeyBBytes);
        Assert.Throws<AuditKeyMismatchException>(() => new AuditOriginalValueSource(db, other));
    }

    [Fact]
    public void Sampler_SameSeed_SameChoice_AndRateBounds()
    {
        var paths = Enumerable.Range(0, 400).Select(i => "/data/f" + i + ".dcm").ToList();
        var a = paths.Where(new ValidationSampler(0.25, 7).Takes).ToList();
        var b = paths.Where(new ValidationSampler(0.25, 7).Takes).ToList();
        var c = paths.Where(new ValidationSampler(0.25, 8).Takes).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.InRange(a.Count, 60, 140);
        Assert.DoesNotContain(paths, new ValidationSampler(0, 7).Takes);
        Assert.Equal(400, paths.Count(new ValidationSampler(1, 7).Takes));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValidationSampler(1.5, 0));
    }

    private string Rewrite(string path, Action<DicomDataset> change, ProfileOptions? options = null)
    {
        var target = Path.Combine(_fixtures.Root, "rewritten-" + Guid.NewGuid().ToString("N")[..8] + ".dcm");
        using var file = DicomFile.Open(path);
        change(file.Dataset);
        if (options is { } o)
        {
            // Record the options the way the engine does (CID 7050 codes).
            var engine = new DeidentificationEngine(new DeidentificationSettings { Options = o }, new Pseudonymizer(DeidentificationKey.FromBytes(KeyABytes)));
            var items = engine.MethodCodes().Select(c =>
            {
                var item = new DicomDataset();
                item.AddOrUpdate(DicomTag.CodeValue, DicomVR.SH, c.Code);
                item.AddOrUpdate(DicomTag.CodingSchemeDesignator, DicomVR.SH, "DCM");
                item.AddOrUpdate(DicomTag.CodeMeaning, DicomVR.LO, c.Meaning);
                return item;
            });
            file.Dataset.AddOrUpdate(new DicomSequence(DicomTag.DeidentificationMethodCodeSequence, items));
        }

        file.Save(target, overwrite: true);
        return target;
    }

    private void Print(DeidentificationReport report)
    {
        _output.WriteLine($"{Path.GetFileName(report.FullName)} passed={report.Passed} score={report.Score} profile={report.Profile} residual={report.ResidualSource}");
        foreach (var f in report.Findings)
        {
            _output.WriteLine("  " + f);
        }
    }
}

/// <summary>The vault's header values are an addition: rows sealed without them (version 1) still open.</summary>
public sealed class AuditVaultHeaderValuesTests
{
    [Fact]
    public void Vault_RowWithoutHeaderValues_OpensWithNone_AndWithThem_RoundTrips()
    {
        using var key = DeidentificationKey.FromBytes(KeyABytes);
        using var vault = new AuditVault(key);
        var mappings = new[] { new IdentityMapping("PatientId", "MRN1", "ANON-X") };
        var old = vault.Seal(new VaultContent("/in/a.dcm", null, null, mappings), "s", "f");
        Assert.True(vault.TryOpen(old, "s", "f", out var opened));
        Assert.Null(opened!.HeaderValues);
        Assert.Equal("MRN1", Assert.Single(opened.Mappings).Original);

        var values = new[] { new IdentifyingValue(IdentifyingValueKind.PersonName, DicomTag.PatientName, "ZEBRA^QUENTIN") };
        var current = vault.Seal(new VaultContent("/in/a.dcm", null, null, mappings) { HeaderValues = values }, "s", "g");
        Assert.True(vault.TryOpen(current, "s", "g", out var reopened));
        Assert.Equal(values, reopened!.HeaderValues);
    }
}
