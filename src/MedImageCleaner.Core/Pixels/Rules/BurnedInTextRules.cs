using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedImageCleaner.Core.Pixels.Rules;

/// <summary>What a rule does with its boxes.</summary>
public enum TextRuleAction
{
    /// <summary>
    /// The boxes are search zones: every text-line candidate found there is redacted without waiting for OCR to
    /// confirm it (Auto); the Rules method alone fills them whole.
    /// </summary>
    Search,

    /// <summary>The boxes are filled whole, always.</summary>
    Fill,
}

/// <summary>One known-location rule of the rules file.</summary>
public sealed record TextRule
{
    public required string Id { get; init; }

    public string? Description { get; init; }

    /// <summary>Modality (0008,0060), exact, case-insensitive; null matches any.</summary>
    public string? Modality { get; init; }

    /// <summary>Manufacturer (0008,0070) contains one of these (case-insensitive); empty matches any.</summary>
    public IReadOnlyList<string> Manufacturer { get; init; } = [];

    /// <summary>Manufacturer's Model Name (0008,1090) contains one of these (case-insensitive); empty matches any.</summary>
    public IReadOnlyList<string> Model { get; init; } = [];

    /// <summary>Rows, exact; null matches any.</summary>
    public int? Rows { get; init; }

    /// <summary>Columns, exact; null matches any.</summary>
    public int? Columns { get; init; }

    public TextRuleAction Action { get; init; } = TextRuleAction.Search;

    /// <summary>True when <see cref="Boxes"/> are fractions of the width/height (0..1) instead of pixels.</summary>
    public bool Fractional { get; init; }

    /// <summary>Boxes as [x, y, width, height] (pixels, or fractions when <see cref="Fractional"/>).</summary>
    public IReadOnlyList<double[]> Boxes { get; init; } = [];

    /// <summary>True when this rule applies to an image with <paramref name="a"/> of <paramref name="columns"/> x <paramref name="rows"/>.</summary>
    public bool Matches(ImageAttributes a, int columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(a);
        return (Modality is null || string.Equals(Modality, a.Modality, StringComparison.OrdinalIgnoreCase)) &&
               ContainsAny(a.Manufacturer, Manufacturer) && ContainsAny(a.ManufacturerModelName, Model) &&
               (Rows is null || Rows == rows) && (Columns is null || Columns == columns);
    }

    /// <summary>The rule's boxes in pixels of a <paramref name="columns"/> x <paramref name="rows"/> frame, clipped.</summary>
    public IEnumerable<PixelBox> PixelBoxes(int columns, int rows)
    {
        foreach (var b in Boxes)
        {
            var box = Fractional
                ? PixelBox.FromEdges((int)Math.Floor(b[0] * columns), (int)Math.Floor(b[1] * rows), (int)Math.Ceiling((b[0] + b[2]) * columns), (int)Math.Ceiling((b[1] + b[3]) * rows))
                : new PixelBox((int)b[0], (int)b[1], (int)b[2], (int)b[3]);
            box = box.ClipTo(columns, rows);
            if (!box.IsEmpty)
            {
                yield return box;
            }
        }
    }

    private static bool ContainsAny(string? value, IReadOnlyList<string> needles)
    {
        if (needles.Count == 0)
        {
            return true;
        }

        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var padded = value + " ";
        foreach (var n in needles)
        {
            if (padded.Contains(n, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// The known-location rules (the editable JSON file Pixels/Data/burned-in-rules.json, built in as a resource, or
/// one the user gives). Immutable and thread-safe once loaded.
/// </summary>
public sealed class BurnedInTextRules
{
    private const string ResourceName = "MedImageCleaner.Core.Pixels.Data.burned-in-rules.json";
    private static readonly Lazy<BurnedInTextRules> BuiltIn = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private BurnedInTextRules(IReadOnlyList<TextRule> rules, bool ultrasoundOutside)
    {
        Rules = rules;
        UltrasoundOutsideDataRegions = ultrasoundOutside;
    }

    /// <summary>The built-in rules.</summary>
    public static BurnedInTextRules Default => BuiltIn.Value;

    public IReadOnlyList<TextRule> Rules { get; }

    /// <summary>For ultrasound with SequenceOfUltrasoundRegions: everything outside the data regions is a zone.</summary>
    public bool UltrasoundOutsideDataRegions { get; }

    /// <summary>The rules that apply to an image.</summary>
    public IReadOnlyList<TextRule> Match(ImageAttributes attributes, int columns, int rows)
    {
        var list = new List<TextRule>();
        foreach (var r in Rules)
        {
            if (r.Matches(attributes, columns, rows))
            {
                list.Add(r);
            }
        }

        return list;
    }

    /// <summary>Loads rules from a JSON file.</summary>
    /// <exception cref="FormatException">The file is not a valid rules file (the message says where).</exception>
    public static BurnedInTextRules Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Loads rules from JSON.</summary>
    /// <exception cref="FormatException">The JSON is not a valid rules file (the message says where).</exception>
    public static BurnedInTextRules Load(Stream json)
    {
        RulesFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, RulesJsonContext.Default.RulesFile);
        }
        catch (JsonException e)
        {
            throw new FormatException("The burned-in text rules file is not valid JSON (line " + (e.LineNumber + 1) + ").", e);
        }

        if (file is null || file.Version != 1)
        {
            throw new FormatException("The burned-in text rules file must have \"version\": 1.");
        }

        var rules = new List<TextRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in file.Rules ?? [])
        {
            if (string.IsNullOrWhiteSpace(r.Id) || !ids.Add(r.Id))
            {
                throw new FormatException("Every rule needs a unique \"id\".");
            }

            var action = r.Action?.ToLowerInvariant() switch
            {
                null or "search" => TextRuleAction.Search,
                "fill" => TextRuleAction.Fill,
                _ => throw new FormatException("Rule '" + r.Id + "': \"action\" must be \"search\" or \"fill\"."),
            };
            var fractional = r.Units?.ToLowerInvariant() switch
            {
                null or "pixels" => false,
                "fraction" => true,
                _ => throw new FormatException("Rule '" + r.Id + "': \"units\" must be \"pixels\" or \"fraction\"."),
            };
            foreach (var b in r.Boxes ?? [])
            {
                if (b is not { Length: 4 } || b[2] <= 0 || b[3] <= 0 || (fractional && (b[0] < 0 || b[1] < 0 || b[0] + b[2] > 1.0001 || b[1] + b[3] > 1.0001)))
                {
                    throw new FormatException("Rule '" + r.Id + "': each box is [x, y, width, height] with a positive size (fractions within 0..1).");
                }
            }

            rules.Add(new TextRule
            {
                Id = r.Id,
                Description = r.Description,
                Modality = r.Modality,
                Manufacturer = r.Manufacturer ?? [],
                Model = r.Model ?? [],
                Rows = r.Rows,
                Columns = r.Columns,
                Action = action,
                Fractional = fractional,
                Boxes = r.Boxes ?? [],
            });
        }

        return new BurnedInTextRules(rules, file.UltrasoundOutsideDataRegions ?? true);
    }

    private static BurnedInTextRules LoadBuiltIn()
    {
        using var stream = typeof(BurnedInTextRules).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException("The built-in burned-in text rules resource is missing.");
        return Load(stream);
    }
}

internal sealed class RulesFile
{
    public int Version { get; set; }

    public string? Description { get; set; }

    public bool? UltrasoundOutsideDataRegions { get; set; }

    public List<RuleEntry>? Rules { get; set; }
}

internal sealed class RuleEntry
{
    public string Id { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string? Modality { get; set; }

    public List<string>? Manufacturer { get; set; }

    public List<string>? Model { get; set; }

    public int? Rows { get; set; }

    public int? Columns { get; set; }

    public string? Action { get; set; }

    public string? Units { get; set; }

    public List<double[]>? Boxes { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(RulesFile))]
internal sealed partial class RulesJsonContext : JsonSerializerContext;
