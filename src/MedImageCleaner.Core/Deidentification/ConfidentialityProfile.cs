using System.Collections.Frozen;
using System.Globalization;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>What happens to an attribute (PS3.15 E.1.1 action codes, compound codes resolved).</summary>
public enum DeidentificationAction
{
    /// <summary>K: keep (sequences are kept and their items processed).</summary>
    Keep,

    /// <summary>X: remove.</summary>
    Remove,

    /// <summary>Z: replace with a zero-length value.</summary>
    Zero,

    /// <summary>D: replace with a non-zero dummy value valid for the VR.</summary>
    Dummy,

    /// <summary>C: clean: keep the value with identifying content removed (text scrubbed, dates shifted).</summary>
    Clean,

    /// <summary>U: replace a UID with a keyed pseudonymous UID, consistently within the data set.</summary>
    Uid,
}

/// <summary>The options of the Application Level Confidentiality Profile (PS3.15 E.3), as flags.</summary>
[Flags]
public enum ProfileOptions
{
    None = 0,

    /// <summary>Retain Safe Private Option (E.3.10).</summary>
    RetainSafePrivate = 1 << 0,

    /// <summary>Retain UIDs Option (E.3.9).</summary>
    RetainUids = 1 << 1,

    /// <summary>Retain Device Identity Option (E.3.8).</summary>
    RetainDeviceIdentity = 1 << 2,

    /// <summary>Retain Institution Identity Option (E.3.11).</summary>
    RetainInstitutionIdentity = 1 << 3,

    /// <summary>Retain Patient Characteristics Option (E.3.7).</summary>
    RetainPatientCharacteristics = 1 << 4,

    /// <summary>Retain Longitudinal Temporal Information With Full Dates Option (E.3.6).</summary>
    RetainLongitudinalFullDates = 1 << 5,

    /// <summary>Retain Longitudinal Temporal Information With Modified Dates Option (E.3.6).</summary>
    RetainLongitudinalModifiedDates = 1 << 6,

    /// <summary>Clean Descriptors Option (E.3.5).</summary>
    CleanDescriptors = 1 << 7,

    /// <summary>Clean Structured Content Option (E.3.4).</summary>
    CleanStructuredContent = 1 << 8,

    /// <summary>Clean Graphics Option (E.3.3).</summary>
    CleanGraphics = 1 << 9,
}

/// <summary>One row of PS3.15 Table E.1-1.</summary>
/// <param name="Tag">The tag (x digits as 0 for repeating groups).</param>
/// <param name="Mask">The bits of a tag that must match <paramref name="Tag"/>.</param>
/// <param name="Name">The attribute name.</param>
/// <param name="InStandardIod">"In Std Comp IOD" column: the attribute is used in a standard composite IOD.</param>
/// <param name="BasicProfile">The Basic Profile action as written (X, Z, D, U, X/Z, X/D, X/Z/D, Z/D, X/Z/U*).</param>
/// <param name="OptionActions">The action ("K" or "C") each option gives this attribute, when it gives one.</param>
public sealed record ProfileRow(DicomTag Tag, uint Mask, string Name, bool InStandardIod, string BasicProfile, IReadOnlyDictionary<ProfileOptions, string> OptionActions)
{
    /// <summary>A stable rule identifier for plans and audits, e.g. E1-1:(0010,0010).</summary>
    public string RuleId => Mask == 0xFFFFFFFF ? "E1-1:" + Tag : "E1-1:" + FormatMasked(Tag, Mask);

    private static string FormatMasked(DicomTag tag, uint mask)
    {
        var hex = tag.Value.ToString("X8", CultureInfo.InvariantCulture).ToCharArray();
        for (var i = 0; i < 8; i++)
        {
            if (((mask >> ((7 - i) * 4)) & 0xF) == 0)
            {
                hex[i] = 'x';
            }
        }

        var s = new string(hex);
        return "(" + s[..4] + "," + s[4..] + ")";
    }
}

/// <summary>PS3.15 Table E.1-1, generated from the standard's tables (see <see cref="Edition"/>).</summary>
public static class ConfidentialityProfile
{
    private static readonly ProfileOptions[] ColumnOptions =
    [
        ProfileOptions.RetainSafePrivate, ProfileOptions.RetainUids, ProfileOptions.RetainDeviceIdentity,
        ProfileOptions.RetainInstitutionIdentity, ProfileOptions.RetainPatientCharacteristics,
        ProfileOptions.RetainLongitudinalFullDates, ProfileOptions.RetainLongitudinalModifiedDates,
        ProfileOptions.CleanDescriptors, ProfileOptions.CleanStructuredContent, ProfileOptions.CleanGraphics,
    ];

    private static readonly Tables Loaded = new();

    /// <summary>The edition of the table.</summary>
    public static string Edition => ConfidentialityProfileTable.Edition;

    /// <summary>Every row except the private-attributes row, in tag order.</summary>
    public static IReadOnlyList<ProfileRow> Rows => Loaded.Rows;

    /// <summary>The row "(gggg,eeee) where gggg is odd": private attributes.</summary>
    public static ProfileRow PrivateAttributes => Loaded.Private;

    /// <summary>Finds the row for a (non-private) tag, including repeating groups (50xx, 60xx).</summary>
    public static bool TryGetRow(DicomTag tag, out ProfileRow row)
    {
        if (Loaded.ByTag.TryGetValue(tag.Value, out row!))
        {
            return true;
        }

        if (!tag.IsPrivate)
        {
            foreach (var r in Loaded.Masked)
            {
                if ((tag.Value & r.Mask) == r.Tag.Value)
                {
                    row = r;
                    return true;
                }
            }
        }

        row = null!;
        return false;
    }

    /// <summary>
    /// Resolves the action for a row under some options. Retain options (K) take precedence over clean options (C),
    /// which take precedence over the Basic Profile. Compound Basic Profile actions are resolved conservatively so that
    /// conformance cannot break without knowing the attribute's Type in the IOD: D where D is allowed, else Z, else X
    /// (X/Z -> Z, X/D -> D, X/Z/D -> D, Z/D -> D, X/Z/U* -> U for a UID, Z for a sequence of UIDs is not needed: the
    /// sequence is kept and its UIDs replaced).
    /// </summary>
    public static (DeidentificationAction Action, string Source) Resolve(ProfileRow row, ProfileOptions options, DicomVR vr)
    {
        string? clean = null;
        foreach (var option in ColumnOptions)
        {
            if ((options & option) == 0 || !row.OptionActions.TryGetValue(option, out var a))
            {
                continue;
            }

            if (a == "K")
            {
                return (DeidentificationAction.Keep, option.ToString());
            }

            clean ??= option.ToString();
        }

        if (clean is not null)
        {
            return (DeidentificationAction.Clean, clean);
        }

        var action = row.BasicProfile switch
        {
            "X" => DeidentificationAction.Remove,
            "Z" => DeidentificationAction.Zero,
            "D" => DeidentificationAction.Dummy,
            "U" => DeidentificationAction.Uid,
            "K" => DeidentificationAction.Keep,
            "C" => DeidentificationAction.Clean,
            "X/Z" => DeidentificationAction.Zero,
            "X/D" or "X/Z/D" or "Z/D" => DeidentificationAction.Dummy,
            "X/Z/U*" => vr == DicomVR.SQ ? DeidentificationAction.Keep : DeidentificationAction.Uid,
            _ => DeidentificationAction.Remove,
        };
        return (action, "BasicProfile");
    }

    private sealed class Tables
    {
        public Tables()
        {
            var rows = new List<ProfileRow>(640);
            var masked = new List<ProfileRow>();
            var byTag = new Dictionary<uint, ProfileRow>();
            ProfileRow? priv = null;
            foreach (var line in ConfidentialityProfileTableAccess.Lines())
            {
                var f = line.Split('|');
                var opts = new Dictionary<ProfileOptions, string>();
                for (var i = 0; i < ColumnOptions.Length; i++)
                {
                    if (f[5 + i].Length > 0)
                    {
                        opts[ColumnOptions[i]] = f[5 + i];
                    }
                }

                var frozen = opts.ToFrozenDictionary();
                if (f[0] == "PRIVATE")
                {
                    priv = new ProfileRow(new DicomTag(0), 0, f[2], f[3] == "Y", f[4], frozen);
                    continue;
                }

                var tag = new DicomTag(uint.Parse(f[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                var mask = uint.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var row = new ProfileRow(tag, mask, f[2], f[3] == "Y", f[4], frozen);
                rows.Add(row);
                if (mask == 0xFFFFFFFF)
                {
                    byTag[tag.Value] = row;
                }
                else
                {
                    masked.Add(row);
                }
            }

            Rows = rows;
            Masked = [.. masked];
            ByTag = byTag.ToFrozenDictionary();
            Private = priv ?? throw new InvalidOperationException("The generated table has no private-attributes row.");
        }

        public IReadOnlyList<ProfileRow> Rows { get; }

        public ProfileRow[] Masked { get; }

        public FrozenDictionary<uint, ProfileRow> ByTag { get; }

        public ProfileRow Private { get; }
    }
}

/// <summary>Reads the generated row text.</summary>
internal static partial class ConfidentialityProfileTable
{
    public static IEnumerable<string> Lines()
    {
        foreach (var line in Rows.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return line;
        }
    }
}

internal static class ConfidentialityProfileTableAccess
{
    public static IEnumerable<string> Lines() => ConfidentialityProfileTable.Lines();
}
