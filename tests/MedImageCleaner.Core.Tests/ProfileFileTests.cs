using System.Text;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Core.Tests;

public sealed class ProfileFileTests : IDisposable
{
    private const string Valid = """
        {
          // a site profile: comments and trailing commas are allowed
          "schema": "medimagecleaner-profile/1",
          "options": [ "RetainUids", "cleanDescriptors" ],
          "rules": [
            { "tag": "StationName", "action": "Keep" },
            { "tag": "(0008,0080)", "action": "K" },
            { "tag": "00081030", "action": "Remove" },
          ],
          "keepPrivateTags": true,
          "keepOverlays": false,
          "keepCurves": true,
          "patientIdPrefix": "SITE",
          "dateOffsetDays": -30
        }
        """;


    private readonly string _dir = Directory.CreateTempSubdirectory("mic-profile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Parse_ValidProfile_ReadsEveryProperty()
    {
        var p = Parse(Valid);

        Assert.Equal(ProfileOptions.RetainUids | ProfileOptions.CleanDescriptors, p.Options);
        Assert.Equal(
            [new CustomTagRule(DicomTag.StationName, DeidentificationAction.Keep), new CustomTagRule(DicomTag.InstitutionName, DeidentificationAction.Keep), new CustomTagRule(DicomTag.StudyDescription, DeidentificationAction.Remove)],
            p.Rules);
        Assert.True(p.KeepPrivateTags);
        Assert.False(p.KeepOverlays);
        Assert.True(p.KeepCurves);
        Assert.Equal("SITE", p.PatientIdPrefix);
        Assert.Equal(-30, p.DateOffsetDays);
        Assert.Matches("^[0-9a-f]{64}$", p.Sha256);
    }

    [Fact]
    public void Parse_OnlySchema_LeavesEverySettingAsItIs()
    {
        var p = Parse("""{ "schema": "medimagecleaner-profile/1", "dateOffsetDays": null }""");
        var before = new DeidentificationSettings { Options = ProfileOptions.RetainUids, KeepCurves = true, PatientIdPrefix = "X", DateOffsetDays = 3 };

        var after = p.Apply(before);

        Assert.Equal(before with { CustomRules = after.CustomRules }, after);
        Assert.Empty(after.CustomRules);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsAccepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Valid)).ToArray();

        Assert.Equal("SITE", ProfileFile.Parse(bytes).PatientIdPrefix);
    }

    [Fact]
    public void Load_File_RecordsFullPathAndHash()
    {
        var path = Write("site.json", Valid);

        var p = ProfileFile.Load(path);

        Assert.Equal(Path.GetFullPath(path), p.FilePath);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), p.Sha256);
    }

    [Fact]
    public void Apply_ValidProfile_MergesIntoDefaultSettings()
    {
        var settings = Parse(Valid).Apply(new DeidentificationSettings());

        Assert.Equal(ProfileOptions.RetainUids | ProfileOptions.CleanDescriptors, settings.Options);
        Assert.True(settings.KeepPrivateTags);
        Assert.False(settings.KeepOverlays);
        Assert.True(settings.KeepCurves);
        Assert.Equal("SITE", settings.PatientIdPrefix);
        Assert.Equal(-30, settings.DateOffsetDays);
        Assert.Equal(3, settings.CustomRules.Count);
        Assert.True(settings.HashPatientId);
        settings.Validate();
    }

    [Fact]
    public void Apply_ExplicitCommandLineSettings_WinOverTheFile()
    {
        var commandLine = new DeidentificationSettings
        {
            Options = ProfileOptions.RetainDeviceIdentity,
            KeepPrivateTags = false,
            KeepCurves = false,
            PatientIdPrefix = "CLI",
            DateOffsetDays = 5,
        };
        var given = ProfileFileFields.Options | ProfileFileFields.KeepPrivateTags | ProfileFileFields.KeepCurves | ProfileFileFields.PatientIdPrefix | ProfileFileFields.DateOffsetDays;

        var settings = Parse(Valid).Apply(commandLine, given);

        Assert.Equal(ProfileOptions.RetainDeviceIdentity, settings.Options);
        Assert.False(settings.KeepPrivateTags);
        Assert.False(settings.KeepCurves);
        Assert.Equal("CLI", settings.PatientIdPrefix);
        Assert.Equal(5, settings.DateOffsetDays);
    }

    [Fact]
    public void Apply_CustomRuleForTheSameTag_OverridesTheFileRule()
    {
        var commandLine = new DeidentificationSettings
        {
            CustomRules = [new CustomTagRule(DicomTag.StationName, DeidentificationAction.Remove), new CustomTagRule(DicomTag.PatientSex, DeidentificationAction.Keep)],
        };

        var rules = Parse(Valid).Apply(commandLine).CustomRules;

        Assert.Equal(4, rules.Count);
        Assert.Equal(DeidentificationAction.Remove, Assert.Single(rules, r => r.Tag == DicomTag.StationName).Action);
        Assert.Equal(DeidentificationAction.Keep, Assert.Single(rules, r => r.Tag == DicomTag.PatientSex).Action);
        Assert.Equal(DeidentificationAction.Keep, Assert.Single(rules, r => r.Tag == DicomTag.InstitutionName).Action);
    }

    [Fact]
    public void Apply_ProfileRules_ChangeWhatTheEngineWrites()
    {
        var source = DicomFixtureBuilder.CreateCtDataset();
        var key = DeidentificationKey.FromBytes([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);
        var profile = Parse("""
            {
              "schema": "medimagecleaner-profile/1",
              "rules": [ { "tag": "StationName", "action": "Keep" }, { "tag": "PatientSex", "action": "Keep" } ],
              "patientIdPrefix": "SITE7"
            }
            """);

        var basic = new DeidentificationEngine(new DeidentificationSettings(), new Pseudonymizer(key), new PhiScrubber()).Apply(source);
        var site = new DeidentificationEngine(profile.Apply(new DeidentificationSettings()), new Pseudonymizer(key, "SITE7"), new PhiScrubber()).Apply(source);

        Assert.NotEqual(source.GetString(DicomTag.StationName), basic.Dataset.GetString(DicomTag.StationName));
        Assert.Equal(source.GetString(DicomTag.StationName), site.Dataset.GetString(DicomTag.StationName));
        Assert.Equal(source.GetString(DicomTag.PatientSex), site.Dataset.GetString(DicomTag.PatientSex));
        Assert.StartsWith("SITE7-", site.PseudoPatientId, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_FullDatesFromFileAndOffsetFromCommandLine_FailsSettingsValidation()
    {
        var profile = Parse("""{ "schema": "medimagecleaner-profile/1", "options": [ "RetainLongitudinalFullDates" ] }""");

        var merged = profile.Apply(new DeidentificationSettings { DateOffsetDays = 3 }, ProfileFileFields.DateOffsetDays);

        Assert.Throws<DeidentificationConfigurationException>(merged.Validate);
    }

    public static TheoryData<string, string, string, string?, int> Invalid => new()
    {
        // name, json, code, field, line (0: no line)
        { "unknown root property", "{\n  \"schema\": \"medimagecleaner-profile/1\",\n  \"keepPrivate\": true\n}", ProfileFileErrorCodes.UnknownProperty, "keepPrivate", 3 },
        { "unknown property in a rule", "{\n\"schema\": \"medimagecleaner-profile/1\",\n\"rules\": [\n { \"tag\": \"StationName\", \"action\": \"Keep\", \"why\": 1 }\n]}", ProfileFileErrorCodes.UnknownProperty, "rules[0].why", 4 },
        { "bad option name", "{\n\"schema\": \"medimagecleaner-profile/1\",\n\"options\": [\"RetainUids\",\n \"RetainUID\"]\n}", ProfileFileErrorCodes.UnknownOption, "options[1]", 4 },
        { "combined option names", "{\"schema\": \"medimagecleaner-profile/1\", \"options\": [\"RetainUids, CleanGraphics\"]}", ProfileFileErrorCodes.UnknownOption, "options[0]", 1 },
        { "numeric option", "{\"schema\": \"medimagecleaner-profile/1\", \"options\": [\"2\"]}", ProfileFileErrorCodes.UnknownOption, "options[0]", 1 },
        { "unknown keyword", "{\n\"schema\": \"medimagecleaner-profile/1\",\n\"rules\": [\n{ \"tag\": \"NoSuchKeyword\", \"action\": \"Keep\" }]}", ProfileFileErrorCodes.InvalidTag, "rules[0].tag", 4 },
        { "malformed tag", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [{ \"tag\": \"(0008,10)\", \"action\": \"Keep\" }]}", ProfileFileErrorCodes.InvalidTag, "rules[0].tag", 1 },
        { "file meta tag", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [{ \"tag\": \"(0002,0010)\", \"action\": \"Keep\" }]}", ProfileFileErrorCodes.InvalidTag, "rules[0].tag", 1 },
        { "repeating-group keyword", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [{ \"tag\": \"OverlayData\", \"action\": \"Keep\" }]}", ProfileFileErrorCodes.InvalidTag, "rules[0].tag", 1 },
        { "bad action", "{\n\"schema\": \"medimagecleaner-profile/1\",\n\"rules\": [\n{ \"tag\": \"StationName\",\n  \"action\": \"Delete\" }]}", ProfileFileErrorCodes.InvalidAction, "rules[0].action", 5 },
        { "Uid for a non-UID attribute", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [{ \"tag\": \"StationName\", \"action\": \"Uid\" }]}", ProfileFileErrorCodes.InvalidAction, "rules[0].action", 1 },
        { "string for a boolean", "{\n\"schema\": \"medimagecleaner-profile/1\",\n\"keepCurves\": \"yes\"}", ProfileFileErrorCodes.WrongType, "keepCurves", 3 },
        { "fraction of a day", "{\"schema\": \"medimagecleaner-profile/1\", \"dateOffsetDays\": 1.5}", ProfileFileErrorCodes.WrongType, "dateOffsetDays", 1 },
        { "options not an array", "{\"schema\": \"medimagecleaner-profile/1\", \"options\": \"RetainUids\"}", ProfileFileErrorCodes.WrongType, "options", 1 },
        { "number as option", "{\"schema\": \"medimagecleaner-profile/1\", \"options\": [2]}", ProfileFileErrorCodes.WrongType, "options[0]", 1 },
        { "rule not an object", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [\"StationName\"]}", ProfileFileErrorCodes.WrongType, "rules[0]", 1 },
        { "number as tag", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [{ \"tag\": 528400, \"action\": \"Keep\" }]}", ProfileFileErrorCodes.WrongType, "rules[0].tag", 1 },
        { "root is an array", "[ { \"schema\": \"medimagecleaner-profile/1\" } ]", ProfileFileErrorCodes.WrongType, "(root)", 1 },
        { "missing comma", "{\n  \"schema\": \"medimagecleaner-profile/1\"\n  \"keepCurves\": true\n}", ProfileFileErrorCodes.InvalidJson, null, 3 },
        { "unterminated", "{ \"schema\": \"medimagecleaner-profile/1\",\n  \"rules\": [", ProfileFileErrorCodes.InvalidJson, null, 2 },
        { "trailing content", "{ \"schema\": \"medimagecleaner-profile/1\" }\n}", ProfileFileErrorCodes.InvalidJson, null, 2 },
        { "empty file", "", ProfileFileErrorCodes.InvalidJson, null, 1 },
        { "syntax error after a bad option", "{\"schema\": \"medimagecleaner-profile/1\", \"options\": [\"Nope\"],\n\n \"x\" 1}", ProfileFileErrorCodes.InvalidJson, null, 3 },
        { "no schema", "{\n  \"keepCurves\": true\n}", ProfileFileErrorCodes.UnsupportedSchema, "schema", 1 },
        { "newer schema", "{\n  \"keepCurves\": true, \"future\": 1,\n  \"schema\": \"medimagecleaner-profile/2\"\n}", ProfileFileErrorCodes.UnsupportedSchema, "schema", 3 },
        { "schema not a string", "{ \"schema\": 1 }", ProfileFileErrorCodes.UnsupportedSchema, "schema", 1 },
        { "full and modified dates", "{\"schema\": \"medimagecleaner-profile/1\",\n\"options\": [\"RetainLongitudinalFullDates\",\n\"RetainLongitudinalModifiedDates\"]}", ProfileFileErrorCodes.Contradiction, "options[1]", 3 },
        { "full dates and an offset", "{\"schema\": \"medimagecleaner-profile/1\",\n\"options\": [\"RetainLongitudinalFullDates\"],\n\"dateOffsetDays\": 7}", ProfileFileErrorCodes.Contradiction, "dateOffsetDays", 3 },
        { "two actions for one tag", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [\n{ \"tag\": \"StationName\", \"action\": \"Keep\" },\n{ \"tag\": \"(0008,1010)\", \"action\": \"Remove\" }]}", ProfileFileErrorCodes.Contradiction, "rules[1].tag", 3 },
        { "safe private and all private", "{\"schema\": \"medimagecleaner-profile/1\",\n\"keepPrivateTags\": true,\n\"options\": [\"RetainSafePrivate\"]}", ProfileFileErrorCodes.Contradiction, "keepPrivateTags", 3 },
        { "rule without action", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [\n\n  { \"tag\": \"StationName\" }]}", ProfileFileErrorCodes.MissingProperty, "rules[0].action", 3 },
        { "rule without tag", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [{ \"action\": \"Keep\" }]}", ProfileFileErrorCodes.MissingProperty, "rules[0].tag", 1 },
        { "prefix too long", "{\"schema\": \"medimagecleaner-profile/1\", \"patientIdPrefix\": \"" + new string('A', 41) + "\"}", ProfileFileErrorCodes.OutOfRange, "patientIdPrefix", 1 },
        { "prefix with a backslash", "{\"schema\": \"medimagecleaner-profile/1\", \"patientIdPrefix\": \"A\\\\B\"}", ProfileFileErrorCodes.OutOfRange, "patientIdPrefix", 1 },
        { "offset too large", "{\"schema\": \"medimagecleaner-profile/1\",\n\"dateOffsetDays\": 40000}", ProfileFileErrorCodes.OutOfRange, "dateOffsetDays", 2 },
        { "property twice", "{\"schema\": \"medimagecleaner-profile/1\",\n\"keepCurves\": true,\n\"keepCurves\": false}", ProfileFileErrorCodes.DuplicateProperty, "keepCurves", 3 },
        { "rule property twice", "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [{ \"tag\": \"StationName\", \"action\": \"Keep\",\n\"action\": \"Remove\" }]}", ProfileFileErrorCodes.DuplicateProperty, "rules[0].action", 2 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Load_InvalidProfile_ThrowsWithCodeLineAndField(string name, string json, string code, string? field, int line)
    {
        var path = Write("bad.json", json);

        var ex = Assert.Throws<ProfileFileException>(() => ProfileFile.Load(path));

        Assert.True(code == ex.Code, $"{name}: expected {code}, got {ex.Message}");
        Assert.Equal(field, ex.Field);
        Assert.Equal(line, ex.LineNumber);
        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(code + ": profile file '" + path + "'", ex.Message, StringComparison.Ordinal);
        if (line > 0)
        {
            Assert.Contains($", line {line}, column {ex.Column}", ex.Message, StringComparison.Ordinal);
            Assert.True(ex.Column > 0, name);
        }

        if (field is not null)
        {
            Assert.Contains($"field '{field}'", ex.Message, StringComparison.Ordinal);
        }

        Assert.IsAssignableFrom<MedImageCleanerException>(ex);
    }

    [Fact]
    public void Load_InvalidJson_ReportsTheColumnInCharactersAndChainsTheReaderError()
    {
        // U+00E9 is two bytes in UTF-8: the column counts characters.
        var path = Write("bad.json", "{ \"schema\": \"medimagecleaner-profile/1\",\n  \"patientIdPrefix\": \"\u00E9\" x }");

        var ex = Assert.Throws<ProfileFileException>(() => ProfileFile.Load(path));

        Assert.Equal(ProfileFileErrorCodes.InvalidJson, ex.Code);
        Assert.Equal(2, ex.LineNumber);
        Assert.Equal(26, ex.Column);
        Assert.IsType<System.Text.Json.JsonException>(ex.InnerException, exactMatch: false);
        Assert.DoesNotContain("LineNumber:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TokenPosition_IsTheOffendingValue()
    {
        var path = Write("bad.json", "{\n\"schema\": \"medimagecleaner-profile/1\",\n\"rules\": [ { \"tag\": \"StationName\", \"action\": \"Nope\" } ]\n}");

        var ex = Assert.Throws<ProfileFileException>(() => ProfileFile.Load(path));

        Assert.Equal(3, ex.LineNumber);
        Assert.Equal(46, ex.Column);
        Assert.Contains("'Nope'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stationName", "StationName")]
    [InlineData("KeepPrivateTags", "keepPrivateTags")]
    public void Load_WrongCase_SuggestsTheName(string written, string suggested)
    {
        var json = written == "stationName"
            ? "{\"schema\": \"medimagecleaner-profile/1\", \"rules\": [{ \"tag\": \"stationName\", \"action\": \"Keep\" }]}"
            : "{\"schema\": \"medimagecleaner-profile/1\", \"KeepPrivateTags\": true}";

        var ex = Assert.Throws<ProfileFileException>(() => ProfileFile.Load(Write("case.json", json)));

        Assert.Contains($"did you mean '{suggested}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsUnreadable()
    {
        var ex = Assert.Throws<ProfileFileException>(() => ProfileFile.Load(Path.Combine(_dir, "missing.json")));

        Assert.Equal(ProfileFileErrorCodes.Unreadable, ex.Code);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
    }

    [Fact]
    public void Load_HugeFile_ThrowsUnreadableWithoutReadingIt()
    {
        var path = Path.Combine(_dir, "huge.json");
        using (var fs = File.Create(path))
        {
            fs.SetLength(ProfileFile.MaxFileBytes + 1L);
        }

        var ex = Assert.Throws<ProfileFileException>(() => ProfileFile.Load(path));

        Assert.Equal(ProfileFileErrorCodes.Unreadable, ex.Code);
    }

    [Fact]
    public void ErrorCodes_AreDistinctAndNumbered()
    {
        var codes = typeof(ProfileFileErrorCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToArray();

        Assert.Equal(12, codes.Length);
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^MIC-PF0[0-9]{2}$", c));
    }

    private static ProfileFile Parse(string json) => ProfileFile.Parse(Encoding.UTF8.GetBytes(json));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
