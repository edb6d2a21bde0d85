namespace MedImageCleaner.Dicom.IO;

/// <summary>Limits and choices for reading. Defaults suit real files; the caps protect against hostile input.</summary>
public sealed record DicomReadOptions
{
    /// <summary>Default options.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Values at least this long stay in the file and are copied stream to stream on write.</summary>
    public long LargeValueThreshold { get; init; } = 64 * 1024;

    /// <summary>Files (or inflated datasets) up to this size are read into memory at once (fast for small files).</summary>
    public long InMemoryThreshold { get; init; } = 8 * 1024 * 1024;

    /// <summary>The largest element value accepted.</summary>
    public long MaxElementLength { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>The deepest sequence nesting accepted.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The largest input accepted, in bytes (after inflating a deflated dataset).</summary>
    public long MaxTotalBytes { get; init; } = 64L * 1024 * 1024 * 1024;

    /// <summary>The most elements accepted in one file (all depths).</summary>
    public int MaxElementCount { get; init; } = 4_000_000;

    /// <summary>Stop after the element before (7FE0,0010) Pixel Data: header-only reads.</summary>
    public bool StopBeforePixelData { get; init; }
}

/// <summary>Something the reader tolerated. Never carries a value.</summary>
/// <param name="Offset">Byte offset where it was found (in the decoded stream).</param>
/// <param name="Tag">The element concerned, when known.</param>
/// <param name="Code">A stable code, e.g. OddLength, ImplicitElementInExplicit, MissingDelimiter.</param>
/// <param name="Message">A human-readable description without values.</param>
public sealed record DicomReadWarning(long Offset, DicomTag? Tag, string Code, string Message)
{
    /// <summary>True when part of the input could not be read (truncated value or header, input ended inside an item, a damaged deflate stream, a skipped rest): the dataset lacks data the file was meant to hold.</summary>
    public bool DataMissing { get; init; }

    public override string ToString() => Tag is { } t ? $"{Code} at {Offset} {t}: {Message}" : $"{Code} at {Offset}: {Message}";
}
