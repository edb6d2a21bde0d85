using System.Management.Automation;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// The input parameters every per-file cmdlet shares, bound the same way everywhere: -Path (wildcards), -LiteralPath
/// (aliases PSPath, LP and FullName, so Get-ChildItem output and MedImageCleaner results bind by property name) and
/// -Recurse; <see cref="ResolveInputs"/> turns them into files.
/// </summary>
public abstract class FileInputCommand : PSCmdlet
{
    private protected const string PathSet = "Path";
    private protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Input files or folders (wildcards expanded).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Input files or folders taken literally; binds PSPath/FullName of piped objects.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Include the files in every folder below a folder, not only the files directly in it.</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    private bool _literalPathOnCommandLine;

    /// <inheritdoc/>
    protected sealed override void BeginProcessing()
    {
        // Pipeline input is bound after BeginProcessing: a LiteralPath bound now came from the command line.
        _literalPathOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(LiteralPath));
        Begin();
    }

    /// <summary>The cmdlet's own BeginProcessing work (after the command line's inputs are noted).</summary>
    private protected virtual void Begin()
    {
    }

    /// <summary>
    /// The files the current record names, each with the folder it was found under. Folders that come from the
    /// pipeline (not typed on the command line) are skipped unless -Recurse, because Get-ChildItem already sends
    /// their files.
    /// </summary>
    private protected List<(string File, string Root)> ResolveInputs()
    {
        var literal = ParameterSetName == LiteralPathSet;
        var fromPipeline = literal && !_literalPathOnCommandLine;
        var files = new List<(string File, string Root)>();
        foreach (var path in literal ? LiteralPath : Path)
        {
            FileResolver.Resolve(this, path, literal, fromPipeline, Recurse, files);
        }

        return files;
    }
}
