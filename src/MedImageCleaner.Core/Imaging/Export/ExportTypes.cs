namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>The image file format Convert-DicomImage writes.</summary>
public enum ExportFormat
{
    /// <summary>PNG, 8 or 16 bits per sample, grey or RGB (one file per frame).</summary>
    Png,

    /// <summary>JPEG (baseline, 8 bits per sample, lossy; one file per frame).</summary>
    Jpeg,

    /// <summary>Baseline little-endian TIFF, uncompressed strips, 8 or 16 bits; all selected frames as pages of one file.</summary>
    Tiff,

    /// <summary>NumPy .npy (format 1.0): frames x rows x columns [x samples], stored or modality values.</summary>
    Npy,
}

/// <summary>How the VOI window of a greyscale image is chosen.</summary>
public enum ExportWindowMode
{
    /// <summary>The header's window (Window Center/Width or VOI LUT Sequence) when present, else MinMax.</summary>
    Auto,

    /// <summary>The header's window (Window Center/Width, else VOI LUT Sequence); a file without one is an error.</summary>
    Header,

    /// <summary>The range of the frame's modality values (center (min+max+1)/2, width max-min+1, as dcmtk computes it).</summary>
    MinMax,

    /// <summary>The range between two percentiles of the frame's modality values (default 0.5 and 99.5).</summary>
    Percentile,
}

/// <summary>The VOI LUT Function (0028,1056) applied with a window (PS3.3 C.11.2.1.2 and C.11.2.1.3).</summary>
public enum VoiLutFunction
{
    /// <summary>LINEAR (the default when the attribute is absent).</summary>
    Linear,

    /// <summary>LINEAR_EXACT.</summary>
    LinearExact,

    /// <summary>SIGMOID.</summary>
    Sigmoid,
}

/// <summary>The zlib effort of PNG output.</summary>
public enum PngCompressionLevel
{
    /// <summary>Fast compression (the default).</summary>
    Fastest,

    /// <summary>Balanced compression.</summary>
    Optimal,

    /// <summary>The smallest files, slowest.</summary>
    SmallestSize,
}

/// <summary>The PNG row filter (PNG specification, filter method 0).</summary>
public enum PngRowFilter
{
    /// <summary>None with -CompressionLevel Fastest, otherwise Adaptive.</summary>
    Auto,

    /// <summary>Filter type 0: rows as they are.</summary>
    None,

    /// <summary>Filter type 1: difference to the sample on the left.</summary>
    Sub,

    /// <summary>Filter type 2: difference to the sample above.</summary>
    Up,

    /// <summary>Filter type 3: difference to the mean of left and above.</summary>
    Average,

    /// <summary>Filter type 4: Paeth predictor.</summary>
    Paeth,

    /// <summary>Per row, the filter with the smallest sum of absolute differences.</summary>
    Adaptive,
}
