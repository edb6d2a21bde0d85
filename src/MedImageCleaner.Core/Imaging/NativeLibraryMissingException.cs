using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Imaging;

/// <summary>
/// A native library the command needs (OpenCV's OpenCvSharpExtern, libtesseract) cannot be loaded. The message says
/// which library, where the module looks for it and how to install it; it never carries DICOM values.
/// </summary>
public sealed class NativeLibraryMissingException : MedImageCleanerException
{
    public NativeLibraryMissingException()
        : base("A native library is missing.")
    {
    }

    public NativeLibraryMissingException(string message)
        : base(message)
    {
    }

    public NativeLibraryMissingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The library that is missing (e.g. OpenCvSharpExtern), when known.</summary>
    public string? Library { get; init; }
}
