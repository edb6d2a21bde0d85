using System.Text;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>One original -> pseudonym pair, for the encrypted audit vault. Holds PHI: never log it.</summary>
/// <param name="Kind">PatientId, StudyInstanceUid, SeriesInstanceUid, SopInstanceUid, Uid, DateOffset.</param>
/// <param name="Original">The original value.</param>
/// <param name="Pseudonym">The value written instead.</param>
public sealed record IdentityMapping(string Kind, string Original, string Pseudonym);

/// <summary>What the engine did to one dataset.</summary>
public sealed record DeidentificationOutcome(
    DicomDataset Dataset,
    IReadOnlyList<PlanEntry> Plan,
    IReadOnlyDictionary<DeidentificationAction, int> Counts,
    string? PseudoPatientId,
    int? DateOffsetDays,
    IReadOnlyList<IdentityMapping> Mappings);

/// <summary>
/// The PS3.15 Annex E engine: builds the plan for every attribute at every depth (tag -> action -> rule) and
/// applies it to a copy of the dataset. Values it does not change are shared, not copied, so pixel data stays a
/// reference into the source file and is streamed by the writer.
/// </summary>
public sealed partial class DeidentificationEngine
{
    /// <summary>
    /// The tool name and version written into De-identification Method, the outputs and the resume fingerprint:
    /// "MedImageCleaner " and this assembly's version (major.minor.build, from the Version property of the build).
    /// </summary>
    public static string ToolName { get; } = "MedImageCleaner " + (typeof(DeidentificationEngine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>De-identification Method note: private attributes were kept (-KeepPrivateTags).</summary>
    public const string KeptPrivateNote = "Private attributes kept as requested";

    /// <summary>De-identification Method note: overlays (60xx) were kept (-KeepOverlays).</summary>
    public const string KeptOverlaysNote = "Overlays kept as requested";

    /// <summary>De-identification Method note: curves (50xx) were kept (-KeepCurves).</summary>
    public const string KeptCurvesNote = "Curves kept as requested";

    /// <summary>De-identification Method note: Patient's Age was kept (-PreserveAge).</summary>
    public const string KeptAgeNote = "Patient's Age kept as requested";

    /// <summary>De-identification Method note: Patient's Sex was kept (-PreserveSex).</summary>
    public const string KeptSexNote = "Patient's Sex kept as requested";

    /// <summary>De-identification Method note: site rules for single tags overrode the table.</summary>
    public const string SiteRulesNote = "Site tag rules applied";

    /// <summary>
    /// The notes the engine adds to De-identification Method (0012,0063) for switches outside PS3.15, so a validator
    /// can tell a requested deviation from the profile from a leak.
    /// </summary>
    public static IReadOnlyList<string> KeptAsRequestedNotes { get; } = [KeptPrivateNote, KeptOverlaysNote, KeptCurvesNote, KeptAgeNote, KeptSexNote, SiteRulesNote];

    private readonly DeidentificationSettings _settings;
    private readonly ProfileOptions _options;
    private readonly Pseudonymizer _pseudonymizer;
    private readonly IPhiScrubber? _scrubber;
    private readonly Dictionary<uint, CustomTagRule> _custom;

    public DeidentificationEngine(DeidentificationSettings settings, Pseudonymizer pseudonymizer, IPhiScrubber? scrubber = null)
    {
        settings.Validate();
        _settings = settings;
        _options = settings.EffectiveOptions;
        _pseudonymizer = pseudonymizer;
        _scrubber = scrubber;
        _custom = [];
        foreach (var rule in settings.CustomRules)
        {
            _custom[rule.Tag.Value] = rule;
        }
    }

    /// <summary>The settings.</summary>
    public DeidentificationSettings Settings => _settings;

    /// <summary>De-identifies a dataset (the source is not modified). <paramref name="collectPlan"/> records a plan entry per attribute.</summary>
    public DeidentificationOutcome Apply(DicomDataset source, bool collectPlan = false)
    {
        var ds = source.Clone();
        var originalPatientId = source.GetString(DicomTag.PatientID) ?? string.Empty;
        var patientKey = originalPatientId.Length > 0 ? originalPatientId : (source.GetString(DicomTag.PatientName) ?? string.Empty);
        var shiftDates = (_options & ProfileOptions.RetainLongitudinalModifiedDates) != 0;
        var run = new Run(this, collectPlan, source)
        {
            DateOffset = shiftDates ? _pseudonymizer.DateOffsetDays(patientKey) : 0,
        };

        run.Process(ds, string.Empty, depth: 0, scope: Scope.None);

        string? pseudoPatientId = null;
        if (ds.TryGetElement(DicomTag.PatientID, out var pid) && pid.Length > 0)
        {
            pseudoPatientId = ds.GetString(DicomTag.PatientID);
        }

        AddMethodAttributes(ds, shiftDates);
        if (originalPatientId.Length > 0 && pseudoPatientId is not null && pseudoPatientId != originalPatientId)
        {
            run.Mappings.Add(new IdentityMapping("PatientId", originalPatientId, pseudoPatientId));
        }

        if (shiftDates)
        {
            run.Mappings.Add(new IdentityMapping("DateOffsetDays", patientKey, run.DateOffset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new DeidentificationOutcome(ds, run.Plan, run.Counts, pseudoPatientId, shiftDates ? run.DateOffset : null, run.Mappings);
    }

    /// <summary>The CID 7050 codes (PS3.16) for the profile and the options applied.</summary>
    public IReadOnlyList<(string Code, string Meaning)> MethodCodes()
    {
        var codes = new List<(string, string)> { ("113100", "Basic Application Confidentiality Profile") };
        if ((_options & ProfileOptions.CleanGraphics) != 0)
        {
            codes.Add(("113103", "Clean Graphics Option"));
        }

        if ((_options & ProfileOptions.CleanStructuredContent) != 0)
        {
            codes.Add(("113104", "Clean Structured Content Option"));
        }

        if ((_options & ProfileOptions.CleanDescriptors) != 0)
        {
            codes.Add(("113105", "Clean Descriptors Option"));
        }

        if ((_options & ProfileOptions.RetainLongitudinalFullDates) != 0)
        {
            codes.Add(("113106", "Retain Longitudinal Temporal Information Full Dates Option"));
        }

        if ((_options & ProfileOptions.RetainLongitudinalModifiedDates) != 0)
        {
            codes.Add(("113107", "Retain Longitudinal Temporal Information Modified Dates Option"));
        }

        if ((_options & ProfileOptions.RetainPatientCharacteristics) != 0)
        {
            codes.Add(("113108", "Retain Patient Characteristics Option"));
        }

        if ((_options & ProfileOptions.RetainDeviceIdentity) != 0)
        {
            codes.Add(("113109", "Retain Device Identity Option"));
        }

        if ((_options & ProfileOptions.RetainUids) != 0)
        {
            codes.Add(("113110", "Retain UIDs Option"));
        }

        if ((_options & ProfileOptions.RetainSafePrivate) != 0 && !_settings.KeepPrivateTags)
        {
            codes.Add(("113111", "Retain Safe Private Option"));
        }

        if ((_options & ProfileOptions.RetainInstitutionIdentity) != 0)
        {
            codes.Add(("113112", "Retain Institution Identity Option"));
        }

        return codes;
    }

    private void AddMethodAttributes(DicomDataset ds, bool shiftDates)
    {
        ds.AddOrUpdate(DicomTag.PatientIdentityRemoved, DicomVR.CS, "YES");
        var methods = new List<string> { "DICOM PS3.15 E.1 Basic Application Level Confidentiality Profile" };
        var optionNames = new List<string>();
        foreach (var (_, meaning) in MethodCodes())
        {
            if (meaning.EndsWith(" Option", StringComparison.Ordinal))
            {
                optionNames.Add(meaning[..^7]);
            }
        }

        foreach (var name in optionNames)
        {
            methods.Add(Truncate("Option: " + name, 64));
        }

        if (_settings.KeepPrivateTags)
        {
            methods.Add(KeptPrivateNote);
        }

        if (_settings.KeepOverlays)
        {
            methods.Add(KeptOverlaysNote);
        }

        if (_settings.KeepCurves)
        {
            methods.Add(KeptCurvesNote);
        }

        if (_settings.PreserveAge)
        {
            methods.Add(KeptAgeNote);
        }

        if (_settings.PreserveSex)
        {
            methods.Add(KeptSexNote);
        }

        if (_settings.CustomRules.Count > 0)
        {
            methods.Add(SiteRulesNote);
        }

        methods.Add("Table E.1-1 of " + ConfidentialityProfile.Edition.Split(" via ")[0]);
        methods.Add(ToolName + " key " + _pseudonymizer.KeyId);
        for (var i = 0; i < methods.Count; i++)
        {
            methods[i] = Truncate(methods[i].Replace('\\', '/'), 64);
        }

        ds.AddOrUpdate(DicomTag.DeidentificationMethod, DicomVR.LO, string.Join('\\', methods));

        var items = new List<DicomDataset>();
        foreach (var (code, meaning) in MethodCodes())
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTag.CodeValue, DicomVR.SH, code);
            item.AddOrUpdate(DicomTag.CodingSchemeDesignator, DicomVR.SH, "DCM");
            item.AddOrUpdate(DicomTag.CodeMeaning, DicomVR.LO, meaning);
            items.Add(item);
        }

        ds.AddOrUpdate(new DicomSequence(DicomTag.DeidentificationMethodCodeSequence, items));
        var longitudinal = (_options & ProfileOptions.RetainLongitudinalFullDates) != 0 ? "UNMODIFIED" : shiftDates ? "MODIFIED" : "REMOVED";
        ds.AddOrUpdate(DicomTag.LongitudinalTemporalInformationModified, DicomVR.CS, longitudinal);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private static bool IsStandardUid(string uid) => uid.StartsWith("1.2.840.10008.", StringComparison.Ordinal);

    /// <summary>How unlisted free text inside a sequence is treated.</summary>
    private enum Scope
    {
        None,
        Dummy,
        Clean,

        /// <summary>Dummy scope inside a concept code sequence: the code attributes are kept.</summary>
        CodedConcept,
    }
}
