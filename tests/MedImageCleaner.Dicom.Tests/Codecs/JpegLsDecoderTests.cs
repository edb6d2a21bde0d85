using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>
/// Our JPEG-LS decoder against dcmtk's dcmdjpls: corpus files, and synthetic images compressed with dcmcjpls in every
/// interleave mode, lossless and near-lossless, with default and preset (LSE) parameters.
/// </summary>
public sealed class JpegLsDecoderTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mic-jls-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<int, int, int, string> Fixtures => new()
    {
        { 8, 8, 1, "+el" }, { 16, 12, 1, "+el" }, { 16, 16, 1, "+el" }, { 8, 8, 3, "+el +il" }, { 8, 8, 3, "+el +is" },
        { 8, 8, 3, "+el +in" }, { 8, 8, 1, "+en +md 2" }, { 16, 12, 1, "+en +md 3" }, { 16, 16, 1, "+en +md 7" },
        { 8, 8, 3, "+en +md 2 +il" }, { 8, 8, 3, "+en +md 4 +is" }, { 8, 8, 3, "+en +md 1 +in" },
        { 8, 8, 1, "+el +t1 5 +t2 10 +t3 30 +rs 32" }, { 16, 12, 1, "+en +md 2 +t1 20 +t2 60 +t3 200 +rs 100" },
        { 8, 6, 1, "+el" }, { 16, 10, 1, "+en +md 1" }, { 16, 8, 3, "+el +is" }, { 8, 7, 3, "+en +md 3 +is +t1 4 +t2 9 +t3 25" },
        { 8, 2, 1, "+el" }, { 8, 4, 1, "+el +is" }, { 16, 14, 1, "+el" }, { 16, 15, 3, "+el +il" }, { 16, 9, 1, "+en +md 255" },
    };

    [RequiresTheory("dcmcjpls", "dcmdjpls")]
    [InlineData(12, "+el")]
    [InlineData(16, "+el")]
    public void Decode_SignedDcmcjplsFixture_EqualsDcmdjplsOutput(int bitsStored, string options)
    {
        // dcmcjpls refuses signed near-lossless, so only lossless is checked here.
        // Two's complement values of bitsStored bits, sign-extended to 16 bits as a modality would store them.
        var f = SyntheticImages.Frame(40, 41, 1, 16, bitsStored, seed: bitsStored);
        for (var i = 0; i < f.Data.Length; i += 2)
        {
            var v = f.Data[i] | (f.Data[i + 1] << 8);
            var signed = (short)(v << (16 - bitsStored)) >> (16 - bitsStored);
            f.Data[i] = (byte)signed;
            f.Data[i + 1] = (byte)(signed >> 8);
        }

        var frame = new DecodedFrame(f.Rows, f.Columns, 1, 16, bitsStored, true, "MONOCHROME2", f.Data);
        var native = Path.Combine(_work, "signed.dcm");
        var compressed = Path.Combine(_work, "signed.jls.dcm");
        DicomFixtureBuilder.WriteFile(native, SyntheticImages.Dataset([frame]));
        var args = new List<string>(options.Split(' ')) { native, compressed };
        var r = CodecOracle.Run("dcmcjpls", [.. args]);
        Assert.True(r.ExitCode == 0, "dcmcjpls failed: " + r.StdErr);
        var (count, _) = CompareWithDcmdjpls(compressed, "signed " + options);
        Assert.Equal(1, count);
    }

    [RequiresFact(Requirements.Corpus, "dcmdjpls", "dcmdump")]
    public void Decode_EveryJpegLsCorpusFile_EqualsDcmdjplsOutput()
    {
        int files = 0, frames = 0;
        long samples = 0;
        foreach (var path in TestCorpus.Files("pydicom", "fodicom"))
        {
            var uid = CodecOracle.SyntaxOf(path);
            if (uid != TransferSyntax.JpegLSLossless.Uid && uid != TransferSyntax.JpegLSNearLossless.Uid)
            {
                continue;
            }

            var (count, n) = CompareWithDcmdjpls(path, Path.GetFileName(path));
            files++;
            frames += count;
            samples += n;
        }

        output.WriteLine($"JPEG-LS corpus: {files} files, {frames} frames, {samples} samples equal to dcmdjpls.");
        Assert.True(files >= 5, "Expected the corpus's JPEG-LS files.");
    }

    [RequiresTheory("dcmcjpls", "dcmdjpls")]
    [MemberData(nameof(Fixtures))]
    public void Decode_DcmcjplsFixture_EqualsDcmdjplsOutput(int bits, int bitsStored, int samples, string options)
    {
        var frames = new List<DecodedFrame>();
        for (var i = 0; i < 2; i++)
        {
            frames.Add(SyntheticImages.Frame(61, 67, samples, bits, bitsStored, seed: bits + bitsStored + samples + options.Length + i));
        }

        var native = Path.Combine(_work, "native.dcm");
        var compressed = Path.Combine(_work, "jls.dcm");
        DicomFixtureBuilder.WriteFile(native, SyntheticImages.Dataset(frames));
        var args = new List<string>(options.Split(' ')) { native, compressed };
        var r = CodecOracle.Run("dcmcjpls", [.. args]);
        Assert.True(r.ExitCode == 0, "dcmcjpls failed: " + r.StdErr);
        var (count, n) = CompareWithDcmdjpls(compressed, options);
        Assert.Equal(frames.Count, count);

        // The variant really is the one named: interleave mode, NEAR and an LSE segment for preset parameters.
        using (var check = DicomFile.Open(compressed))
        {
            Assert.True(PixelData.TryCreate(check.Dataset, out var pd));
            var cs = pd.GetFrame(0);
            var sos = cs.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
            Assert.True(sos > 0);
            var ns = cs[sos + 4];
            var near = cs[sos + 5 + (2 * ns)];
            var ilv = cs[sos + 6 + (2 * ns)];
            Assert.Equal(options.Contains("+en", StringComparison.Ordinal), near > 0);
            if (samples == 3)
            {
                Assert.Equal(options.Contains("+is", StringComparison.Ordinal) ? 2 : options.Contains("+in", StringComparison.Ordinal) ? 0 : 1, (int)ilv);
            }

            // dcmcjpls writes an LSE segment for explicit thresholds/reset, and (CharLS) for some 16-bit images by itself.
            var lse = cs.AsSpan().IndexOf([(byte)0xFF, (byte)0xF8]) > 0;
            if (options.Contains("+t1", StringComparison.Ordinal) || options.Contains("+rs", StringComparison.Ordinal))
            {
                Assert.True(lse, "no LSE segment");
            }

            output.WriteLine($"{options}: NEAR {near}, ILV {ilv}, LSE {(lse ? "present" : "absent")}");
        }

        // Lossless fixtures also decode to the original pixels.
        if (options.StartsWith("+el", StringComparison.Ordinal))
        {
            using var file = DicomFile.Open(compressed);
            CodecOracle.AssertDecodesTo(file, frames, "lossless JPEG-LS vs original, frame ");
        }

        output.WriteLine($"{options}: {n} samples equal.");
    }

    [RequiresFact("dcmcjpls")]
    public void Decode_MutatedCodestreams_ThrowOnlyPixelCodecException()
    {
        var random = new Random(14495);
        int ok = 0, rejected = 0, unsupported = 0;
        foreach (var (bits, samples, options) in new[] { (8, 1, "+el"), (16, 1, "+en"), (8, 3, "+is"), (8, 3, "+il"), (8, 3, "+in") })
        {
            var frame = SyntheticImages.Frame(20, 23, samples, bits, bits == 16 ? 12 : 8, seed: bits * samples);
            var native = Path.Combine(_work, "m.dcm");
            var compressed = Path.Combine(_work, "m.jls.dcm");
            DicomFixtureBuilder.WriteFile(native, SyntheticImages.Dataset([frame]));
            Assert.Equal(0, CodecOracle.Run("dcmcjpls", options, native, compressed).ExitCode);
            using var file = DicomFile.Open(compressed);
            Assert.True(PixelData.TryCreate(file.Dataset, out var clean));
            var codestream = clean.GetFrame(0);
            for (var trial = 0; trial < 300; trial++)
            {
                var pixels = SeededMutations.WithFrame(file.Dataset, Mutations.Mutate(codestream, random));
                try
                {
                    var result = PixelCodecs.Decode(pixels, file.TransferSyntax, 0);
                    Assert.Equal(frame.Data.Length, result.Data.Length);
                    ok++;
                }
                catch (PixelCodecException ex)
                {
                    if (ex.IsUnsupported)
                    {
                        unsupported++;
                    }
                    else
                    {
                        rejected++;
                    }
                }
            }
        }

        output.WriteLine($"Mutated JPEG-LS: {ok} decoded, {rejected} rejected as damaged, {unsupported} as unsupported.");
        Assert.True(rejected > 0);
    }

    private (int Frames, long Samples) CompareWithDcmdjpls(string path, string name)
    {
        var reference = Path.Combine(_work, "ref-" + Guid.NewGuid().ToString("N")[..8] + ".dcm");
        var (count, first, samples) = CodecOracle.AssertDecodesLike("dcmdjpls", path, reference, name, TransferSyntax.JpegLSLossless, TransferSyntax.JpegLSNearLossless);
        output.WriteLine($"{name}: {count} frame(s), {first.Rows}x{first.Columns}x{first.SamplesPerPixel}, BA {first.BitsAllocated} equal to dcmdjpls");
        File.Delete(reference);
        return (count, samples);
    }
}
