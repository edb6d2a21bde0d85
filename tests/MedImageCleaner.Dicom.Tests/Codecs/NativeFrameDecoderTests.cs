using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>
/// NativeFrameDecoder against dcmtk: every native corpus file with pixel data is decoded frame by frame and compared
/// with the Pixel Data value dcmtk's dcmdump writes (+W). The expected frame is laid out from dcmtk's bytes here, sample
/// by sample, following PS3.5 8.1/8.2 and PS3.3 C.7.6.3 (bits least significant first, planes, YBR_FULL_422 pairs).
/// </summary>
public sealed class NativeFrameDecoderTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mic-native-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [RequiresFact(Requirements.Corpus, "dcmdump")]
    public void Decode_EveryNativeCorpusFile_MatchesDcmtkPixelData()
    {
        int files = 0, frames = 0;
        long samples = 0;
        var failures = new List<string>();
        foreach (var (path, file) in CodecOracle.OpenCorpus("pydicom", "fodicom"))
        {
            if (file.TransferSyntax.IsEncapsulated || !PixelData.TryCreate(file.Dataset, out var pixels) || pixels.IsEncapsulated)
            {
                continue;
            }

            var name = Path.GetFileName(path);
            var dcmtk = CodecOracle.DcmtkPixelBytes(path, _work);
            if (dcmtk is null)
            {
                output.WriteLine($"{name}: dcmtk writes no pixel data; not compared.");
                continue;
            }

            if (file.TransferSyntax.IsBigEndian && pixels.BitsAllocated == 32 && pixels.VR == DicomVR.OW)
            {
                // dcmtk keeps OW as 16-bit words; the 32-bit samples were stored big endian whole (see the twin test).
                for (var i = 0; i + 4 <= dcmtk.Length; i += 4)
                {
                    (dcmtk[i], dcmtk[i + 1], dcmtk[i + 2], dcmtk[i + 3]) = (dcmtk[i + 2], dcmtk[i + 3], dcmtk[i], dcmtk[i + 1]);
                }
            }

            var expectedFrames = ExpectedFrameCount(pixels, dcmtk.LongLength);
            if (pixels.AvailableFrames != expectedFrames)
            {
                failures.Add($"{name}: {pixels.AvailableFrames} frames, dcmtk's value holds {expectedFrames}");
                continue;
            }

            if (pixels.BitsAllocated is not (1 or 8 or 16 or 32))
            {
                var ex = Assert.Throws<PixelCodecException>(() => PixelCodecs.Decode(pixels, file.TransferSyntax, 0));
                Assert.True(ex.IsUnsupported);
                output.WriteLine($"{name}: BitsAllocated {pixels.BitsAllocated} refused as unsupported (quarantine).");
                continue;
            }

            files++;
            for (var f = 0; f < expectedFrames; f++)
            {
                var ours = PixelCodecs.Decode(pixels, file.TransferSyntax, f);
                var expected = ExpectedFrame(pixels, dcmtk, f);
                var diff = CodecOracle.FirstDifference(ours.Data, expected);
                if (diff != -1)
                {
                    failures.Add($"{name} frame {f}: first difference at {diff}");
                    break;
                }

                frames++;
                samples += (long)ours.Rows * ours.Columns * ours.SamplesPerPixel;
            }

            output.WriteLine($"{name}: {file.TransferSyntax.Name}, {pixels.PhotometricInterpretation}, BA {pixels.BitsAllocated}, PC {pixels.PlanarConfiguration}, {expectedFrames} frame(s) equal");
        }

        output.WriteLine($"Native: {files} files, {frames} frames, {samples} samples equal to dcmtk.");
        Assert.Empty(failures);
        Assert.True(files >= 20, "Expected at least 20 native corpus files with pixel data.");
    }

    [RequiresFact(Requirements.Corpus)]
    public void Decode_BigEndianTwins_EqualLittleEndian()
    {
        (string Le, string Be)[] twins =
        [
            ("rtdose.dcm", "rtdose_expb.dcm"), ("rtdose_1frame.dcm", "rtdose_expb_1frame.dcm"), ("MR_small.dcm", "MR_small_bigendian.dcm"),
            ("liver_1frame.dcm", "liver_expb_1frame.dcm"), ("SC_rgb_small_odd.dcm", "SC_rgb_small_odd_big_endian.dcm"),
        ];
        var compared = 0;
        foreach (var (le, be) in twins)
        {
            var lePath = Path.Combine(TestCorpus.CorpusRoot, "pydicom", le);
            var bePath = Path.Combine(TestCorpus.CorpusRoot, "pydicom", be);
            if (!File.Exists(lePath) || !File.Exists(bePath))
            {
                continue;
            }

            using var a = DicomFile.Open(lePath);
            using var b = DicomFile.Open(bePath);
            var fa = CodecOracle.DecodeAll(a);
            var fb = CodecOracle.DecodeAll(b);
            Assert.NotEmpty(fa);
            Assert.Equal(fa.Count, fb.Count);
            for (var i = 0; i < fa.Count; i++)
            {
                Assert.True(fa[i].Data.AsSpan().SequenceEqual(fb[i].Data), $"{be} frame {i} differs from {le}");
            }

            compared++;
        }

        output.WriteLine($"{compared} big-endian twins equal.");
    }

    [Fact]
    public void Decode_MissingFrame_ThrowsPixelCodecException()
    {
        var ds = DicomFixtureBuilder.CreateCtDataset();
        Assert.True(PixelData.TryCreate(ds, out var pixels));
        Assert.Throws<PixelCodecException>(() => PixelCodecs.Decode(pixels, TransferSyntax.ExplicitVRLittleEndian, 1));
        Assert.Throws<PixelCodecException>(() => PixelCodecs.Decode(pixels, TransferSyntax.ExplicitVRLittleEndian, -1));
    }

    [Fact]
    public void Decode_Ybr422OddColumns_Throws()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.Rows, 2);
        ds.AddOrUpdate(DicomTag.Columns, 3);
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, 3);
        ds.AddOrUpdate(DicomTag.BitsAllocated, 8);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "YBR_FULL_422");
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OB, new byte[12]));
        Assert.True(PixelData.TryCreate(ds, out var pixels));
        Assert.Throws<PixelCodecException>(() => PixelCodecs.Decode(pixels, TransferSyntax.ExplicitVRLittleEndian, 0));
    }

    private static int ExpectedFrameCount(PixelData p, long valueLength)
    {
        long bitsPerFrame = (long)p.Rows * p.Columns * p.BitsAllocated * (p.PhotometricInterpretation == "YBR_FULL_422" && p.SamplesPerPixel == 3 ? 2 : p.SamplesPerPixel);
        return bitsPerFrame <= 0 ? 0 : (int)Math.Min(p.NumberOfFrames, valueLength * 8 / bitsPerFrame);
    }

    /// <summary>Frame <paramref name="f"/> laid out as DecodedFrame defines it, from dcmtk's value bytes.</summary>
    private static byte[] ExpectedFrame(PixelData p, byte[] v, int f)
    {
        var pixels = p.Rows * p.Columns;
        var spp = p.SamplesPerPixel;
        if (p.BitsAllocated == 1)
        {
            var outBits = new byte[pixels * spp];
            for (var i = 0; i < outBits.Length; i++)
            {
                var bit = ((long)f * outBits.Length) + i;
                outBits[i] = (byte)((v[bit / 8] >> (int)(bit % 8)) & 1);
            }

            return outBits;
        }

        var b = p.BitsAllocated / 8;
        var result = new byte[pixels * spp * b];
        if (p.PhotometricInterpretation == "YBR_FULL_422" && spp == 3)
        {
            var start = (long)f * pixels * 2 * b;
            for (var px = 0; px < pixels; px++)
            {
                var pairStart = start + ((px / 2) * 4 * b);
                var y = pairStart + ((px % 2) * b);
                for (var k = 0; k < b; k++)
                {
                    result[(px * 3 * b) + k] = v[y + k];
                    result[(px * 3 * b) + b + k] = v[pairStart + (2 * b) + k];
                    result[(px * 3 * b) + (2 * b) + k] = v[pairStart + (3 * b) + k];
                }
            }

            return result;
        }

        var frameStart = (long)f * pixels * spp * b;
        for (var px = 0; px < pixels; px++)
        {
            for (var s = 0; s < spp; s++)
            {
                var src = p.PlanarConfiguration == 1 && spp > 1
                    ? frameStart + (((long)s * pixels) + px) * b
                    : frameStart + (((long)px * spp) + s) * b;
                for (var k = 0; k < b; k++)
                {
                    result[(((px * spp) + s) * b) + k] = v[src + k];
                }
            }
        }

        return result;
    }
}

/// <summary>Seeded damage to native images: contradictory attributes and truncated values never crash the decoder.</summary>
public sealed class NativeFrameDecoderMutationTests(ITestOutputHelper output)
{
    [Fact]
    public void Decode_MutatedAttributesAndValues_ThrowOnlyPixelCodecException()
    {
        var random = new Random(8121);
        int ok = 0, rejected = 0;
        string[] photometrics = ["MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL", "YBR_FULL_422", "PALETTE COLOR", ""];
        for (var trial = 0; trial < 2000; trial++)
        {
            var ds = new DicomDataset();
            ds.AddOrUpdate(DicomTag.Rows, (ushort)random.Next(0, 40));
            ds.AddOrUpdate(DicomTag.Columns, (ushort)(random.Next(8) == 0 ? 65535 : random.Next(0, 40)));
            ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)random.Next(0, 5));
            ds.AddOrUpdate(DicomTag.BitsAllocated, (ushort)new[] { 0, 1, 8, 12, 16, 24, 32, 64 }[random.Next(8)]);
            ds.AddOrUpdate(DicomTag.BitsStored, (ushort)random.Next(0, 40));
            ds.AddOrUpdate(DicomTag.PlanarConfiguration, (ushort)random.Next(0, 3));
            ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)random.Next(0, 2));
            ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, photometrics[random.Next(photometrics.Length)]);
            ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, random.Next(-2, 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var value = new byte[random.Next(0, 6000)];
            random.NextBytes(value);
            ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, random.Next(2) == 0 ? DicomVR.OB : DicomVR.OW, value));
            Assert.True(PixelData.TryCreate(ds, out var pixels));
            var syntax = random.Next(3) == 0 ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian;
            for (var f = -1; f <= 2; f++)
            {
                try
                {
                    var frame = PixelCodecs.Decode(pixels, syntax, f);
                    Assert.Equal((long)frame.Rows * frame.Columns * frame.SamplesPerPixel * frame.BytesPerSample, frame.Data.LongLength);
                    ok++;
                }
                catch (PixelCodecException)
                {
                    rejected++;
                }
            }
        }

        output.WriteLine($"Mutated native images: {ok} frames decoded, {rejected} rejected with PixelCodecException.");
        Assert.True(ok > 0 && rejected > 0);
    }
}
