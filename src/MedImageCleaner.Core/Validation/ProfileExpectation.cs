using System.Text;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// What the Application Level Confidentiality Profile (PS3.15 Table E.1-1) expects of a de-identified file under some
/// options: the options are recovered from the file's De-identification Method Code Sequence (0012,0064, CID 7050) or,
/// failing that, from the De-identification Method text (0012,0063); or they are given.
/// </summary>
internal sealed class ProfileExpectation
{
    private static readonly (string Code, ProfileOptions Option, string Name)[] Cid7050 =
    [
        ("113103", ProfileOptions.CleanGraphics, "Clean Graphics"),
        ("113104", ProfileOptions.CleanStructuredContent, "Clean Structured Content"),
        ("113105", ProfileOptions.CleanDescriptors, "Clean Descriptors"),
        ("113106", ProfileOptions.RetainLongitudinalFullDates, "Retain Longitudinal Temporal Information Full Dates"),
        ("113107", ProfileOptions.RetainLongitudinalModifiedDates, "Retain Longitudinal Temporal Information Modified Dates"),
        ("113108", ProfileOptions.RetainPatientCharacteristics, "Retain Patient Characteristics"),
        ("113109", ProfileOptions.RetainDeviceIdentity, "Retain Device Identity"),
        ("113110", ProfileOptions.RetainUids, "Retain UIDs"),
        ("113111", ProfileOptions.RetainSafePrivate, "Retain Safe Private"),
        ("113112", ProfileOptions.RetainInstitutionIdentity, "Retain Institution Identity"),
    ];

    private ProfileExpectation(ProfileOptions options, bool fromFile, IReadOnlySet<string> keptAsRequested)
    {
        Options = options;
        FromFile = fromFile;
        KeptAsRequested = keptAsRequested;
    }

    /// <summary>The options in force.</summary>
    public ProfileOptions Options { get; }

    /// <summary>True when they were read from the file.</summary>
    public bool FromFile { get; }

    /// <summary>The engine's "kept as requested" notes found in the method text (see <see cref="DeidentificationEngine"/>).</summary>
    public IReadOnlySet<string> KeptAsRequested { get; }

    /// <summary>Private attributes were kept on request (the file says so).</summary>
    public bool PrivateKept => KeptAsRequested.Contains(DeidentificationEngine.KeptPrivateNote);

    /// <summary>The options as text, e.g. "Basic" or "Basic+CleanDescriptors+RetainUids".</summary>
    public string Describe()
    {
        var sb = new StringBuilder("Basic");
        foreach (var (_, option, _) in Cid7050)
        {
            if ((Options & option) != 0)
            {
                sb.Append('+').Append(option);
            }
        }

        return sb.ToString();
    }

    /// <summary>The expectation for <paramref name="dataset"/>: <paramref name="given"/> when not null, else what the file records.</summary>
    public static ProfileExpectation For(DicomDataset dataset, ProfileOptions? given)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var texts = dataset.GetStrings(DicomTag.DeidentificationMethod);
        foreach (var t in texts)
        {
            foreach (var note in DeidentificationEngine.KeptAsRequestedNotes)
            {
                if (string.Equals(t.Trim(), note, StringComparison.Ordinal))
                {
                    kept.Add(note);
                }
            }
        }

        if (given is { } g)
        {
            return new ProfileExpectation(g, fromFile: false, kept);
        }

        var options = ProfileOptions.None;
        var found = false;
        if (dataset.TryGetSequence(DicomTag.DeidentificationMethodCodeSequence, out var seq))
        {
            foreach (var item in seq.Items)
            {
                var code = item.GetString(DicomTag.CodeValue)?.Trim();
                foreach (var (c, option, _) in Cid7050)
                {
                    if (code == c)
                    {
                        options |= option;
                    }
                }

                found |= code == "113100";
            }
        }

        if (!found)
        {
            foreach (var t in texts)
            {
                foreach (var (_, option, name) in Cid7050)
                {
                    if (t.Contains(name, StringComparison.OrdinalIgnoreCase))
                    {
                        options |= option;
                        found = true;
                    }
                }
            }
        }

        return new ProfileExpectation(options, found || texts.Length > 0, kept);
    }

    /// <summary>
    /// The action the profile gives a (non-private) attribute, resolved as the engine resolves compound actions; null when
    /// the table does not list it. Curves, overlays, age and sex kept on request count as kept.
    /// </summary>
    public DeidentificationAction? ActionFor(DicomTag tag, DicomVR vr)
    {
        if (tag.IsPrivate || tag.IsGroupLength)
        {
            return null;
        }

        if (tag.Group is >= 0x6000 and <= 0x60FF && (tag.Group & 1) == 0)
        {
            return KeptAsRequested.Contains(DeidentificationEngine.KeptOverlaysNote) ? DeidentificationAction.Keep : DeidentificationAction.Remove;
        }

        if (tag.Group is >= 0x5000 and <= 0x50FF && KeptAsRequested.Contains(DeidentificationEngine.KeptCurvesNote))
        {
            return DeidentificationAction.Keep;
        }

        if ((tag.Value == 0x00101010 && KeptAsRequested.Contains(DeidentificationEngine.KeptAgeNote)) ||
            (tag.Value == 0x00100040 && KeptAsRequested.Contains(DeidentificationEngine.KeptSexNote)))
        {
            return DeidentificationAction.Keep;
        }

        if (!ConfidentialityProfile.TryGetRow(tag, out var row))
        {
            return null;
        }

        var (action, _) = ConfidentialityProfile.Resolve(row, Options, vr);
        if (action == DeidentificationAction.Uid && (Options & ProfileOptions.RetainUids) != 0)
        {
            action = DeidentificationAction.Keep;
        }

        if (tag == DicomTag.ReferencedStudySequence && action == DeidentificationAction.Zero)
        {
            action = DeidentificationAction.Remove;
        }

        return action;
    }

    /// <summary>True when an option (not the Basic Profile) keeps <paramref name="tag"/> as it was.</summary>
    public bool KeptByOption(DicomTag tag)
    {
        if (tag.IsPrivate || !ConfidentialityProfile.TryGetRow(tag, out var row))
        {
            return false;
        }

        foreach (var (option, code) in row.OptionActions)
        {
            if ((Options & option) != 0 && code == "K")
            {
                return true;
            }
        }

        return false;
    }
}
