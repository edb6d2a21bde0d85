using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MedImageCleaner.PowerShell.Completers;

/// <summary>
/// Completes paths the way PowerShell does, keeping folders and the files with the extensions of the parameter
/// (key files, JSON profile and rules files, audit databases), so Tab offers what the parameter can take.
/// </summary>
public abstract class FileCompleter : IArgumentCompleter
{
    private readonly string[] _extensions;

    /// <summary>A completer for files ending with one of <paramref name="extensions"/> (with the dot).</summary>
    protected FileCompleter(params string[] extensions) => _extensions = extensions;

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        foreach (var result in CompletionCompleters.CompleteFilename(wordToComplete ?? string.Empty))
        {
            if (result.ResultType == CompletionResultType.ProviderContainer || HasExtension(result.ListItemText))
            {
                yield return result;
            }
        }
    }

    private bool HasExtension(string name)
    {
        foreach (var extension in _extensions)
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Completes key files (*.key) for -KeyFile.</summary>
public sealed class KeyFileCompleter : FileCompleter
{
    /// <summary>Creates the completer.</summary>
    public KeyFileCompleter()
        : base(".key")
    {
    }
}

/// <summary>Completes JSON files for -ProfileFile and -RulesFile.</summary>
public sealed class JsonFileCompleter : FileCompleter
{
    /// <summary>Creates the completer.</summary>
    public JsonFileCompleter()
        : base(".json")
    {
    }
}

/// <summary>Completes audit databases (*.db, *.sqlite, *.sqlite3) for -AuditDatabase.</summary>
public sealed class AuditDatabaseCompleter : FileCompleter
{
    /// <summary>Creates the completer.</summary>
    public AuditDatabaseCompleter()
        : base(".db", ".sqlite", ".sqlite3")
    {
    }
}
