using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>A site rule: a fixed action for a tag (the seed's custom PHI tags, or a profile file's overrides).</summary>
/// <param name="Tag">The tag the rule applies to, at any depth.</param>
/// <param name="Action">The action.</param>
public sealed record CustomTagRule(DicomTag Tag, DeidentificationAction Action);

/// <summary>Everything that decides what the engine does to a file. Immutable; safe to share between workers.</summary>
public sealed record DeidentificationSettings
{
    /// <summary>The profile options (PS3.15 E.3).</summary>
    public ProfileOptions Options { get; init; }

    /// <summary>Keep every private attribute (the seed's remove_private_tags=False). Overrides Retain Safe Private.</summary>
    public bool KeepPrivateTags { get; init; }

    /// <summary>Keep overlays (60xx groups) even without Clean Graphics (the seed's keep-overlays).</summary>
    public bool KeepOverlays { get; init; }

    /// <summary>Keep curves (50xx groups) even without Clean Graphics (the seed's keep-curves).</summary>
    public bool KeepCurves { get; init; }

    /// <summary>Replace Patient ID with a keyed pseudonym (default). When false, Patient ID is emptied.</summary>
    public bool HashPatientId { get; init; } = true;

    /// <summary>Keep Patient's Age (the seed's preserve_age).</summary>
    public bool PreserveAge { get; init; }

    /// <summary>Keep Patient's Sex (the seed's preserve_sex).</summary>
    public bool PreserveSex { get; init; }

    /// <summary>A fixed date shift in days (the seed's date_offset_days); implies modified dates.</summary>
    public int? DateOffsetDays { get; init; }

    /// <summary>Prefix of pseudonymous patient IDs.</summary>
    public string PatientIdPrefix { get; init; } = "ANON";

    /// <summary>
    /// The dummy text written into text attributes (SH, LO, ST, LT, UT, UC, PN) whose action is D (the seed's
    /// replacement_value). Dates, times, numbers, codes and UIDs always get dummies valid for their VR instead.
    /// </summary>
    public string ReplacementValue { get; init; } = "ANONYMIZED";

    /// <summary>Per-tag overrides applied before the standard's table (at any depth).</summary>
    public IReadOnlyList<CustomTagRule> CustomRules { get; init; } = [];

    /// <summary>The options in effect once the seed switches are mapped (a fixed offset means modified dates).</summary>
    public ProfileOptions EffectiveOptions =>
        DateOffsetDays is not null ? (Options | ProfileOptions.RetainLongitudinalModifiedDates) & ~ProfileOptions.RetainLongitudinalFullDates : Options;

    /// <summary>Throws <see cref="DeidentificationConfigurationException"/> for contradictory settings.</summary>
    public void Validate()
    {
        if ((Options & ProfileOptions.RetainLongitudinalFullDates) != 0 && (Options & ProfileOptions.RetainLongitudinalModifiedDates) != 0)
        {
            throw new DeidentificationConfigurationException("Retain Longitudinal Temporal Information with Full Dates and with Modified Dates exclude each other: choose one.");
        }

        if ((Options & ProfileOptions.RetainLongitudinalFullDates) != 0 && DateOffsetDays is not null)
        {
            throw new DeidentificationConfigurationException("A date offset shifts dates; it cannot be combined with retaining full dates.");
        }

        if (ReplacementValue.Length is 0 or > 64 || ReplacementValue.Contains('\\', StringComparison.Ordinal) || ReplacementValue.Contains('^', StringComparison.Ordinal))
        {
            throw new DeidentificationConfigurationException("The replacement value must be 1 to 64 characters without backslashes or carets.");
        }

        if (PatientIdPrefix.Length > 40 || PatientIdPrefix.Contains('\\', StringComparison.Ordinal))
        {
            throw new DeidentificationConfigurationException("The patient ID prefix must be at most 40 characters without backslashes.");
        }
    }
}

/// <summary>One decision of the plan: what happens to one attribute at one path. Never holds a value.</summary>
/// <param name="Path">Where the attribute is, e.g. (0008,1140)[0]/(0008,1155).</param>
/// <param name="Tag">The tag.</param>
/// <param name="Keyword">The PS3.6 keyword, or null for private and unknown tags.</param>
/// <param name="VR">The VR.</param>
/// <param name="Action">The action taken.</param>
/// <param name="RuleId">The rule that decided it (E1-1:(0010,0010), Private, UidReference, Custom, NotInProfile...).</param>
/// <param name="Reason">Which table column or option decided it (BasicProfile, RetainUids, KeepPrivateTags...).</param>
public sealed record PlanEntry(string Path, DicomTag Tag, string? Keyword, DicomVR VR, DeidentificationAction Action, string RuleId, string Reason)
{
    /// <summary>The input file the entry belongs to (set when plans of several files are listed together).</summary>
    public string? SourcePath { get; init; }
}

/// <summary>Parses user-facing names of tags and actions (for cmdlets and profile files).</summary>
public static class DeidentificationNames
{
    /// <summary>Parses a keyword (PatientName) or a tag ((0010,0010) / 00100010).</summary>
    public static bool TryParseTag(string text, out DicomTag tag)
    {
        if (DicomTag.TryParse(text, out tag))
        {
            return true;
        }

        if (DicomDictionary.TryGet(text.Trim(), out var entry) && entry.Mask == 0xFFFFFFFF)
        {
            tag = entry.Tag;
            return true;
        }

        return false;
    }

    /// <summary>Parses an action by name (Keep, Remove, Zero, Dummy, Clean, Uid) or code (K, X, Z, D, C, U).</summary>
    public static bool TryParseAction(string text, out DeidentificationAction action)
    {
        action = text.Trim().ToUpperInvariant() switch
        {
            "K" or "KEEP" => DeidentificationAction.Keep,
            "X" or "REMOVE" => DeidentificationAction.Remove,
            "Z" or "ZERO" or "EMPTY" => DeidentificationAction.Zero,
            "D" or "DUMMY" or "REPLACE" => DeidentificationAction.Dummy,
            "C" or "CLEAN" => DeidentificationAction.Clean,
            "U" or "UID" => DeidentificationAction.Uid,
            _ => (DeidentificationAction)(-1),
        };
        return (int)action >= 0;
    }
}
