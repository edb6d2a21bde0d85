using System.Management.Automation;
using MedImageCleaner.Network;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Finds the series of a study on a PACS (C-FIND, Study Root, series level).</para>
/// <para type="description">
/// Sends one C-FIND per study (from -StudyInstanceUid or piped Find-DicomStudy results, which also bring their peer)
/// and writes a DicomSeries for each match as it arrives. Ctrl+C sends a C-CANCEL.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.Find, "DicomSeries", HelpUri = HelpLinks.Base + "Find-DicomSeries.md")]
[OutputType(typeof(DicomSeries))]
public sealed class FindDicomSeriesCommand : DicomScuCommand
{
    /// <summary>The study whose series are listed.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string StudyInstanceUid { get; set; } = string.Empty;

    /// <summary>Modality to match (any of them).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Modality { get; set; }

    /// <summary>A Series Instance UID to match.</summary>
    [Parameter]
    public string? SeriesInstanceUid { get; set; }

    /// <summary>Series description to match (wildcards allowed).</summary>
    [Parameter]
    public string? SeriesDescription { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var peer = Peer();
        var query = new SeriesQuery { StudyInstanceUid = StudyInstanceUid, Modality = Modality, SeriesInstanceUid = SeriesInstanceUid, SeriesDescription = SeriesDescription };
        WriteVerbose($"C-FIND (series level) {peer.CallingAETitle} -> {peer}.");
        RunFind(peer, query.ToIdentifier(), ds =>
        {
            if (DicomSeries.From(ds, peer, StudyInstanceUid) is { } series)
            {
                WriteObject(series);
            }
        });
    }
}
