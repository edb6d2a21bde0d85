using System.Text;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Tests;

public sealed class PhiDetectorTests
{
    private static readonly PhiDetector Detector = new();
    private static readonly PhiDetector ContextOnly = new(new PhiDetectorOptions { DetectPatterns = false });

    private static PhiContext Context()
    {
        var context = new PhiContext();
        context.PersonNames.AddRange(["DOE^JOHN^Q", "SMITH^ALEX^^DR", "M\u00DCLLER^J\u00DCRGEN", "GARC\u00CDA^JOS\u00C9", "SMITH-JONES^MARY", "O'BRIEN^PAT"]);
        context.Identifiers.AddRange(["PAT00123", "ACC-2023-0042", "7"]);
        context.Dates.AddRange(["19800215", "20230102"]);
        context.OtherValues.AddRange(["SAMPLE GENERAL HOSPITAL", "555-867-5309"]);
        return context;
    }

    private static string[] Spans(PhiDetector detector, string text, PhiContext? context) =>
        [.. detector.Find(text, context).Select(f => text.Substring(f.Start, f.Length))];

    private static string[] Spans(string text, PhiContext? context, PhiKind kind) =>
        [.. Detector.Find(text, context).Where(f => f.Kind == kind).Select(f => text.Substring(f.Start, f.Length))];

    // ---- names from the header ------------------------------------------------------------------------------

    [Theory]
    [InlineData("DOE^JOHN^Q", "DOE^JOHN^Q")]
    [InlineData("Referred: John Doe", "John Doe")]
    [InlineData("Patient DOE, JOHN arrived", "DOE, JOHN")]
    [InlineData("Follow up J. Doe", "J. Doe")]
    [InlineData("CT for John Q. Doe today", "John Q. Doe")]
    [InlineData("seen by Doe", "Doe")]
    [InlineData("JOHN DOE", "JOHN DOE")]
    [InlineData("Mr. DOE called", "DOE")]
    [InlineData("Read by Dr Smith", "Dr Smith")]
    [InlineData("Alex", "Alex")]
    [InlineData("J\u00FCrgen M\u00FCller", "J\u00FCrgen M\u00FCller")]
    [InlineData("Juergen Mueller", "Juergen Mueller")]
    [InlineData("MULLER", "MULLER")]
    [InlineData("Jose Garcia", "Jose Garcia")]
    [InlineData("GARCIA JOSE", "GARCIA JOSE")]
    [InlineData("Mary Smith-Jones", "Mary Smith-Jones")]
    [InlineData("Pat O'Brien", "Pat O'Brien")]
    [InlineData("johndoe", "johndoe")]
    [InlineData("john doe", "john doe")]
    public void Find_HeaderNameInAnySpelling_PersonName(string text, string expected)
    {
        Assert.Contains(expected, Spans(text, Context(), PhiKind.PersonName));
    }

    [Fact]
    public void Find_StudyDescriptionWithNameDateAndMrn_EachFound()
    {
        const string text = "CT for John Q. Doe 01/02/2023 MRN 123456";
        var findings = Detector.Find(text, Context());

        Assert.Collection(
            findings,
            f => Assert.Equal(("John Q. Doe", PhiKind.PersonName), (text.Substring(f.Start, f.Length), f.Kind)),
            f => Assert.Equal(("01/02/2023", PhiKind.Date), (text.Substring(f.Start, f.Length), f.Kind)),
            f => Assert.Equal(("123456", PhiKind.MedicalRecordNumber), (text.Substring(f.Start, f.Length), f.Kind)));
    }

    [Fact]
    public void Find_NamesInIdeographicAndPhoneticGroups_Found()
    {
        var context = new PhiContext();
        context.PersonNames.Add("YAMADA^TAROU=\u5C71\u7530^\u592A\u90CE=\u3084\u307E\u3060^\u305F\u308D\u3046");

        Assert.Contains("\u5C71\u7530\u592A\u90CE", Spans(ContextOnly, "\u5C71\u7530\u592A\u90CE\u69D8", context));
        Assert.Contains("Yamada", Spans(ContextOnly, "Dr. Yamada", context));
    }

    [Fact]
    public void Find_NameWrittenWithoutCarets_Parsed()
    {
        var context = new PhiContext();
        context.PersonNames.Add("Jane Roe");

        Assert.Equal(["ROE"], Spans(ContextOnly, "ROE", context));
        Assert.Equal(["Roe, Jane"], Spans(ContextOnly, "Roe, Jane", context));
    }

    [Theory]
    [InlineData("doe")] // a lone lower-case name part is a word of prose
    [InlineData("T2 tse tra")]
    [InlineData("Johnson")] // a longer word is not the name
    [InlineData("Doerr")]
    [InlineData("DR")] // a prefix alone is not the name
    [InlineData("Q")] // an initial alone is not the name
    [InlineData("Series Q 5")]
    public void Find_NotTheName_Nothing(string text)
    {
        Assert.Empty(Spans(ContextOnly, text, Context()));
    }

    [Fact]
    public void Find_FamilyNameThatIsAnOrdinaryWord_OnlyBesideOtherParts()
    {
        var context = new PhiContext();
        context.PersonNames.Add("HEAD^WALTER");

        Assert.Empty(Spans(ContextOnly, "CT HEAD WO", context));
        Assert.Equal(["Walter Head"], Spans(ContextOnly, "Walter Head", context));
    }

    [Fact]
    public void Find_LowerCaseCommonWordName_NotFlaggedInProse()
    {
        var context = new PhiContext();
        context.PersonNames.Add("WHITE^WALTER");

        Assert.Empty(Spans(ContextOnly, "white matter hyperintensities", context));
        Assert.Equal(["White"], Spans(ContextOnly, "Seen by White", context));
    }

    // ---- IDs, dates and values from the header --------------------------------------------------------------

    [Theory]
    [InlineData("Ref PAT00123 ok", "PAT00123")]
    [InlineData("ref pat00123", "pat00123")]
    [InlineData("PAT-00123", "PAT-00123")]
    [InlineData("PAT 00 123", "PAT 00 123")]
    [InlineData("acc: ACC20230042", "ACC20230042")]
    [InlineData("acc 2023 0042", "acc 2023 0042")]
    [InlineData("ACC-2023-0042/2", "ACC-2023-0042")]
    public void Find_HeaderIdentifier_ExactOrWithoutSeparators(string text, string expected)
    {
        Assert.Contains(expected, Spans(ContextOnly, text, Context()));
        Assert.Contains(ContextOnly.Find(text, Context()), f => f.Kind == PhiKind.Identifier && f.Confidence >= 1.0);
    }

    [Theory]
    [InlineData("PAT001234")] // a longer run is another number
    [InlineData("XPAT00123")]
    [InlineData("T1 7 slices")] // IDs shorter than four characters are not searched
    public void Find_HeaderIdentifierInsideAnotherToken_Nothing(string text)
    {
        Assert.Empty(Spans(ContextOnly, text, Context()));
    }

    [Theory]
    [InlineData("born 02/15/1980", "02/15/1980")]
    [InlineData("dob 15.02.1980", "15.02.1980")]
    [InlineData("1980-02-15", "1980-02-15")]
    [InlineData("DOB 800215", "800215")]
    [InlineData("15-02-80", "15-02-80")]
    [InlineData("2/15/1980", "2/15/1980")]
    [InlineData("study 20230102", "20230102")]
    [InlineData("on 1/2/2023", "1/2/2023")]
    public void Find_HeaderDateInAnyNumericFormat_Date(string text, string expected)
    {
        Assert.Contains(expected, Spans(ContextOnly, text, Context()));
    }

    [Fact]
    public void Find_HeaderDateInsideLongerNumber_Nothing()
    {
        Assert.Empty(Spans(ContextOnly, "119800215", Context()));
        Assert.Empty(Spans(ContextOnly, "198002150", Context()));
    }

    [Fact]
    public void Find_OtherHeaderValues_Found()
    {
        Assert.Contains("Sample General Hospital", Spans(ContextOnly, "Sent from Sample General Hospital.", Context()));
        var phone = ContextOnly.Find("call 555 867 5309", Context());
        Assert.Contains(phone, f => f.Kind == PhiKind.Phone);
    }

    [Fact]
    public void Find_ContextOnly_IgnoresShiftedDatesAndPseudonyms()
    {
        // W-10: a residual scan of de-identified output must not count what the de-identifier itself wrote.
        Assert.Empty(ContextOnly.Find("Study 20230315 for PSEUDO8F3A2C91 at 555-0000", Context()));
    }

    [Fact]
    public void Find_ContextChangedAfterUse_Recompiled()
    {
        var context = new PhiContext();
        context.PersonNames.Add("ROE^JANE");
        Assert.Empty(ContextOnly.Find("Doe", context));

        context.PersonNames.Add("DOE^JOHN");
        Assert.Single(ContextOnly.Find("Doe", context));
    }

    // ---- generic patterns -----------------------------------------------------------------------------------

    [Theory]
    [InlineData("2024-01-12")]
    [InlineData("2024/1/12")]
    [InlineData("01/12/2024")]
    [InlineData("12/01/2024")]
    [InlineData("31/12/2024")]
    [InlineData("12.01.2024")]
    [InlineData("01/12/24")]
    [InlineData("12.01.24")]
    [InlineData("20240112")]
    [InlineData("20240112093000")]
    [InlineData("12 Jan 2024")]
    [InlineData("12-JAN-2024")]
    [InlineData("12JAN2024")]
    [InlineData("12th March 2024")]
    [InlineData("January 12, 2024")]
    [InlineData("Jan. 12, 2024")]
    [InlineData("Sept 3 '24")]
    [InlineData("March 2024")]
    [InlineData("3 June")]
    [InlineData("June 3rd")]
    [InlineData("5 Mar")]
    [InlineData("03/2023")]
    [InlineData("2023-03")]
    public void Find_DateFormats_Date(string date)
    {
        var text = "Exam " + date + " done";
        Assert.Contains(date, Spans(text, null, PhiKind.Date));
    }

    [Theory]
    [InlineData("20241399")] // month 13
    [InlineData("20230230")] // 30 February
    [InlineData("13/13/2024")]
    [InlineData("version 1.5.10")]
    [InlineData("3.0.12")]
    [InlineData("1-2-10")]
    [InlineData("2024")] // a year alone is not an identifying date
    [InlineData("we may 5 times")]
    [InlineData("Pelvis 3/3")]
    public void Find_NotADate_NoDate(string text)
    {
        Assert.Empty(Spans(text, null, PhiKind.Date));
    }

    [Theory]
    [InlineData("(555) 123-4567")]
    [InlineData("555-123-4567")]
    [InlineData("555.123.4567")]
    [InlineData("555 123 4567")]
    [InlineData("+1 555 123 4567")]
    [InlineData("+1-555-123-4567")]
    [InlineData("1-800-555-1234")]
    [InlineData("555-123-4567 ext. 42")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("+49 (0)30 1234567")]
    [InlineData("+33 1 42 68 53 00")]
    [InlineData("030 1234567")]
    [InlineData("555-1234")]
    public void Find_PhoneFormats_Phone(string phone)
    {
        var text = "call " + phone + " today";
        Assert.Contains(phone, Spans(text, null, PhiKind.Phone));
    }

    [Fact]
    public void Find_LabelledPhoneDigits_Phone()
    {
        Assert.Contains("5551234567", Spans("Tel: 5551234567", null, PhiKind.Phone));
        Assert.Contains("0049 30 12345", Spans("Fax 0049 30 12345", null, PhiKind.Phone));
    }

    [Theory]
    [InlineData("john.doe@example.com")]
    [InlineData("J_Doe+rad@mail.hospital.org")]
    public void Find_Email_Email(string email)
    {
        Assert.Equal([email], Spans("mail " + email + ".", null, PhiKind.Email));
    }

    [Theory]
    [InlineData("https://example.org/patient?id=1", "https://example.org/patient?id=1")]
    [InlineData("(see www.example.com/doe).", "www.example.com/doe")]
    public void Find_Url_Url(string text, string expected)
    {
        Assert.Equal([expected], Spans(text, null, PhiKind.Url));
    }

    [Theory]
    [InlineData("123 Main St")]
    [InlineData("42 Oak Avenue")]
    [InlineData("7 Elm Road")]
    [InlineData("1600 Pennsylvania Ave")]
    [InlineData("221B Baker Street")]
    [InlineData("10 Downing Lane")]
    [InlineData("PO Box 123")]
    [InlineData("P.O. Box 77")]
    [InlineData("Springfield, IL 62704")]
    public void Find_Address_Address(string address)
    {
        Assert.Contains(address, Spans("Lives at " + address + " now", null, PhiKind.Address));
    }

    [Theory]
    [InlineData("MRN 123456", "123456")]
    [InlineData("MRN: A12345", "A12345")]
    [InlineData("MR# 7654321", "7654321")]
    [InlineData("Patient ID 98765", "98765")]
    [InlineData("ID: 998877", "998877")]
    [InlineData("Accession No. 55512", "55512")]
    [InlineData("Med Rec # X-77812", "X-77812")]
    [InlineData("chart 1234567", "1234567")]
    public void Find_LabelledRecordNumber_MedicalRecordNumber(string text, string expected)
    {
        Assert.Contains(expected, Spans(text, null, PhiKind.MedicalRecordNumber));
    }

    [Fact]
    public void Find_MrnLikeNumbers_Found()
    {
        Assert.Contains("1234567", Spans("ref 1234567 seen", null, PhiKind.MedicalRecordNumber));
        Assert.Contains("AB123456", Spans("ref AB123456 seen", null, PhiKind.Identifier));
        Assert.Contains("H-0045521", Spans("ref H-0045521 seen", null, PhiKind.Identifier));
    }

    [Theory]
    [InlineData("MR 12345 images")] // short labels need a colon
    [InlineData("ID 4455")]
    [InlineData("1.2.840.113619.2.55.3.604688119")] // UID components
    [InlineData("slope 0.1234567")] // decimals
    [InlineData("12345")] // five digits alone
    public void Find_NotARecordNumber_NoIdentifier(string text)
    {
        Assert.DoesNotContain(Detector.Find(text, null), f => f.Kind is PhiKind.MedicalRecordNumber or PhiKind.Identifier);
    }

    [Theory]
    [InlineData("SSN 123-45-6789", "123-45-6789", PhiKind.Ssn)]
    [InlineData("social security number: 123456789", "123456789", PhiKind.Ssn)]
    [InlineData("ssn 123 45 6789", "123 45 6789", PhiKind.Ssn)]
    [InlineData("123-45-6789", "123-45-6789", PhiKind.Ssn)]
    [InlineData("45-year-old man", "45-year-old", PhiKind.Age)]
    [InlineData("45 y/o M", "45 y/o", PhiKind.Age)]
    [InlineData("92 years old", "92 years old", PhiKind.Age)]
    [InlineData("Age: 92", "Age: 92", PhiKind.Age)]
    public void Find_SsnAndAge_Found(string text, string expected, PhiKind kind)
    {
        Assert.Contains(expected, Spans(text, null, kind));
    }

    [Fact]
    public void Find_InvalidSsn_NotSsn()
    {
        Assert.Empty(Spans("000-12-3456", null, PhiKind.Ssn));
        Assert.Empty(Spans("666-12-3456", null, PhiKind.Ssn));
        Assert.Empty(Spans("123-00-3456", null, PhiKind.Ssn));
    }

    [Theory]
    [InlineData("Reviewed by Jane Roe", "Jane Roe")]
    [InlineData("Dictated by: Roe, Jane", "Roe, Jane")]
    [InlineData("Referring Physician: Dr. Jane Q. Roe", "Jane Q. Roe")]
    [InlineData("Dr. Roe", "Roe")]
    [InlineData("seen by Prof Martinez today", "Martinez")]
    [InlineData("DR. ROE", "ROE")]
    [InlineData("Patient name: Richard Roe", "Richard Roe")]
    public void Find_LabelledNameWithoutContext_PersonName(string text, string expected)
    {
        Assert.Contains(expected, Spans(text, null, PhiKind.PersonName));
    }

    // ---- the seed's false positives (W-9) and ordinary descriptors -------------------------------------------

    [Theory]
    [InlineData("Sample Manufacturer")]
    [InlineData("Left Knee")]
    [InlineData("CT CHEST W/O CONTRAST")]
    [InlineData("AXIAL")]
    [InlineData("SIEMENS")]
    [InlineData("GE MEDICAL SYSTEMS")]
    [InlineData("Philips Medical Systems")]
    [InlineData("TOSHIBA Aquilion")]
    [InlineData("MR BRAIN W/WO CONTRAST")]
    [InlineData("CT HEAD WO CONTRAST 5mm")]
    [InlineData("T1_MPRAGE_SAG")]
    [InlineData("ep2d_diff_3scan_trace_p2")]
    [InlineData("t2_tse_tra_320_p2")]
    [InlineData("Head 5.0 H30s")]
    [InlineData("Body 3.0 B31f")]
    [InlineData("Thorax 1.0 B70f")]
    [InlineData("CARDIAC 75% 0.6 B26f")]
    [InlineData("Topogram 0.6 T20f")]
    [InlineData("AX T2 FLAIR")]
    [InlineData("DWI b=1000")]
    [InlineData("1.25mm STND")]
    [InlineData("PA CHEST 2 VIEWS")]
    [InlineData("Chest PA/LAT")]
    [InlineData("L-SPINE 2 VIEWS")]
    [InlineData("SCOUT")]
    [InlineData("LOCALIZER")]
    [InlineData("Routine Brain 5mm")]
    [InlineData("3D T1 1mm iso")]
    [InlineData("MIP 10mm")]
    [InlineData("kVp 120 mAs 250")]
    [InlineData("SE 3 IM 45")]
    [InlineData("Series 2 Chest CT")]
    [InlineData("Pelvis 3/3")]
    [InlineData("Stage 3 follow-up")]
    [InlineData("Page 12 of 20")]
    [InlineData("Dose 12.5 mGy DLP 450.2")]
    [InlineData("FOV 250x250 matrix 512 x 512")]
    [InlineData("0.5 x 0.5 x 1.0")]
    [InlineData("ImagePositionPatient -120.5\\-80.25\\30.0")]
    [InlineData("1.2.840.10008.5.1.4.1.1.2")]
    [InlineData("1.2.840.113619.2.55.3.604688119.971.1296564822.123")]
    [InlineData("Abdomen^1_CAP_Routine (Adult)")]
    [InlineData("Performed by the technologist")]
    [InlineData("Reviewed by Radiology")]
    [InlineData("Protocol Name: Axial Brain")]
    [InlineData("MR knee left, 3 way localizer")]
    [InlineData("2 views St Anne")] // "St" before a capitalised word is Saint, not Street
    [InlineData("4 slices st")]
    [InlineData("dilution 1/20")]
    [InlineData("2019-2023")]
    [InlineData("CT SAMPLE STUDY")]
    public void Find_OrdinaryDescriptor_Nothing(string text)
    {
        Assert.Empty(Spans(Detector, text, Context()));
    }

    [Fact]
    public void Find_EmptyText_Nothing()
    {
        Assert.Empty(Detector.Find(string.Empty, Context()));
        Assert.Throws<ArgumentNullException>(() => Detector.Find(null!, null));
    }

    [Fact]
    public void Find_MinimumConfidence_DropsWeakFindings()
    {
        var strict = new PhiDetector(new PhiDetectorOptions { MinimumConfidence = 0.9 });
        Assert.Empty(strict.Find("ref 1234567", null));
        Assert.Single(strict.Find("MRN 1234567", null));
    }

    [Fact]
    public void Find_FindingsOrderedAndNotNested()
    {
        var text = "John Doe, john.doe@example.com, 2023-01-02, MRN: 2023010212";
        var findings = Detector.Find(text, Context());

        for (var i = 1; i < findings.Count; i++)
        {
            Assert.True(findings[i - 1].Start <= findings[i].Start);
            Assert.False(findings[i - 1].Start <= findings[i].Start && findings[i - 1].End >= findings[i].End, "nested finding reported");
        }

        Assert.Contains(findings, f => f.Kind == PhiKind.Email && text.Substring(f.Start, f.Length) == "john.doe@example.com");
    }

    [Fact]
    public void Find_HostileInput_Completes()
    {
        // Bounded expressions: long runs of separators, digits and near-matches do not backtrack without end (a timeout
        // would report the whole text, so the last assertion also proves none was hit).
        var inputs = new[]
        {
            string.Concat(Enumerable.Repeat("1-", 10_000)),
            string.Concat(Enumerable.Repeat("a.", 10_000)) + "@",
            "+" + new string('9', 20_000),
            string.Concat(Enumerable.Repeat("12 Main ", 2_500)),
            string.Concat(Enumerable.Repeat("Doe ", 5_000)),
            "Tel" + new string(' ', 20_000) + "1",
            "age" + new string(' ', 20_000) + "x",
        };

        foreach (var input in inputs)
        {
            Assert.DoesNotContain(Detector.Find(input, Context()), f => f.Length == input.Length && f.Kind == PhiKind.Other);
        }
    }

    // ---- scrubber -------------------------------------------------------------------------------------------

    [Fact]
    public void Scrub_StudyDescription_NoOriginalValueLeft()
    {
        var scrubber = new PhiScrubber();
        var output = scrubber.Scrub("CT for John Q. Doe 01/02/2023 MRN 123456", Context(), out var changed);

        Assert.True(changed);
        Assert.Equal("CT for [NAME] [DATE] MRN [MRN]", output);
    }

    [Fact]
    public void Scrub_FreeText_NoNameIdOrDateSubstringSurvives()
    {
        var context = Context();
        const string text =
            "Report for DOE^JOHN^Q (Doe, John; J. Doe; johndoe) ID PAT-00123, acc ACC20230042, born 15 Feb 1980 / 1980-02-15 / 02/15/80, " +
            "seen 2023-01-02 by Dr Smith (Alex Smith) and J\u00FCrgen Mueller; Jose Garcia; Mary Smith-Jones; Pat O'Brien; " +
            "mail john.doe@example.com, tel (555) 867-5309, SSN 123-45-6789, 1600 Pennsylvania Ave, Springfield, IL 62704.";

        var output = new PhiScrubber().Scrub(text, context, out var changed);

        Assert.True(changed);
        foreach (var gone in new[]
                 {
                     "doe", "john", "smith", "alex", "muller", "mueller", "j\u00FCrgen", "juergen", "garcia", "jose", "jones", "mary",
                     "brien", "pat0", "00123", "acc2023", "20230042", "1980", "02/15", "2023-01-02", "555", "5309", "6789",
                     "pennsylvania", "springfield", "62704", "example.com",
                 })
        {
            Assert.DoesNotContain(gone, output, StringComparison.OrdinalIgnoreCase);
        }

        Assert.StartsWith("Report for [NAME] (", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_TextOutsideSpans_Kept()
    {
        var output = new PhiScrubber().Scrub("Report: John Doe, seen 2023-01-02.", Context(), out _);
        Assert.Equal("Report: [NAME], seen [DATE].", output);
    }

    [Fact]
    public void Scrub_OverlappingFindings_OneToken()
    {
        var context = new PhiContext();
        context.PersonNames.Add("SMITH^JUNE");
        const string text = "Smith, June 5 2023 (left)";

        var findings = Detector.Find(text, context);
        Assert.Contains(findings, f => f.Kind == PhiKind.PersonName && f.End == "Smith, June".Length);
        Assert.Contains(findings, f => f.Kind == PhiKind.Date && f.Start == "Smith, ".Length);

        var output = new PhiScrubber().Scrub(text, context, out var changed);
        Assert.True(changed);
        Assert.Equal("[NAME] (left)", output);
    }

    [Fact]
    public void Scrub_NothingFound_SameTextUnchanged()
    {
        const string text = "CT CHEST W/O CONTRAST";
        var output = new PhiScrubber().Scrub(text, Context(), out var changed);

        Assert.False(changed);
        Assert.Same(text, output);
    }

    [Fact]
    public void Scrub_Twice_SameAsOnce()
    {
        var scrubber = new PhiScrubber();
        var once = scrubber.Scrub("CT for John Q. Doe 01/02/2023 MRN 123456, tel 555-123-4567, Age: 92", Context(), out _);
        var twice = scrubber.Scrub(once, Context(), out var changed);

        Assert.False(changed);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void Scrub_WithoutContext_PatternsOnly()
    {
        var output = new PhiScrubber().Scrub("seen 2023-01-02 by Dr. Roe, MRN 123456", null!, out var changed);
        Assert.True(changed);
        Assert.Equal("seen [DATE] by Dr. [NAME], MRN [MRN]", output);
    }

    [Fact]
    public void Scrub_ManyShortStrings_NoNameLeft()
    {
        // 10,000 short descriptors through one scrubber and one context (speed is measured by benchmarks, not here).
        var context = Context();
        var scrubber = new PhiScrubber();
        var templates = new[]
        {
            "CT CHEST W/O CONTRAST {0}", "Doe J {0}", "AX T2 FLAIR {0}", "John Doe series {0}", "MRN {0}123456",
            "Smith, Alex {0}", "t2_tse_tra_{0}", "Exam 2023-01-{0:00}", "Left Knee {0}", "DOE^JOHN {0}",
        };

        var leaked = 0;
        var changedCount = 0;
        var sb = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, templates[i % templates.Length], (i % 28) + 1);
            var output = scrubber.Scrub(text, context, out var changed);
            changedCount += changed ? 1 : 0;
            if (output.Contains("doe", StringComparison.OrdinalIgnoreCase) || output.Contains("smith", StringComparison.OrdinalIgnoreCase))
            {
                leaked++;
                sb.AppendLine(output);
            }
        }

        Assert.True(leaked == 0, sb.ToString());
        Assert.Equal(6_000, changedCount);
    }
}
