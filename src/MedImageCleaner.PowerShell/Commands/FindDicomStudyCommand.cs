using System.Management.Automation;
using MedImageCleaner.Network;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Finds studies on a PACS (C-FIND, Study Root, study level).</para>
/// <para type="description">
/// Sends one C-FIND with the given match keys and writes a DicomStudy for each match as it arrives. Text keys take
/// DICOM wildcards (* and ?); -StudyDate takes a DICOM date or range, -After/-Before build one. Results carry the
/// peer, so they pipe into Find-DicomSeries and Copy-DicomStudy. Ctrl+C sends a C-CANCEL.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.Find, "DicomStudy", HelpUri = HelpLinks.Base + "Find-DicomStudy.md")]
[OutputType(typeof(DicomStudy))]
public sealed class FindDicomStudyCommand : DicomScuCommand
{
    /// <summary>-StudyDate is not a DICOM date or range, or is given with -After/-Before.</summary>
    public const string InvalidDateRange = "InvalidDateRange";

    /// <summary>Patient ID to match (wildcards allowed).</summary>
    [Parameter]
    public string? PatientId { get; set; }

    /// <summary>Patient's name to match, as Family^Given (wildcards allowed).</summary>
    [Parameter]
    public string? PatientName { get; set; }

    /// <summary>Study date or range: 20200101, 20200101-20201231, 20200101-, -20201231.</summary>
    [Parameter]
    public string? StudyDate { get; set; }

    /// <summary>Studies on or after this day.</summary>
    [Parameter]
    public DateTime? After { get; set; }

    /// <summary>Studies on or before this day.</summary>
    [Parameter]
    public DateTime? Before { get; set; }

    /// <summary>Modalities in Study: a study matches when it holds any of them.</summary>
    [Parameter]
    [Alias("ModalitiesInStudy")]
    [ValidateNotNullOrEmpty]
    public string[]? Modality { get; set; }

    /// <summary>Accession number to match (wildcards allowed).</summary>
    [Parameter]
    public string? AccessionNumber { get; set; }

    /// <summary>One or more Study Instance UIDs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? StudyInstanceUid { get; set; }

    /// <summary>Study description to match (wildcards allowed).</summary>
    [Parameter]
    public string? StudyDescription { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (StudyDate is not null && (After is not null || Before is not null))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-StudyDate cannot be combined with -After or -Before."), InvalidDateRange, ErrorCategory.InvalidArgument, StudyDate));
        }

        var date = StudyDate ?? StudyQuery.DateRange(After, Before);
        if (date is not null && !StudyQuery.IsDateRange(date))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("The study date must be a date (yyyyMMdd) or a range (yyyyMMdd-yyyyMMdd, yyyyMMdd-, -yyyyMMdd) with its start not after its end."),
                InvalidDateRange,
                ErrorCategory.InvalidArgument,
                date));
        }

        var peer = Peer();
        var query = new StudyQuery
        {
            PatientId = PatientId,
            PatientName = PatientName,
            StudyDate = date,
            AccessionNumber = AccessionNumber,
            StudyInstanceUids = StudyInstanceUid,
            ModalitiesInStudy = Modality,
            StudyDescription = StudyDescription,
        };
        WriteVerbose($"C-FIND (study level) {peer.CallingAETitle} -> {peer}.");
        RunFind(peer, query.ToIdentifier(), ds =>
        {
            if (DicomStudy.From(ds, peer) is { } study)
            {
                WriteObject(study);
            }
        });
    }
}
