using System.Globalization;
using System.Text;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;
using static MedImageCleaner.Core.Tests.Deidentification.DeidentificationTestSupport;

namespace MedImageCleaner.Core.Tests.Deidentification;

/// <summary>
/// Acceptance 1: one case per row of PS3.15 Table E.1-1 and per option (the Basic Profile, then each of the ten options
/// alone). Each case builds a dataset in memory holding the row's attribute at top level, the same attribute inside an
/// item of a sequence the table does not list, and the same value in a private block, runs the engine and checks the
/// action the table's strings call for (computed by <see cref="DeidentificationTestSupport.Expect"/>, not by the
/// engine's resolver).
/// </summary>
public sealed class ProfileRowTests
{
    /// <summary>A name that is the header's patient name; text values carry it so cleaning is observable.</summary>
    private const string Surname = "ZEBRA";
    private const string GivenName = "QUENTIN";
    private const string PatientIdValue = "MRN7788123";
    private const string PrivateCreator = "MEDIMGCLEAN ROWTEST";
    private const string StandardClassUid = "1.2.840.10008.5.1.4.1.1.2";


    private static readonly DicomTag PrivateCreatorTag = new(0x0009, 0x0010);
    private static readonly DicomTag PrivateElement = new(0x0009, 0x1001);

    private static readonly Dictionary<string, ProfileRow> RowsByRule = ConfidentialityProfile.Rows.ToDictionary(r => r.RuleId, StringComparer.Ordinal);
    private static readonly Dictionary<ProfileOptions, DeidentificationEngine> Engines =
        OptionCases.Select(ParseOption).ToDictionary(o => o, o => Engine(o));

    private static readonly Pseudonymizer Pseudonyms = new(DeidentificationKey.FromBytes(KeyABytes));

    /// <summary>Every row x {Basic, each option alone}.</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ConfidentialityProfile.Rows)
        {
            foreach (var option in OptionCases)
            {
                data.Add(row.RuleId, option);
            }
        }

        return data;
    }

    [Fact]
    public void Rows_GeneratedTable_HasEveryRowOnceAndThePrivateRow()
    {
        // 620 attribute rows plus the "(gggg,eeee) where gggg is odd" row make the table's 621.
        Assert.Equal(620, ConfidentialityProfile.Rows.Count);
        Assert.Equal(ConfidentialityProfile.Rows.Count, RowsByRule.Count);
        Assert.Equal("X", ConfidentialityProfile.PrivateAttributes.BasicProfile);
        Assert.Equal("C", ConfidentialityProfile.PrivateAttributes.OptionActions[ProfileOptions.RetainSafePrivate]);
        Assert.Null(FindRow(DicomTag.PerformedProtocolCodeSequence));
        Assert.Null(FindRow(DicomTag.CodeMeaning));
        Assert.Null(FindRow(DicomTag.ReferencedSOPClassUID));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_RowUnderOption_TakesTheTableAction(string rule, string option)
    {
        var row = RowsByRule[rule];
        var options = ParseOption(option);
        var tag = AttributeTag(row);
        var vr = VrOf(tag);
        var value = ValueFor(vr, rule);
        var source = BuildCase(tag, vr, value);

        var outcome = Engines[options].Apply(source, collectPlan: true);
        var output = outcome.Dataset;
        var context = new CaseContext(options, PatientKeyOf(source));

        var expected = Expect(tag, vr, options, ContentScope.None);
        var planned = outcome.Plan.Single(p => p.Path == tag.ToString());
        Assert.True(expected == planned.Action, $"plan says {planned.Action} ({planned.RuleId}, {planned.Reason}), table says {expected}");
        CheckAttribute(source, output, tag, expected, ContentScope.None, context, "top level");

        // Nested in an item of a sequence the table does not list: the same rule applies at depth 1.
        Assert.True(output.TryGetSequence(DicomTag.PerformedProtocolCodeSequence, out var neutral), "the unlisted sequence was kept");
        Assert.True(source.TryGetSequence(DicomTag.PerformedProtocolCodeSequence, out var neutralSource));
        CheckAttribute(neutralSource.Items[0], neutral.Items[0], tag, expected, ContentScope.None, context, "nested");

        // A UID is mapped the same way wherever it appears (here also as a Referenced SOP Instance UID).
        if (vr == DicomVR.UI && expected is DeidentificationAction.Uid or DeidentificationAction.Dummy &&
            Expect(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, options, ContentScope.None) == DeidentificationAction.Uid)
        {
            Assert.True(output.TryGetElement(tag, out var top));
            Assert.True(neutral.Items[1].TryGetElement(DicomTag.ReferencedSOPInstanceUID, out var reference));
            Assert.Equal(Text(reference), Text(top));
        }

        // The same value in a private block: creator and element removed (the creator is not in Table E.3.10-1).
        Assert.False(output.Contains(PrivateCreatorTag), "private creator kept");
        Assert.False(output.Contains(PrivateElement), "private element kept");

        // An overlay goes with its whole group, at every depth.
        if (tag.Group == 0x6000)
        {
            Assert.DoesNotContain(output.Walk(), w => w.Item.Tag.Group == 0x6000);
        }
    }

    [Theory]
    [MemberData(nameof(OptionData))]
    public void Apply_PrivateAttributesRowUnderOption_RemovedUnlessSafeUnderRetainSafePrivate(string option)
    {
        var options = ParseOption(option);
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, Surname + "^" + GivenName);
        ds.AddOrUpdate(PrivateCreatorTag, DicomVR.LO, PrivateCreator);
        ds.AddOrUpdate(PrivateElement, DicomVR.LO, GivenName + " " + Surname);
        ds.AddOrUpdate(new DicomTag(0x0019, 0x0010), DicomVR.LO, "GEMS_ACQU_01");
        ds.AddOrUpdate(new DicomTag(0x0019, 0x1023), DicomVR.DS, "39.375");   // Table E.3.10-1: Table Speed, safe
        ds.AddOrUpdate(new DicomTag(0x0019, 0x1001), DicomVR.LO, Surname);     // not in the table: never safe
        var item = new DicomDataset();
        item.AddOrUpdate(PrivateCreatorTag, DicomVR.LO, PrivateCreator);
        item.AddOrUpdate(PrivateElement, DicomVR.PN, Surname + "^" + GivenName);
        ds.AddOrUpdate(new DicomSequence(DicomTag.PerformedProtocolCodeSequence, [item]));

        var output = Engines[options].Apply(ds).Dataset;

        var retainSafe = (options & ProfileOptions.RetainSafePrivate) != 0;
        Assert.False(output.Contains(PrivateCreatorTag));
        Assert.False(output.Contains(PrivateElement));
        Assert.False(output.Contains(new DicomTag(0x0019, 0x1001)));
        Assert.Equal(retainSafe, output.Contains(new DicomTag(0x0019, 0x0010)));
        Assert.Equal(retainSafe, output.Contains(new DicomTag(0x0019, 0x1023)));
        Assert.True(output.TryGetSequence(DicomTag.PerformedProtocolCodeSequence, out var seq));
        Assert.DoesNotContain(seq.Items[0].Items, i => i.Tag.IsPrivate);
    }

    public static TheoryData<string> OptionData() => [.. OptionCases];

    /// <summary>The element a row stands for: curve rows (50xx,xxxx) as Curve Data (5000,3000), other masks in group 6000.</summary>
    private static DicomTag AttributeTag(ProfileRow row) =>
        row.Mask == 0xFF000000 ? new DicomTag(0x5000, 0x3000) : row.Tag;

    private static DicomVR VrOf(DicomTag tag)
    {
        if (DicomDictionary.TryGet(tag, out var entry) && entry.VR.IsKnown)
        {
            return entry.VR;
        }

        // Command group UIDs (0000,1000)/(0000,1001) are not in the PS3.6 data dictionary (they are PS3.7's).
        return tag.Group == 0x0000 ? DicomVR.UI : throw new InvalidOperationException("No VR for " + tag);
    }

    /// <summary>A plausible value for a VR; text carries the patient's name so cleaning shows.</summary>
    private static byte[] ValueFor(DicomVR vr, string rule)
    {
        var name = Surname + "^" + GivenName;
        var prose = "Seen by " + GivenName + " " + Surname + ", " + PatientIdValue;
        return vr.ToString() switch
        {
            "AE" => Padded(Surname + " PACS", vr),
            "AS" => Padded("054Y", vr),
            "AT" => [0x10, 0x00, 0x10, 0x00],
            "CS" => Padded("CORRECT", vr),
            "DA" => Padded("20230102", vr),
            "DS" => Padded("72.5", vr),
            "DT" => Padded("20230102142530.123456", vr),
            "IS" => Padded("42", vr),
            "LO" or "UC" => Padded(GivenName + " " + Surname + " " + PatientIdValue, vr),
            "SH" => Padded(GivenName + " " + Surname, vr),
            "LT" or "ST" or "UT" => Padded(prose, vr),
            "PN" => Padded(name, vr),
            "TM" => Padded("142530.123", vr),
            "UI" => Padded(RowUid(rule), vr),
            "UR" => Padded("https://zebra.example.org/quentin", vr),
            "US" or "SS" => [0x02, 0x01],
            "UL" or "SL" or "FL" => [0x04, 0x03, 0x02, 0x01],
            "FD" or "SV" or "UV" => [8, 7, 6, 5, 4, 3, 2, 1],
            _ => Encoding.ASCII.GetBytes(name + "\0\0\0"), // OB, OW, OF, OD, OL, OV, UN: 16 bytes
        };
    }

    /// <summary>A distinct, non-standard UID per row.</summary>
    private static string RowUid(string rule)
    {
        var index = 0;
        foreach (var row in ConfidentialityProfile.Rows)
        {
            index++;
            if (row.RuleId == rule)
            {
                break;
            }
        }

        return "1.2.826.0.1.3680043.10.543." + index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The case dataset: patient name and ID (the context cleaning works from), the attribute, the attribute again
    /// inside item 1 of an unlisted sequence (item 2 references the UID as a Referenced SOP Instance UID), and the
    /// same value in a private block. A sequence attribute gets one item with a PN, a UI and a DA (listed
    /// attributes), an unlisted text and a standard class UID. An overlay row gets the rest of its group.
    /// </summary>
    private static DicomDataset BuildCase(DicomTag tag, DicomVR vr, byte[] value)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, Surname + "^" + GivenName);
        ds.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, PatientIdValue);
        ds.AddOrUpdate(Attribute(tag, vr, value));

        var nested = new DicomDataset();
        nested.AddOrUpdate(Attribute(tag, vr, value));
        var reference = new DicomDataset();
        reference.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, StandardClassUid);
        reference.AddOrUpdate(new DicomElement(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, vr == DicomVR.UI ? value : Padded("1.2.826.0.1.3680043.10.543.0", DicomVR.UI)));
        ds.AddOrUpdate(new DicomSequence(DicomTag.PerformedProtocolCodeSequence, [nested, reference]));

        ds.AddOrUpdate(PrivateCreatorTag, DicomVR.LO, PrivateCreator);
        ds.AddOrUpdate(vr == DicomVR.SQ ? new DicomSequence(PrivateElement, [SequenceItem()]) : new DicomElement(PrivateElement, vr, value));

        if (tag.Group == 0x6000)
        {
            ds.AddOrUpdate(new DicomTag(0x6000, 0x0010), 64);
            ds.AddOrUpdate(new DicomTag(0x6000, 0x0011), 64);
            ds.AddOrUpdate(new DicomTag(0x6000, 0x0040), DicomVR.CS, "G");
            ds.AddOrUpdate(new DicomElement(new DicomTag(0x6000, 0x0050), DicomVR.SS, new byte[] { 1, 0, 1, 0 }));
            ds.AddOrUpdate(new DicomTag(0x6000, 0x0100), 1);
            ds.AddOrUpdate(new DicomTag(0x6000, 0x0102), 0);
        }

        return ds;
    }

    private static DicomItem Attribute(DicomTag tag, DicomVR vr, byte[] value) =>
        vr == DicomVR.SQ ? new DicomSequence(tag, [SequenceItem()]) : new DicomElement(tag, vr, value);

    private static DicomDataset SequenceItem()
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.CodeMeaning, DicomVR.LO, GivenName + " " + Surname);
        item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, StandardClassUid);
        item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.543.9999");
        item.AddOrUpdate(DicomTag.Date, DicomVR.DA, "20230102");
        item.AddOrUpdate(DicomTag.PersonName, DicomVR.PN, Surname + "^" + GivenName);
        return item;
    }

    /// <summary>The engine's documented patient key for the date offset: Patient ID, else Patient's Name.</summary>
    private static string PatientKeyOf(DicomDataset ds)
    {
        var id = ds.GetString(DicomTag.PatientID);
        return !string.IsNullOrEmpty(id) ? id : ds.GetString(DicomTag.PatientName) ?? string.Empty;
    }

    private sealed record CaseContext(ProfileOptions Options, string PatientKey)
    {
        public bool ShiftDates => (Options & ProfileOptions.RetainLongitudinalModifiedDates) != 0;

        public int Offset => Pseudonyms.DateOffsetDays(PatientKey);
    }

    /// <summary>Checks one attribute of <paramref name="source"/> against its counterpart in <paramref name="output"/>.</summary>
    private static void CheckAttribute(DicomDataset source, DicomDataset output, DicomTag tag, DeidentificationAction action, ContentScope scope, CaseContext context, string where)
    {
        Assert.True(source.TryGet(tag, out var original));
        var at = $"{where} {tag} {original.VR} {action}";
        if (action == DeidentificationAction.Remove)
        {
            Assert.False(output.Contains(tag), at + ": still present");
            return;
        }

        if (original is DicomSequence sourceSeq)
        {
            CheckSequence(sourceSeq, output, tag, action, scope, context, at);
            return;
        }

        var e = (DicomElement)original;
        switch (action)
        {
            case DeidentificationAction.Zero:
                Assert.True(output.TryGetElement(tag, out var zero), at + ": absent");
                Assert.Equal(0, zero.Length);
                return;

            case DeidentificationAction.Keep:
                Assert.True(output.TryGetElement(tag, out var kept), at + ": absent");
                Assert.True(e.Value.GetBytes().Span.SequenceEqual(kept.Value.GetBytes().Span), at + ": bytes changed");
                return;

            case DeidentificationAction.Uid:
                CheckMappedUids(e, output, tag, at);
                return;

            case DeidentificationAction.Dummy:
                if (e.VR == DicomVR.UI)
                {
                    // A dummy UID is a mapped UID (so references still resolve).
                    CheckMappedUids(e, output, tag, at);
                    return;
                }

                Assert.True(output.TryGetElement(tag, out var dummy), at + ": absent");
                if (tag == DicomTag.PatientID)
                {
                    Assert.Equal(Pseudonyms.MapPatientId(Text(e)), Text(dummy));
                    return;
                }

                Assert.Null(DummyProblem(e.VR, dummy.Value.GetBytes().Span));
                Assert.False(e.Value.GetBytes().Span.SequenceEqual(dummy.Value.GetBytes().Span), at + ": dummy equals the original");
                return;

            case DeidentificationAction.Clean:
                CheckCleaned(e, output, tag, context, at);
                return;

            default:
                throw new InvalidOperationException(at);
        }
    }

    private static void CheckSequence(DicomSequence sourceSeq, DicomDataset output, DicomTag tag, DeidentificationAction action, ContentScope scope, CaseContext context, string at)
    {
        Assert.True(output.TryGetSequence(tag, out var seq), at + ": absent");
        if (action == DeidentificationAction.Zero)
        {
            Assert.Empty(seq.Items);
            return;
        }

        // Keep (and X/Z/U* on a sequence) walks the items in the same scope; D walks them as dummy content; C as cleaned
        // content (unless already inside dummy content).
        var inner = action switch
        {
            DeidentificationAction.Dummy => ContentScope.Dummy,
            DeidentificationAction.Clean => scope == ContentScope.Dummy ? ContentScope.Dummy : ContentScope.Clean,
            _ => scope,
        };
        Assert.Equal(sourceSeq.Items.Count, seq.Items.Count);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            foreach (var child in sourceSeq.Items[i].Items)
            {
                var childAction = Expect(child.Tag, child.VR, context.Options, inner);
                CheckAttribute(sourceSeq.Items[i], seq.Items[i], child.Tag, childAction, inner, context, at + " > item " + i.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private static void CheckMappedUids(DicomElement original, DicomDataset output, DicomTag tag, string at)
    {
        Assert.True(output.TryGetElement(tag, out var mapped), at + ": absent");
        var before = Text(original).Split('\\');
        var after = Text(mapped).Split('\\');
        Assert.Equal(before.Length, after.Length);
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i].StartsWith("1.2.840.10008.", StringComparison.Ordinal))
            {
                Assert.Equal(before[i], after[i]);
                continue;
            }

            Assert.True(IsPseudonymousUid(after[i]), at + ": not a 2.25 UID: " + after[i]);
            Assert.NotEqual(before[i], after[i]);
            Assert.Equal(Pseudonyms.MapUid(before[i]), after[i]);
        }
    }

    private static void CheckCleaned(DicomElement original, DicomDataset output, DicomTag tag, CaseContext context, string at)
    {
        var vr = original.VR;
        if (vr == DicomVR.DA || vr == DicomVR.DT)
        {
            Assert.True(output.TryGetElement(tag, out var date), at + ": absent");
            var before = Text(original);
            var after = Text(date);
            if (!context.ShiftDates)
            {
                Assert.Equal(before, after);
                return;
            }

            var shifted = DateTime.ParseExact(before[..8], "yyyyMMdd", CultureInfo.InvariantCulture).AddDays(context.Offset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            Assert.Equal(shifted + before[8..], after);
            Assert.NotEqual(before, after);
            return;
        }

        if (vr == DicomVR.TM || vr == DicomVR.CS)
        {
            // Whole-day shifts leave times of day alone; a code string is a code, not free text.
            Assert.True(output.TryGetElement(tag, out var same), at + ": absent");
            Assert.Equal(Text(original), Text(same));
            return;
        }

        if (vr == DicomVR.UI)
        {
            CheckMappedUids(original, output, tag, at);
            return;
        }

        if (vr.IsCharacterSetText || vr == DicomVR.AE || vr == DicomVR.UR)
        {
            // Scrubbed: present, and none of the header's identifiers survive in it.
            Assert.True(output.TryGetElement(tag, out var text), at + ": absent");
            var after = Text(text);
            Assert.DoesNotContain(Surname, after, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(GivenName, after, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(PatientIdValue, after, StringComparison.OrdinalIgnoreCase);
            return;
        }

        // Curve data under Clean Graphics is numeric and stays (Expect makes any other binary C an X).
        Assert.True(tag.Group is >= 0x5000 and <= 0x50FF, at + ": C on a binary value outside a curve");
        Assert.True(output.TryGetElement(tag, out var curve), at + ": absent");
        Assert.True(original.Value.GetBytes().Span.SequenceEqual(curve.Value.GetBytes().Span), at + ": curve data changed");
    }
}
