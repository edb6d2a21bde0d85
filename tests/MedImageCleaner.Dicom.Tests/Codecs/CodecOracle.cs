using System.Globalization;
using System.Text.RegularExpressions;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Oracles;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>Runs dcmtk tools for the codec tests and reads files with our reader.</summary>
internal static partial class CodecOracle
{
    /// <summary>True when every named tool is on PATH.</summary>
    public static bool Has(params string[] tools)
    {
        foreach (var t in tools)
        {
            if (ExternalTool.Find(t) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs a tool with dcmtk's standard dictionary; returns the result.</summary>
    public static ToolResult Run(string tool, params string[] args)
    {
        var env = Dcmdump.StandardDictionary is { } dic ? new Dictionary<string, string> { ["DCMDICTPATH"] = dic } : null;
        return ExternalTool.Run(ExternalTool.Find(tool)!, args, TimeSpan.FromSeconds(120), env);
    }

    /// <summary>
    /// The top-level Pixel Data value as dcmtk holds it in memory (little endian; for OW in a big-endian file swapped per
    /// 16-bit word), written by <c>dcmdump +W</c>; null when dcmdump fails or writes no pixel data.
    /// </summary>
    public static byte[]? DcmtkPixelBytes(string path, string workDir)
    {
        var dir = Path.Combine(workDir, "w" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var r = Run("dcmdump", "-q", "+L", "+W", dir, path);
            foreach (var line in r.StdOut.Split('\n'))
            {
                var m = PixelLine().Match(line);
                if (m.Success)
                {
                    var file = m.Groups["f"].Value.Trim();
                    return File.Exists(file) ? File.ReadAllBytes(file) : null;
                }
            }

            return null;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Every frame of a file decoded with the registry (for tests that compare whole images).</summary>
    public static List<DecodedFrame> DecodeAll(DicomFile file)
    {
        var list = new List<DecodedFrame>();
        if (!PixelData.TryCreate(file.Dataset, out var pixels))
        {
            return list;
        }

        for (var i = 0; i < pixels.AvailableFrames; i++)
        {
            list.Add(PixelCodecs.Decode(pixels, file.TransferSyntax, i));
        }

        return list;
    }

    /// <summary>The transfer syntax UID of a file according to dcmdump, or null.</summary>
    public static string? SyntaxOf(string path)
    {
        var r = Run("dcmdump", "-q", "-Un", "+P", "0002,0010", path);
        var m = UidValue().Match(r.StdOut);
        return m.Success ? m.Groups["v"].Value.TrimEnd('\0', ' ') : null;
    }

    /// <summary>Index of the first differing byte, or -1 (lengths compared first: -2 when they differ).</summary>
    public static long FirstDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return -2;
        }

        for (var k = 0; k < a.Length; k++)
        {
            if (a[k] != b[k])
            {
                return k;
            }
        }

        return -1;
    }

    public static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\(7fe0,0010\) O[BW] =(?<f>\S+)")]
    private static partial Regex PixelLine();

    [GeneratedRegex(@"\[(?<v>[0-9.]+)")]
    private static partial Regex UidValue();
}
