namespace MedImageCleaner.Dicom;

/// <summary>Root of every exception the product throws. Messages never carry attribute values (they may be PHI).</summary>
public class MedImageCleanerException : Exception
{
    public MedImageCleanerException()
    {
    }

    public MedImageCleanerException(string message)
        : base(message)
    {
    }

    public MedImageCleanerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file concerned, when known.</summary>
    public string? FilePath { get; init; }
}

/// <summary>The input is not DICOM, or is damaged beyond what the reader tolerates.</summary>
public class DicomReadException : MedImageCleanerException
{
    public DicomReadException()
    {
    }

    public DicomReadException(string message)
        : base(message)
    {
    }

    public DicomReadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public DicomReadException(string message, long offset, DicomTag? tag, Exception? innerException = null)
        : base(message, innerException)
    {
        Offset = offset;
        Tag = tag;
    }

    /// <summary>Byte offset in the (decoded) stream where the problem was found.</summary>
    public long Offset { get; init; } = -1;

    /// <summary>The element being read, when known.</summary>
    public DicomTag? Tag { get; init; }
}

/// <summary>The input does not start like a DICOM file or dataset at all.</summary>
public sealed class NotDicomException : DicomReadException
{
    public NotDicomException()
    {
    }

    public NotDicomException(string message)
        : base(message)
    {
    }

    public NotDicomException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A read limit (element length, nesting depth, total bytes) was exceeded: the input may be hostile.</summary>
public sealed class DicomLimitExceededException : DicomReadException
{
    public DicomLimitExceededException()
    {
    }

    public DicomLimitExceededException(string message)
        : base(message)
    {
    }

    public DicomLimitExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public DicomLimitExceededException(string message, long offset, DicomTag? tag)
        : base(message, offset, tag)
    {
    }
}

/// <summary>A dataset cannot be written as asked (e.g. a value does not fit its VR, an unknown transfer syntax).</summary>
public sealed class DicomWriteException : MedImageCleanerException
{
    public DicomWriteException()
    {
    }

    public DicomWriteException(string message)
        : base(message)
    {
    }

    public DicomWriteException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
