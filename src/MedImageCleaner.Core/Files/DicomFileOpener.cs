using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Files;

/// <summary>Why an input could not be opened: an error id of <see cref="FileErrorIds"/> and a message without values.</summary>
/// <param name="ErrorId">NotDicomFile or DicomReadFailed.</param>
/// <param name="Message">What happened, naming the file.</param>
public sealed record OpenFailure(string ErrorId, string Message);

/// <summary>
/// The one open-and-classify step of the services: opens an input read-only and turns the ways it can fail (not DICOM,
/// damaged, unreadable) into an <see cref="OpenFailure"/> with a stable error id, so that every service reports them alike.
/// </summary>
public static class DicomFileOpener
{
    /// <summary>Opens <paramref name="path"/>; null and a failure when it cannot be opened as DICOM.</summary>
    public static DicomFile? TryOpen(string path, out OpenFailure? failure)
    {
        try
        {
            failure = null;
            return DicomFile.Open(path);
        }
        catch (Exception ex) when (Classify(ex, path) is { } f)
        {
            failure = f;
            return null;
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/>, reading a file of at most <paramref name="inMemoryLimit"/> bytes whole (its bytes
    /// come back in <paramref name="bytes"/>); null and a failure when it cannot be opened as DICOM.
    /// </summary>
    public static DicomFile? TryOpen(string path, long inMemoryLimit, out byte[]? bytes, out OpenFailure? failure)
    {
        try
        {
            failure = null;
            return DicomFile.Open(path, inMemoryLimit, out bytes);
        }
        catch (Exception ex) when (Classify(ex, path) is { } f)
        {
            failure = f;
            bytes = null;
            return null;
        }
    }

    /// <summary>
    /// The failure an exception raised while opening or reading <paramref name="path"/> stands for: NotDicomFile for a
    /// file that is not DICOM, DicomReadFailed for a damaged stream or an I/O error; null for any other exception.
    /// </summary>
    public static OpenFailure? Classify(Exception ex, string path) => ex switch
    {
        NotDicomException => new OpenFailure(FileErrorIds.NotDicomFile, $"'{path}' is not a DICOM file."),
        DicomReadException or IOException or UnauthorizedAccessException => new OpenFailure(FileErrorIds.DicomReadFailed, $"'{path}' cannot be read: {ex.Message}"),
        _ => null,
    };
}
