using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Samples;

/// <summary>The kinds of synthetic file <see cref="SampleCorpus"/> makes.</summary>
public enum SampleKind
{
    /// <summary>CT Image Storage, 16-bit signed MONOCHROME2, a private block at top level.</summary>
    CT,

    /// <summary>MR Image Storage, 16-bit unsigned MONOCHROME2, a private block only inside a sequence item.</summary>
    MR,

    /// <summary>Ultrasound Multi-frame Image Storage, 8-bit RGB, 2 frames, burned-in annotation YES, no private tags.</summary>
    US,
}

/// <summary>
/// Synthetic, valid, small DICOM files (Explicit VR Little Endian) with fake patient data, for demos and tests.
/// Everything is derived from the seed and the index, so the same call gives the same bytes.
/// </summary>
public static class SampleCorpus
{
    /// <summary>The private creator of the sample private block.</summary>
    public const string PrivateCreator = "MEDIMAGECLEANER SAMPLE";

    /// <summary>Fake patient names, used in turn. They are not real people.</summary>
    public static IReadOnlyList<string> PatientNames { get; } = ["DOE^JANE", "ROE^RICHARD", "MUSTERMANN^ERIKA", "SMITH^ALEX"];

    private static readonly DicomTag PrivateCreatorTag = new(0x0009, 0x0010);
    private static readonly DicomTag PrivateText = new(0x0009, 0x1001);
    private static readonly DicomTag PrivateNumber = new(0x0009, 0x1002);

    /// <summary>The SOP Class UID of each kind.</summary>
    public static string SopClassUid(SampleKind kind) => kind switch
    {
        SampleKind.CT => "1.2.840.10008.5.1.4.1.1.2",
        SampleKind.MR => "1.2.840.10008.5.1.4.1.1.4",
        SampleKind.US => "1.2.840.10008.5.1.4.1.1.3.1",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind of the file at <paramref name="index"/>: CT, MR, US in turn.</summary>
    public static SampleKind KindOf(int index) => (SampleKind)(index % 3);

    /// <summary>
    /// Writes <paramref name="count"/> files into <paramref name="directory"/> (created if needed), named
    /// <c>sample_NNNN_KIND.dcm</c>, and returns their full paths in order. Existing files of the same name are replaced.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, int count, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var dir = Path.GetFullPath(directory);
        Directory.CreateDirectory(dir);
        var paths = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = KindOf(i);
            var path = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"sample_{i + 1:D4}_{kind}.dcm"));
            new DicomFile(Create(kind, i, seed)).Save(path, overwrite: true);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Builds the dataset of one sample file.</summary>
    public static DicomDataset Create(SampleKind kind, int index, int seed = 0)
    {
        var ds = new DicomDataset();
        var patient = index % PatientNames.Count;
        var study = Uid(seed, "study", patient);
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, SopClassUid(kind));
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, Uid(seed, "instance", index));
        ds.AddOrUpdate(DicomTag.StudyDate, DicomVR.DA, Date(seed, patient));
        ds.AddOrUpdate(DicomTag.SeriesDate, DicomVR.DA, Date(seed, patient));
        ds.AddOrUpdate(DicomTag.StudyTime, DicomVR.TM, "093000");
        ds.AddOrUpdate(DicomTag.AccessionNumber, DicomVR.SH, Inv($"ACC{seed % 1000:D3}{patient:D4}"));
        ds.AddOrUpdate(DicomTag.Modality, DicomVR.CS, kind.ToString());
        ds.AddOrUpdate(DicomTag.InstitutionName, DicomVR.LO, "SAMPLE GENERAL HOSPITAL");
        ds.AddOrUpdate(DicomTag.ReferringPhysicianName, DicomVR.PN, "WHO^DOCTOR");
        ds.AddOrUpdate(DicomTag.StudyDescription, DicomVR.LO, kind + " SAMPLE STUDY");
        ds.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, PatientNames[patient]);
        ds.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, Inv($"MRN{seed % 1000:D3}{patient + 1:D5}"));
        ds.AddOrUpdate(DicomTag.PatientBirthDate, DicomVR.DA, "19700101");
        ds.AddOrUpdate(DicomTag.PatientSex, DicomVR.CS, patient % 2 == 0 ? "F" : "M");
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, Uid(seed, "series-" + kind, patient));
        ds.AddOrUpdate(DicomTag.StudyID, DicomVR.SH, Inv($"{patient + 1}"));
        ds.AddOrUpdate(DicomTag.SeriesNumber, DicomVR.IS, Inv($"{(int)kind + 1}"));
        ds.AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, Inv($"{index + 1}"));
        switch (kind)
        {
            case SampleKind.CT:
                ds.AddOrUpdate(new DicomElement(PrivateCreatorTag, DicomVR.LO, Ascii(PrivateCreator)));
                ds.AddOrUpdate(new DicomElement(PrivateText, DicomVR.LO, Ascii("SCANNER ROOM 2 ")));
                ds.AddOrUpdate(new DicomElement(PrivateNumber, DicomVR.UL, U32((uint)index)));
                AddMonochrome(ds, 32, 32, signed: true, index);
                ds.AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, "-1024");
                ds.AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, "1");
                ds.AddOrUpdate(DicomTag.BurnedInAnnotation, DicomVR.CS, "NO");
                break;
            case SampleKind.MR:
                var item = new DicomDataset();
                item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, "1.2.840.10008.3.1.2.3.1");
                item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, Uid(seed, "reference", patient));
                item.AddOrUpdate(new DicomElement(PrivateCreatorTag, DicomVR.LO, Ascii(PrivateCreator)));
                item.AddOrUpdate(new DicomElement(PrivateText, DicomVR.LO, Ascii("COIL HEAD")));
                ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedStudySequence, [item]));
                AddMonochrome(ds, 32, 24, signed: false, index);
                break;
            case SampleKind.US:
                AddRgb(ds, 32, 24, frames: 2, index);
                ds.AddOrUpdate(DicomTag.BurnedInAnnotation, DicomVR.CS, "YES");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }

        return ds;
    }

    private static void AddMonochrome(DicomDataset ds, ushort columns, ushort rows, bool signed, int index)
    {
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, 1);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTag.Rows, rows);
        ds.AddOrUpdate(DicomTag.Columns, columns);
        ds.AddOrUpdate(DicomTag.PixelSpacing, DicomVR.DS, "0.5\\0.5");
        ds.AddOrUpdate(DicomTag.BitsAllocated, 16);
        ds.AddOrUpdate(DicomTag.BitsStored, 12);
        ds.AddOrUpdate(DicomTag.HighBit, 11);
        ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)(signed ? 1 : 0));
        var pixels = new byte[rows * columns * 2];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                var v = (short)((((x + index) * 97) + (y * 31)) % 2048);
                BinaryPrimitives.WriteInt16LittleEndian(pixels.AsSpan(((y * columns) + x) * 2), v);
            }
        }

        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, pixels));
    }

    private static void AddRgb(DicomDataset ds, ushort columns, ushort rows, int frames, int index)
    {
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, 3);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "RGB");
        ds.AddOrUpdate(DicomTag.PlanarConfiguration, 0);
        ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));
        ds.AddOrUpdate(new DicomElement(DicomTag.FrameIncrementPointer, DicomVR.AT, new byte[] { 0x18, 0x00, 0x63, 0x10 }));
        ds.AddOrUpdate(DicomTag.FrameTime, DicomVR.DS, "33.3");
        ds.AddOrUpdate(DicomTag.Rows, rows);
        ds.AddOrUpdate(DicomTag.Columns, columns);
        ds.AddOrUpdate(DicomTag.BitsAllocated, 8);
        ds.AddOrUpdate(DicomTag.BitsStored, 8);
        ds.AddOrUpdate(DicomTag.HighBit, 7);
        ds.AddOrUpdate(DicomTag.PixelRepresentation, 0);
        var pixels = new byte[frames * rows * columns * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 7) + index);
        }

        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OB, pixels));
    }

    /// <summary>A 2.25 UID from a SHA-256 of the inputs (deterministic, 128 bits).</summary>
    internal static string Uid(int seed, string purpose, int n)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(Inv($"MedImageCleaner.SampleCorpus|{seed}|{purpose}|{n}")));
        var value = new BigInteger(hash.AsSpan(0, 16), isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }

    private static string Date(int seed, int patient) =>
        new DateOnly(2024, 1, 1).AddDays(((seed * 37) + (patient * 11)) % 365).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }
}
