using System.Runtime.InteropServices;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using OpenCvSharp;

namespace MedImageCleaner.Core.Imaging;

/// <summary>
/// JPEG 2000 frames (1.2.840.10008.1.2.4.90/.91, Part 2 .92/.93, HTJ2K .201-.203) decoded by OpenCV
/// (<c>Cv2.ImDecode</c>, OpenJPEG inside). Before decoding, the codestream's SIZ segment is checked against the dataset
/// (size, components, bit depth), and OpenCV's result is checked against both; anything OpenCV cannot represent
/// exactly (subsampled components, mixed depths or signedness, more than 16 bits, Part 2 extensions flagged in Rsiz)
/// is refused as unsupported, never returned as wrong pixels. Signed components, which OpenCV refuses, are decoded from
/// a copy of the codestream whose SIZ labels them unsigned, and 2^(B-1) is subtracted from every sample: the two
/// decodes differ only in the inverse DC level shift and its clamp (T.800 G.1.2), so the result is the signed decode
/// exactly (see <see cref="Jpeg2000Header.CopyWithUnsignedComponents"/>); the samples come back two's complement,
/// sign-extended to Bits Allocated. A .92/.93 frame whose codestream uses no Part 2 extension
/// is a Part 1 codestream and decodes as one. Colour comes back as RGB (OpenCV's BGR reordered); frames whose codestream uses the component
/// transform (COD, the DICOM YBR_RCT / YBR_ICT) report RGB because the decoder applies the inverse transform; a dataset
/// that says YBR_RCT/YBR_ICT over a codestream without it is refused as unsupported.
/// </summary>
internal sealed class OpenCvJpeg2000Decoder : IFrameDecoder
{
    public string Name => "OpenCV JPEG 2000";

    public bool CanDecode(TransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return syntax.Equals(TransferSyntax.Jpeg2000Lossless) || syntax.Equals(TransferSyntax.Jpeg2000)
            || syntax.Equals(TransferSyntax.Jpeg2000Part2Lossless) || syntax.Equals(TransferSyntax.Jpeg2000Part2)
            || syntax.Equals(TransferSyntax.HTJ2KLossless) || syntax.Equals(TransferSyntax.HTJ2KLosslessRPCL)
            || syntax.Equals(TransferSyntax.HTJ2K);
    }

    public DecodedFrame Decode(PixelData pixels, TransferSyntax syntax, int index)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(syntax);
        byte[] codestream;
        try
        {
            codestream = pixels.GetFrame(index);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new PixelCodecException($"Frame {index} is not present in the pixel data.", ex);
        }

        var header = Jpeg2000Header.Read(codestream);
        if (header.UsesPart2Extensions)
        {
            // Part 2 (multi-component transforms, arbitrary wavelets...): not verified against an independent decoder.
            throw Unsupported("JPEG 2000 codestreams that use Part 2 extensions are not supported.");
        }

        if (header.IsSubsampled || !header.UniformDepth)
        {
            throw Unsupported("JPEG 2000 frames with subsampled components or mixed bit depths are not supported.");
        }

        if (header.BitDepth > 16)
        {
            throw Unsupported("JPEG 2000 frames deeper than 16 bits are not supported.");
        }

        if (header.Components is not (1 or 3))
        {
            throw Unsupported("JPEG 2000 frames with other than 1 or 3 components are not supported.");
        }

        if (!header.UsesComponentTransform && pixels.PhotometricInterpretation.Trim() is "YBR_RCT" or "YBR_ICT")
        {
            throw Unsupported("The dataset says YBR_RCT/YBR_ICT but the JPEG 2000 codestream uses no component transform.");
        }

        if (header.Components != pixels.SamplesPerPixel)
        {
            throw new PixelCodecException("The JPEG 2000 frame has a different number of components than Samples per Pixel says.");
        }

        if (header.Width != pixels.Columns || header.Height != pixels.Rows)
        {
            throw new PixelCodecException("The JPEG 2000 frame size differs from the Rows and Columns of the dataset.");
        }

        if (pixels.BitsAllocated is not (8 or 16) || (header.BitDepth > 8 && pixels.BitsAllocated != 16))
        {
            throw Unsupported("The JPEG 2000 bit depth does not fit the dataset's Bits Allocated.");
        }

        var bitsAllocated = pixels.BitsAllocated;
        var toDecode = codestream;
        if (header.IsSigned)
        {
            if (!header.AllSigned)
            {
                throw Unsupported("JPEG 2000 frames with both signed and unsigned components are not supported.");
            }

            if (header.CodestreamOffset != 0)
            {
                throw Unsupported("JPEG 2000 frames with signed components inside a JP2 file wrapper are not supported.");
            }

            if (!pixels.IsSigned)
            {
                throw Unsupported("The JPEG 2000 codestream has signed components but the dataset's Pixel Representation says unsigned.");
            }

            // OpenCV refuses signed components: decode a copy labelled unsigned, then undo its DC level shift below.
            toDecode = header.CopyWithUnsignedComponents(codestream);
        }

        NativeLoadOrder.Ensure();
        using var mat = DecodeWithOpenCv(toDecode, syntax);
        var expectedDepth = header.BitDepth > 8 ? MatType.CV_16U : MatType.CV_8U;
        if (mat.Rows != header.Height || mat.Cols != header.Width || mat.Channels() != header.Components || mat.Depth() != expectedDepth)
        {
            throw Unsupported("OpenCV decoded the JPEG 2000 frame to a different size, channel count or depth than the codestream declares.");
        }

        var data = CopyPixels(mat, header.Components, bitsAllocated, header.BitDepth, header.IsSigned);
        // With the component transform the decoder gives back RGB; without it the samples are what the dataset says.
        var photometric = header.UsesComponentTransform && header.Components == 3 ? "RGB" : pixels.PhotometricInterpretation.Trim();

        var bitsStored = pixels.BitsStored is > 0 && pixels.BitsStored <= bitsAllocated ? pixels.BitsStored : header.BitDepth;
        return new DecodedFrame(pixels.Rows, pixels.Columns, header.Components, bitsAllocated, bitsStored, pixels.IsSigned, photometric, data);
    }

    private static PixelCodecException Unsupported(string message) => new(message) { IsUnsupported = true };

    private static Mat DecodeWithOpenCv(byte[] codestream, TransferSyntax syntax)
    {
        Mat mat;
        try
        {
            mat = Cv2.ImDecode(codestream, ImreadModes.Unchanged);
        }
        catch (OpenCVException ex)
        {
            throw new PixelCodecException("OpenCV cannot decode the JPEG 2000 frame.", ex) { IsUnsupported = true };
        }

        if (mat.Empty())
        {
            mat.Dispose();
            var what = syntax.Uid.StartsWith("1.2.840.10008.1.2.4.20", StringComparison.Ordinal) ? "HTJ2K" : "JPEG 2000";
            throw Unsupported($"OpenCV cannot decode the {what} frame (unsupported feature or damaged codestream).");
        }

        return mat;
    }

    /// <summary>
    /// Copies the Mat's rows into an interleaved little-endian buffer, BGR reordered to RGB, widening 8 to 16 bits if
    /// asked. Every sample must lie in the codestream's range [0, 2^depth - 1] (OpenJPEG clamps to it); for a signed
    /// frame decoded as unsigned, 2^(depth-1) is subtracted and the result written two's complement.
    /// </summary>
    private static byte[] CopyPixels(Mat mat, int channels, int bitsAllocated, int depth, bool signed)
    {
        var max = (1 << depth) - 1;
        var offset = signed ? 1 << (depth - 1) : 0;
        var rows = mat.Rows;
        var cols = mat.Cols;
        var srcBytes = mat.Depth() == MatType.CV_16U ? 2 : 1;
        var rowBytes = cols * channels * srcBytes;
        var row = new byte[rowBytes];
        var outBytes = bitsAllocated / 8;
        var data = new byte[rows * cols * channels * outBytes];
        for (var y = 0; y < rows; y++)
        {
            Marshal.Copy(mat.Ptr(y), row, 0, rowBytes);
            var o = y * cols * channels * outBytes;
            for (var x = 0; x < cols; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var src = (x * channels) + (channels == 3 ? 2 - c : c);
                    var value = srcBytes == 2 ? row[2 * src] | (row[(2 * src) + 1] << 8) : row[src];
                    if (value > max)
                    {
                        throw Unsupported("OpenCV decoded a JPEG 2000 sample outside the range of the codestream's bit depth.");
                    }

                    value -= offset;
                    var dst = o + (((x * channels) + c) * outBytes);
                    data[dst] = (byte)value;
                    if (outBytes == 2)
                    {
                        data[dst + 1] = (byte)(value >> 8);
                    }
                }
            }
        }

        return data;
    }
}
