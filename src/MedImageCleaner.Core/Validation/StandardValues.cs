using System.Collections.Frozen;
using MedImageCleaner.Core.Deidentification;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// The allow-list of the PHI-pattern check: values that are standard vocabulary, not identifiers. A text value made only
/// of these words (anatomy and laterality, modalities, manufacturers, defined terms, technique words, the engine's
/// own dummies and method text) is never reported, so "Left Knee", "SIEMENS" or "CHEST" pass while "Doe^John" does not.
/// </summary>
internal static class StandardValues
{
    /// <summary>Whole values (compared case-insensitively, trimmed) that are never PHI.</summary>
    private static readonly FrozenSet<string> Values = new[]
    {
        "ANONYMIZED", "ANONYMISED", "ANONYMOUS", "ANON", "REMOVED", "REDACTED", "DUMMY", "UNKNOWN", "NONE", "N/A",
        "urn:anonymized", "YES", "NO", "MODIFIED", "UNMODIFIED", "DCM", "ISO_IR 100", "ISO_IR 192",
        "GE MEDICAL SYSTEMS", "GE HEALTHCARE", "SIEMENS HEALTHINEERS", "PHILIPS MEDICAL SYSTEMS", "PHILIPS HEALTHCARE",
        "TOSHIBA_MEC", "CANON_MEC", "KONICA MINOLTA", "HITACHI MEDICAL CORPORATION", "AGFA-GEVAERT",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Words of standard vocabulary (upper case).</summary>
    private static readonly FrozenSet<string> Words = new[]
    {
        // laterality, position and direction
        "LEFT", "RIGHT", "BILATERAL", "L", "R", "B", "U", "LT", "RT", "ANTERIOR", "POSTERIOR", "LATERAL", "MEDIAL", "SUPERIOR",
        "INFERIOR", "PROXIMAL", "DISTAL", "UPPER", "LOWER", "AP", "PA", "LAT", "OBLIQUE", "AXIAL", "CORONAL", "SAGITTAL",
        "HFS", "HFP", "FFS", "FFP", "SUPINE", "PRONE", "ERECT", "DECUBITUS",
        // anatomy (CID 4031 body parts and common free-text spellings)
        "HEAD", "NECK", "CHEST", "THORAX", "ABDOMEN", "PELVIS", "SKULL", "BRAIN", "SPINE", "CSPINE", "TSPINE", "LSPINE",
        "SSPINE", "CERVICAL", "THORACIC", "LUMBAR", "SACRUM", "COCCYX", "BREAST", "HEART", "LUNG", "LUNGS", "LIVER",
        "KIDNEY", "KIDNEYS", "RENAL", "BLADDER", "PROSTATE", "UTERUS", "OVARY", "THYROID", "PANCREAS", "SPLEEN", "COLON",
        "STOMACH", "AORTA", "CAROTID", "CORONARY", "VESSEL", "VESSELS", "EXTREMITY", "ARM", "LEG", "HAND", "FOOT", "FINGER",
        "TOE", "KNEE", "HIP", "ANKLE", "WRIST", "ELBOW", "SHOULDER", "FEMUR", "TIBIA", "HUMERUS", "CLAVICLE", "RIB", "RIBS",
        "JAW", "TMJ", "SINUS", "ORBIT", "EYE", "EAR", "FACE", "WHOLEBODY", "WHOLE", "BODY", "SOFT", "TISSUE", "BONE",
        "ABDOMENPELVIS", "CHESTABDOMEN", "HEADNECK", "IAC", "PITUITARY", "ABD", "PELV",
        // modalities and techniques
        "CT", "MR", "MRI", "PT", "PET", "NM", "US", "CR", "DX", "DR", "MG", "XA", "RF", "OT", "SC", "SR", "ES", "XC", "IO",
        "OP", "SEG", "RTSTRUCT", "RTPLAN", "RTDOSE", "RTIMAGE", "KO", "PR", "DOC", "SPECT",
        "ORIGINAL", "DERIVED", "PRIMARY", "SECONDARY", "LOCALIZER", "SCOUT", "TOPOGRAM", "AXIAL", "HELICAL", "SPIRAL",
        "CONTRAST", "NONCONTRAST", "WITH", "WITHOUT", "W", "WO", "ROUTINE", "STANDARD", "SOFT", "SHARP", "SMOOTH", "LUNG",
        "T1", "T2", "FLAIR", "DWI", "ADC", "SWI", "GRE", "SE", "FSE", "TSE", "EPI", "MPRAGE", "STIR", "PD", "TOF", "MRA",
        "CTA", "DIXON", "FAT", "WATER", "SAT", "FS", "POST", "PRE", "GAD", "DELAYED", "ARTERIAL", "VENOUS", "PORTAL",
        "PHASE", "RECON", "RECONSTRUCTION", "MIP", "MPR", "VR", "THIN", "THICK", "SLICE", "SLICES", "SERIES", "STUDY",
        "IMAGE", "IMAGES", "VIEW", "VIEWS", "SCAN", "EXAM", "PROTOCOL", "SCREENING", "DIAGNOSTIC", "FOLLOW", "UP",
        "MONOCHROME1", "MONOCHROME2", "RGB", "PALETTE", "COLOR", "YBR_FULL", "YBR_FULL_422", "LINEAR", "SIGMOID",
        "CINE", "DOPPLER", "BMODE", "MMODE", "CFM", "PW", "CW", "2D", "3D", "4D",
        // manufacturers
        "SIEMENS", "GE", "PHILIPS", "TOSHIBA", "CANON", "HOLOGIC", "FUJI", "FUJIFILM", "AGFA", "KODAK", "CARESTREAM",
        "ESAOTE", "HITACHI", "SAMSUNG", "MEDISON", "KONICA", "MINOLTA", "ELSCINT", "PICKER", "MARCONI", "VARIAN",
        "ELEKTA", "ACCURAY", "BRAINLAB", "MEDICAL", "SYSTEMS", "HEALTHCARE", "HEALTHINEERS", "MEC", "INC", "LTD", "CORP",
        "CORPORATION", "GMBH", "AG", "CO", "SAMPLE", "MANUFACTURER", "FIXTURE",
        // engine dummies and placeholders
        "ANONYMIZED", "ANONYMISED", "ANONYMOUS", "ANON", "REMOVED", "REDACTED", "DUMMY", "UNKNOWN", "NONE", "NA",
        "PHANTOM", "TEST", "QA", "QC",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="value"/> is standard vocabulary (or the engine's own text) and holds nothing to report.</summary>
    public static bool IsAllowed(string value)
    {
        var v = value.Trim();
        if (v.Length == 0 || Values.Contains(v) || IsEngineText(v))
        {
            return true;
        }

        var any = false;
        foreach (var word in v.Split([' ', '\t', '_', '-', '/', ',', '.', '(', ')', '+', '&', '^', '='], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Words.Contains(word.ToUpperInvariant()))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>The text the engine writes into De-identification Method and the CID 7050 code meanings.</summary>
    private static bool IsEngineText(string v) =>
        v.StartsWith("DICOM PS3.15", StringComparison.Ordinal) || v.StartsWith("Option: ", StringComparison.Ordinal) ||
        v.StartsWith("Table E.1-1 of ", StringComparison.Ordinal) || v.StartsWith(DeidentificationEngine.ToolName, StringComparison.Ordinal) ||
        v.EndsWith(" Option", StringComparison.Ordinal) || v == "Basic Application Confidentiality Profile" ||
        DeidentificationEngine.KeptAsRequestedNotes.Contains(v);
}
