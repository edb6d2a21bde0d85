using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Dicom.Tests.Codecs.Jpeg;

/// <summary>Deterministic synthetic frames (gradients, noise, sharp edges and full-range jumps) and files holding them.</summary>
internal static class SyntheticImages
{
    /// <summary>The kinds the fixture tests run over.</summary>
    public static readonly string[] Kinds = ["grey8", "grey12", "grey16", "rgb8", "rgb16"];

    public static DecodedFrame Create(string kind, int rows = 61, int columns = 83, int seed = 1)
    {
        var (samples, bits, stored, photometric) = kind switch
        {
            "grey8" => (1, 8, 8, "MONOCHROME2"),
            "grey12" => (1, 16, 12, "MONOCHROME2"),
            "grey16" => (1, 16, 16, "MONOCHROME2"),
            "rgb8" => (3, 8, 8, "RGB"),
            "rgb16" => (3, 16, 16, "RGB"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var max = (1 << stored) - 1;
        var rng = new Random(seed);
        var data = new byte[rows * columns * samples * (bits / 8)];
        var i = 0;
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                for (var c = 0; c < samples; c++)
                {
                    int v;
                    if (y % 17 == 5 && x % 3 == 0)
                    {
                        v = (x / 3) % 2 == 0 ? 0 : max; // full-range jumps
                    }
                    else if (x > columns * 2 / 3 && y < rows / 3)
                    {
                        v = rng.Next(max + 1); // noise block
                    }
                    else
                    {
                        var g = ((x * 7) + (y * 5) + (c * 40)) / (double)((columns * 7) + (rows * 5) + 80);
                        v = (int)(g * max) + rng.Next(-3, 4);
                        v = (x / 11 + y / 9) % 4 == 0 ? max - v : v; // checker edges
                        v = Math.Clamp(v, 0, max);
                    }

                    if (bits == 8)
                    {
                        data[i++] = (byte)v;
                    }
                    else
                    {
                        data[i++] = (byte)v;
                        data[i++] = (byte)(v >> 8);
                    }
                }
            }
        }

        return new DecodedFrame(rows, columns, samples, bits, stored, false, photometric, data);
    }

    public static DicomDataset Header(DecodedFrame frame)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, DicomFixtureBuilder.Uid(9, frame.Rows * 1000 + frame.Columns));
        ds.AddOrUpdate(DicomTag.Modality, DicomVR.CS, "OT");
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)frame.SamplesPerPixel);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, frame.PhotometricInterpretation);
        if (frame.SamplesPerPixel > 1)
        {
            ds.AddOrUpdate(DicomTag.PlanarConfiguration, 0);
        }

        ds.AddOrUpdate(DicomTag.Rows, (ushort)frame.Rows);
        ds.AddOrUpdate(DicomTag.Columns, (ushort)frame.Columns);
        ds.AddOrUpdate(DicomTag.BitsAllocated, (ushort)frame.BitsAllocated);
        ds.AddOrUpdate(DicomTag.BitsStored, (ushort)frame.BitsStored);
        ds.AddOrUpdate(DicomTag.HighBit, (ushort)(frame.BitsStored - 1));
        ds.AddOrUpdate(DicomTag.PixelRepresentation, 0);
        return ds;
    }

    /// <summary>Writes <paramref name="frame"/> as a native Explicit VR Little Endian file.</summary>
    public static void WriteNative(string path, DecodedFrame frame)
    {
        var ds = Header(frame);
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, frame.BitsAllocated == 8 ? DicomVR.OB : DicomVR.OW, frame.Data));
        DicomFixtureBuilder.WriteFile(path, ds, TransferSyntax.ExplicitVRLittleEndian);
    }

    /// <summary>Writes one encapsulated frame (a single fragment, empty offset table).</summary>
    public static void WriteEncapsulated(string path, DecodedFrame frame, byte[] fragment, TransferSyntax syntax)
    {
        var ds = Header(frame);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ValueSource.Empty, [ValueSource.FromBytes(fragment)]));
        DicomFixtureBuilder.WriteFile(path, ds, syntax);
    }
}
