using System.Management.Automation;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// A per-file cmdlet that takes the results of another (Remove-BurnedInText, Test-Deidentification): besides the file
/// (FullName to -LiteralPath) it binds the original, identified file the input was made from (SourcePath to
/// -Original), the same way in every such cmdlet.
/// </summary>
public abstract class DerivedFileInputCommand : FileInputCommand
{
    /// <summary>The original (identified) file the input was made from; binds SourcePath of piped results.</summary>
    /// <remarks>Pipeline-bound only with -LiteralPath (see <see cref="FileInputCommand"/>): typed, it goes with either.</remarks>
    [Parameter(ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = PathSet)]
    [Alias("SourcePath", "OriginalPath")]
    public string? Original { get; set; }

    /// <summary>
    /// The original of the current record as a file-system path, or null when none is given. A missing original typed
    /// on the command line stops the command (OriginalNotFound); one from the pipeline is a non-terminating error and
    /// <paramref name="missing"/> is set.
    /// </summary>
    private protected string? ResolveOriginal(out bool missing)
    {
        missing = false;
        if (Original is not { Length: > 0 })
        {
            return null;
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Original);
        if (File.Exists(path))
        {
            return path;
        }

        var error = new ErrorRecord(
            new ItemNotFoundException($"Cannot find the original file '{path}' because it does not exist."), ErrorIds.OriginalNotFound, ErrorCategory.ObjectNotFound, path);
        if (OnCommandLine(nameof(Original)))
        {
            ThrowTerminatingError(error);
        }

        WriteError(error);
        missing = true;
        return null;
    }
}
