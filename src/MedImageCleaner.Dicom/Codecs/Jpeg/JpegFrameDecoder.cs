using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <summary>
/// Managed decoder for the JPEG transfer syntaxes: Baseline (1.2.840.10008.1.2.4.50), Extended (.51, 8 and 12 bit),
/// Lossless process 14 (.57) and its first-order prediction subset (.70). Samples equal dcmtk's dcmdjpeg with its
/// defaults: the IJG accurate integer IDCT, fancy upsampling, and YCbCr converted to RGB when the dataset says
/// YBR_FULL or YBR_FULL_422 (the frame then reports RGB); lossless frames are never colour converted.
/// </summary>
internal sealed class JpegFrameDecoder : IFrameDecoder
{
    public string Name => "JPEG";

    public bool CanDecode(TransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return syntax.Equals(TransferSyntax.JpegBaseline) || syntax.Equals(TransferSyntax.JpegExtended)
            || syntax.Equals(TransferSyntax.JpegLossless) || syntax.Equals(TransferSyntax.JpegLosslessSV1);
    }

    public DecodedFrame Decode(PixelData pixels, TransferSyntax syntax, int index)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Rows <= 0 || pixels.Columns <= 0)
        {
            throw new PixelCodecException("The image has no rows or columns.");
        }

        byte[] codestream;
        try
        {
            codestream = pixels.GetFrame(index);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new PixelCodecException($"Frame {index} is not present in the pixel data.", ex);
        }

        var photometric = pixels.PhotometricInterpretation.Trim();
        if (photometric.StartsWith("YBR_PARTIAL", StringComparison.Ordinal) || photometric is "YBR_ICT" or "YBR_RCT")
        {
            throw new PixelCodecException($"JPEG frames with photometric interpretation {photometric} are not supported.") { IsUnsupported = true };
        }

        var convert = photometric is "YBR_FULL" or "YBR_FULL_422";
        var image = JpegDecoder.Decode(codestream, new JpegDecodeOptions(pixels.Rows, pixels.Columns, convert));
        if (image.Components != pixels.SamplesPerPixel)
        {
            throw new PixelCodecException("The JPEG frame has a different number of components than Samples per Pixel says.");
        }

        var bitsAllocated = image.Precision > 8 || pixels.BitsAllocated == 16 ? 16 : 8;
        var bitsStored = pixels.BitsStored is > 0 && pixels.BitsStored <= bitsAllocated ? pixels.BitsStored : image.Precision;
        var outPhotometric = image.ColorConverted ? "RGB" : photometric;
        var samples = image.Samples;
        byte[] data;
        if (bitsAllocated == 8)
        {
            data = new byte[samples.Length];
            for (var i = 0; i < samples.Length; i++)
            {
                data[i] = (byte)samples[i];
            }
        }
        else
        {
            data = new byte[samples.Length * 2];
            for (var i = 0; i < samples.Length; i++)
            {
                data[2 * i] = (byte)samples[i];
                data[(2 * i) + 1] = (byte)(samples[i] >> 8);
            }
        }

        return new DecodedFrame(image.Height, image.Width, image.Components, bitsAllocated, bitsStored, pixels.IsSigned, outPhotometric, data);
    }
}
