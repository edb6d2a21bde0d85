using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Imaging;

/// <summary>
/// Signed JPEG 2000 components are decoded from a copy whose SIZ says unsigned: the frame's own bytes stay as they
/// were, a damaged signed frame is still a <see cref="PixelCodecException"/>, and a signed codestream under a dataset
/// that says unsigned is refused rather than guessed.
/// </summary>
public sealed class Jpeg2000SignedTests(ITestOutputHelper output)
{
    private const string SignedFile = "pydicom/MR_small_jp2klossless.dcm";

    [RequiresFact(Requirements.Corpus)]
    public void CopyWithUnsignedComponents_SignedCodestream_ClearsOnlyTheSignBitsOfTheCopy()
    {
        var codestream = SignedCodestream(out _);
        Assert.NotNull(codestream);

        var before = (byte[])codestream.Clone();
        var header = Jpeg2000Header.Read(codestream);
        Assert.True(header.IsSigned && header.AllSigned);

        var copy = header.CopyWithUnsignedComponents(codestream);

        Assert.Equal(before, codestream);
        var relabelled = Jpeg2000Header.Read(copy);
        Assert.False(relabelled.IsSigned);
        Assert.False(relabelled.AllSigned);
        Assert.Equal((header.Width, header.Height, header.Components, header.BitDepth, header.UniformDepth, header.CodestreamOffset), (relabelled.Width, relabelled.Height, relabelled.Components, relabelled.BitDepth, relabelled.UniformDepth, relabelled.CodestreamOffset));
        var differing = Enumerable.Range(0, copy.Length).Where(i => copy[i] != codestream[i]).ToArray();
        Assert.Equal(header.Components, differing.Length);
        Assert.All(differing, i => Assert.Equal(0x80, codestream[i] ^ copy[i]));
    }

    [RequiresFact(Requirements.Corpus)]
    public void Decode_SignedFrameTwice_SameSamplesAndSourceBytesUnchanged()
    {
        var codestream = SignedCodestream(out var file);
        Assert.NotNull(codestream);

        CoreCodecs.EnsureRegistered();
        using (file)
        {
            Assert.True(PixelData.TryCreate(file!.Dataset, out var pixels));
            var before = pixels.GetFrame(0);
            var first = PixelCodecs.Decode(pixels, file.TransferSyntax, 0);
            var second = PixelCodecs.Decode(pixels, file.TransferSyntax, 0);
            Assert.Equal(before, pixels.GetFrame(0));
            Assert.Equal(first.Data, second.Data);
            Assert.True(first.IsSigned);
            var samples = CodecOracle.Samples(first).Select(v => (short)v).ToArray();
            output.WriteLine($"{SignedFile}: {samples.Length} samples, min {samples.Min()}, max {samples.Max()}");
        }
    }

    [RequiresTheory(Requirements.Corpus)]
    [InlineData("main header cut after SIZ")]
    [InlineData("SIZ length wrong")]
    [InlineData("no SOC")]
    [InlineData("tile data replaced by zeros")]
    public void Decode_DamagedSignedFrame_ThrowsPixelCodecException(string damage)
    {
        var codestream = SignedCodestream(out var file);
        Assert.NotNull(codestream);

        CoreCodecs.EnsureRegistered();
        using (file)
        {
            var header = Jpeg2000Header.Read(codestream);
            var sizEnd = 4 + 38 + (3 * header.Components) + 2;
            byte[] damaged = damage switch
            {
                "main header cut after SIZ" => codestream.AsSpan(0, sizEnd).ToArray(),
                "SIZ length wrong" => SetByte(codestream, 5, (byte)(codestream[5] + 3)),
                "no SOC" => SetByte(codestream, 1, 0x00),
                _ => ZeroTileData(codestream),
            };
            if (damaged.Length % 2 == 1)
            {
                damaged = [.. damaged, 0];
            }

            var ds = file!.Dataset.Clone();
            ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ValueSource.Empty, [ValueSource.FromBytes(damaged)]));
            Assert.True(PixelData.TryCreate(ds, out var pixels));
            var ex = Assert.Throws<PixelCodecException>(() => PixelCodecs.Decode(pixels, file.TransferSyntax, 0));
            output.WriteLine($"{damage}: {ex.Message}");
        }
    }

    [RequiresFact(Requirements.Corpus)]
    public void Decode_SignedCodestreamUnderUnsignedPixelRepresentation_IsUnsupported()
    {
        var codestream = SignedCodestream(out var file);
        Assert.NotNull(codestream);

        CoreCodecs.EnsureRegistered();
        using (file)
        {
            var ds = file!.Dataset.Clone();
            ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)0);
            Assert.True(PixelData.TryCreate(ds, out var pixels));
            var ex = Assert.Throws<PixelCodecException>(() => PixelCodecs.Decode(pixels, file.TransferSyntax, 0));
            Assert.True(ex.IsUnsupported, ex.Message);
        }
    }

    private static byte[]? SignedCodestream(out DicomFile? file)
    {
        var path = Path.Combine(TestCorpus.CorpusRoot, SignedFile);
        Assert.True(File.Exists(path), "corpus file missing: " + SignedFile);
        file = DicomFile.Open(path);
        Assert.True(PixelData.TryCreate(file.Dataset, out var pixels));
        return pixels.GetFrame(0);
    }

    private static byte[] SetByte(byte[] data, int index, byte value)
    {
        var copy = (byte[])data.Clone();
        copy[index] = value;
        return copy;
    }

    /// <summary>The main header kept, everything from the first SOT on replaced by zeros (no tile-part left).</summary>
    private static byte[] ZeroTileData(byte[] data)
    {
        var copy = (byte[])data.Clone();
        var sot = copy.AsSpan().IndexOf([(byte)0xFF, (byte)0x90]);
        Assert.True(sot > 0);
        copy.AsSpan(sot).Clear();
        return copy;
    }
}
