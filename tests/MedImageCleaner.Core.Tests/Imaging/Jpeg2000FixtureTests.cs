using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Dicom.Tests.Oracles;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Imaging;

/// <summary>
/// Synthetic frames compressed by independent encoders decode through the registry to the original samples:
/// JPEG 2000 by GDCM (<c>gdcmconv --j2k</c>, lossless, signed data included: GDCM writes signed components) and HTJ2K by OpenJPH
/// (<c>ojph_compress -reversible true</c>; OpenCV 4.13's OpenJPEG decodes HTJ2K, so these must decode). Each case
/// skips when its tool is not installed (Debian: libgdcm-tools, openjph-tools).
/// </summary>
public sealed class Jpeg2000FixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds => new() { "grey8", "grey12", "grey16", "rgb8", "signed8", "signed12", "signed16", "signedrgb8" };

    /// <summary>The kinds that have a PGM/PPM form (ojph_compress reads only those).</summary>
    public static TheoryData<string> UnsignedKinds => new() { "grey8", "grey12", "grey16", "rgb8" };

    [RequiresTheory("gdcmconv")]
    [MemberData(nameof(Kinds))]
    public void Decode_GdcmJ2kLosslessFixture_EqualsOriginal(string kind)
    {
        CoreCodecs.EnsureRegistered();
        var (frame, header) = Synthetic(kind);
        var dir = Directory.CreateTempSubdirectory("mic-j2kfix-").FullName;
        try
        {
            var native = Path.Combine(dir, "native.dcm");
            var j2k = Path.Combine(dir, "j2k.dcm");
            var ds = header.Clone();
            ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, frame.BitsAllocated == 8 ? DicomVR.OB : DicomVR.OW, frame.Data));
            DicomFixtureBuilder.WriteFile(native, ds, TransferSyntax.ExplicitVRLittleEndian);
            var run = CodecOracle.RunTool("gdcmconv", "--j2k", native, j2k);
            Assert.True(run.ExitCode == 0, run.StdErr);
            using var f = DicomFile.Open(j2k);
            Assert.Equal(TransferSyntax.Jpeg2000Lossless, f.TransferSyntax);
            Assert.True(PixelData.TryCreate(f.Dataset, out var pixels));
            var siz = Jpeg2000Header.Read(pixels.GetFrame(0));
            output.WriteLine($"{kind}: codestream {siz.Components} component(s), {siz.BitDepth} bits, signed {siz.IsSigned}");
            Assert.Equal(frame.IsSigned, siz.IsSigned);
            Assert.Equal(frame.IsSigned, siz.AllSigned);
            Check(kind, frame, () => PixelCodecs.Decode(pixels, f.TransferSyntax, 0), mustDecode: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RequiresTheory("ojph_compress")]
    [MemberData(nameof(UnsignedKinds))]
    public void Decode_OpenJphHtj2kFixture_EqualsOriginalOrIsUnsupported(string kind)
    {
        CoreCodecs.EnsureRegistered();
        var (frame, header) = Synthetic(kind);
        var dir = Directory.CreateTempSubdirectory("mic-htj2k-").FullName;
        try
        {
            var input = Path.Combine(dir, frame.SamplesPerPixel == 3 ? "in.ppm" : "in.pgm");
            var j2c = Path.Combine(dir, "out.j2c");
            WriteNetpbm(input, frame);
            var run = CodecOracle.RunTool("ojph_compress", "-i", input, "-o", j2c, "-reversible", "true");
            Assert.True(run.ExitCode == 0, run.StdErr);
            var codestream = File.ReadAllBytes(j2c);
            if (codestream.Length % 2 == 1)
            {
                codestream = [.. codestream, 0];
            }

            var ds = header.Clone();
            ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ValueSource.Empty, [ValueSource.FromBytes(codestream)]));
            Assert.True(PixelData.TryCreate(ds, out var pixels));
            Check(kind, frame, () => PixelCodecs.Decode(pixels, TransferSyntax.HTJ2KLossless, 0), mustDecode: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Signed frames through OpenJPEG's own encoder (<c>opj_compress</c>, libopenjp2-tools), which, unlike GDCM, writes
    /// the codestream at the stored precision (8, 12 or 16 bits), so the 2^(B-1) offset is checked for B = 12 too.
    /// </summary>
    [RequiresTheory("opj_compress")]
    [InlineData("signed8")]
    [InlineData("signed12")]
    [InlineData("signed16")]
    [InlineData("signedrgb8")]
    public void Decode_OpenJpegSignedFixture_EqualsOriginal(string kind)
    {
        CoreCodecs.EnsureRegistered();
        var (frame, header) = Synthetic(kind);
        var dir = Directory.CreateTempSubdirectory("mic-opj-").FullName;
        try
        {
            // .rawl: little-endian, planar (one component after the other), signed samples as two's complement.
            var input = Path.Combine(dir, "in.rawl");
            var j2k = Path.Combine(dir, "out.j2k");
            var bytes = frame.BitsAllocated / 8;
            var n = frame.Rows * frame.Columns;
            var planar = new byte[frame.Data.Length];
            for (var i = 0; i < n; i++)
            {
                for (var c = 0; c < frame.SamplesPerPixel; c++)
                {
                    Array.Copy(frame.Data, ((i * frame.SamplesPerPixel) + c) * bytes, planar, ((c * n) + i) * bytes, bytes);
                }
            }

            File.WriteAllBytes(input, planar);
            var format = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{frame.Columns},{frame.Rows},{frame.SamplesPerPixel},{frame.BitsStored},s");
            var run = CodecOracle.RunTool("opj_compress", "-i", input, "-o", j2k, "-F", format);
            Assert.True(run.ExitCode == 0, run.StdErr);
            var codestream = File.ReadAllBytes(j2k);
            var siz = Jpeg2000Header.Read(codestream);
            output.WriteLine($"{kind}: codestream {siz.Components} component(s), {siz.BitDepth} bits, signed {siz.IsSigned}, component transform {siz.UsesComponentTransform}");
            Assert.True(siz.AllSigned);
            Assert.Equal(frame.BitsStored, siz.BitDepth);
            if (codestream.Length % 2 == 1)
            {
                codestream = [.. codestream, 0];
            }

            var ds = header.Clone();
            ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ValueSource.Empty, [ValueSource.FromBytes(codestream)]));
            Assert.True(PixelData.TryCreate(ds, out var pixels));
            Check(kind, frame, () => PixelCodecs.Decode(pixels, TransferSyntax.Jpeg2000Lossless, 0), mustDecode: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private void Check(string kind, DecodedFrame original, Func<DecodedFrame> decode, bool mustDecode)
    {
        DecodedFrame ours;
        try
        {
            ours = decode();
        }
        catch (PixelCodecException ex)
        {
            output.WriteLine($"{kind}: unsupported: {ex.Message}");
            Assert.True(ex.IsUnsupported, ex.Message);
            Assert.False(mustDecode, $"{kind} must decode: {ex.Message}");
            return;
        }

        var a = CodecOracle.Samples(original);
        var b = CodecOracle.Samples(ours);
        var equal = 0;
        for (var i = 0; i < a.Length; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }

        output.WriteLine($"{kind}: decoded, {equal} of {a.Length} samples equal the original, photometric {ours.PhotometricInterpretation}");
        Assert.Equal(a.Length, equal);
        Assert.Equal(original.BitsAllocated, ours.BitsAllocated);
        Assert.Equal(original.IsSigned, ours.IsSigned);
    }

    internal static (DecodedFrame Frame, DicomDataset Header) Synthetic(string kind)
    {
        var (samples, bits, stored, signed) = kind switch
        {
            "grey8" => (1, 8, 8, false),
            "grey12" => (1, 16, 12, false),
            "grey16" => (1, 16, 16, false),
            "rgb8" => (3, 8, 8, false),
            "signed8" => (1, 8, 8, true),
            "signed12" => (1, 16, 12, true),
            "signed16" => (1, 16, 16, true),
            "signedrgb8" => (3, 8, 8, true),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        const int rows = 45;
        const int columns = 77;
        var rng = new Random(7);
        var max = (1 << stored) - 1;
        var data = new byte[rows * columns * samples * (bits / 8)];
        for (var i = 0; i < rows * columns * samples; i++)
        {
            var x = i / samples % columns;
            var y = i / samples / columns;
            var v = x > 50 && y < 15 ? rng.Next(max + 1) : (((x * 31) + (y * 17) + (i % samples * 60)) * max / ((columns * 31) + (rows * 17) + 120)) ^ ((x / 8 + y / 8) % 2 == 0 ? 0 : max / 3);
            v &= max;
            if (i / samples == 1)
            {
                v = max; // with the first pixel (0), both ends of the range occur
            }

            if (signed)
            {
                // Two's complement within the stored bits, sign-extended to Bits Allocated: [-2^(stored-1), 2^(stored-1) - 1].
                v -= 1 << (stored - 1);
            }

            if (bits == 8)
            {
                data[i] = (byte)v;
            }
            else
            {
                data[2 * i] = (byte)v;
                data[(2 * i) + 1] = (byte)(v >> 8);
            }
        }

        var photometric = samples == 3 ? "RGB" : "MONOCHROME2";
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, DicomFixtureBuilder.Uid(8, kind.Length));
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)samples);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, photometric);
        if (samples == 3)
        {
            ds.AddOrUpdate(DicomTag.PlanarConfiguration, 0);
        }

        ds.AddOrUpdate(DicomTag.Rows, rows);
        ds.AddOrUpdate(DicomTag.Columns, columns);
        ds.AddOrUpdate(DicomTag.BitsAllocated, (ushort)bits);
        ds.AddOrUpdate(DicomTag.BitsStored, (ushort)stored);
        ds.AddOrUpdate(DicomTag.HighBit, (ushort)(stored - 1));
        ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)(signed ? 1 : 0));
        return (new DecodedFrame(rows, columns, samples, bits, stored, signed, photometric, data), ds);
    }

    private static void WriteNetpbm(string path, DecodedFrame frame)
    {
        using var fs = File.Create(path);
        var max = (1 << frame.BitsStored) - 1;
        var head = System.Text.Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(frame.SamplesPerPixel == 3 ? "P6" : "P5")}\n{frame.Columns} {frame.Rows}\n{max}\n"));
        fs.Write(head);
        if (frame.BitsAllocated == 8)
        {
            fs.Write(frame.Data);
            return;
        }

        var be = new byte[frame.Data.Length];
        for (var i = 0; i < be.Length; i += 2)
        {
            be[i] = frame.Data[i + 1];
            be[i + 1] = frame.Data[i];
        }

        fs.Write(be);
    }
}
