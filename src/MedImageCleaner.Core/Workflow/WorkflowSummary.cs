namespace MedImageCleaner.Core.Workflow;

/// <summary>The totals of one workflow run (what Invoke-DicomDeidentification -Summary and the reports show). No PHI.</summary>
public sealed record WorkflowSummary
{
    /// <summary>The clean output folder.</summary>
    public required string Destination { get; init; }

    /// <summary>The quarantine folder.</summary>
    public required string QuarantinePath { get; init; }

    /// <summary>The report folder, when reports were written.</summary>
    public string? ReportPath { get; init; }

    /// <summary>When the run started and ended (UTC).</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>When the run ended (UTC).</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>Inputs seen.</summary>
    public int Files { get; init; }

    /// <summary>Inputs per final status.</summary>
    public IReadOnlyDictionary<string, int> ByStatus { get; init; } = new Dictionary<string, int>();

    /// <summary>Released files per modality ("(none)" when the file has no Modality).</summary>
    public IReadOnlyDictionary<string, int> ByModality { get; init; } = new Dictionary<string, int>();

    /// <summary>Attributes per de-identification action, over all files processed in this run.</summary>
    public IReadOnlyDictionary<string, int> ByAction { get; init; } = new Dictionary<string, int>();

    /// <summary>Failures and quarantines per error id.</summary>
    public IReadOnlyDictionary<string, int> ByError { get; init; } = new Dictionary<string, int>();

    /// <summary>Validation findings per check id.</summary>
    public IReadOnlyDictionary<string, int> FindingsByCheck { get; init; } = new Dictionary<string, int>();

    /// <summary>Files in which burned-in text was found and removed.</summary>
    public int FilesRedacted { get; init; }

    /// <summary>Text boxes removed over all files.</summary>
    public int BoxesRedacted { get; init; }

    /// <summary>Files validated, and of those, passed.</summary>
    public int Validated { get; init; }

    /// <summary>Files that passed validation.</summary>
    public int ValidationPassed { get; init; }

    /// <summary>Image files written by the conversion step.</summary>
    public int ImagesWritten { get; init; }

    /// <summary>Files per second over the run.</summary>
    public double FilesPerSecond => Finished > Started ? Files / (Finished - Started).TotalSeconds : 0;

    /// <summary>Files released (Completed, Unchanged or Skipped) / files seen.</summary>
    public double SuccessRate => Files == 0 ? 0 : (double)(Count("Completed") + Count("Unchanged") + Count("Skipped")) / Files;

    /// <summary>Whether nothing failed and nothing was quarantined.</summary>
    public bool Succeeded => Count("Failed") == 0 && Count("Quarantined") == 0;

    /// <summary>The number of files with <paramref name="status"/>.</summary>
    public int Count(string status) => ByStatus.TryGetValue(status, out var n) ? n : 0;
}
