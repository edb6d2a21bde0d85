using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Fixtures;
using static MedImageCleaner.Core.Tests.Deidentification.DeidentificationTestSupport;

namespace MedImageCleaner.Core.Tests.Deidentification;

/// <summary>
/// Acceptance 3: the same key gives byte-identical outputs across runs (separate services, keys loaded separately,
/// separate folders); different keys give different pseudonyms, UIDs and date offsets; MapUid is a valid, deterministic,
/// injective UID function (property test).
/// </summary>
public sealed partial class DeterminismTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Settings() => ["Basic", "ModifiedDatesAndCleaning"];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Process_SameKeyTwoRuns_ByteIdenticalOutputs(string settingsName)
    {
        var inputs = Inputs();
        var first = Run(inputs, _temp.Sub("run1"), KeyABytes, settingsName);
        var second = Run(inputs, _temp.Sub("run2"), KeyABytes, settingsName);

        var compared = 0;
        foreach (var input in inputs)
        {
            var a = first[input];
            var b = second[input];
            Assert.Equal(a.Status, b.Status);
            if (a.Status != DeidentificationStatus.Written)
            {
                continue;
            }

            Assert.Equal(a.OutputSha256, b.OutputSha256);
            Assert.True(File.ReadAllBytes(a.FullName).AsSpan().SequenceEqual(File.ReadAllBytes(b.FullName)), input + ": outputs differ");

            // Output names come from the new SOP Instance UID, so they repeat too. Known exception (reported, in
            // DeidentificationService): a file without SOP Instance UID (a DICOMDIR, a bare fragment) is named
            // NO-SOP-<random GUID>.dcm, which differs between runs although the bytes do not.
            if (!Path.GetFileName(a.FullName).StartsWith("NO-SOP-", StringComparison.Ordinal))
            {
                Assert.Equal(Path.GetRelativePath(_temp.Sub("run1"), a.FullName), Path.GetRelativePath(_temp.Sub("run2"), b.FullName));
            }

            compared++;
        }

        Assert.True(compared >= SyntheticPhiFixtures.CreateStudy().Count, "too few outputs compared: " + compared.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Process_DifferentKeys_DifferentPatientIdsUidsAndDateOffsets()
    {
        var inputs = StudyFiles();
        var a = Run(inputs, _temp.Sub("keyA"), KeyABytes, "ModifiedDatesAndCleaning");
        var b = Run(inputs, _temp.Sub("keyB"), KeyBBytes, "ModifiedDatesAndCleaning");
        foreach (var input in inputs)
        {
            var x = a[input];
            var y = b[input];
            Assert.Equal(DeidentificationStatus.Written, x.Status);
            Assert.Equal(DeidentificationStatus.Written, y.Status);
            Assert.NotEqual(x.PseudoPatientId, y.PseudoPatientId);
            Assert.NotEqual(x.SopInstanceUid, y.SopInstanceUid);
            Assert.NotEqual(x.StudyInstanceUid, y.StudyInstanceUid);
            Assert.NotEqual(x.DateOffsetDays, y.DateOffsetDays);
            Assert.NotEqual(x.OutputSha256, y.OutputSha256);

            using var fx = DicomFile.Open(x.FullName);
            using var fy = DicomFile.Open(y.FullName);
            Assert.NotEqual(fx.Dataset.GetString(DicomTag.SeriesInstanceUID), fy.Dataset.GetString(DicomTag.SeriesInstanceUID));
            Assert.NotEqual(fx.Dataset.GetString(DicomTag.InstanceCreationDate), fy.Dataset.GetString(DicomTag.InstanceCreationDate));
        }

        // Within one key the study links up (one pseudonymous patient, one study UID); across keys nothing matches.
        Assert.Single(a.Values.Select(r => r.PseudoPatientId).Distinct());
        Assert.Single(a.Values.Select(r => r.StudyInstanceUid).Distinct());
        Assert.Empty(a.Values.Select(r => r.SopInstanceUid).Intersect(b.Values.Select(r => r.SopInstanceUid)));
    }

    [Fact]
    public void DateOffsetDays_DifferentKeysManyPatients_OffsetsDifferAndStayInRange()
    {
        var a = new Pseudonymizer(DeidentificationKey.FromBytes(KeyABytes));
        var b = new Pseudonymizer(DeidentificationKey.FromBytes(KeyBBytes));
        var patients = Enumerable.Range(0, 200).Select(i => "MRN" + (7788000 + i).ToString(CultureInfo.InvariantCulture)).ToList();
        var differing = patients.Count(p => a.DateOffsetDays(p) != b.DateOffsetDays(p));
        Assert.True(differing >= 190, differing + " of 200 patients got a different offset");
        Assert.All(patients, p => Assert.InRange(a.DateOffsetDays(p), -3650, -365));
        Assert.True(patients.Select(a.DateOffsetDays).Distinct().Count() > 150, "offsets are not spread over patients");
        Assert.All(patients, p => Assert.Equal(a.DateOffsetDays(p), new Pseudonymizer(DeidentificationKey.FromBytes(KeyABytes)).DateOffsetDays(p)));
    }

    [Fact]
    public void MapUid_RandomUidsAndIds_ValidDeterministicAndKeyed()
    {
        var a = new Pseudonymizer(DeidentificationKey.FromBytes(KeyABytes));
        var a2 = new Pseudonymizer(DeidentificationKey.FromBytes(KeyABytes));
        var b = new Pseudonymizer(DeidentificationKey.FromBytes(KeyBBytes));
        Gen.OneOf(UidGen, IdGen).Sample(value =>
        {
            var mapped = a.MapUid(value);
            Assert.True(mapped.Length <= 64, mapped);
            Assert.Matches(ValidUid(), mapped);
            Assert.StartsWith("2.25.", mapped, StringComparison.Ordinal);
            Assert.Equal(mapped, a.MapUid(value));
            Assert.Equal(mapped, a2.MapUid(value));
            Assert.NotEqual(mapped, b.MapUid(value));
            Assert.NotEqual(value, mapped);

            var id = a.MapPatientId(value);
            Assert.Equal(id, a2.MapPatientId(value));
            Assert.NotEqual(id, b.MapPatientId(value));
            Assert.True(id.Length <= 64 && !id.Contains('\\', StringComparison.Ordinal), id);
        }, iter: 2000);
    }

    [Fact]
    public void MapUid_RandomSamples_Injective()
    {
        var a = new Pseudonymizer(DeidentificationKey.FromBytes(KeyABytes));
        Gen.OneOf(UidGen, IdGen).HashSet[200, 2000].Sample(values =>
        {
            // MapUid ignores trailing padding, MapPatientId surrounding spaces: distinct after that, distinct after mapping.
            var uids = values.Select(v => v.TrimEnd('\0', ' ')).Distinct(StringComparer.Ordinal).ToList();
            Assert.Equal(uids.Count, uids.Select(a.MapUid).Distinct(StringComparer.Ordinal).Count());
            var ids = values.Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToList();
            Assert.Equal(ids.Count, ids.Select(a.MapPatientId).Distinct(StringComparer.Ordinal).Count());
        }, iter: 20);
    }

    /// <summary>Random syntactically valid UIDs (root plus 1 to 12 numeric components), at most 64 characters.</summary>
    private static readonly Gen<string> UidGen =
        Gen.Select(Gen.OneOf(Gen.Const("1.2.826.0.1.3680043"), Gen.Const("2.25"), Gen.Const("1.3.12.2.1107.5"), Gen.Const("1.2.840.113619")), Gen.ULong.Array[1, 12], (root, parts) =>
        {
            var uid = root + "." + string.Join('.', parts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            return uid.Length <= 64 ? uid : uid[..64].TrimEnd('.');
        });

    /// <summary>Random identifiers (any characters, including non-ASCII), as patient IDs and damaged UIDs come.</summary>
    private static readonly Gen<string> IdGen = Gen.String[1, 64];

    private List<string> Inputs()
    {
        var list = new List<string>(StudyFiles());
        list.AddRange(TestCorpus.Files("pydicom", "fodicom"));
        return list;
    }

    private List<string>? _study;

    private List<string> StudyFiles()
    {
        if (_study is not null)
        {
            return _study;
        }

        var dir = _temp.Sub("inputs");
        _study = [];
        foreach (var (name, ds) in SyntheticPhiFixtures.CreateStudy())
        {
            var path = Path.Combine(dir, name + ".dcm");
            DicomFixtureBuilder.WriteFile(path, ds);
            _study.Add(path);
        }

        return _study;
    }

    private static Dictionary<string, DeidentificationResult> Run(IReadOnlyList<string> inputs, string destination, byte[] keyBytes, string settingsName)
    {
        var settings = settingsName == "Basic"
            ? new DeidentificationSettings()
            : new DeidentificationSettings
            {
                Options = ProfileOptions.RetainLongitudinalModifiedDates | ProfileOptions.CleanDescriptors | ProfileOptions.CleanStructuredContent |
                          ProfileOptions.RetainSafePrivate | ProfileOptions.RetainPatientCharacteristics,
            };
        using var key = DeidentificationKey.FromBytes(keyBytes);
        var service = DeidentificationService.Create(settings, key, destination, OutputLayout.Hierarchy, force: false, new PhiScrubber());
        var results = new Dictionary<string, DeidentificationResult>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            results[input] = service.Process(new DeidentificationRequest(input));
        }

        return results;
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")]
    private static partial Regex ValidUid();
}
