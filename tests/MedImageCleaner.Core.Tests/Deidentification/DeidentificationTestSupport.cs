using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Tests.Deidentification;

/// <summary>How unlisted free text inside a sequence is treated (the engine's documented sequence scopes).</summary>
internal enum ContentScope
{
    /// <summary>Outside any dummy or cleaned sequence: unlisted text is kept.</summary>
    None,

    /// <summary>Inside a sequence replaced with dummy content: unlisted free text gets a dummy value.</summary>
    Dummy,

    /// <summary>Inside a cleaned sequence: unlisted free text is cleaned.</summary>
    Clean,
}

/// <summary>Keys, engines and checks shared by the de-identification tests.</summary>
internal static partial class DeidentificationTestSupport
{
    /// <summary>The options one at a time: "Basic" (none) and each of the ten PS3.15 E.3 options alone.</summary>
    public static readonly string[] OptionCases =
    [
        "Basic",
        nameof(ProfileOptions.RetainSafePrivate),
        nameof(ProfileOptions.RetainUids),
        nameof(ProfileOptions.RetainDeviceIdentity),
        nameof(ProfileOptions.RetainInstitutionIdentity),
        nameof(ProfileOptions.RetainPatientCharacteristics),
        nameof(ProfileOptions.RetainLongitudinalFullDates),
        nameof(ProfileOptions.RetainLongitudinalModifiedDates),
        nameof(ProfileOptions.CleanDescriptors),
        nameof(ProfileOptions.CleanStructuredContent),
        nameof(ProfileOptions.CleanGraphics),
    ];

    /// <summary>Key bytes of the tests' fixed key A (0x01..0x20).</summary>
    public static byte[] KeyABytes { get; } = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>Key bytes of the tests' fixed key B (0xA0..0xBF).</summary>
    public static byte[] KeyBBytes { get; } = [.. Enumerable.Range(0xA0, 32).Select(i => (byte)i)];

    public static ProfileOptions ParseOption(string name) => name == "Basic" ? ProfileOptions.None : Enum.Parse<ProfileOptions>(name);

    /// <summary>An engine with key A, the real PHI scrubber and the given options.</summary>
    public static DeidentificationEngine Engine(ProfileOptions options, byte[]? key = null) =>
        new(new DeidentificationSettings { Options = options }, new Pseudonymizer(DeidentificationKey.FromBytes(key ?? KeyABytes)), new PhiScrubber());

    /// <summary>True for a valid UID (PS3.5 9.1): at most 64 characters, digits and dots, no empty or leading-zero components.</summary>
    public static bool IsValidUid(string uid) => uid.Length is > 0 and <= 64 && UidPattern().IsMatch(uid);

    /// <summary>True for a 2.25 UUID-derived UID.</summary>
    public static bool IsPseudonymousUid(string uid) => IsValidUid(uid) && uid.StartsWith("2.25.", StringComparison.Ordinal);

    /// <summary>The value bytes of an element, as a string (Latin-1, padding removed).</summary>
    public static string Text(DicomElement e) => Encoding.Latin1.GetString(e.Value.GetBytes().Span).TrimEnd(' ', '\0');

    /// <summary>Pads an ASCII value to even length with the VR's padding byte.</summary>
    public static byte[] Padded(string value, DicomVR vr)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if ((bytes.Length & 1) == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = vr.PaddingByte;
        return padded;
    }

    /// <summary>
    /// Checks that a dummy value is valid for its VR; returns the problem, or null. Dates parse, times parse, ages
    /// match nnn[DWMY], numbers parse, UIDs are valid, binary lengths are whole values, text fits the VR's length.
    /// </summary>
    public static string? DummyProblem(DicomVR vr, ReadOnlySpan<byte> value)
    {
        if (value.Length == 0)
        {
            return "empty";
        }

        var s = Encoding.Latin1.GetString(value).TrimEnd(' ', '\0');
        switch (vr.ToString())
        {
            case "DA":
                return DateTime.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "DA does not parse";
            case "TM":
                return TimePattern().IsMatch(s) && int.Parse(s[..2], CultureInfo.InvariantCulture) < 24 ? null : "TM does not parse";
            case "DT":
                return DateTimePattern().IsMatch(s) && (s.Length < 8 || DateTime.TryParseExact(s[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) ? null : "DT does not parse";
            case "AS":
                return AgePattern().IsMatch(s) ? null : "AS is not nnn[DWMY]";
            case "DS":
                return s.Split('\\').All(v => double.TryParse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) && s.Length <= 16 ? null : "DS is not numeric";
            case "IS":
                return s.Split('\\').All(v => int.TryParse(v.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) ? null : "IS is not an integer";
            case "UI":
                return s.Split('\\').All(IsValidUid) ? null : "UI is not a valid UID";
            case "US" or "SS" or "OW" or "AT":
                return value.Length % 2 == 0 ? null : "binary length is not a multiple of 2";
            case "UL" or "SL" or "FL" or "OF" or "OL":
                return value.Length % 4 == 0 ? null : "binary length is not a multiple of 4";
            case "FD" or "OD" or "UV" or "SV" or "OV":
                return value.Length % 8 == 0 ? null : "binary length is not a multiple of 8";
            case "OB" or "UN":
                return null;
            case "AE" or "CS" or "SH":
                return s.Length <= 16 && (vr != DicomVR.CS || CodeStringPattern().IsMatch(s)) ? null : vr + " is too long or has characters the VR does not allow";
            case "LO":
                return s.Length <= 64 && !s.Contains('\\', StringComparison.Ordinal) ? null : "LO too long";
            case "PN":
                return s.Length <= 64 * 3 ? null : "PN too long";
            case "ST":
                return s.Length <= 1024 ? null : "ST too long";
            case "LT":
                return s.Length <= 10240 ? null : "LT too long";
            case "UR":
                return !s.StartsWith(' ') && Uri.TryCreate(s, UriKind.RelativeOrAbsolute, out _) ? null : "UR is not a URI";
            default:
                return null;
        }
    }

    /// <summary>
    /// The action the engine must take, computed from Table E.1-1's strings (never from ConfidentialityProfile.Resolve):
    /// private attributes are removed; an overlay group (60xx) goes whole; group lengths stay; for a listed attribute an
    /// option's K wins over an option's C, which wins over the Basic Profile; X/Z -> Z (but X for Referenced Study
    /// Sequence, Type 3 where an empty sequence is an error); X/D, X/Z/D, Z/D -> D; X/Z/U* -> U for a UID, kept (and
    /// walked) for a sequence; C on a binary value outside a curve group -> X (nothing in it can be cleaned). Unlisted free text inside a dummy or cleaned sequence follows that sequence; an
    /// unlisted UID is mapped unless UIDs are retained; anything else unlisted is kept.
    /// </summary>
    public static DeidentificationAction Expect(DicomTag tag, DicomVR vr, ProfileOptions options, ContentScope scope)
    {
        if (tag.IsPrivate)
        {
            return DeidentificationAction.Remove;
        }

        if (tag.Group is >= 0x6000 and <= 0x60FF)
        {
            return DeidentificationAction.Remove;
        }

        if (tag.Element == 0)
        {
            return DeidentificationAction.Keep;
        }

        if (FindRow(tag) is { } row)
        {
            var clean = false;
            foreach (var (option, code) in row.OptionActions)
            {
                if ((options & option) == 0)
                {
                    continue;
                }

                if (code == "K")
                {
                    return DeidentificationAction.Keep;
                }

                clean |= code == "C";
            }

            if (clean)
            {
                // C on a binary value (Maker Note, Frame Origin Timestamp...) cannot scrub, shift or map anything, so it
                // is X; curve data under Clean Graphics keeps its numbers (its text is scrubbed).
                return vr.IsString || vr == DicomVR.SQ || tag.Group is >= 0x5000 and <= 0x50FF ? DeidentificationAction.Clean : DeidentificationAction.Remove;
            }

            return row.BasicProfile switch
            {
                "X" => DeidentificationAction.Remove,
                "Z" => DeidentificationAction.Zero,
                "D" => DeidentificationAction.Dummy,
                // Retain UIDs keeps every UID, also those the table gives no K under the option ((0040,A124) UID),
                // so references keep pointing at the instances they name.
                "U" => (options & ProfileOptions.RetainUids) != 0 ? DeidentificationAction.Keep : DeidentificationAction.Uid,
                "X/Z" => tag.Value == 0x00081110 ? DeidentificationAction.Remove : DeidentificationAction.Zero,
                "X/D" or "X/Z/D" or "Z/D" => DeidentificationAction.Dummy,
                "X/Z/U*" => vr == DicomVR.SQ || (options & ProfileOptions.RetainUids) != 0 ? DeidentificationAction.Keep : DeidentificationAction.Uid,
                _ => throw new InvalidOperationException("Unknown Basic Profile code " + row.BasicProfile),
            };
        }

        if (scope != ContentScope.None && IsFreeText(vr))
        {
            return scope == ContentScope.Dummy ? DeidentificationAction.Dummy : DeidentificationAction.Clean;
        }

        if (vr == DicomVR.UI && (options & ProfileOptions.RetainUids) == 0)
        {
            return DeidentificationAction.Uid;
        }

        return DeidentificationAction.Keep;
    }

    /// <summary>The table row covering a (non-private) tag, found by a linear scan of the rows (plain rows before masked ones).</summary>
    public static ProfileRow? FindRow(DicomTag tag)
    {
        if (tag.IsPrivate)
        {
            return null;
        }

        ProfileRow? masked = null;
        foreach (var row in ConfidentialityProfile.Rows)
        {
            if (row.Mask == 0xFFFFFFFF && row.Tag.Value == tag.Value)
            {
                return row;
            }

            if (row.Mask != 0xFFFFFFFF && (tag.Value & row.Mask) == row.Tag.Value)
            {
                masked ??= row;
            }
        }

        return masked;
    }

    public static bool IsFreeText(DicomVR vr) =>
        vr == DicomVR.SH || vr == DicomVR.LO || vr == DicomVR.ST || vr == DicomVR.LT || vr == DicomVR.UT || vr == DicomVR.UC || vr == DicomVR.PN;

    /// <summary>A temporary folder deleted on dispose.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mic-deid-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Sub(string name)
        {
            var p = System.IO.Path.Combine(Path, name);
            Directory.CreateDirectory(p);
            return p;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")]
    private static partial Regex UidPattern();

    [GeneratedRegex(@"^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^\d{3}[DWMY]$")]
    private static partial Regex AgePattern();

    [GeneratedRegex(@"^[A-Z0-9 _\\]*$")]
    private static partial Regex CodeStringPattern();
}
