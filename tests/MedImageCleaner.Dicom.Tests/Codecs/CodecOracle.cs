using System.Globalization;
using System.Text.RegularExpressions;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Dicom.Tests.Oracles;
using TestCorpus = MedImageCleaner.Dicom.Tests.Fixtures.TestCorpus;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>
/// Runs dcmtk tools for the codec tests and reads files with our reader: corpus iteration, decode-and-compare against
/// dcmtk's decompressors, frame equality.
/// </summary>
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

    /// <summary>
    /// The corpus files of <paramref name="folders"/> that our reader opens (files it refuses are passed over), each
    /// disposed when the loop moves on.
    /// </summary>
    public static IEnumerable<(string Path, DicomFile File)> OpenCorpus(params string[] folders)
    {
        foreach (var path in TestCorpus.Files(folders))
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(path);
            }
            catch (DicomReadException)
            {
                continue;
            }

            using (file)
            {
                yield return (path, file);
            }
        }
    }

    /// <summary>
    /// Decompresses <paramref name="path"/> with a dcmtk tool (dcmdrle, dcmdjpls) into <paramref name="reference"/> and
    /// asserts that every frame we decode from <paramref name="path"/> equals dcmtk's; returns our frames' count, the
    /// first frame, and the samples compared.
    /// </summary>
    public static (int Frames, DecodedFrame First, long Samples) AssertDecodesLike(string tool, string path, string reference, string name, params TransferSyntax[] syntaxes)
    {
        var r = Run(tool, path, reference);
        Assert.True(r.ExitCode == 0, $"{tool} failed on {name}: {r.StdErr}");
        using var ours = DicomFile.Open(path);
        using var theirs = DicomFile.Open(reference);
        Assert.True(Array.IndexOf(syntaxes, ours.TransferSyntax) >= 0, $"{name} is not {syntaxes[0].Name}");
        Assert.False(theirs.TransferSyntax.IsEncapsulated);
        var a = DecodeAll(ours);
        var b = DecodeAll(theirs);
        Assert.NotEmpty(a);
        Assert.Equal(b.Count, a.Count);
        long samples = 0;
        for (var i = 0; i < a.Count; i++)
        {
            AssertSameFrame(b[i], a[i], $"{name} frame {i}");
            samples += a[i].Data.Length / a[i].BytesPerSample;
        }

        return (a.Count, a[0], samples);
    }

    /// <summary>
    /// Re-encodes with <paramref name="encoder"/> every corpus image that a decoder chosen by <paramref name="decodedBy"/>
    /// decodes and <paramref name="accept"/> takes (judged by its first frame), and asserts that the dcmtk tool gives
    /// back the same frames; returns the images and frames checked.
    /// </summary>
    public static (int Files, int Frames) AssertCorpusReencodes(
        IFrameEncoder encoder, string tool, string workDir, Func<IFrameDecoder, bool> decodedBy, Func<DecodedFrame, bool> accept)
    {
        int files = 0, frameTotal = 0;
        foreach (var (path, file) in OpenCorpus("pydicom", "fodicom"))
        {
            if (!PixelData.TryCreate(file.Dataset, out var pixels) || pixels.AvailableFrames == 0 ||
                !PixelCodecs.TryGetDecoder(file.TransferSyntax, out var decoder) || !decodedBy(decoder))
            {
                continue;
            }

            List<DecodedFrame> frames;
            try
            {
                frames = DecodeAll(file);
            }
            catch (PixelCodecException)
            {
                continue;
            }

            if (!accept(frames[0]))
            {
                continue;
            }

            var ds = SyntheticImages.Encapsulated(frames, encoder);
            var encoded = Path.Combine(workDir, "c.encoded.dcm");
            var name = Path.GetFileName(path);
            DicomFixtureBuilder.WriteFile(encoded, ds, encoder.Syntax);
            AssertDecompressesTo(tool, encoded, frames, encoder.Name + " of " + name, name + " frame ");
            files++;
            frameTotal += frames.Count;
        }

        return (files, frameTotal);
    }

    /// <summary>
    /// Decompresses <paramref name="encoded"/> (written by our encoder) with a dcmtk tool and asserts it gives back
    /// <paramref name="expected"/> exactly. <paramref name="what"/> names the encoding in the failure message.
    /// </summary>
    public static void AssertDecompressesTo(string tool, string encoded, IReadOnlyList<DecodedFrame> expected, string what, string framePrefix)
    {
        var decoded = Path.ChangeExtension(encoded, ".native.dcm");
        var r = Run(tool, encoded, decoded);
        Assert.True(r.ExitCode == 0, $"{tool} refused our {what}: {r.StdErr}");
        using var theirs = DicomFile.Open(decoded);
        AssertDecodesTo(theirs, expected, framePrefix);
    }

    /// <summary>Asserts that <paramref name="file"/> holds exactly the frames <paramref name="expected"/> (decoded with the registry).</summary>
    public static void AssertDecodesTo(DicomFile file, IReadOnlyList<DecodedFrame> expected, string framePrefix)
    {
        var back = DecodeAll(file);
        Assert.Equal(expected.Count, back.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSameFrame(expected[i], back[i], framePrefix + N(i));
        }
    }

    /// <summary>Asserts equal shape and equal bytes, naming the first differing byte.</summary>
    public static void AssertSameFrame(DecodedFrame expected, DecodedFrame actual, string what)
    {
        Assert.True(expected.Rows == actual.Rows && expected.Columns == actual.Columns && expected.SamplesPerPixel == actual.SamplesPerPixel &&
                    expected.BitsAllocated == actual.BitsAllocated, what + ": shape differs");
        var diff = FirstDifference(expected.Data, actual.Data);
        Assert.True(diff == -1, $"{what}: first differing byte at {diff}");
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
