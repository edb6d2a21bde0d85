namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>Stable error ids the infrastructure writes (the FullyQualifiedErrorId starts with them).</summary>
internal static class ErrorIds
{
    /// <summary>The original file (-Original, or SourcePath of a piped result) does not exist.</summary>
    public const string OriginalNotFound = "OriginalNotFound";

    /// <summary>A destination folder cannot be created or written.</summary>
    public const string DestinationNotWritable = "DestinationNotWritable";

    /// <summary>A destination that must be a folder is a file.</summary>
    public const string DestinationIsFile = "DestinationIsFile";

    /// <summary>A file parameter (-KeyFile...) names a folder.</summary>
    public const string KeyFileIsFolder = "KeyFileIsFolder";

    /// <summary>A native library (OpenCV, Tesseract) or its data is not installed.</summary>
    public const string NativeLibraryMissing = "NativeLibraryMissing";

    /// <summary>A worker failed in a way no per-file error describes.</summary>
    public const string WorkerFailed = "WorkerFailed";
}
