using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MedImageCleaner.PowerShell.Completers;

/// <summary>Completes the OCR languages installed for Tesseract (the *.traineddata files of its tessdata folders).</summary>
public sealed class TesseractLanguageCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var languages = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in TessdataFolders(fakeBoundParameters))
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*.traineddata"))
            {
                var language = Path.GetFileNameWithoutExtension(file);
                if (language != "osd" && language.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                {
                    languages.Add(language);
                }
            }
        }

        foreach (var language in languages)
        {
            yield return new CompletionResult(language, language, CompletionResultType.ParameterValue, "Tesseract language " + language);
        }
    }

    private static IEnumerable<string> TessdataFolders(IDictionary fakeBoundParameters)
    {
        if (fakeBoundParameters?["TessdataPath"] is string given)
        {
            yield return given;
        }

        if (Environment.GetEnvironmentVariable("TESSDATA_PREFIX") is { Length: > 0 } prefix)
        {
            yield return prefix;
            yield return Path.Combine(prefix, "tessdata");
        }

        foreach (var root in new[] { "/usr/share/tesseract-ocr", "/usr/local/share/tesseract-ocr", "/opt/homebrew/share", "/usr/share" })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            yield return Path.Combine(root, "tessdata");
            foreach (var version in Directory.EnumerateDirectories(root))
            {
                yield return Path.Combine(version, "tessdata");
            }
        }
    }
}
