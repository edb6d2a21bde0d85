namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>A file cannot be exported; <see cref="ErrorId"/> is the stable id the cmdlet reports. The message holds no DICOM value.</summary>
internal sealed class ExportException : Exception
{
    public ExportException()
    {
        ErrorId = "ExportFailed";
    }

    public ExportException(string message)
        : base(message)
    {
        ErrorId = "ExportFailed";
    }

    public ExportException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorId = "ExportFailed";
    }

    public ExportException(string errorId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
    }

    public string ErrorId { get; }
}
