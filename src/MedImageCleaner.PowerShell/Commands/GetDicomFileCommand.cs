using System.Diagnostics;
using System.Management.Automation;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Dicom;
using MedImageCleaner.PowerShell.Completers;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Reads the header of DICOM files and describes each one.</para>
/// <para type="description">
/// Emits one DicomFileInfo per DICOM file. A folder named on the command line stands for the files in it (with
/// -Recurse, every file below it); folders arriving from the pipeline are skipped unless -Recurse is given, because
/// Get-ChildItem already sends their files. Non-DICOM or unreadable files give one non-terminating error each.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DicomFile", DefaultParameterSetName = DefaultSet, HelpUri = HelpLinks.Base + "Get-DicomFile.md")]
[OutputType(typeof(DicomFileInfo))]
public sealed class GetDicomFileCommand : FileInputCommand
{
    private const int Handful = 5;
    private const int ProgressActivityId = ProgressIds.GetDicomFile;
    private const long ProgressIntervalMs = 200;

    private DicomTag[] _tags = [];
    private volatile bool _stopping;




    /// <summary>Extra attributes to read into the Attributes dictionary, by keyword (PatientAge) or tag ((0010,1010)).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DicomKeywordCompleter))]
    public string[] Tag { get; set; } = [];

    /// <inheritdoc/>
    private protected override void Begin()
    {
        var tags = new List<DicomTag>(Tag.Length);
        foreach (var text in Tag)
        {
            if (!DicomFileInspector.TryResolveTag(text, out var tag))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"'{text}' is not a DICOM keyword (such as PatientAge) or a tag written (gggg,eeee)."),
                    "InvalidTag",
                    ErrorCategory.InvalidArgument,
                    text));
            }

            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        _tags = [.. tags];
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var files = ResolveInputs();

        InspectFiles(files);
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stopping = true;

    private void InspectFiles(List<(string File, string Root)> files)
    {
        var progress = files.Count > Handful ? new ProgressRecord(ProgressActivityId, "Get-DicomFile", "Reading DICOM headers") : null;
        var clock = Stopwatch.StartNew();
        var nextProgressMs = 0L;
        try
        {
            for (var i = 0; i < files.Count && !_stopping; i++)
            {
                var file = files[i].File;
                if (progress is not null && clock.ElapsedMilliseconds >= nextProgressMs)
                {
                    nextProgressMs = clock.ElapsedMilliseconds + ProgressIntervalMs;
                    progress.PercentComplete = (int)(100L * i / files.Count);
                    progress.StatusDescription = $"File {i + 1} of {files.Count}";
                    WriteProgress(progress);
                }

                InspectFile(file);
            }
        }
        finally
        {
            if (progress is not null)
            {
                progress.RecordType = ProgressRecordType.Completed;
                progress.PercentComplete = 100;
                WriteProgress(progress);
            }
        }
    }

    private void InspectFile(string file)
    {
        WriteVerbose($"Reading the header of '{file}'.");
        DicomFileInfo info;
        try
        {
            info = DicomFileInspector.Inspect(file, _tags);
        }
        catch (NotDicomException ex)
        {
            WriteError(FileError(ex, FileErrorIds.NotDicomFile, ErrorCategory.InvalidData, file, "is not a DICOM file"));
            return;
        }
        catch (DicomReadException ex)
        {
            WriteError(FileError(ex, FileErrorIds.DicomReadFailed, ErrorCategory.ReadError, file, "cannot be read as DICOM"));
            return;
        }

        if (info.InputDamaged)
        {
            WriteWarning(InputDamage.Summary(file, info.Damage));
        }

        if (info.Warnings.Count > 0)
        {
            WriteVerbose($"'{file}' was read with warnings: {string.Join(", ", info.Warnings)}.");
        }

        WriteObject(info);
    }

    /// <summary>An error naming the file; the core's messages never hold attribute values.</summary>
    private static ErrorRecord FileError(MedImageCleanerException ex, string errorId, ErrorCategory category, string file, string what) =>
        new(ex, errorId, category, file)
        {
            ErrorDetails = new ErrorDetails($"The file '{file}' {what}: {ex.Message}"),
        };
}
