using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Codecs;

namespace MedImageCleaner.Core.Tests.Export;

/// <summary>NPY output: magic, header dictionary, dtype and shape, and data equal to the stored (-Raw) or rescaled values.</summary>
public sealed class NpyExportTests : IDisposable
{
    private readonly string _dir = ExportTestSupport.TempFolder("npy");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ExportNpyRaw_TwelveBitsWithJunkHighBits_MaskedStoredValuesAsU2()
    {
        // 12 bits stored; the top four bits hold junk that must not reach the output.
        int[] words = [0xF000 | 0x0ABC, 0x0001, 0x5FFF, 0x0800];
        var path = ExportFixtures.Write(_dir, "a.dcm", [ExportFixtures.Words(2, 3, 12, false, "MONOCHROME2", words), ExportFixtures.Words(2, 3, 12, false, "MONOCHROME2", 7)]);
        var image = Export(path, raw: true);
        var npy = NpyArray.Read(image.FullName);
        Assert.Equal("<u2", npy.Descr);
        Assert.False(npy.FortranOrder);
        Assert.Equal([2, 2, 3], npy.Shape);
        double[] expected = [0xABC, 1, 0xFFF, 0x800, 0xABC, 1, 7, 7, 7, 7, 7, 7];
        Assert.Equal(expected, npy.Values);
        Assert.Equal("<u2", image.DataType);
    }

    [Fact]
    public void ExportNpyRaw_SignedTwelveBits_SignExtendedAsI2()
    {
        int[] words = [0x0800, 0x0FFF, 0x07FF, 0xF001];
        var path = ExportFixtures.Write(_dir, "s.dcm", [ExportFixtures.Words(1, 4, 12, true, "MONOCHROME2", words)]);
        var npy = NpyArray.Read(Export(path, raw: true).FullName);
        Assert.Equal("<i2", npy.Descr);
        Assert.Equal([-2048, -1, 2047, 1], npy.Values);
    }

    [Fact]
    public void ExportNpy_IntegralRescale_SmallestIntegerTypeOfTheRange()
    {
        var path = ExportFixtures.Write(_dir, "r.dcm", [ExportFixtures.Words(1, 3, 12, false, "MONOCHROME2", 0, 1024, 4095)], ds =>
        {
            ExportFixtures.Ds(ds, ExportFixtures.RescaleSlope, 1);
            ExportFixtures.Ds(ds, ExportFixtures.RescaleIntercept, -1024);
        });
        var npy = NpyArray.Read(Export(path, raw: false).FullName);
        Assert.Equal("<i2", npy.Descr);
        Assert.Equal([-1024, 0, 3071], npy.Values);
    }

    [Fact]
    public void ExportNpy_NonIntegralRescale_Float32ModalityValues()
    {
        var path = ExportFixtures.Write(_dir, "f.dcm", [ExportFixtures.Words(1, 3, 16, true, "MONOCHROME2", 0xFFFF, 3, 1000)], ds =>
        {
            ExportFixtures.Ds(ds, ExportFixtures.RescaleSlope, 0.25);
            ExportFixtures.Ds(ds, ExportFixtures.RescaleIntercept, 10.5);
        });
        var npy = NpyArray.Read(Export(path, raw: false).FullName);
        Assert.Equal("<f4", npy.Descr);
        Assert.Equal([10.25, 11.25, 260.5], npy.Values);
    }

    [Fact]
    public void ExportNpy_Rgb_ShapeHasSamplesAxis()
    {
        var frame = SyntheticImages.Frame(5, 7, 3, 8, 8, 3);
        var path = ExportFixtures.Write(_dir, "c.dcm", [frame]);
        var npy = NpyArray.Read(Export(path, raw: false).FullName);
        Assert.Equal("<u1", npy.Descr);
        Assert.Equal([1, 5, 7, 3], npy.Shape);
        Assert.Equal(CodecOracle.Samples(frame).Select(v => (double)v), npy.Values);
    }

    private ConvertedImage Export(string path, bool raw)
    {
        var outcome = new DicomImageExporter(new ExportOptions { Destination = Path.Combine(_dir, Guid.NewGuid().ToString("N")), Format = ExportFormat.Npy, Raw = raw }).Export(path);
        Assert.True(outcome.Succeeded, outcome.Message);
        return Assert.Single(outcome.Images);
    }
}
