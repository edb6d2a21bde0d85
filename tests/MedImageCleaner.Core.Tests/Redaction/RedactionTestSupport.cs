using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Tests.Pixels;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Tests.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Dicom.Tests.Oracles;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Redaction;

/// <summary>How a synthetic fixture is compressed before the service sees it (the tool that makes it, and its syntax).</summary>
public enum SourceEncoding
{
    Native,
    Rle,
    JpegLosslessSv1,
    JpegLosslessProcess14,
    JpegBaseline,
    JpegExtended,
    JpegLsLossless,
    JpegLsNearLossless,
    Jpeg2000,
}

/// <summary>Helpers of the file-level redaction tests: synthetic DICOM files with known text, compression by dcmtk/GDCM.</summary>
internal static class RedactionTestSupport
{
    public static readonly DicomTag BurnedInAnnotation = DicomTag.BurnedInAnnotation;
    public static readonly DicomTag LossyImageCompression = DicomTag.LossyImageCompression;

    /// <summary>The syntax the tool produces for each encoding.</summary>
    public static TransferSyntax SyntaxOf(SourceEncoding encoding) => encoding switch
    {
        SourceEncoding.Native => TransferSyntax.ExplicitVRLittleEndian,
        SourceEncoding.Rle => TransferSyntax.RLELossless,
        SourceEncoding.JpegLosslessSv1 => TransferSyntax.JpegLosslessSV1,
        SourceEncoding.JpegLosslessProcess14 => TransferSyntax.JpegLossless,
        SourceEncoding.JpegBaseline => TransferSyntax.JpegBaseline,
        SourceEncoding.JpegExtended => TransferSyntax.JpegExtended,
        SourceEncoding.JpegLsLossless => TransferSyntax.JpegLSLossless,
        SourceEncoding.JpegLsNearLossless => TransferSyntax.JpegLSNearLossless,
        _ => TransferSyntax.Jpeg2000Lossless,
    };

    /// <summary>The tool that makes an encoding, and the one that decodes its re-encoded output (null: none needed).</summary>
    public static (string Encoder, string? Decoder) ToolsOf(SourceEncoding encoding) => encoding switch
    {
        SourceEncoding.Native => ("dcmdump", null),
        SourceEncoding.Rle => ("dcmcrle", "dcmdrle"),
        SourceEncoding.JpegLosslessSv1 or SourceEncoding.JpegLosslessProcess14 => ("dcmcjpeg", "dcmdjpeg"),
        SourceEncoding.JpegBaseline or SourceEncoding.JpegExtended => ("dcmcjpeg", null),
        SourceEncoding.JpegLsLossless => ("dcmcjpls", "dcmdjpls"),
        SourceEncoding.JpegLsNearLossless => ("dcmcjpls", null),
        _ => ("gdcmconv", null),
    };

    /// <summary>
    /// Writes a native file of <paramref name="frames"/> synthetic frames (text at known places, the anatomy shifted per
    /// frame) and returns the ground truth of each frame.
    /// </summary>
    public static List<List<DrawnText>> WriteSynthetic(string path, SyntheticRepresentation representation, int cols, int rows, int frames, int seed)
    {
        var decoded = new List<DecodedFrame>();
        var truth = new List<List<DrawnText>>();
        for (var i = 0; i < frames; i++)
        {
            // Render draws its noise with OpenCV's per-thread generator, which its seed does not reset. OpenCV is
            // touched here first: libtesseract must be loaded before it (NativeLoadOrder).
            NativeLoadOrder.Ensure();
            OpenCvSharp.Cv2.SetTheRNG((ulong)(seed + i + 1));
            var (display, alpha, drawn) = SyntheticTextFixture.Render(cols, rows, seed, anatomyShift: 6 * i);
            decoded.Add(SyntheticTextFixture.Encode(display, alpha, cols, rows, representation));
            truth.Add(drawn);
        }

        var ds = SyntheticImages.Dataset(decoded, seed);

        // No window or rescale from the CT header: the fixture's values are the display values.
        ds.RemoveAll(i => i.Tag.Group == 0x0028 && i.Tag.Element is 0x1050 or 0x1051 or 0x1052 or 0x1053 or 0x1054 or 0x1055);
        DicomFixtureBuilder.WriteFile(path, ds);
        return truth;
    }

    /// <summary>Compresses a native file with dcmtk or GDCM; the path of the result (the input itself for Native).</summary>
    public static string Compress(string native, SourceEncoding encoding, string directory)
    {
        if (encoding == SourceEncoding.Native)
        {
            return native;
        }

        var output = Path.Combine(directory, Path.GetFileNameWithoutExtension(native) + "-" + encoding + ".dcm");
        var (tool, args) = encoding switch
        {
            SourceEncoding.Rle => ("dcmcrle", new[] { native, output }),
            SourceEncoding.JpegLosslessSv1 => ("dcmcjpeg", new[] { "+e1", native, output }),
            SourceEncoding.JpegLosslessProcess14 => ("dcmcjpeg", new[] { "+el", native, output }),
            SourceEncoding.JpegBaseline => ("dcmcjpeg", new[] { "+eb", native, output }),
            SourceEncoding.JpegExtended => ("dcmcjpeg", new[] { "+ee", native, output }),
            SourceEncoding.JpegLsLossless => ("dcmcjpls", new[] { "+el", native, output }),
            SourceEncoding.JpegLsNearLossless => ("dcmcjpls", new[] { "+en", native, output }),
            _ => ("gdcmconv", new[] { "--j2k", native, output }),
        };
        var r = CodecOracle.Run(tool, args);
        Assert.True(r.ExitCode == 0 && File.Exists(output), $"{tool} failed with exit status {r.ExitCode}");
        Assert.Equal(SyntaxOf(encoding).Uid, CodecOracle.SyntaxOf(output));
        return output;
    }

    /// <summary>Every frame of a file, decoded with our reader and codecs.</summary>
    public static List<DecodedFrame> DecodeAll(string path)
    {
        using var file = DicomFile.Open(path);
        return CodecOracle.DecodeAll(file);
    }

    /// <summary>A value of the file's main dataset (trimmed), or null.</summary>
    public static string? ValueOf(string path, DicomTag tag)
    {
        using var file = DicomFile.Open(path);
        return file.Dataset.GetString(tag)?.Trim('\0', ' ');
    }

    /// <summary>The boxes the service reported for one frame.</summary>
    public static List<PixelBox> BoxesOf(TextRedactionResult result, int frame)
    {
        var list = new List<PixelBox>();
        foreach (var b in result.Boxes)
        {
            if (b.Frame == frame)
            {
                list.Add(new PixelBox(b.X, b.Y, b.Width, b.Height));
            }
        }

        return list;
    }

    /// <summary>
    /// The fraction of the ground-truth ink that is covered in the output: inside a reported box and holding the fill
    /// value there.
    /// </summary>
    public static double Coverage(DecodedFrame output, IReadOnlyList<PixelBox> reported, IEnumerable<DrawnText> truth)
    {
        var cols = output.Columns;
        var rows = output.Rows;
        var boxes = PixelTestSupport.Mask(cols, rows, reported);
        var ink = PixelTestSupport.Mask(cols, rows, truth.Select(t => t.Ink));
        var fill = FrameRedactor.FillPixel(output);
        var bpp = fill.Length;
        long total = 0, covered = 0;
        for (var i = 0; i < ink.Length; i++)
        {
            if (!ink[i])
            {
                continue;
            }

            total++;
            if (boxes[i] && (output.Data.AsSpan(i * bpp, bpp).SequenceEqual(fill) || FilledByABox(output, reported, i, bpp)))
            {
                covered++;
            }
        }

        return total == 0 ? 0 : covered / (double)total;
    }

    /// <summary>
    /// True when pixel <paramref name="index"/> holds the fill of a reported box around it: the value of that box's
    /// first pixel, the box being one value throughout (a box over text drawn in the darkest value is filled with its
    /// surroundings' median, not the darkest value).
    /// </summary>
    private static bool FilledByABox(DecodedFrame output, IReadOnlyList<PixelBox> reported, int index, int bpp)
    {
        var x = index % output.Columns;
        var y = index / output.Columns;
        foreach (var b in reported)
        {
            var c = b.ClipTo(output.Columns, output.Rows);
            if (c.IsEmpty || x < c.X || x >= c.Right || y < c.Y || y >= c.Bottom)
            {
                continue;
            }

            var first = output.Data.AsSpan(((c.Y * output.Columns) + c.X) * bpp, bpp);
            if (!output.Data.AsSpan(index * bpp, bpp).SequenceEqual(first))
            {
                continue;
            }

            var uniform = true;
            for (var yy = c.Y; yy < c.Bottom && uniform; yy++)
            {
                for (var xx = c.X; xx < c.Right && uniform; xx++)
                {
                    uniform = output.Data.AsSpan(((yy * output.Columns) + xx) * bpp, bpp).SequenceEqual(first);
                }
            }

            if (uniform)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Pixels outside the boxes whose bytes differ between the source and the output.</summary>
    public static long ChangedOutside(DecodedFrame source, DecodedFrame output, IReadOnlyList<PixelBox> reported)
    {
        var inBox = PixelTestSupport.Mask(source.Columns, source.Rows, reported);
        var changed = PixelTestSupport.Changed(source, output);
        long n = 0;
        for (var i = 0; i < changed.Length; i++)
        {
            n += changed[i] && !inBox[i] ? 1 : 0;
        }

        return n;
    }

    /// <summary>A scratch folder with src/, clean/ and quarantine/ below it, deleted on dispose.</summary>
    public static Scratch NewScratch() => new(Directory.CreateTempSubdirectory("mic-redact-").FullName);

    /// <summary>
    /// A corpus file (../shared/corpus); the test requires <see cref="Requirements.Corpus"/>, so a missing file is a
    /// failure here, not a skip.
    /// </summary>
    public static string CorpusPath(string folder, string name)
    {
        var path = Path.Combine(TestCorpus.CorpusRoot, folder, name);
        Assert.True(File.Exists(path), $"corpus file missing: {folder}/{name}");
        return path;
    }
}

/// <summary>A temporary folder tree for one test.</summary>
internal sealed class Scratch(string root) : IDisposable
{
    public string Root { get; } = root;

    public string Source { get; } = Directory.CreateDirectory(Path.Combine(root, "src")).FullName;

    public string Clean => Path.Combine(Root, "clean");

    public string QuarantineFolder => Path.Combine(Root, "quarantine");

    public Quarantine Quarantine => new(QuarantineFolder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A scanner or a still-open handle: the temp folder is cleaned by the system later.
        }
    }
}
