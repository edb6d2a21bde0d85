namespace MedImageCleaner.Dicom.Codecs;

/// <summary>A frame cannot be decoded or encoded: damaged data, or a feature the codec does not support.</summary>
public sealed class PixelCodecException : MedImageCleanerException
{
    public PixelCodecException()
    {
    }

    public PixelCodecException(string message)
        : base(message)
    {
    }

    public PixelCodecException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the data uses a feature no registered codec supports (quarantine), false when it is damaged.</summary>
    public bool IsUnsupported { get; init; }
}
