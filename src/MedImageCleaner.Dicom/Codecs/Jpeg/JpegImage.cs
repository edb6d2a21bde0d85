namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <summary>What the caller knows about the frame before decoding, and how to decode it.</summary>
/// <param name="Rows">Rows the dataset declares; the codestream must agree.</param>
/// <param name="Columns">Columns the dataset declares; the codestream must agree.</param>
/// <param name="ConvertYCbCrToRgb">True to convert three-component DCT images from YCbCr to RGB (as dcmdjpeg does for YBR_FULL*).</param>
internal sealed record JpegDecodeOptions(int Rows, int Columns, bool ConvertYCbCrToRgb);

/// <summary>A decoded JPEG image: full-size samples of every component, interleaved, rows top to bottom.</summary>
internal sealed class JpegImage
{
    public JpegImage(int width, int height, int components, int precision, bool isLossless, bool colorConverted, ushort[] samples)
    {
        Width = width;
        Height = height;
        Components = components;
        Precision = precision;
        IsLossless = isLossless;
        ColorConverted = colorConverted;
        Samples = samples;
    }

    public int Width { get; }

    public int Height { get; }

    public int Components { get; }

    /// <summary>Sample precision P of the frame header (2..16).</summary>
    public int Precision { get; }

    /// <summary>True for process 14 (SOF3).</summary>
    public bool IsLossless { get; }

    /// <summary>True when YCbCr was converted to RGB.</summary>
    public bool ColorConverted { get; }

    /// <summary>Width x Height x Components samples, interleaved.</summary>
    public ushort[] Samples { get; }
}
