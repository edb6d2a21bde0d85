using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// <see cref="DeidentificationCheck.PhiPattern"/>: no text value at any depth (file meta and private attributes
/// included) reads as a name, date, ID, phone number, e-mail or address; no age over 89. Thread-safe.
/// </summary>
internal sealed partial class PhiPatternCheck
{
    private readonly PhiDetector _patterns;

    public PhiPatternCheck(PhiDetector patterns) => _patterns = patterns;

    /// <summary>Person names written the DICOM way (Family^Given) inside other text.</summary>
    [GeneratedRegex(@"\p{L}[\p{L}'.-]*\^+\p{L}[\p{L}'.-]*", RegexOptions.CultureInvariant, 1000)]
    public static partial Regex DicomNameForm { get; }

    /// <summary>
    /// The text the checks read in an element: text VRs decoded, private or meta UN/OB as printable ASCII; null for
    /// other VRs (Age String included), empty, blank and very long values.
    /// </summary>
    public static string? TextOf(DicomDataset ds, DicomElement e, bool meta)
    {
        if (e.Length == 0 || e.Length > 1 << 20)
        {
            return null;
        }

        string text;
        if (IsText(e.VR))
        {
            text = ds.DecodeString(e);
        }
        else if ((e.Tag.IsPrivate || (meta && e.Tag == DicomTag.PrivateInformation)) && (e.VR == DicomVR.UN || e.VR == DicomVR.OB))
        {
            text = Printable(e.Value.GetBytes().Span);
        }
        else
        {
            return null;
        }

        return text.Trim().Length == 0 ? null : text;
    }

    /// <summary>Checks an Age String: over 89 is a HIPAA Safe Harbor identifier.</summary>
    public static void CheckAge(ValidationRun run, DicomDataset ds, DicomElement e, string path, string? keyword)
    {
        if (e.VR != DicomVR.AS || e.Length == 0 || e.Length > 1 << 20)
        {
            return;
        }

        var age = ds.DecodeString(e).Trim();
        if (e.Tag == DicomTag.PatientAge && age.Length == 4 && age[3] == 'Y' && int.TryParse(age.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var years) && years > 89)
        {
            run.Add(DeidentificationCheck.PhiPattern, FindingSeverity.Warning, path, keyword, "An age over 89 (a HIPAA Safe Harbor identifier).", age);
        }
    }

    /// <summary>Checks the text of one element (from <see cref="TextOf"/>).</summary>
    public void Check(ValidationRun run, DicomElement e, string text, string path, string? keyword, bool meta)
    {
        if (IsCodeAttribute(e.Tag) || e.Tag == DicomTag.DeidentificationMethod || e.Tag == DicomTag.LongitudinalTemporalInformationModified ||
            e.Tag == DicomTag.SpecificCharacterSet)
        {
            return;
        }

        var expectation = run.Profile;
        var action = e.Tag.IsPrivate ? null : expectation.ActionFor(e.Tag, e.VR);
        foreach (var value in e.VR.AllowsBackslash ? text.Split('\\') : [text])
        {
            if (StandardValues.IsAllowed(value))
            {
                continue;
            }

            if (e.VR == DicomVR.PN)
            {
                run.Add(DeidentificationCheck.PhiPattern, FindingSeverity.Error, path, keyword, "A person name that is not a dummy value.", value);
                continue;
            }

            if (DicomNameForm.IsMatch(value))
            {
                run.Add(DeidentificationCheck.PhiPattern, FindingSeverity.Error, path, keyword, "Text holds a person name written the DICOM way (Family^Given).", value);
                continue;
            }

            var worst = (PhiFinding?)null;
            foreach (var f in _patterns.Find(value, null))
            {
                if (worst is null || f.Confidence > worst.Confidence)
                {
                    worst = f;
                }
            }

            if (worst is null)
            {
                continue;
            }

            var severity = worst.Kind is PhiKind.Url ? FindingSeverity.Warning : worst.Confidence >= 0.75 ? FindingSeverity.Error : FindingSeverity.Warning;
            if (severity == FindingSeverity.Warning && action == DeidentificationAction.Dummy)
            {
                // A replaced value: only a strong pattern says the replacement did not happen.
                continue;
            }

            if (IsDeviceDescription(e.Tag) && worst.Kind is not (PhiKind.PersonName or PhiKind.Email or PhiKind.Ssn or PhiKind.Address))
            {
                // Software versions and model names carry build dates and part numbers, not the patient's.
                severity = FindingSeverity.Info;
            }

            if (!e.Tag.IsPrivate && !meta && expectation.KeptByOption(e.Tag))
            {
                // An option the file records keeps this attribute as it was (Retain Institution Identity keeps the
                // institution's address): worth knowing, not a failure.
                severity = FindingSeverity.Info;
            }

            run.Add(DeidentificationCheck.PhiPattern, severity, path, keyword, "Text reads as " + KindText(worst.Kind) + ".", value.Substring(worst.Start, worst.Length));
        }
    }

    /// <summary>What a finding of the detector is, in words.</summary>
    public static string KindText(PhiKind kind) => kind switch
    {
        PhiKind.PersonName => "a person name",
        PhiKind.Identifier => "an identifier",
        PhiKind.MedicalRecordNumber => "a medical record number",
        PhiKind.Date => "a date",
        PhiKind.Age => "an age",
        PhiKind.Phone => "a telephone number",
        PhiKind.Email => "an e-mail address",
        PhiKind.Url => "a web address",
        PhiKind.Address => "a street address",
        PhiKind.Ssn => "a social security number",
        _ => "an identifier",
    };

    private static bool IsText(DicomVR vr) =>
        vr == DicomVR.AE || vr == DicomVR.CS || vr == DicomVR.LO || vr == DicomVR.LT || vr == DicomVR.PN || vr == DicomVR.SH ||
        vr == DicomVR.ST || vr == DicomVR.UC || vr == DicomVR.UR || vr == DicomVR.UT;

    /// <summary>Code attributes: Code Value, Coding Scheme Designator/Version, Context Identifier, Mapping Resource, Long/URN Code Value.</summary>
    private static bool IsCodeAttribute(DicomTag tag) =>
        tag == DicomTag.CodeValue || tag == DicomTag.CodingSchemeDesignator || tag == DicomTag.CodingSchemeVersion || tag == DicomTag.ContextIdentifier ||
        tag == DicomTag.MappingResource || tag == DicomTag.LongCodeValue || tag == DicomTag.URNCodeValue;

    /// <summary>Attributes that describe equipment and software (versions, models, formats, implementation names).</summary>
    private static bool IsDeviceDescription(DicomTag tag) =>
        tag == DicomTag.SoftwareVersions || tag == DicomTag.ManufacturerModelName || tag == DicomTag.SecondaryCaptureDeviceManufacturer ||
        tag == DicomTag.SecondaryCaptureDeviceManufacturerModelName || tag == DicomTag.SecondaryCaptureDeviceSoftwareVersions ||
        tag == DicomTag.VideoImageFormatAcquired || tag == DicomTag.DigitalImageFormatAcquired || tag == DicomTag.ImplementationVersionName ||
        tag == DicomTag.DeviceSerialNumber;

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            sb.Append(b is >= 0x20 and < 0x7F ? (char)b : ' ');
        }

        return sb.ToString();
    }
}
