namespace MedImageCleaner.Core.Deidentification;

/// <summary>The settings a command line may give explicitly: named ones win over a profile file's values.</summary>
[Flags]
public enum ProfileFileFields
{
    None = 0,

    /// <summary>The profile options (-Profile).</summary>
    Options = 1 << 0,

    /// <summary>-KeepPrivateTags.</summary>
    KeepPrivateTags = 1 << 1,

    /// <summary>-KeepOverlays.</summary>
    KeepOverlays = 1 << 2,

    /// <summary>-KeepCurves.</summary>
    KeepCurves = 1 << 3,

    /// <summary>-PatientIdPrefix.</summary>
    PatientIdPrefix = 1 << 4,

    /// <summary>-DateOffsetDays.</summary>
    DateOffsetDays = 1 << 5,
}
