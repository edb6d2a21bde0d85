using System.Globalization;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Dicom.Tests.Oracles;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>
/// PixelDataWriter: files written through it are read by dcmdump, validated by dciodvfy with no error the source did not
/// already have, decode (ours and dcmdrle) to the frames given, and a large multi-frame image stays bounded in memory.
/// </summary>
public sealed class PixelDataWriterTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mic-pdw-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<string, int, int, int> Cases => new()
    {
        { "native", 16, 1, 1 }, { "rle", 16, 1, 1 }, { "native", 8, 3, 3 }, { "rle", 8, 3, 3 }, { "rle", 16, 1, 5 }, { "native", 32, 1, 2 },
        { "jpegls", 16, 1, 2 }, { "jpegls", 8, 3, 2 },
    };

    [RequiresTheory("dcmdump", "dciodvfy")]
    [MemberData(nameof(Cases))]
    public void Complete_SavedFile_ReadsValidatesAndDecodes(string target, int bits, int samples, int frameCount)
    {
        var syntax = target switch
        {
            "rle" => TransferSyntax.RLELossless,
            "jpegls" => TransferSyntax.JpegLSLossless,
            _ => TransferSyntax.ExplicitVRLittleEndian,
        };
        var source = new List<DecodedFrame>();
        for (var i = 0; i < frameCount; i++)
        {
            source.Add(SyntheticImages.Frame(40, 48, samples, bits, bits == 16 ? 12 : bits, seed: i));
        }

        var dataset = SyntheticImages.Dataset(source);
        var sourcePath = Path.Combine(_work, "source.dcm");
        DicomFixtureBuilder.WriteFile(sourcePath, dataset);

        // New frames: a redaction-like change (a black box) on a differently sized image.
        var replaced = new List<DecodedFrame>();
        for (var i = 0; i < frameCount; i++)
        {
            var f = SyntheticImages.Frame(32, 36, samples, bits, bits == 16 ? 12 : bits, seed: 100 + i);
            Array.Clear(f.Data, 0, f.Data.Length / 4);
            replaced.Add(f);
        }

        var outPath = Path.Combine(_work, "out.dcm");
        using (var writer = PixelDataWriter.Begin(dataset, syntax))
        {
            foreach (var f in replaced)
            {
                writer.Add(f);
            }

            writer.Complete();
            new DicomFile(dataset).Save(outPath, new DicomWriteOptions { TransferSyntax = writer.TargetSyntax });
        }

        using (var back = DicomFile.Open(outPath))
        {
            Assert.Equal(syntax, back.TransferSyntax);
            Assert.Equal(32, back.Dataset.GetInt32(DicomTag.Rows, 0));
            Assert.Equal(36, back.Dataset.GetInt32(DicomTag.Columns, 0));
            Assert.Equal(frameCount > 1, back.Dataset.Contains(DicomTag.NumberOfFrames));
            Assert.Equal(samples > 1, back.Dataset.Contains(DicomTag.PlanarConfiguration));
            var frames = CodecOracle.DecodeAll(back);
            Assert.Equal(frameCount, frames.Count);
            for (var i = 0; i < frameCount; i++)
            {
                CodecOracle.AssertSameFrame(replaced[i], frames[i], $"frame {i}");
            }

            if (syntax.IsEncapsulated)
            {
                Assert.True(PixelData.TryCreate(back.Dataset, out var pd));
                Assert.Equal(frameCount, pd.FrameFragmentIndexes.Count);
                var bot = ((DicomFragmentSequence)back.Dataset.Items[^1]).OffsetTable;
                Assert.Equal(4 * frameCount, bot.Length);
            }
        }

        var dump = Dcmdump.Run(outPath, utf8: false);
        Assert.True(dump.Ok, "dcmdump rejects the file: " + dump.Raw.StdErr);

        var before = Dciodvfy.Run(sourcePath).Errors;
        var after = Dciodvfy.Run(outPath).Errors;
        after.ExceptWith(before);
        Assert.True(after.Count == 0, "New dciodvfy errors: " + string.Join(" | ", after));

        var tool = syntax == TransferSyntax.RLELossless ? "dcmdrle" : syntax == TransferSyntax.JpegLSLossless ? "dcmdjpls" : null;
        if (tool is not null && CodecOracle.Has(tool))
        {
            var decoded = Path.Combine(_work, "dcmtk.dcm");
            var r = CodecOracle.Run(tool, outPath, decoded);
            Assert.True(r.ExitCode == 0, tool + ": " + r.StdErr);
            using var theirs = DicomFile.Open(decoded);
            var frames = CodecOracle.DecodeAll(theirs);
            for (var i = 0; i < frameCount; i++)
            {
                CodecOracle.AssertSameFrame(replaced[i], frames[i], $"{tool} frame {i}");
            }
        }
    }

    [Fact]
    public void Complete_SourceWithExtendedOffsetTableAndOneFrame_RemovesTableKeepsNumberOfFrames()
    {
        var frame = SyntheticImages.Frame(8, 8, 1, 16, 12, seed: 1);
        var ds = SyntheticImages.Dataset([frame]);
        ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, "1");
        ds.AddOrUpdate(new DicomElement(DicomTag.ExtendedOffsetTable, DicomVR.OV, new byte[8]));
        ds.AddOrUpdate(new DicomElement(DicomTag.ExtendedOffsetTableLengths, DicomVR.OV, new byte[8]));
        using var writer = PixelDataWriter.Begin(ds, TransferSyntax.RLELossless, new RleFrameEncoder());
        writer.Add(frame);
        Assert.True(ds.Contains(DicomTag.ExtendedOffsetTable), "the dataset changes only at Complete");
        writer.Complete();
        Assert.False(ds.Contains(DicomTag.ExtendedOffsetTable));
        Assert.False(ds.Contains(DicomTag.ExtendedOffsetTableLengths));
        Assert.Equal("1", ds.GetString(DicomTag.NumberOfFrames));
        Assert.IsType<DicomFragmentSequence>(ds.Items[^1]);
    }

    [Fact]
    public void Begin_Misuse_Throws()
    {
        var frame = SyntheticImages.Frame(8, 8, 1, 16, 12, seed: 1);
        var ds = SyntheticImages.Dataset([frame]);
        Assert.Throws<ArgumentException>(() => PixelDataWriter.Begin(ds, TransferSyntax.ExplicitVRLittleEndian, new RleFrameEncoder()));
        Assert.Throws<ArgumentException>(() => PixelDataWriter.Begin(ds, TransferSyntax.ExplicitVRBigEndian));
        Assert.Throws<ArgumentException>(() => PixelDataWriter.Begin(ds, TransferSyntax.JpegLSLossless, new RleFrameEncoder()));
        using var w = PixelDataWriter.Begin(ds, TransferSyntax.ExplicitVRLittleEndian);
        Assert.Throws<InvalidOperationException>(w.Complete);
        w.Add(frame);
        Assert.Throws<ArgumentException>(() => w.Add(SyntheticImages.Frame(8, 9, 1, 16, 12, seed: 1)));
        var mpeg2 = TransferSyntax.Lookup("1.2.840.10008.1.2.4.100"); // no encoder is ever registered for it
        var noEncoder = PixelDataWriter.Begin(SyntheticImages.Dataset([frame]), mpeg2);
        var ex = Assert.Throws<PixelCodecException>(() => noEncoder.Add(frame));
        Assert.True(ex.IsUnsupported);
        noEncoder.Dispose();
    }

    [RequiresTheory("dcmdump")]
    [InlineData("native")]
    [InlineData("rle")]
    public void Add_LargeMultiFrame_StaysBoundedAndSpillsToATemporaryFile(string target)
    {
        var syntax = target == "rle" ? TransferSyntax.RLELossless : TransferSyntax.ExplicitVRLittleEndian;
        const int Rows = 512, Columns = 512, Frames = 96; // 48 MiB of 16-bit frames
        var tempDir = Directory.CreateDirectory(Path.Combine(_work, "tmp")).FullName;
        var ds = DicomFixtureBuilder.CreateCtHeader(3, new FixtureImage(Rows, Columns, Frames));
        var options = new PixelDataWriterOptions { TemporaryDirectory = tempDir };
        var outPath = Path.Combine(_work, "large.dcm");
        long growth;
        using (var writer = PixelDataWriter.Begin(ds, syntax, options: options))
        {
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < Frames; i++)
            {
                writer.Add(LargeFrame(Rows, Columns, i));
            }

            writer.Complete();
            growth = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            Assert.True(writer.IsSpilledToDisk);
            Assert.Equal(OperatingSystem.IsWindows() ? 1 : 0, Directory.GetFiles(tempDir).Length); // Unix: unlinked while open
            new DicomFile(ds).Save(outPath, new DicomWriteOptions { TransferSyntax = writer.TargetSyntax });
            output.WriteLine($"{target}: {writer.TotalBytes / 1048576.0:F1} MiB of pixel data, managed growth {growth / 1048576.0:F1} MiB");
        }

        Assert.Empty(Directory.GetFiles(tempDir)); // the temporary file is deleted with the writer
        Assert.True(growth < 20L * 1024 * 1024, $"Managed memory grew by {growth} bytes.");

        var r = CodecOracle.Run("dcmdump", "-q", "-M", "+P", "0028,0008", outPath);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("[" + Frames.ToString(CultureInfo.InvariantCulture) + "]", r.StdOut, StringComparison.Ordinal);

        using var back = DicomFile.Open(outPath, DcmdumpConformanceTests.FileBacked);
        Assert.True(PixelData.TryCreate(back.Dataset, out var pixels));
        Assert.Equal(Frames, pixels.AvailableFrames);
        foreach (var i in new[] { 0, Frames / 2, Frames - 1 })
        {
            CodecOracle.AssertSameFrame(LargeFrame(Rows, Columns, i), PixelCodecs.Decode(pixels, back.TransferSyntax, i), $"frame {i}");
        }
    }

    private static DecodedFrame LargeFrame(int rows, int columns, int index)
    {
        var data = new byte[rows * columns * 2];
        SyntheticPixelSource.Fill(data, 0, index, SyntheticPattern.Ramp);
        return new DecodedFrame(rows, columns, 1, 16, 12, false, "MONOCHROME2", data);
    }
}

/// <summary>Encapsulated Uncompressed needs no encoder: each frame's bytes are one fragment.</summary>
public sealed class PixelDataWriterEncapsulatedUncompressedTests
{
    [Fact]
    public void Complete_EncapsulatedUncompressed_RoundTripsThroughBytes()
    {
        var frames = new[] { SyntheticImages.Frame(5, 7, 3, 8, 8, seed: 1), SyntheticImages.Frame(5, 7, 3, 8, 8, seed: 2) };
        var ds = SyntheticImages.Dataset(frames);
        byte[] bytes;
        using (var writer = PixelDataWriter.Begin(ds, TransferSyntax.EncapsulatedUncompressed))
        {
            foreach (var f in frames)
            {
                writer.Add(f);
            }

            writer.Complete();
            bytes = DicomFixtureBuilder.ToBytes(ds, TransferSyntax.EncapsulatedUncompressed);
        }

        using var back = DicomFile.Open(bytes);
        var decoded = CodecOracle.DecodeAll(back);
        Assert.Equal(2, decoded.Count);
        for (var i = 0; i < 2; i++)
        {
            CodecOracle.AssertSameFrame(frames[i], decoded[i], $"frame {i}");
        }
    }
}
