using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Oracles;

namespace MedImageCleaner.Dicom.Tests.Codecs.Jpeg;

/// <summary>The outcome of comparing our frames with an oracle's decompressed file.</summary>
/// <param name="Frames">Frames in the reference.</param>
/// <param name="Samples">Samples compared (frames we refused are not counted).</param>
/// <param name="Equal">Samples equal to the reference.</param>
/// <param name="MaxAbsDiff">Largest absolute difference.</param>
/// <param name="Mismatch">A shape or photometric difference, or null.</param>
/// <param name="Refused">Frames our decoder refused with a PixelCodecException, and its message.</param>
internal sealed record FrameComparison(int Frames, long Samples, long Equal, int MaxAbsDiff, string? Mismatch, IReadOnlyList<(int Frame, string Reason)> Refused)
{
    public bool Identical => Mismatch is null && Equal == Samples && Refused.Count == 0;

    public override string ToString() =>
        $"frames {Frames}, samples {Samples}, equal {Equal}, max |diff| {MaxAbsDiff}, refused frames {Refused.Count}"
        + (Refused.Count == 0 ? string.Empty : $" ({Refused[0].Reason})")
        + (Mismatch is null ? string.Empty : $", {Mismatch}");
}

/// <summary>The JPEG syntaxes, whether dcmdjpeg and dcmcjpeg are installed, and sample-by-sample comparison with their output.</summary>
internal static class JpegOracle
{
    public static readonly TransferSyntax[] JpegSyntaxes =
    [
        TransferSyntax.JpegBaseline, TransferSyntax.JpegExtended, TransferSyntax.JpegLossless, TransferSyntax.JpegLosslessSV1,
    ];

    public static bool ToolsAvailable => ExternalTool.Find("dcmdjpeg") is not null && ExternalTool.Find("dcmcjpeg") is not null;

    /// <summary>Decodes every frame of <paramref name="ours"/> with the registry and compares with the native file <paramref name="reference"/>.</summary>
    public static FrameComparison Compare(string ours, string reference, Func<PixelData, TransferSyntax, int, DecodedFrame>? decode = null)
    {
        decode ??= PixelCodecs.Decode;
        using var a = DicomFile.Open(ours);
        using var b = DicomFile.Open(reference);
        Assert.True(PixelData.TryCreate(a.Dataset, out var pa), "no pixel data in the compressed file");
        Assert.True(PixelData.TryCreate(b.Dataset, out var pb), "no pixel data in the reference file");
        var frames = pb.AvailableFrames;
        if (pa.AvailableFrames != frames)
        {
            return new FrameComparison(0, 0, 0, 0, $"frame count {pa.AvailableFrames} vs {frames}", []);
        }

        long samples = 0;
        long equal = 0;
        var max = 0;
        string? mismatch = null;
        var refused = new List<(int, string)>();
        for (var f = 0; f < frames; f++)
        {
            DecodedFrame fa;
            try
            {
                fa = decode(pa, a.TransferSyntax, f);
            }
            catch (PixelCodecException ex)
            {
                refused.Add((f, ex.Message));
                continue;
            }

            var fb = PixelCodecs.Decode(pb, b.TransferSyntax, f);
            if (fa.Rows != fb.Rows || fa.Columns != fb.Columns || fa.SamplesPerPixel != fb.SamplesPerPixel)
            {
                return new FrameComparison(frames, samples, equal, max, $"frame {f} shape differs", refused);
            }

            if (fa.PhotometricInterpretation != fb.PhotometricInterpretation.Trim())
            {
                mismatch = $"photometric {fa.PhotometricInterpretation} vs {fb.PhotometricInterpretation}";
            }

            var sa = CodecOracle.Samples(fa);
            var sb = CodecOracle.Samples(fb);
            for (var i = 0; i < sa.Length; i++)
            {
                var d = Math.Abs(sa[i] - sb[i]);
                if (d == 0)
                {
                    equal++;
                }
                else if (d > max)
                {
                    max = d;
                }
            }

            samples += sa.Length;
        }

        return new FrameComparison(frames, samples, equal, max, mismatch, refused);
    }

    /// <summary>A temporary folder removed on dispose.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mic-jpeg-" + Guid.NewGuid().ToString("N"));

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
