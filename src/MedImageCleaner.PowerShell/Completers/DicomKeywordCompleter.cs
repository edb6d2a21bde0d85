using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.PowerShell.Completers;

/// <summary>Completes DICOM attribute keywords (PS3.6) for parameters such as <c>-Tag</c>.</summary>
public sealed class DicomKeywordCompleter : IArgumentCompleter
{
    /// <summary>Keywords starting with the typed text (case-insensitive), current attributes before retired ones.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var current = new List<DicomDictionaryEntry>();
        var retired = new List<DicomDictionaryEntry>();
        foreach (var e in DicomDictionary.Entries)
        {
            if (e.Keyword.Length > 0 && e.Mask == 0xFFFFFFFF && e.Keyword.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                (e.IsRetired ? retired : current).Add(e);
            }
        }

        current.Sort(static (a, b) => string.CompareOrdinal(a.Keyword, b.Keyword));
        retired.Sort(static (a, b) => string.CompareOrdinal(a.Keyword, b.Keyword));
        foreach (var e in current)
        {
            yield return Result(e);
        }

        foreach (var e in retired)
        {
            yield return Result(e);
        }
    }

    private static CompletionResult Result(DicomDictionaryEntry e) =>
        new(e.Keyword, e.Keyword, CompletionResultType.ParameterValue, e.Tag + " " + e.Name + (e.IsRetired ? " (retired)" : string.Empty));
}
