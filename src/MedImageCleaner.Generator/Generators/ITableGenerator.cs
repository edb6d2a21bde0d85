namespace MedImageCleaner.Generator.Generators;

/// <summary>Generates one C# source file from one table of the standard.</summary>
public interface ITableGenerator
{
    /// <summary>Where the file goes, relative to the repository root, with forward slashes.</summary>
    string RelativePath { get; }

    /// <summary>The file text: ASCII, LF line endings, deterministic.</summary>
    string Generate(StandardSource source);
}
