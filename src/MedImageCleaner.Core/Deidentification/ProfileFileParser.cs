using System.Collections.Frozen;
using System.Text.Json;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>Reads a profile with <see cref="Utf8JsonReader"/>, keeping the position of every token for errors.</summary>
internal sealed class ProfileFileParser
{
    private const string RootProperties = "schema, options, rules, keepPrivateTags, keepOverlays, keepCurves, patientIdPrefix, dateOffsetDays";
    private const string RuleProperties = "tag, action";
    private const string ActionNames = "Keep, Remove, Zero, Dummy, Clean or Uid";

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 };

    private static readonly FrozenDictionary<string, ProfileOptions> OptionNames = BuildOptionNames();

    private readonly byte[] _json;
    private readonly int _start;
    private readonly string? _file;
    private readonly List<int> _lineStarts = [];

    public ProfileFileParser(byte[] json, int start, string? file)
    {
        _json = json;
        _start = start;
        _file = file;
        _lineStarts.Add(start);
        for (var i = start; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public ProfileFile Parse()
    {
        CheckSyntax();
        CheckSchema();
        var reader = NewReader();
        Read(ref reader);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var profile = new ProfileFile();
        var at = new Dictionary<string, long>(StringComparer.Ordinal);
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = GetString(ref reader, "(root)");
            var nameAt = Position(ref reader);
            if (!seen.Add(name))
            {
                throw Error(ProfileFileErrorCodes.DuplicateProperty, name, nameAt, $"'{name}' is given twice; give each property once.");
            }

            Read(ref reader);
            at[name] = Position(ref reader);
            switch (name)
            {
                case "schema":
                    Skip(ref reader);
                    break;
                case "options":
                    var (options, fullDatesAt) = ReadOptions(ref reader);
                    at["RetainLongitudinalFullDates"] = fullDatesAt;
                    profile = profile with { Options = options };
                    break;
                case "rules":
                    profile = profile with { Rules = ReadRules(ref reader) };
                    break;
                case "keepPrivateTags":
                    profile = profile with { KeepPrivateTags = ReadBool(ref reader, name) };
                    break;
                case "keepOverlays":
                    profile = profile with { KeepOverlays = ReadBool(ref reader, name) };
                    break;
                case "keepCurves":
                    profile = profile with { KeepCurves = ReadBool(ref reader, name) };
                    break;
                case "patientIdPrefix":
                    profile = profile with { PatientIdPrefix = ReadPrefix(ref reader, name) };
                    break;
                case "dateOffsetDays":
                    profile = profile with { DateOffsetDays = ReadOffset(ref reader, name) };
                    break;
                default:
                    throw Unknown(name, nameAt, RootProperties, RootProperties.Split(", "));
            }
        }

        CheckCombination(profile, at);
        return profile;
    }

    private static FrozenDictionary<string, ProfileOptions> BuildOptionNames()
    {
        var d = new Dictionary<string, ProfileOptions>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in Enum.GetValues<ProfileOptions>())
        {
            if (o != ProfileOptions.None)
            {
                d[o.ToString()] = o;
            }
        }

        return d.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>First pass: the whole file must be well-formed JSON before anything else is reported.</summary>
    private void CheckSyntax()
    {
        var reader = NewReader();
        while (Read(ref reader))
        {
        }
    }

    /// <summary>Second pass: the schema is checked before the properties, so a newer file is reported as such.</summary>
    private void CheckSchema()
    {
        var reader = NewReader();
        Read(ref reader);
        var rootAt = Position(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "(root)", "the profile must be a JSON object { ... }");
        string? schema = null;
        long schemaAt = -1;
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSchema = reader.ValueTextEquals("schema"u8);
            Read(ref reader);
            if (isSchema && schema is null)
            {
                schemaAt = Position(ref reader);
                schema = reader.TokenType == JsonTokenType.String ? GetString(ref reader, "schema") : string.Empty;
            }

            Skip(ref reader);
        }

        if (schema is null)
        {
            throw Error(ProfileFileErrorCodes.UnsupportedSchema, "schema", rootAt, $"the property \"schema\": \"{ProfileFile.SchemaId}\" is missing.");
        }

        if (!string.Equals(schema, ProfileFile.SchemaId, StringComparison.Ordinal))
        {
            throw Error(ProfileFileErrorCodes.UnsupportedSchema, "schema", schemaAt, $"'{Shorten(schema)}' is not a schema this version reads; use \"{ProfileFile.SchemaId}\".");
        }
    }

    private (ProfileOptions Options, long FullDatesAt) ReadOptions(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "options", "\"options\" must be an array of option names, e.g. [ \"RetainUids\" ]");
        var options = ProfileOptions.None;
        long fullAt = -1;
        long modifiedAt = -1;
        var i = 0;
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            var field = $"options[{i}]";
            var at = Position(ref reader);
            Expect(ref reader, JsonTokenType.String, field, "an option name must be a string");
            var text = GetString(ref reader, field);
            if (!OptionNames.TryGetValue(text, out var option))
            {
                throw Error(ProfileFileErrorCodes.UnknownOption, field, at, $"'{Shorten(text)}' is not a profile option; use one of {string.Join(", ", OptionNames.Values.Order().Select(o => o.ToString()))}.");
            }

            if (option == ProfileOptions.RetainLongitudinalFullDates)
            {
                fullAt = at;
            }
            else if (option == ProfileOptions.RetainLongitudinalModifiedDates)
            {
                modifiedAt = at;
            }

            if (fullAt >= 0 && modifiedAt >= 0)
            {
                throw Error(ProfileFileErrorCodes.Contradiction, field, Math.Max(fullAt, modifiedAt), "RetainLongitudinalFullDates and RetainLongitudinalModifiedDates exclude each other; choose one.");
            }

            options |= option;
            i++;
        }

        return (options, fullAt);
    }

    private List<CustomTagRule> ReadRules(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "rules", "\"rules\" must be an array of { \"tag\": ..., \"action\": ... } objects");
        var rules = new List<CustomTagRule>();
        var byTag = new Dictionary<uint, (DeidentificationAction Action, int Index)>();
        var i = 0;
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            var field = $"rules[{i}]";
            var ruleAt = Position(ref reader);
            Expect(ref reader, JsonTokenType.StartObject, field, "a rule must be an object { \"tag\": ..., \"action\": ... }");
            DicomTag? tag = null;
            DeidentificationAction? action = null;
            long actionAt = -1;
            string? tagText = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = GetString(ref reader, field);
                var nameAt = Position(ref reader);
                var sub = field + "." + name;
                if (!seen.Add(name))
                {
                    throw Error(ProfileFileErrorCodes.DuplicateProperty, sub, nameAt, $"'{name}' is given twice in this rule.");
                }

                Read(ref reader);
                var at = Position(ref reader);
                switch (name)
                {
                    case "tag":
                        Expect(ref reader, JsonTokenType.String, sub, "a tag must be a string: a keyword (StationName) or (gggg,eeee)");
                        tagText = GetString(ref reader, sub);
                        tag = ParseTag(tagText, sub, at);
                        break;
                    case "action":
                        Expect(ref reader, JsonTokenType.String, sub, $"an action must be a string: {ActionNames}");
                        var actionText = GetString(ref reader, sub);
                        if (!DeidentificationNames.TryParseAction(actionText, out var parsed))
                        {
                            throw Error(ProfileFileErrorCodes.InvalidAction, sub, at, $"'{Shorten(actionText)}' is not an action; use {ActionNames}.");
                        }

                        action = parsed;
                        actionAt = at;
                        break;
                    default:
                        throw Unknown(name, nameAt, RuleProperties, RuleProperties.Split(", "), field + ".");
                }
            }

            if (tag is null || action is null)
            {
                var missing = tag is null ? "tag" : "action";
                throw Error(ProfileFileErrorCodes.MissingProperty, field + "." + missing, ruleAt, $"the rule has no \"{missing}\"; a rule needs both \"tag\" and \"action\".");
            }

            if (action == DeidentificationAction.Uid && DicomDictionary.TryGet(tag.Value, out var entry) && !entry.AllowedVRs.Contains(DicomVR.UI) && !entry.AllowedVRs.Contains(DicomVR.SQ))
            {
                throw Error(ProfileFileErrorCodes.InvalidAction, field + ".action", actionAt, $"'Uid' replaces UIDs, but {tagText} is not a UID attribute (VR {entry.VR}); use Keep, Remove, Zero, Dummy or Clean.");
            }

            if (byTag.TryGetValue(tag.Value.Value, out var earlier))
            {
                if (earlier.Action != action.Value)
                {
                    throw Error(ProfileFileErrorCodes.Contradiction, field + ".tag", ruleAt, $"rules[{earlier.Index}] gives {tag.Value} the action {earlier.Action} and this rule {action.Value}; keep one.");
                }
            }
            else
            {
                byTag[tag.Value.Value] = (action.Value, i);
                rules.Add(new CustomTagRule(tag.Value, action.Value));
            }

            i++;
        }

        return rules;
    }

    private DicomTag ParseTag(string text, string field, long at)
    {
        if (!DeidentificationNames.TryParseTag(text, out var tag))
        {
            var hint = SuggestKeyword(text);
            throw Error(ProfileFileErrorCodes.InvalidTag, field, at, $"'{Shorten(text)}' is not a DICOM keyword or a tag written (gggg,eeee){hint}.");
        }

        if (tag.Group == 0x0002 || tag.IsDelimiter || tag.IsGroupLength || tag.Group < 0x0008)
        {
            throw Error(ProfileFileErrorCodes.InvalidTag, field, at, $"{tag} cannot have a rule: file meta (0002,xxxx), group lengths and item delimiters are written by the tool.");
        }

        return tag;
    }

    private bool ReadBool(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
        {
            throw WrongType(ref reader, field, "true or false");
        }

        return reader.GetBoolean();
    }

    private string ReadPrefix(ref Utf8JsonReader reader, string field)
    {
        var at = Position(ref reader);
        Expect(ref reader, JsonTokenType.String, field, "the prefix must be a string");
        var prefix = GetString(ref reader, field);
        if (prefix.Length > 40 || prefix.Contains('\\', StringComparison.Ordinal))
        {
            throw Error(ProfileFileErrorCodes.OutOfRange, field, at, "the patient ID prefix must be at most 40 characters without backslashes.");
        }

        foreach (var c in prefix)
        {
            if (c is < ' ' or > '~')
            {
                throw Error(ProfileFileErrorCodes.OutOfRange, field, at, "the patient ID prefix must be printable ASCII (a Patient ID is LO).");
            }
        }

        return prefix;
    }

    private int? ReadOffset(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var days))
        {
            throw WrongType(ref reader, field, "a whole number of days or null");
        }

        if (days is < -36500 or > 36500)
        {
            throw Error(ProfileFileErrorCodes.OutOfRange, field, Position(ref reader), "the date offset must be between -36500 and 36500 days.");
        }

        return (int)days;
    }

    private void CheckCombination(ProfileFile profile, Dictionary<string, long> at)
    {
        var options = profile.Options ?? ProfileOptions.None;
        if ((options & ProfileOptions.RetainLongitudinalFullDates) != 0 && profile.DateOffsetDays is not null)
        {
            throw Error(ProfileFileErrorCodes.Contradiction, "dateOffsetDays", Math.Max(at["RetainLongitudinalFullDates"], at["dateOffsetDays"]), "a date offset shifts dates; it cannot be combined with the option RetainLongitudinalFullDates.");
        }

        if ((options & ProfileOptions.RetainSafePrivate) != 0 && profile.KeepPrivateTags == true)
        {
            throw Error(ProfileFileErrorCodes.Contradiction, "keepPrivateTags", Math.Max(at["options"], at["keepPrivateTags"]), "keepPrivateTags keeps every private attribute, the option RetainSafePrivate only the safe ones; choose one.");
        }
    }

    private Utf8JsonReader NewReader() => new(_json.AsSpan(_start), ReaderOptions);

    /// <summary>Reads the next token; syntax errors become MIC-PF006 with the reader's line and column.</summary>
    private bool Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException ex)
        {
            throw SyntaxError(ex);
        }
    }

    private void Skip(ref Utf8JsonReader reader)
    {
        try
        {
            reader.Skip();
        }
        catch (JsonException ex)
        {
            throw SyntaxError(ex);
        }
    }

    private ProfileFileException SyntaxError(JsonException ex)
    {
        var line = (ex.LineNumber ?? -1) + 1;
        var column = 0L;
        if (line > 0 && line <= _lineStarts.Count && ex.BytePositionInLine is { } bytes)
        {
            var lineStart = _lineStarts[(int)line - 1];
            var end = (int)Math.Min(_json.Length, lineStart + bytes);
            column = CharCount(lineStart, end) + 1;
        }

        // The reader's message ends with its own 0-based position; ours is 1-based and comes first.
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return new ProfileFileException(ProfileFileErrorCodes.InvalidJson, _file, null, Math.Max(0, line), column, "the file is not valid JSON: " + message.TrimEnd(), ex);
    }

    private string GetString(ref Utf8JsonReader reader, string field)
    {
        try
        {
            return reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException ex)
        {
            var (line, column) = Locate(Position(ref reader));
            throw new ProfileFileException(ProfileFileErrorCodes.InvalidJson, _file, field, line, column, "the text is not valid UTF-8.", ex);
        }
    }

    private void Expect(ref Utf8JsonReader reader, JsonTokenType type, string field, string what)
    {
        if (reader.TokenType != type)
        {
            throw WrongType(ref reader, field, what);
        }
    }

    private ProfileFileException WrongType(ref Utf8JsonReader reader, string field, string expected) =>
        Error(ProfileFileErrorCodes.WrongType, field, Position(ref reader), $"expected {expected}, found {Describe(reader.TokenType)}.");

    private ProfileFileException Unknown(string name, long at, string allowed, string[] candidates, string prefix = "")
    {
        var hint = string.Empty;
        foreach (var c in candidates)
        {
            if (string.Equals(c, name, StringComparison.OrdinalIgnoreCase))
            {
                hint = $" (did you mean '{c}'? names are case-sensitive)";
            }
        }

        return Error(ProfileFileErrorCodes.UnknownProperty, prefix + name, at, $"'{Shorten(name)}' is not a property here{hint}; use {allowed}.");
    }

    private ProfileFileException Error(string code, string field, long byteIndex, string detail)
    {
        var (line, column) = byteIndex >= 0 ? Locate(byteIndex) : (0L, 0L);
        return new ProfileFileException(code, _file, field, line, column, detail);
    }

    private long Position(ref Utf8JsonReader reader) => _start + reader.TokenStartIndex;

    /// <summary>The 1-based line and column (characters) of a byte index.</summary>
    private (long Line, long Column) Locate(long byteIndex)
    {
        var i = _lineStarts.BinarySearch((int)byteIndex);
        var lineIndex = i >= 0 ? i : ~i - 1;
        var lineStart = _lineStarts[lineIndex];
        return (lineIndex + 1, CharCount(lineStart, (int)byteIndex) + 1);
    }

    private int CharCount(int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++)
        {
            // Count UTF-8 lead bytes (not continuation bytes 10xxxxxx); a 4-byte sequence is one column.
            if ((_json[i] & 0xC0) != 0x80)
            {
                n++;
            }
        }

        return n;
    }

    private static string SuggestKeyword(string text)
    {
        var t = text.Trim();
        if (DicomDictionary.TryGet(t, out _))
        {
            return string.Empty;
        }

        foreach (var e in DicomDictionary.Entries)
        {
            if (e.Mask == 0xFFFFFFFF && e.Keyword.Length > 0 && string.Equals(e.Keyword, t, StringComparison.OrdinalIgnoreCase))
            {
                return $" (did you mean '{e.Keyword}'? keywords are case-sensitive)";
            }
        }

        return string.Empty;
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => type.ToString(),
    };

    private static string Shorten(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 61), "...");
}
