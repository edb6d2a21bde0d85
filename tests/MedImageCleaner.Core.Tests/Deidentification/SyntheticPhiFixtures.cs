using System.Globalization;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Core.Tests.Deidentification;

/// <summary>
/// Datasets full of made-up PHI, built in code: a CT (names, IDs, birth date, addresses, physicians, nested sequences
/// with names, private tags with names), a Comprehensive SR (TEXT, PNAME, DATE, TIME, DATETIME, UIDREF and IMAGE
/// items), an RT Structure Set and a Key Object Selection, and a whole study of three image series whose files
/// reference each other.
/// </summary>
internal static class SyntheticPhiFixtures
{
    public const string PatientNameValue = "ZEBRA^QUENTIN^ALOYSIUS";
    public const string PatientIdValue = "MRN7788123";
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string ComprehensiveSrStorage = "1.2.840.10008.5.1.4.1.1.88.33";
    public const string KeyObjectSelectionStorage = "1.2.840.10008.5.1.4.1.1.88.59";
    public const string RtStructureSetStorage = "1.2.840.10008.5.1.4.1.1.481.3";

    private const string Root = "1.2.826.0.1.3680043.10.543.";

    /// <summary>The fixture names of the leak scan.</summary>
    public static readonly string[] Names = ["ct", "sr", "rtstruct", "kos"];

    /// <summary>The UIDs of the synthetic study.</summary>
    public static class Study
    {
        public const string StudyUid = Root + "1.1";
        public const string FrameOfReferenceUid = Root + "1.2";

        public static string SeriesUid(int series) => Root + "2." + series.ToString(CultureInfo.InvariantCulture);

        public static string InstanceUid(int series, int instance) => Root + "3." + series.ToString(CultureInfo.InvariantCulture) + "." + instance.ToString(CultureInfo.InvariantCulture);
    }

    public static DicomDataset Create(string name) => name switch
    {
        "ct" => Ct(1, 1, references: [], sources: []),
        "sr" => Sr(),
        "rtstruct" => RtStruct(),
        "kos" => Kos(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>
    /// The study: series 1 (2 images; image 2 references image 1), series 2 (2 images derived from series 1 through
    /// Source Image Sequence), series 3 (1 image referencing images of series 1 and 2), all in one frame of reference,
    /// plus an SR, a KOS and an RT Structure Set referencing the images. Names are file names.
    /// </summary>
    public static IReadOnlyList<(string Name, DicomDataset Dataset)> CreateStudy() =>
    [
        ("s1i1", Ct(1, 1, references: [], sources: [])),
        ("s1i2", Ct(1, 2, references: [(1, 1)], sources: [])),
        ("s2i1", Ct(2, 1, references: [], sources: [(1, 1)])),
        ("s2i2", Ct(2, 2, references: [(2, 1)], sources: [(1, 2)])),
        ("s3i1", Ct(3, 1, references: [(1, 2), (2, 1)], sources: [])),
        ("sr", Sr()),
        ("kos", Kos()),
        ("rtstruct", RtStruct()),
    ];

    /// <summary>A CT image full of PHI; <paramref name="references"/> and <paramref name="sources"/> are (series, instance) pairs.</summary>
    public static DicomDataset Ct(int series, int instance, (int Series, int Instance)[] references, (int Series, int Instance)[] sources)
    {
        var ds = DicomFixtureBuilder.CreateCtDataset(series * 10 + instance);
        Patient(ds);
        S(ds, 0x0008, 0x0018, DicomVR.UI, Study.InstanceUid(series, instance));
        S(ds, 0x0020, 0x000D, DicomVR.UI, Study.StudyUid);
        S(ds, 0x0020, 0x000E, DicomVR.UI, Study.SeriesUid(series));
        S(ds, 0x0020, 0x0052, DicomVR.UI, Study.FrameOfReferenceUid);
        S(ds, 0x0020, 0x0011, DicomVR.IS, series.ToString(CultureInfo.InvariantCulture));
        S(ds, 0x0020, 0x0013, DicomVR.IS, instance.ToString(CultureInfo.InvariantCulture));
        S(ds, 0x0008, 0x0080, DicomVR.LO, "Wombat County Hospital");
        S(ds, 0x0008, 0x0081, DicomVR.ST, "17 Quagga Lane, Springfield");
        S(ds, 0x0008, 0x0090, DicomVR.PN, "OKAPI^WINSTON^^DR");
        S(ds, 0x0008, 0x0092, DicomVR.ST, "99 Ibis Road, Shelbyville");
        S(ds, 0x0008, 0x0094, DicomVR.SH, "555-867-5309");
        S(ds, 0x0008, 0x1010, DicomVR.SH, "WOMBATCT7");
        S(ds, 0x0008, 0x1030, DicomVR.LO, "CT CHEST FOR ZEBRA");
        S(ds, 0x0008, 0x103E, DicomVR.LO, "QUENTIN FOLLOWUP");
        S(ds, 0x0008, 0x1040, DicomVR.LO, "Kinkajou Radiology");
        S(ds, 0x0008, 0x1048, DicomVR.PN, "MANATEE^ESMERALDA");
        S(ds, 0x0008, 0x1050, DicomVR.PN, "NARWHAL^BEATRIX");
        S(ds, 0x0008, 0x1060, DicomVR.PN, "PLATYPUS^IGNATIUS");
        S(ds, 0x0008, 0x1070, DicomVR.PN, "AXOLOTL^PERCIVAL");
        S(ds, 0x0018, 0x1000, DicomVR.LO, "SN-WOMBAT-991");
        S(ds, 0x0020, 0x0010, DicomVR.SH, "STUDY4411");
        S(ds, 0x0020, 0x4000, DicomVR.LT, "Image comment about ZEBRA QUENTIN");
        S(ds, 0x0032, 0x1032, DicomVR.PN, "PANGOLIN^HUGO");
        S(ds, 0x0040, 0x0244, DicomVR.DA, "20230317");
        S(ds, 0x0040, 0x0254, DicomVR.LO, "CT for Quentin Zebra");

        // Nested sequences with names: operator and physician identification, request attributes, referenced patient.
        ds.AddOrUpdate(new DicomSequence(DicomTag.OperatorIdentificationSequence, [PersonIdentification("AXOLOTL^PERCIVAL", "OPR-4471")]));
        ds.AddOrUpdate(new DicomSequence(DicomTag.PhysiciansReadingStudyIdentificationSequence, [PersonIdentification("PLATYPUS^IGNATIUS", "PHY-8812")]));
        var request = new DicomDataset();
        S(request, 0x0032, 0x1032, DicomVR.PN, "PANGOLIN^HUGO");
        S(request, 0x0040, 0x0007, DicomVR.LO, "Scheduled for ZEBRA");
        S(request, 0x0040, 0x0009, DicomVR.SH, "SPS-99177");
        S(request, 0x0040, 0x1001, DicomVR.SH, "RP-55123");
        S(request, 0x0040, 0x0006, DicomVR.PN, "CAPYBARA^OTTOLINE");
        ds.AddOrUpdate(new DicomSequence(DicomTag.RequestAttributesSequence, [request]));
        var other = new DicomDataset();
        S(other, 0x0010, 0x0020, DicomVR.LO, "OTHERID-55821");
        S(other, 0x0010, 0x0021, DicomVR.LO, "Wombat County Hospital");
        ds.AddOrUpdate(new DicomSequence(DicomTag.OtherPatientIDsSequence, [other]));

        // Private tags with names, also in a private sequence.
        S(ds, 0x0029, 0x0010, DicomVR.LO, "WOMBAT PRIVATE");
        S(ds, 0x0029, 0x1001, DicomVR.PN, "ZEBRA^QUENTIN");
        S(ds, 0x0029, 0x1002, DicomVR.LO, "MRN7788123 ward 9");
        var priv = new DicomDataset();
        S(priv, 0x0029, 0x0010, DicomVR.LO, "WOMBAT PRIVATE");
        S(priv, 0x0029, 0x1011, DicomVR.PN, "NARWHAL^BEATRIX");
        ds.AddOrUpdate(new DicomSequence(new DicomTag(0x0029, 0x1010), [priv]));

        ds.Remove(DicomTag.ReferencedImageSequence);
        if (references.Length > 0)
        {
            ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedImageSequence, references.Select(r => ImageReference(r.Series, r.Instance))));
        }

        if (sources.Length > 0)
        {
            S(ds, 0x0008, 0x0008, DicomVR.CS, "DERIVED\\SECONDARY\\AXIAL");
            ds.AddOrUpdate(new DicomSequence(DicomTag.SourceImageSequence, sources.Select(r => ImageReference(r.Series, r.Instance))));
        }

        return ds;
    }

    /// <summary>A Comprehensive SR: verifier, author, evidence, and a content tree with TEXT/PNAME/DATE/TIME/DATETIME/UIDREF/IMAGE items.</summary>
    public static DicomDataset Sr()
    {
        var ds = Common(ComprehensiveSrStorage, "SR", Study.SeriesUid(7), Study.InstanceUid(7, 1));
        S(ds, 0x0008, 0x0023, DicomVR.DA, "20230318");
        S(ds, 0x0008, 0x0033, DicomVR.TM, "101500");
        S(ds, 0x0040, 0xA491, DicomVR.CS, "COMPLETE");
        S(ds, 0x0040, 0xA493, DicomVR.CS, "VERIFIED");
        S(ds, 0x0040, 0xA040, DicomVR.CS, "CONTAINER");
        S(ds, 0x0040, 0xA050, DicomVR.CS, "SEPARATE");
        ds.AddOrUpdate(new DicomSequence(DicomTag.ConceptNameCodeSequence, [Code("18748-4", "LN", "Diagnostic Imaging Report")]));
        var verifier = new DicomDataset();
        S(verifier, 0x0040, 0xA027, DicomVR.LO, "Wombat County Hospital");
        S(verifier, 0x0040, 0xA030, DicomVR.DT, "20230318103000");
        S(verifier, 0x0040, 0xA075, DicomVR.PN, "NARWHAL^BEATRIX");
        ds.AddOrUpdate(new DicomSequence(DicomTag.VerifyingObserverSequence, [verifier]));
        var author = new DicomDataset();
        S(author, 0x0040, 0xA084, DicomVR.CS, "PSN");
        S(author, 0x0040, 0xA123, DicomVR.PN, "PLATYPUS^IGNATIUS");
        S(author, 0x0008, 0x0080, DicomVR.LO, "Wombat County Hospital");
        ds.AddOrUpdate(new DicomSequence(DicomTag.AuthorObserverSequence, [author]));
        ds.AddOrUpdate(new DicomSequence(DicomTag.CurrentRequestedProcedureEvidenceSequence, [Evidence((1, 1), (1, 2), (2, 1))]));

        var content = new List<DicomDataset>
        {
            ContentItem("TEXT", "121071", "Finding", 0x0040, 0xA160, DicomVR.UT, "Patient Quentin Zebra (MRN7788123) seen by Dr Okapi; call 555-867-5309"),
            ContentItem("PNAME", "121008", "Person Observer Name", 0x0040, 0xA123, DicomVR.PN, "OKAPI^WINSTON^^DR"),
            ContentItem("DATE", "111060", "Study Date", 0x0040, 0xA121, DicomVR.DA, "20230317"),
            ContentItem("TIME", "111061", "Study Time", 0x0040, 0xA122, DicomVR.TM, "091500"),
            ContentItem("DATETIME", "111526", "DateTime Started", 0x0040, 0xA120, DicomVR.DT, "20230317091500"),
            ContentItem("UIDREF", "110180", "Study Instance UID", 0x0040, 0xA124, DicomVR.UI, Study.StudyUid),
        };
        var image = ContentItemHeader("IMAGE", "121112", "Source of Measurement");
        image.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSOPSequence, [ImageReference(1, 2)]));
        content.Add(image);
        ds.AddOrUpdate(new DicomSequence(DicomTag.ContentSequence, content));
        return ds;
    }

    /// <summary>A Key Object Selection referencing images of series 2 and 3.</summary>
    public static DicomDataset Kos()
    {
        var ds = Common(KeyObjectSelectionStorage, "KO", Study.SeriesUid(8), Study.InstanceUid(8, 1));
        S(ds, 0x0008, 0x0023, DicomVR.DA, "20230319");
        S(ds, 0x0008, 0x0033, DicomVR.TM, "120000");
        S(ds, 0x0040, 0xA040, DicomVR.CS, "CONTAINER");
        S(ds, 0x0040, 0xA050, DicomVR.CS, "SEPARATE");
        ds.AddOrUpdate(new DicomSequence(DicomTag.ConceptNameCodeSequence, [Code("113000", "DCM", "Of Interest")]));
        ds.AddOrUpdate(new DicomSequence(DicomTag.CurrentRequestedProcedureEvidenceSequence, [Evidence((2, 2), (3, 1))]));
        var a = ContentItemHeader("IMAGE", "113000", "Of Interest");
        a.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSOPSequence, [ImageReference(2, 2)]));
        var b = ContentItemHeader("IMAGE", "113000", "Of Interest");
        b.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSOPSequence, [ImageReference(3, 1)]));
        ds.AddOrUpdate(new DicomSequence(DicomTag.ContentSequence, [a, b]));
        return ds;
    }

    /// <summary>An RT Structure Set over series 1: referenced frame of reference, study, series and contour images.</summary>
    public static DicomDataset RtStruct()
    {
        var ds = Common(RtStructureSetStorage, "RTSTRUCT", Study.SeriesUid(9), Study.InstanceUid(9, 1));
        S(ds, 0x3006, 0x0002, DicomVR.SH, "ZEBRA PLAN");
        S(ds, 0x3006, 0x0004, DicomVR.LO, "Quentin Zebra structures");
        S(ds, 0x3006, 0x0008, DicomVR.DA, "20230320");
        S(ds, 0x3006, 0x0009, DicomVR.TM, "080000");
        S(ds, 0x0008, 0x1070, DicomVR.PN, "AXOLOTL^PERCIVAL");

        var contourImages = new[] { ImageReference(1, 1), ImageReference(1, 2) };
        var series = new DicomDataset();
        S(series, 0x0020, 0x000E, DicomVR.UI, Study.SeriesUid(1));
        series.AddOrUpdate(new DicomSequence(DicomTag.ContourImageSequence, contourImages));
        var study = new DicomDataset();
        S(study, 0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.3.1.2.3.1");
        S(study, 0x0008, 0x1155, DicomVR.UI, Study.StudyUid);
        study.AddOrUpdate(new DicomSequence(DicomTag.RTReferencedSeriesSequence, [series]));
        var frame = new DicomDataset();
        S(frame, 0x0020, 0x0052, DicomVR.UI, Study.FrameOfReferenceUid);
        frame.AddOrUpdate(new DicomSequence(DicomTag.RTReferencedStudySequence, [study]));
        ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedFrameOfReferenceSequence, [frame]));

        var roi = new DicomDataset();
        S(roi, 0x3006, 0x0022, DicomVR.IS, "1");
        S(roi, 0x3006, 0x0024, DicomVR.UI, Study.FrameOfReferenceUid);
        S(roi, 0x3006, 0x0026, DicomVR.LO, "ZEBRA LESION");
        S(roi, 0x3006, 0x0036, DicomVR.CS, "MANUAL");
        ds.AddOrUpdate(new DicomSequence(DicomTag.StructureSetROISequence, [roi]));

        var contour = new DicomDataset();
        contour.AddOrUpdate(new DicomSequence(DicomTag.ContourImageSequence, [ImageReference(1, 1)]));
        S(contour, 0x3006, 0x0042, DicomVR.CS, "CLOSED_PLANAR");
        S(contour, 0x3006, 0x0046, DicomVR.IS, "3");
        S(contour, 0x3006, 0x0050, DicomVR.DS, "0\\0\\0\\10\\0\\0\\10\\10\\0");
        var roiContour = new DicomDataset();
        roiContour.AddOrUpdate(new DicomElement(DicomTag.ROIDisplayColor, DicomVR.IS, "255\\0\\0 "u8.ToArray()));
        roiContour.AddOrUpdate(new DicomSequence(DicomTag.ContourSequence, [contour]));
        S(roiContour, 0x3006, 0x0084, DicomVR.IS, "1");
        ds.AddOrUpdate(new DicomSequence(DicomTag.ROIContourSequence, [roiContour]));

        var observation = new DicomDataset();
        S(observation, 0x3006, 0x0082, DicomVR.IS, "1");
        S(observation, 0x3006, 0x0084, DicomVR.IS, "1");
        S(observation, 0x3006, 0x00A4, DicomVR.CS, "GTV");
        S(observation, 0x3006, 0x00A6, DicomVR.PN, "PLATYPUS^IGNATIUS");
        ds.AddOrUpdate(new DicomSequence(DicomTag.RTROIObservationsSequence, [observation]));
        return ds;
    }

    private static DicomDataset Common(string sopClass, string modality, string seriesUid, string instanceUid)
    {
        var ds = new DicomDataset();
        S(ds, 0x0008, 0x0005, DicomVR.CS, "ISO_IR 100");
        S(ds, 0x0008, 0x0012, DicomVR.DA, "20230318");
        S(ds, 0x0008, 0x0016, DicomVR.UI, sopClass);
        S(ds, 0x0008, 0x0018, DicomVR.UI, instanceUid);
        S(ds, 0x0008, 0x0020, DicomVR.DA, "20230317");
        S(ds, 0x0008, 0x0030, DicomVR.TM, "091500");
        S(ds, 0x0008, 0x0050, DicomVR.SH, "ACC-7781-Q");
        S(ds, 0x0008, 0x0060, DicomVR.CS, modality);
        S(ds, 0x0008, 0x0070, DicomVR.LO, "Fixture Medical Systems");
        S(ds, 0x0008, 0x0080, DicomVR.LO, "Wombat County Hospital");
        S(ds, 0x0008, 0x0090, DicomVR.PN, "OKAPI^WINSTON^^DR");
        S(ds, 0x0008, 0x1030, DicomVR.LO, "CT CHEST FOR ZEBRA");
        S(ds, 0x0008, 0x103E, DicomVR.LO, modality + " of Quentin");
        S(ds, 0x0008, 0x1090, DicomVR.LO, "FixtureScan 64");
        Patient(ds);
        S(ds, 0x0020, 0x000D, DicomVR.UI, Study.StudyUid);
        S(ds, 0x0020, 0x000E, DicomVR.UI, seriesUid);
        S(ds, 0x0020, 0x0010, DicomVR.SH, "STUDY4411");
        S(ds, 0x0020, 0x0011, DicomVR.IS, "99");
        S(ds, 0x0020, 0x0013, DicomVR.IS, "1");
        ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedPerformedProcedureStepSequence, []));
        return ds;
    }

    private static void Patient(DicomDataset ds)
    {
        S(ds, 0x0010, 0x0010, DicomVR.PN, PatientNameValue);
        S(ds, 0x0010, 0x0020, DicomVR.LO, PatientIdValue);
        S(ds, 0x0010, 0x0021, DicomVR.LO, "WOMBAT-MRN");
        S(ds, 0x0010, 0x0030, DicomVR.DA, "19610423");
        S(ds, 0x0010, 0x0040, DicomVR.CS, "M");
        S(ds, 0x0010, 0x1000, DicomVR.LO, "ALT-99812\\ALT-77123");
        S(ds, 0x0010, 0x1001, DicomVR.PN, "ZEBRA^Q");
        S(ds, 0x0010, 0x1010, DicomVR.AS, "061Y");
        S(ds, 0x0010, 0x1040, DicomVR.LO, "17 Quagga Lane, Springfield");
        S(ds, 0x0010, 0x1060, DicomVR.PN, "GNU^MATILDA");
        S(ds, 0x0010, 0x2154, DicomVR.SH, "555-867-5309");
        S(ds, 0x0010, 0x4000, DicomVR.LT, "Patient Quentin Zebra prefers mornings");
    }

    private static DicomDataset PersonIdentification(string name, string code)
    {
        var item = new DicomDataset();
        S(item, 0x0008, 0x0080, DicomVR.LO, "Wombat County Hospital");
        item.AddOrUpdate(new DicomSequence(DicomTag.PersonIdentificationCodeSequence, [Code(code, "99WOMBAT", name.Replace('^', ' '))]));
        S(item, 0x0040, 0x1103, DicomVR.LO, "555-867-5309");
        return item;
    }

    private static DicomDataset Evidence(params (int Series, int Instance)[] images)
    {
        var item = new DicomDataset();
        S(item, 0x0020, 0x000D, DicomVR.UI, Study.StudyUid);
        var bySeries = images.GroupBy(i => i.Series).Select(g =>
        {
            var series = new DicomDataset();
            S(series, 0x0020, 0x000E, DicomVR.UI, Study.SeriesUid(g.Key));
            series.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSOPSequence, g.Select(i => ImageReference(i.Series, i.Instance))));
            return series;
        });
        item.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSeriesSequence, bySeries));
        return item;
    }

    private static DicomDataset ContentItemHeader(string valueType, string code, string meaning)
    {
        var item = new DicomDataset();
        S(item, 0x0040, 0xA010, DicomVR.CS, "CONTAINS");
        S(item, 0x0040, 0xA040, DicomVR.CS, valueType);
        item.AddOrUpdate(new DicomSequence(DicomTag.ConceptNameCodeSequence, [Code(code, "DCM", meaning)]));
        return item;
    }

    private static DicomDataset ContentItem(string valueType, string code, string meaning, ushort group, ushort element, DicomVR vr, string value)
    {
        var item = ContentItemHeader(valueType, code, meaning);
        S(item, group, element, vr, value);
        return item;
    }

    private static DicomDataset ImageReference(int series, int instance)
    {
        var item = new DicomDataset();
        S(item, 0x0008, 0x1150, DicomVR.UI, CtImageStorage);
        S(item, 0x0008, 0x1155, DicomVR.UI, Study.InstanceUid(series, instance));
        return item;
    }

    private static DicomDataset Code(string value, string scheme, string meaning)
    {
        var item = new DicomDataset();
        S(item, 0x0008, 0x0100, DicomVR.SH, value);
        S(item, 0x0008, 0x0102, DicomVR.SH, scheme);
        S(item, 0x0008, 0x0104, DicomVR.LO, meaning);
        return item;
    }

    private static void S(DicomDataset ds, ushort group, ushort element, DicomVR vr, string value) =>
        ds.AddOrUpdate(new DicomTag(group, element), vr, value);
}
