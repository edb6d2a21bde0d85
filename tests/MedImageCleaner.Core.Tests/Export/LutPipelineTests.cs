using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Tests.Export;

/// <summary>The rendering pipeline on fixtures built in code, against values computed by hand from PS3.3 C.11.</summary>
public sealed class LutPipelineTests
{

    [Fact]
    public void Render_SlopeInterceptAndLinearWindow_MatchesStandardFormula()
    {
        // Stored 0..: modality = 2 * s - 1000; window 0/400 LINEAR: y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, truncated.
        var ds = new DicomDataset();
        ExportFixtures.Ds(ds, ExportFixtures.RescaleSlope, 2);
        ExportFixtures.Ds(ds, ExportFixtures.RescaleIntercept, -1000);
        var frame = ExportFixtures.Words(1, 5, 12, false, "MONOCHROME2", 0, 400, 500, 550, 4095);
        var out8 = Render(frame, ds, new RenderSettings { WindowCenter = 0, WindowWidth = 400 });
        int Expected(double x) => x <= -0.5 - 199.5 ? 0 : x > -0.5 + 199.5 ? 255 : (int)Math.Floor(((x + 0.5) / 399 + 0.5) * 255);
        Assert.Equal([Expected(-1000), Expected(-200), Expected(0), Expected(100), Expected(7190)], out8);
        Assert.Equal([0, 0, 127, 191, 255], out8);
    }

    [Fact]
    public void Render_SignedWithJunkHighBits_MaskedAndSignExtended()
    {
        // 12 bits stored, signed: 0xF800 and 0x0800 are both -2048 once bits above 11 are dropped.
        var frame = ExportFixtures.Words(1, 4, 12, true, "MONOCHROME2", 0xF800, 0x0800, 0xA7FF, 0x0000);
        var settings = new RenderSettings { Window = ExportWindowMode.MinMax, BitDepth = 16 };
        var values = Render(frame, new DicomDataset(), settings);
        // Min-max over -2048..2047: the window maps -2048 to 0 and 2047 to 65535.
        Assert.Equal([0, 0, 65535, (int)Math.Floor(2048.0 / 4095 * 65535)], values);
    }

    [Fact]
    public void Render_Monochrome1_IsInvertedAfterTheWindow()
    {
        var frame = ExportFixtures.Words(1, 3, 8, false, "MONOCHROME1", 0, 128, 255);
        var m2 = Render(ExportFixtures.Words(1, 3, 8, false, "MONOCHROME2", 0, 128, 255), new DicomDataset(), new RenderSettings { Window = ExportWindowMode.MinMax });
        var m1 = Render(frame, new DicomDataset(), new RenderSettings { Window = ExportWindowMode.MinMax });
        Assert.Equal([0, 128, 255], m2);
        Assert.Equal([255, 127, 0], m1);
    }

    [Fact]
    public void Render_PaletteWith16BitEntries_UsesHighByteAndFirstMappedValue()
    {
        var ds = new DicomDataset();
        // 4 entries starting at input 10; inputs below 10 take entry 0, above 13 the last entry.
        foreach (var (desc, data, entries) in new[]
                 {
                     (DicomTag.RedPaletteColorLookupTableDescriptor, DicomTag.RedPaletteColorLookupTableData, new[] { 0x0000, 0x8000, 0xFFFF, 0x1234 }),
                     (DicomTag.GreenPaletteColorLookupTableDescriptor, DicomTag.GreenPaletteColorLookupTableData, new[] { 0xFFFF, 0x0100, 0x0000, 0x4321 }),
                     (DicomTag.BluePaletteColorLookupTableDescriptor, DicomTag.BluePaletteColorLookupTableData, new[] { 0x00FF, 0x7F00, 0x8000, 0xABCD }),
                 })
        {
            ds.AddOrUpdate(ExportFixtures.Shorts(desc, DicomVR.US, 4, 10, 16));
            ds.AddOrUpdate(ExportFixtures.Shorts(data, DicomVR.OW, entries));
        }

        var frame = ExportFixtures.Words(1, 4, 8, false, "PALETTE COLOR", 5, 11, 12, 200);
        var rgb = Render(frame, ds, new RenderSettings());
        Assert.Equal([0x00, 0xFF, 0x00, 0x80, 0x01, 0x7F, 0xFF, 0x00, 0x80, 0x12, 0x43, 0xAB], rgb);
    }

    [Fact]
    public void LookupTable_DescriptorCountZero_Means65536Entries()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(ExportFixtures.Shorts(DicomTag.LUTDescriptor, DicomVR.US, 0, 0, 16));
        var entries = Enumerable.Range(0, 65536).Select(i => 65535 - i).ToArray();
        ds.AddOrUpdate(ExportFixtures.Shorts(DicomTag.LUTData, DicomVR.OW, entries));
        Assert.True(LookupTable.TryRead(ds, DicomTag.LUTDescriptor, DicomTag.LUTData, false, out var lut));
        Assert.Equal(65536, lut.Entries.Length);
        Assert.Equal(65535, lut[0]);
        Assert.Equal(0, lut[65535]);
    }

    [Fact]
    public void Render_VoiLutSequence_MapsThroughTheTableScaledToOutput()
    {
        // VOI LUT of 8-bit entries for inputs 100..103, chosen over no window (Auto).
        var item = new DicomDataset();
        item.AddOrUpdate(ExportFixtures.Shorts(DicomTag.LUTDescriptor, DicomVR.US, 4, 100, 8));
        item.AddOrUpdate(ExportFixtures.Shorts(DicomTag.LUTData, DicomVR.OW, 0, 51, 204, 255));
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomSequence(DicomTag.VOILUTSequence, [item]));
        var frame = ExportFixtures.Words(1, 5, 12, false, "MONOCHROME2", 50, 100, 101, 102, 4000);
        Assert.Equal([0, 0, 51, 204, 255], Render(frame, ds, new RenderSettings()));
        Assert.Equal([0, 0, 13107, 52428, 65535], Render(frame, ds, new RenderSettings { BitDepth = 16 }));
    }

    [Fact]
    public void Render_ModalityLutSequence_ReplacesRescale()
    {
        var item = new DicomDataset();
        item.AddOrUpdate(ExportFixtures.Shorts(DicomTag.LUTDescriptor, DicomVR.US, 3, 0, 16));
        item.AddOrUpdate(ExportFixtures.Shorts(DicomTag.LUTData, DicomVR.OW, 1000, 0, 500));
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomSequence(DicomTag.ModalityLUTSequence, [item]));
        ExportFixtures.Ds(ds, ExportFixtures.RescaleSlope, 7);
        var frame = ExportFixtures.Words(1, 4, 8, false, "MONOCHROME2", 0, 1, 2, 9);
        // Modality values 1000, 0, 500, 500; min-max 0..1000.
        Assert.Equal([255, 0, 127, 127], Render(frame, ds, new RenderSettings { Window = ExportWindowMode.MinMax }));
    }

    [Fact]
    public void Render_Sigmoid_FollowsC11214()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(ExportFixtures.VoiLutFunction, DicomVR.CS, "SIGMOID");
        ExportFixtures.Ds(ds, ExportFixtures.WindowCenter, 100);
        ExportFixtures.Ds(ds, ExportFixtures.WindowWidth, 50);
        var frame = ExportFixtures.Words(1, 4, 12, false, "MONOCHROME2", 100, 125, 50, 4000);
        int Y(double x) => (int)Math.Floor(255 / (1 + Math.Exp(-4 * (x - 100) / 50)));
        Assert.Equal([Y(100), Y(125), Y(50), Y(4000)], Render(frame, ds, new RenderSettings()));
        Assert.Equal(127, Y(100));
    }

    [Fact]
    public void Render_LinearExact_FollowsC11213()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(ExportFixtures.VoiLutFunction, DicomVR.CS, "LINEAR_EXACT");
        ExportFixtures.Ds(ds, ExportFixtures.WindowCenter, 100);
        ExportFixtures.Ds(ds, ExportFixtures.WindowWidth, 0.5);
        // Width below 1 is valid for LINEAR_EXACT: 99.75 and below -> 0, above 100.25 -> max.
        var frame = ExportFixtures.Words(1, 3, 12, false, "MONOCHROME2", 99, 100, 101);
        Assert.Equal([0, 127, 255], Render(frame, ds, new RenderSettings()));
    }

    [Fact]
    public void Render_WindowIndex_PicksTheSecondWindow()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(ExportFixtures.WindowCenter, DicomVR.DS, "100\\1000");
        ds.AddOrUpdate(ExportFixtures.WindowWidth, DicomVR.DS, "10\\2000");
        var frame = ExportFixtures.Words(1, 1, 12, false, "MONOCHROME2", 1000);
        Assert.Equal([255], Render(frame, ds, new RenderSettings()));
        Assert.Equal([127], Render(frame, ds, new RenderSettings { WindowIndex = 1 }));
    }

    [Fact]
    public void Render_HeaderModeWithoutWindow_IsNoHeaderWindow()
    {
        var frame = ExportFixtures.Words(1, 1, 12, false, "MONOCHROME2", 5);
        var ex = Assert.Throws<ExportException>(() => Render(frame, new DicomDataset(), new RenderSettings { Window = ExportWindowMode.Header }));
        Assert.Equal("NoHeaderWindow", ex.ErrorId);
    }

    [Fact]
    public void Render_YbrFull_ConvertsToRgb()
    {
        var data = new byte[] { 128, 128, 128, 76, 85, 255, 0, 128, 128 };
        var frame = new DecodedFrame(1, 3, 3, 8, 8, false, "YBR_FULL", data);
        var rgb = Render(frame, new DicomDataset(), new RenderSettings());
        Assert.Equal([128, 128, 128, 254, 0, 0, 0, 0, 0], rgb);
    }

    private static int[] Render(DecodedFrame frame, DicomDataset ds, RenderSettings settings)
    {
        var image = FrameRenderer.Render(frame, PixelModule.Read(ds, frame.IsSigned), settings);
        var n = image.Width * image.Height * image.Channels;
        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = image.BitDepth == 8 ? image.Data[i] : image.Data[2 * i] | (image.Data[(2 * i) + 1] << 8);
        }

        return result;
    }
}
