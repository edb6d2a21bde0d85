using System.Globalization;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Fixtures;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>Synthetic frames (seeded: flat areas, ramps, noise, so every coding path runs) and datasets holding them.</summary>
internal static class SyntheticImages
{
    /// <summary>A frame of <paramref name="bitsStored"/>-bit values in <paramref name="bitsAllocated"/>-bit samples.</summary>
    public static DecodedFrame Frame(int rows, int columns, int samples, int bitsAllocated, int bitsStored, int seed, bool signed = false)
    {
        var random = new Random(seed);
        var b = bitsAllocated / 8;
        var data = new byte[rows * columns * samples * b];
        var max = bitsStored >= 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                for (var s = 0; s < samples; s++)
                {
                    // Quadrants: flat, horizontal ramp, noise, stripes.
                    ulong v = (((r * 2 / rows) * 2) + (c * 2 / columns)) switch
                    {
                        0 => (ulong)(s * 37) % (max + 1UL),
                        1 => ((ulong)c * (max / (ulong)columns)) + (ulong)s,
                        2 => (ulong)(random.NextInt64() % ((long)max + 1)),
                        _ => ((c / 3) & 1) == 0 ? max : (ulong)(r % 7),
                    };
                    var value = (uint)Math.Min(v, max);
                    var at = (((r * columns) + c) * samples + s) * b;
                    for (var k = 0; k < b; k++)
                    {
                        data[at + k] = (byte)(value >> (8 * k));
                    }
                }
            }
        }

        return new DecodedFrame(rows, columns, samples, bitsAllocated, bitsStored, signed, samples == 3 ? "RGB" : "MONOCHROME2", data);
    }

    /// <summary>A CT-like dataset with the frames as native pixel data (Explicit VR LE).</summary>
    public static DicomDataset Dataset(IReadOnlyList<DecodedFrame> frames, int index = 0)
    {
        var f = frames[0];
        var ds = DicomFixtureBuilder.CreateCtHeader(index, new FixtureImage(f.Rows, f.Columns, frames.Count));
        Describe(ds, f, frames.Count);
        var all = new byte[f.Data.Length * frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            frames[i].Data.CopyTo(all, i * f.Data.Length);
        }

        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, f.BitsAllocated == 8 ? DicomVR.OB : DicomVR.OW, all));
        return ds;
    }

    /// <summary>The same dataset with each frame encoded by <paramref name="encoder"/> into one fragment (empty offset table).</summary>
    public static DicomDataset Encapsulated(IReadOnlyList<DecodedFrame> frames, IFrameEncoder encoder, int index = 0)
    {
        var ds = Dataset(frames, index);
        var fragments = new List<ValueSource>();
        foreach (var frame in frames)
        {
            fragments.Add(ValueSource.FromBytes(encoder.Encode(frame)));
        }

        ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ValueSource.Empty, fragments));
        return ds;
    }

    public static void Describe(DicomDataset ds, DecodedFrame f, int frames)
    {
        ds.AddOrUpdate(DicomTag.Rows, (ushort)f.Rows);
        ds.AddOrUpdate(DicomTag.Columns, (ushort)f.Columns);
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)f.SamplesPerPixel);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, f.PhotometricInterpretation);
        ds.AddOrUpdate(DicomTag.BitsAllocated, (ushort)f.BitsAllocated);
        ds.AddOrUpdate(DicomTag.BitsStored, (ushort)f.BitsStored);
        ds.AddOrUpdate(DicomTag.HighBit, (ushort)(f.BitsStored - 1));
        ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)(f.IsSigned ? 1 : 0));
        if (f.SamplesPerPixel > 1)
        {
            ds.AddOrUpdate(DicomTag.PlanarConfiguration, 0);
        }
        else
        {
            ds.Remove(DicomTag.PlanarConfiguration);
        }

        if (frames > 1)
        {
            ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));
        }

        // CT-specific attributes that contradict a colour or non-16-bit image are left out.
        if (f.SamplesPerPixel > 1 || f.BitsAllocated != 16)
        {
            ds.AddOrUpdate(new DicomElement(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7\0"u8.ToArray()));
            ds.RemoveAll(i => i.Tag.Group == 0x0028 && i.Tag.Element is 0x1050 or 0x1051 or 0x1052 or 0x1053 or 0x1054);
        }
    }
}
