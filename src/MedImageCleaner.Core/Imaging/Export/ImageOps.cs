using System.Runtime.InteropServices;
using MedImageCleaner.Core.Files;
using OpenCvSharp;

namespace MedImageCleaner.Core.Imaging.Export;

/// <summary>The OpenCV parts of exporting: resizing (INTER_AREA down, INTER_LINEAR up) and JPEG encoding.</summary>
internal static class ImageOps
{
    /// <summary>The output size for a <paramref name="width"/> x <paramref name="height"/> image under the options (the same size when no resize is asked).</summary>
    public static (int Width, int Height) TargetSize(int width, int height, OutputSize? size, double? scale, bool keepAspect)
    {
        if (scale is { } s)
        {
            return (Math.Max(1, (int)Math.Round(width * s)), Math.Max(1, (int)Math.Round(height * s)));
        }

        if (size is null)
        {
            return (width, height);
        }

        if (size.Width == 0)
        {
            return (Math.Max(1, (int)Math.Round((double)width * size.Height / height)), size.Height);
        }

        if (size.Height == 0)
        {
            return (size.Width, Math.Max(1, (int)Math.Round((double)height * size.Width / width)));
        }

        if (!keepAspect)
        {
            return (size.Width, size.Height);
        }

        // Fit inside the box, aspect kept.
        var f = Math.Min((double)size.Width / width, (double)size.Height / height);
        return (Math.Clamp((int)Math.Round(width * f), 1, size.Width), Math.Clamp((int)Math.Round(height * f), 1, size.Height));
    }

    /// <summary>Resizes a rendered image (8-bit, 16-bit unsigned or signed samples).</summary>
    public static RenderedImage Resize(RenderedImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width == width && image.Height == height)
        {
            return image;
        }

        NativeLoadOrder.Ensure();
        var depth = image.BitDepth == 8 ? MatType.CV_8U : image.Signed ? MatType.CV_16S : MatType.CV_16U;
        var type = MatType.MakeType(depth, image.Channels);
        using var src = new Mat(image.Height, image.Width, type);
        Marshal.Copy(image.Data, 0, src.Data, image.Data.Length);
        using var dst = new Mat();
        Cv2.Resize(src, dst, new Size(width, height), 0, 0, Interpolation(image.Width, image.Height, width, height));
        var data = new byte[width * height * image.Channels * image.BytesPerSample];
        CopyOut(dst, data);
        return new RenderedImage(width, height, image.Channels, image.BitDepth, image.Signed, data);
    }

    /// <summary>Resizes values held as doubles (NPY data of any type), rows x columns x channels.</summary>
    public static double[] Resize(double[] values, int width, int height, int channels, int newWidth, int newHeight)
    {
        ArgumentNullException.ThrowIfNull(values);
        NativeLoadOrder.Ensure();
        using var src = new Mat(height, width, MatType.MakeType(MatType.CV_64F, channels));
        Marshal.Copy(values, 0, src.Data, values.Length);
        using var dst = new Mat();
        Cv2.Resize(src, dst, new Size(newWidth, newHeight), 0, 0, Interpolation(width, height, newWidth, newHeight));
        var result = new double[newWidth * newHeight * channels];
        var rowLength = newWidth * channels;
        for (var y = 0; y < newHeight; y++)
        {
            Marshal.Copy(dst.Ptr(y), result, y * rowLength, rowLength);
        }

        return result;
    }

    /// <summary>Encodes an 8-bit grey or RGB image as JPEG with OpenCV (libjpeg) at <paramref name="quality"/>.</summary>
    public static byte[] EncodeJpeg(RenderedImage image, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        NativeLoadOrder.Ensure();
        using var mat = new Mat(image.Height, image.Width, MatType.MakeType(MatType.CV_8U, image.Channels));
        Marshal.Copy(image.Data, 0, mat.Data, image.Data.Length);
        if (image.Channels == 3)
        {
            Cv2.CvtColor(mat, mat, ColorConversionCodes.RGB2BGR);
        }

        Cv2.ImEncode(".jpg", mat, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        if (bytes is null || bytes.Length == 0)
        {
            throw new ExportException(FileErrorIds.WriteFailed, "OpenCV could not encode the frame as JPEG.");
        }

        return bytes;
    }

    private static InterpolationFlags Interpolation(int width, int height, int newWidth, int newHeight) =>
        newWidth <= width && newHeight <= height ? InterpolationFlags.Area : InterpolationFlags.Linear;

    private static void CopyOut(Mat mat, byte[] data)
    {
        var rows = mat.Rows;
        var rowBytes = data.Length / rows;
        for (var y = 0; y < rows; y++)
        {
            Marshal.Copy(mat.Ptr(y), data, y * rowBytes, rowBytes);
        }
    }
}
