namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>One image file written by Convert-DicomImage.</summary>
public sealed record ConvertedImage
{
    /// <summary>The image file written.</summary>
    public required string FullName { get; init; }

    /// <summary>The image file's name.</summary>
    public string Name => Path.GetFileName(FullName);

    /// <summary>The DICOM file's name it was made from.</summary>
    public string SourceName => Path.GetFileName(SourcePath);

    public ExportFormat Format { get; init; }

    /// <summary>Columns of the written image.</summary>
    public int Width { get; init; }

    /// <summary>Rows of the written image.</summary>
    public int Height { get; init; }

    /// <summary>Frames in the file (pages of a TIFF, first axis of an NPY; 1 for PNG/JPEG).</summary>
    public int Frames { get; init; }

    /// <summary>Bits per sample (NPY: of the data type).</summary>
    public int BitDepth { get; init; }

    /// <summary>Samples per pixel (1 grey, 3 RGB).</summary>
    public int Channels { get; init; }

    /// <summary>The 0-based index of the (first) source frame in the file.</summary>
    public int FrameIndex { get; init; }

    /// <summary>The NumPy dtype of an NPY file (e.g. &lt;u2), else null.</summary>
    public string? DataType { get; init; }

    /// <summary>The DICOM file converted.</summary>
    public required string SourcePath { get; init; }
}

/// <summary>The outcome of converting one DICOM file: the images written, or the error that stopped it.</summary>
public sealed record ExportOutcome
{
    /// <summary>The DICOM file.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The images written (empty on failure or with WhatIf).</summary>
    public IReadOnlyList<ConvertedImage> Images { get; init; } = [];

    /// <summary>A stable error id (NotDicomFile, NoPixelData, UnsupportedPixelEncoding, PixelDecodeFailed, FrameOutOfRange, DestinationExists, WriteFailed...), null on success.</summary>
    public string? ErrorId { get; init; }

    /// <summary>What went wrong; names the file, never a DICOM value.</summary>
    public string? Message { get; init; }

    /// <summary>The path the error concerns (the source, or the output that exists).</summary>
    public string? TargetPath { get; init; }

    public bool Succeeded => ErrorId is null;
}
