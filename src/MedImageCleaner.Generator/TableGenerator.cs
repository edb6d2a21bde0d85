using System.Text;
using MedImageCleaner.Generator.Generators;

namespace MedImageCleaner.Generator;

/// <summary>One generated source file: its path relative to the repository root (forward slashes) and its text.</summary>
public sealed record GeneratedFile(string RelativePath, string Text);

/// <summary>Runs every table generator. Output is deterministic: the same input gives byte-identical files.</summary>
public static class TableGenerator
{
    /// <summary>The generators, one per table of the standard.</summary>
    public static IReadOnlyList<ITableGenerator> Generators { get; } =
    [
        new DataDictionaryGenerator(),
        new SopClassGenerator(),
        new ConfidentialityProfileGenerator(),
        new DicomTagGenerator(),
    ];

    /// <summary>Generates every file from the JSON tables in <paramref name="standardDir"/>.</summary>
    public static IReadOnlyList<GeneratedFile> GenerateAll(string standardDir)
    {
        var source = new StandardSource(standardDir);
        var files = new List<GeneratedFile>(Generators.Count);
        foreach (var g in Generators)
        {
            var text = g.Generate(source);
            CSharpText.EnsureAsciiLf(text, g.RelativePath);
            files.Add(new GeneratedFile(g.RelativePath, text));
        }

        return files;
    }

    /// <summary>Generates every file and writes it under <paramref name="outputRoot"/> (UTF-8 without BOM, LF); returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(string standardDir, string outputRoot)
    {
        var written = new List<string>();
        foreach (var file in GenerateAll(standardDir))
        {
            var path = Path.Combine(outputRoot, file.RelativePath.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(path);
        }

        return written;
    }
}
