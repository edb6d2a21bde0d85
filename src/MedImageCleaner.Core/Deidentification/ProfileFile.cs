using System.Security.Cryptography;
using System.Text.Json;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>
/// A site profile: rules layered over the PS3.15 Basic Profile, read from a JSON file such as
/// <code>
/// {
///   "schema": "medimagecleaner-profile/1",
///   "options": [ "RetainUids", "CleanDescriptors" ],
///   "rules": [ { "tag": "StationName", "action": "Keep" }, { "tag": "(0009,1001)", "action": "Remove" } ],
///   "keepPrivateTags": false, "keepOverlays": false, "keepCurves": false,
///   "patientIdPrefix": "SITE", "dateOffsetDays": null
/// }
/// </code>
/// Every property but "schema" is optional; a property left out (or a null date offset) leaves the setting as it is.
/// Unknown properties, wrong types, unknown names and contradictions are errors (<see cref="ProfileFileException"/>).
/// </summary>
public sealed record ProfileFile
{
    /// <summary>The schema identifier this version reads.</summary>
    public const string SchemaId = "medimagecleaner-profile/1";

    /// <summary>Larger files are refused: a profile is a few kilobytes.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The file the profile was read from (full path), or null when parsed from memory.</summary>
    public string? FilePath { get; init; }

    /// <summary>SHA-256 of the file's bytes (hex), recorded in the audit so that the rules used can be proven.</summary>
    public string Sha256 { get; init; } = string.Empty;

    /// <summary>The options, when the file gives "options" (replacing, not adding to, the command line's defaults).</summary>
    public ProfileOptions? Options { get; init; }

    /// <summary>The per-tag rules, in file order (each tag once).</summary>
    public IReadOnlyList<CustomTagRule> Rules { get; init; } = [];

    /// <summary>"keepPrivateTags", when given.</summary>
    public bool? KeepPrivateTags { get; init; }

    /// <summary>"keepOverlays", when given.</summary>
    public bool? KeepOverlays { get; init; }

    /// <summary>"keepCurves", when given.</summary>
    public bool? KeepCurves { get; init; }

    /// <summary>"patientIdPrefix", when given.</summary>
    public string? PatientIdPrefix { get; init; }

    /// <summary>"dateOffsetDays", when given and not null.</summary>
    public int? DateOffsetDays { get; init; }

    /// <summary>Reads and validates a profile file.</summary>
    /// <exception cref="ProfileFileException">The file cannot be read or is not a valid profile.</exception>
    public static ProfileFile Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            using var fs = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (fs.Length > MaxFileBytes)
            {
                throw new ProfileFileException(ProfileFileErrorCodes.Unreadable, full, null, 0, 0, $"the file is larger than {MaxFileBytes} bytes; a profile is a small JSON file.");
            }

            bytes = new byte[fs.Length];
            fs.ReadExactly(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProfileFileException(ProfileFileErrorCodes.Unreadable, full, null, 0, 0, $"the file cannot be read ({ex.GetType().Name}).", ex);
        }

        return Parse(bytes, full);
    }

    /// <summary>Validates a profile given as UTF-8 JSON (a leading byte order mark is allowed).</summary>
    /// <param name="utf8Json">The profile's bytes.</param>
    /// <param name="filePath">The file name used in error messages, or null.</param>
    /// <exception cref="ProfileFileException">The profile is not valid.</exception>
    public static ProfileFile Parse(ReadOnlySpan<byte> utf8Json, string? filePath = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(utf8Json));
        var start = utf8Json.StartsWith("\uFEFF"u8) ? 3 : 0;
        var parsed = new ProfileFileParser(utf8Json.ToArray(), start, filePath).Parse();
        return parsed with { FilePath = filePath, Sha256 = sha };
    }

    /// <summary>
    /// Layers the profile over <paramref name="settings"/>: every setting the file gives replaces the settings' value,
    /// except those named in <paramref name="given"/> (given explicitly on the command line: they win). Rules are merged:
    /// the settings' own rules (-CustomPhiTag) override the file's rules for the same tag.
    /// </summary>
    public DeidentificationSettings Apply(DeidentificationSettings settings, ProfileFileFields given = ProfileFileFields.None)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var own = new HashSet<uint>();
        foreach (var r in settings.CustomRules)
        {
            own.Add(r.Tag.Value);
        }

        var rules = new List<CustomTagRule>(Rules.Count + settings.CustomRules.Count);
        foreach (var r in Rules)
        {
            if (!own.Contains(r.Tag.Value))
            {
                rules.Add(r);
            }
        }

        rules.AddRange(settings.CustomRules);
        return settings with
        {
            Options = Pick(Options, settings.Options, given, ProfileFileFields.Options),
            KeepPrivateTags = Pick(KeepPrivateTags, settings.KeepPrivateTags, given, ProfileFileFields.KeepPrivateTags),
            KeepOverlays = Pick(KeepOverlays, settings.KeepOverlays, given, ProfileFileFields.KeepOverlays),
            KeepCurves = Pick(KeepCurves, settings.KeepCurves, given, ProfileFileFields.KeepCurves),
            PatientIdPrefix = (given & ProfileFileFields.PatientIdPrefix) == 0 && PatientIdPrefix is not null ? PatientIdPrefix : settings.PatientIdPrefix,
            DateOffsetDays = (given & ProfileFileFields.DateOffsetDays) == 0 && DateOffsetDays is not null ? DateOffsetDays : settings.DateOffsetDays,
            CustomRules = rules,
        };
    }

    private static T Pick<T>(T? fromFile, T current, ProfileFileFields given, ProfileFileFields field)
        where T : struct =>
        (given & field) == 0 && fromFile is { } v ? v : current;
}
