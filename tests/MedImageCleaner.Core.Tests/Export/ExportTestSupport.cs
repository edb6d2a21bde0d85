using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MedImageCleaner.Core.Imaging;
using OpenCvSharp;

namespace MedImageCleaner.Core.Tests.Export;

/// <summary>An image read back by an independent reader: samples row-major, interleaved (RGB order).</summary>
internal sealed record ReadImage(int Width, int Height, int Channels, int[] Samples);

/// <summary>Readers the export tests use: PNM (dcm2pnm output) parsed here, PNG/TIFF through OpenCV (libpng/libtiff).</summary>
internal static class ExportTestSupport
{
    /// <summary>A fresh temporary folder.</summary>
    public static string TempFolder(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mic-export-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Reads a binary PGM (P5) or PPM (P6) file with maxval up to 65535.</summary>
    public static ReadImage ReadPnm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pos = 0;
        string Token()
        {
            while (pos < bytes.Length)
            {
                if (bytes[pos] == '#')
                {
                    while (pos < bytes.Length && bytes[pos] != '\n')
                    {
                        pos++;
                    }
                }
                else if (char.IsWhiteSpace((char)bytes[pos]))
                {
                    pos++;
                }
                else
                {
                    break;
                }
            }

            var start = pos;
            while (pos < bytes.Length && !char.IsWhiteSpace((char)bytes[pos]))
            {
                pos++;
            }

            return Encoding.ASCII.GetString(bytes, start, pos - start);
        }

        var magic = Token();
        var w = int.Parse(Token(), CultureInfo.InvariantCulture);
        var h = int.Parse(Token(), CultureInfo.InvariantCulture);
        var max = int.Parse(Token(), CultureInfo.InvariantCulture);
        pos++; // one whitespace byte
        var channels = magic == "P6" ? 3 : magic == "P5" ? 1 : throw new InvalidDataException("Not a binary PNM: " + magic);
        var n = w * h * channels;
        var samples = new int[n];
        for (var i = 0; i < n; i++)
        {
            samples[i] = max > 255 ? (bytes[pos + (2 * i)] << 8) | bytes[pos + (2 * i) + 1] : bytes[pos + i];
        }

        return new ReadImage(w, h, channels, samples);
    }

    /// <summary>Reads an image with OpenCV (ImreadModes.Unchanged), BGR reordered to RGB.</summary>
    public static ReadImage ReadWithOpenCv(string path)
    {
        NativeLoadOrder.Ensure();
        using var mat = Cv2.ImRead(path, ImreadModes.Unchanged);
        Assert.False(mat.Empty(), $"OpenCV cannot read {Path.GetFileName(path)}");
        return FromMat(mat);
    }

    /// <summary>Reads every page of a multi-page TIFF with OpenCV.</summary>
    public static List<ReadImage> ReadPagesWithOpenCv(string path)
    {
        NativeLoadOrder.Ensure();
        Assert.True(Cv2.ImReadMulti(path, out var mats, ImreadModes.Unchanged), $"OpenCV cannot read the pages of {Path.GetFileName(path)}");
        var result = new List<ReadImage>();
        foreach (var m in mats)
        {
            using (m)
            {
                result.Add(FromMat(m));
            }
        }

        return result;
    }

    public static ReadImage FromMat(Mat mat)
    {
        var rows = mat.Rows;
        var cols = mat.Cols;
        var channels = mat.Channels();
        var depth = mat.Depth();
        var bytes = depth == MatType.CV_8U || depth == MatType.CV_8S ? 1 : 2;
        var rowBytes = cols * channels * bytes;
        var row = new byte[rowBytes];
        var samples = new int[rows * cols * channels];
        for (var y = 0; y < rows; y++)
        {
            Marshal.Copy(mat.Ptr(y), row, 0, rowBytes);
            for (var x = 0; x < cols; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var srcC = channels >= 3 ? (c < 3 ? 2 - c : c) : c;
                    var at = ((x * channels) + srcC) * bytes;
                    int v = bytes == 1 ? (depth == MatType.CV_8S ? (sbyte)row[at] : row[at]) : depth == MatType.CV_16S ? (short)(row[at] | (row[at + 1] << 8)) : row[at] | (row[at + 1] << 8);
                    samples[(((y * cols) + x) * channels) + c] = v;
                }
            }
        }

        return new ReadImage(cols, rows, channels, samples);
    }

    /// <summary>The largest per-sample difference (images must have the same shape).</summary>
    public static int MaxDifference(ReadImage a, ReadImage b)
    {
        Assert.Equal((a.Width, a.Height, a.Channels), (b.Width, b.Height, b.Channels));
        var max = 0;
        for (var i = 0; i < a.Samples.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a.Samples[i] - b.Samples[i]));
        }

        return max;
    }
}
