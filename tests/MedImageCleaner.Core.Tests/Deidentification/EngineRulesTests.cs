using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Tests.Deidentification;

/// <summary>Engine rules beyond the table: coded concepts in SR content, Retain UIDs on unlisted UIDs, the replacement text.</summary>
public sealed class EngineRulesTests
{

    private static DeidentificationEngine Engine(DeidentificationSettings settings) =>
        new(settings, new Pseudonymizer(DeidentificationKey.FromBytes(new byte[32])));

    [Fact]
    public void Apply_SrContentUnderBasicProfile_KeepsCodedConceptsAndReplacesText()
    {
        var code = new DicomDataset();
        code.AddOrUpdate(DicomTag.CodeValue, DicomVR.SH, "121071");
        code.AddOrUpdate(DicomTag.CodingSchemeDesignator, DicomVR.SH, "DCM");
        code.AddOrUpdate(DicomTag.CodeMeaning, DicomVR.LO, "Finding");
        var item = new DicomDataset();
        item.AddOrUpdate(new DicomSequence(DicomTag.ConceptNameCodeSequence, [code]));
        item.AddOrUpdate(DicomTag.TextValue, DicomVR.UT, "Seen by Dr Zebra Quentin");
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomSequence(DicomTag.ContentSequence, [item]));

        var outcome = Engine(new DeidentificationSettings()).Apply(ds, collectPlan: true);

        outcome.Dataset.TryGetSequence(DicomTag.ContentSequence, out var content).ShouldBeTrue();
        var outItem = content.Items[0];
        outItem.GetString(DicomTag.TextValue).ShouldEqual("ANONYMIZED");
        outItem.TryGetSequence(DicomTag.ConceptNameCodeSequence, out var concept).ShouldBeTrue();
        concept.Items[0].GetString(DicomTag.CodeValue).ShouldEqual("121071");
        concept.Items[0].GetString(DicomTag.CodeMeaning).ShouldEqual("Finding");
        Assert.Contains(outcome.Plan, p => p.Tag == DicomTag.CodeMeaning && p.RuleId == "CodedConcept" && p.Action == DeidentificationAction.Keep);
    }

    [Fact]
    public void Apply_RetainUids_KeepsUidsTheTableGivesNoKeep()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.UID, DicomVR.UI, "1.2.3.4.5");
        var kept = Engine(new DeidentificationSettings { Options = ProfileOptions.RetainUids }).Apply(ds);
        kept.Dataset.GetString(DicomTag.UID).ShouldEqual("1.2.3.4.5");
        var mapped = Engine(new DeidentificationSettings()).Apply(ds);
        Assert.StartsWith("2.25.", mapped.Dataset.GetString(DicomTag.UID), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ReplacementValue_UsedForDummyTextOnly()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.StationName, DicomVR.SH, "CT-ROOM-ZEBRA");
        ds.AddOrUpdate(DicomTag.SeriesDate, DicomVR.DA, "20240102");
        var outcome = Engine(new DeidentificationSettings { ReplacementValue = "REMOVED-BY-SITE-POLICY" }).Apply(ds);
        outcome.Dataset.GetString(DicomTag.StationName).ShouldEqual("REMOVED-BY-SITE-");
        outcome.Dataset.GetString(DicomTag.SeriesDate).ShouldEqual("19000101");
    }

    [Fact]
    public void Validate_ReplacementValueWithBackslash_Throws() =>
        Assert.Throws<DeidentificationConfigurationException>(() => Engine(new DeidentificationSettings { ReplacementValue = "A\\B" }));
}

internal static class AssertExtensions
{
    public static void ShouldBeTrue(this bool value) => Assert.True(value);

    public static void ShouldEqual(this string? actual, string expected) => Assert.Equal(expected, actual);
}
