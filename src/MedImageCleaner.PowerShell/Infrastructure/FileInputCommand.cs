using System.Management.Automation;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// The input parameters every per-file cmdlet shares, bound the same way everywhere: -Path (wildcards), -LiteralPath
/// (aliases PSPath, LP and FullName, so Get-ChildItem output and MedImageCleaner results bind by property name) and
/// -Recurse; <see cref="ResolveInputs"/> turns them into files.
/// </summary>
/// <remarks>
/// The pipeline-binding design of the module: an object piped in binds by property name (FullName or PSPath to
/// -LiteralPath; on cmdlets that take results of another, SourcePath to -Original, see
/// <see cref="DerivedFileInputCommand"/>); only a plain string binds -Path by value. Every per-file cmdlet declares
/// <see cref="DefaultSet"/> (the Path set) as its default parameter set, and a property bound from the pipeline besides
/// the file (-Original) is pipeline-bound only in the LiteralPath set: PowerShell tries the default set first, and if
/// SourcePath could bind there, the object itself would then be stringified into -Path.
/// </remarks>
public abstract class FileInputCommand : PSCmdlet
{
    private protected const string PathSet = "Path";
    private protected const string LiteralPathSet = "LiteralPath";

    /// <summary>The default parameter set of every per-file cmdlet (see the remarks of the class).</summary>
    private protected const string DefaultSet = PathSet;

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

    private HashSet<string> _commandLineParameters = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    protected sealed override void BeginProcessing()
    {
        // Pipeline input is bound after BeginProcessing: what is bound now came from the command line.
        _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        Begin();
    }

    /// <summary>The cmdlet's own BeginProcessing work (after the command line's inputs are noted).</summary>
    private protected virtual void Begin()
    {
    }

    /// <summary>True under -WhatIf (given or by $WhatIfPreference): nothing may be written.</summary>
    private protected bool WhatIfActive() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? ((SwitchParameter)w).IsPresent :
        SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;

    /// <summary>True when <paramref name="parameter"/> was typed on the command line (not bound from the pipeline).</summary>
    private protected bool OnCommandLine(string parameter) => _commandLineParameters.Contains(parameter);

    /// <summary>
    /// The files the current record names, each with the folder it was found under. Folders that come from the
    /// pipeline (not typed on the command line) are skipped unless -Recurse, because Get-ChildItem already sends
    /// their files.
    /// </summary>
    private protected List<(string File, string Root)> ResolveInputs()
    {
        var literal = ParameterSetName == LiteralPathSet;
        var fromPipeline = literal && !OnCommandLine(nameof(LiteralPath));
        var files = new List<(string File, string Root)>();
        foreach (var path in literal ? LiteralPath : Path)
        {
            FileResolver.Resolve(this, path, literal, fromPipeline, Recurse, files);
        }

        return files;
    }
}
