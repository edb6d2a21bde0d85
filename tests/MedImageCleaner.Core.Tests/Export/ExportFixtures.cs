using System.Buffers.Binary;
using System.Globalization;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Tests.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Core.Tests.Export;

/// <summary>DICOM files and frames built in code for the export tests.</summary>
internal static class ExportFixtures
{
    public static readonly DicomTag RescaleIntercept = DicomTag.RescaleIntercept;
    public static readonly DicomTag RescaleSlope = DicomTag.RescaleSlope;
    public static readonly DicomTag WindowCenter = DicomTag.WindowCenter;
    public static readonly DicomTag WindowWidth = DicomTag.WindowWidth;
    public static readonly DicomTag VoiLutFunction = DicomTag.VOILUTFunction;

    /// <summary>A frame of 16-bit words from values (already including any junk high bits).</summary>
    public static DecodedFrame Words(int rows, int columns, int bitsStored, bool signed, string photometric, params int[] values)
    {
        var data = new byte[rows * columns * 2];
        for (var i = 0; i < rows * columns; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), (ushort)values[i % values.Length]);
        }

        return new DecodedFrame(rows, columns, 1, 16, bitsStored, signed, photometric, data);
    }

    /// <summary>Writes a native CT-like file of <paramref name="frames"/> and returns its path.</summary>
    public static string Write(string folder, string name, IReadOnlyList<DecodedFrame> frames, Action<DicomDataset>? configure = null)
    {
        var ds = SyntheticImages.Dataset(frames);
        ds.Remove(RescaleSlope);
        ds.Remove(RescaleIntercept);
        ds.Remove(WindowCenter);
        ds.Remove(WindowWidth);
        configure?.Invoke(ds);
        var path = Path.Combine(folder, name);
        DicomFixtureBuilder.WriteFile(path, ds);
        return path;
    }

    public static void Ds(DicomDataset ds, DicomTag tag, double value) =>
        ds.AddOrUpdate(tag, DicomVR.DS, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A US/SS element with several 16-bit values.</summary>
    public static DicomElement Shorts(DicomTag tag, DicomVR vr, params int[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)values[i]);
        }

        return new DicomElement(tag, vr, bytes);
    }
}
