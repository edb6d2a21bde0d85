using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Core.Tests.Export;

/// <summary>16-bit PNG and TIFF written with -Raw give back the stored values exactly when OpenCV (libpng, libtiff) reads them.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly string _dir = ExportTestSupport.TempFolder("roundtrip");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(12, 1)]
    [InlineData(16, 1)]
    [InlineData(16, 3)]
    public void ExportPng16Raw_EachFrame_ReadsBackAsStoredValues(int bitsStored, int samples)
    {
        var frames = new[] { SyntheticImages.Frame(37, 53, samples, 16, bitsStored, 1), SyntheticImages.Frame(37, 53, samples, 16, bitsStored, 2) };
        var path = ExportFixtures.Write(_dir, "in.dcm", frames, samples == 3 ? null : ds => ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2"));
        var outcome = new DicomImageExporter(new ExportOptions { Destination = Path.Combine(_dir, "png"), BitDepth = 16, Raw = true, Frames = FrameSelection.All }).Export(path);
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(2, outcome.Images.Count);
        for (var f = 0; f < 2; f++)
        {
            var read = ExportTestSupport.ReadWithOpenCv(outcome.Images[f].FullName);
            Assert.Equal((53, 37, samples), (read.Width, read.Height, read.Channels));
            Assert.Equal(CodecOracle.Samples(frames[f]), read.Samples);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ExportTiff16Raw_MultiFrame_PagesReadBackAsStoredValues(int frameCount)
    {
        var frames = Enumerable.Range(0, frameCount).Select(i => SyntheticImages.Frame(300, 41, 1, 16, 16, 10 + i)).ToArray();
        var path = ExportFixtures.Write(_dir, "in.dcm", frames);
        var outcome = new DicomImageExporter(new ExportOptions { Destination = Path.Combine(_dir, "tif"), Format = ExportFormat.Tiff, BitDepth = 16, Raw = true }).Export(path);
        Assert.True(outcome.Succeeded, outcome.Message);
        var image = Assert.Single(outcome.Images);
        Assert.Equal(frameCount, image.Frames);
        var pages = ExportTestSupport.ReadPagesWithOpenCv(image.FullName);
        Assert.Equal(frameCount, pages.Count);
        for (var f = 0; f < frameCount; f++)
        {
            Assert.Equal(CodecOracle.Samples(frames[f]), pages[f].Samples);
        }
    }

    [RequiresFact(Requirements.Corpus)]
    public void ExportTiff16Raw_SignedCorpusCt_ReadsBackAsSignedStoredValues()
    {
        var path = Path.Combine(TestCorpus.CorpusRoot, "pydicom", "CT_small.dcm");
        var outcome = new DicomImageExporter(new ExportOptions { Destination = Path.Combine(_dir, "ct"), Format = ExportFormat.Tiff, Raw = true }).Export(path);
        Assert.True(outcome.Succeeded, outcome.Message);
        using var file = DicomFile.Open(path);
        Assert.True(PixelData.TryCreate(file.Dataset, out var pixels));
        var frame = PixelCodecs.Decode(pixels, file.TransferSyntax, 0);
        var expected = CodecOracle.Samples(frame).Select(v => (int)(short)v).ToArray();
        var page = Assert.Single(ExportTestSupport.ReadPagesWithOpenCv(outcome.Images[0].FullName));
        Assert.Equal(expected, page.Samples);
    }

    [Fact]
    public void ExportTiffRaw_SignedNegativeValues_ReadBackSigned()
    {
        var frame = ExportFixtures.Words(3, 3, 12, true, "MONOCHROME2", 0x0800, 0x0FFF, 0x07FF, 0xF001, 0);
        var path = ExportFixtures.Write(_dir, "neg.dcm", [frame]);
        var outcome = new DicomImageExporter(new ExportOptions { Destination = Path.Combine(_dir, "neg"), Format = ExportFormat.Tiff, Raw = true }).Export(path);
        Assert.True(outcome.Succeeded, outcome.Message);
        var page = Assert.Single(ExportTestSupport.ReadPagesWithOpenCv(outcome.Images[0].FullName));
        Assert.Equal([-2048, -1, 2047, 1, 0, -2048, -1, 2047, 1], page.Samples);
    }

    [Fact]
    public void ExportPng16Raw_SignedData_IsRefusedWithStableId()
    {
        var frame = ExportFixtures.Words(4, 4, 16, true, "MONOCHROME2", 0xFFFF, 5);
        var path = ExportFixtures.Write(_dir, "signed.dcm", [frame]);
        var outcome = new DicomImageExporter(new ExportOptions { Destination = Path.Combine(_dir, "s"), BitDepth = 16, Raw = true }).Export(path);
        Assert.Equal("RawSignedNotSupported", outcome.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(_dir, "s")) && Directory.EnumerateFiles(Path.Combine(_dir, "s")).Any());
    }

    [Fact]
    public void ExportPng8_AllRowFilters_DecodeToTheSamePixels()
    {
        var frame = SyntheticImages.Frame(29, 31, 3, 8, 8, 4);
        var path = ExportFixtures.Write(_dir, "rgb.dcm", [frame]);
        foreach (var filter in Enum.GetValues<PngRowFilter>())
        {
            var outcome = new DicomImageExporter(new ExportOptions { Destination = Path.Combine(_dir, filter.ToString()), RowFilter = filter, CompressionLevel = PngCompressionLevel.Optimal }).Export(path);
            Assert.True(outcome.Succeeded, outcome.Message);
            Assert.Equal(CodecOracle.Samples(frame), ExportTestSupport.ReadWithOpenCv(outcome.Images[0].FullName).Samples);
        }
    }
}
