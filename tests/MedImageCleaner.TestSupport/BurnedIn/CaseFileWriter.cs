using System.Buffers.Binary;
using System.Globalization;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>Writes one generated case as a native Explicit VR Little Endian Part 10 file with our own writer.</summary>
internal static class CaseFileWriter
{

    public static void Write(string path, PixelVariant image, SyntheticIdentity identity, string? burnedInAnnotation, int seed, int index)
    {
        var ds = new DicomDataset(40);
        var uid = string.Create(CultureInfo.InvariantCulture, $"2.25.{(uint)seed}{index:00000}");
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, image.Source.SopClassUid);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, uid + ".3");
        ds.AddOrUpdate(DicomTag.StudyDate, DicomVR.DA, SyntheticIdentity.Header(identity.StudyDate));
        ds.AddOrUpdate(DicomTag.AccessionNumber, DicomVR.SH, "ACC" + index.ToString("00000", CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTag.Modality, DicomVR.CS, image.Source.Modality);
        ds.AddOrUpdate(DicomTag.InstitutionName, DicomVR.LO, identity.Institution);
        ds.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, identity.FamilyName + "^" + identity.GivenName);
        ds.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, identity.PatientId);
        ds.AddOrUpdate(DicomTag.PatientBirthDate, DicomVR.DA, SyntheticIdentity.Header(identity.BirthDate));
        ds.AddOrUpdate(DicomTag.PatientAge, DicomVR.AS, identity.Age);
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, uid + ".1");
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, uid + ".2");
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)image.SamplesPerPixel);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, image.Photometric);
        if (image.SamplesPerPixel > 1)
        {
            ds.AddOrUpdate(DicomTag.PlanarConfiguration, 0);
        }

        if (image.Frames.Count > 1)
        {
            ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, image.Frames.Count.ToString(CultureInfo.InvariantCulture));
        }

        var bitsAllocated = image.SamplesPerPixel == 1 ? 16 : 8;
        ds.AddOrUpdate(DicomTag.Rows, (ushort)image.Rows);
        ds.AddOrUpdate(DicomTag.Columns, (ushort)image.Columns);
        ds.AddOrUpdate(DicomTag.BitsAllocated, (ushort)bitsAllocated);
        ds.AddOrUpdate(DicomTag.BitsStored, (ushort)image.BitsStored);
        ds.AddOrUpdate(DicomTag.HighBit, (ushort)(image.BitsStored - 1));
        ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)(image.IsSigned ? 1 : 0));
        if (burnedInAnnotation is not null)
        {
            ds.AddOrUpdate(DicomTag.BurnedInAnnotation, DicomVR.CS, burnedInAnnotation);
        }

        if (image.Windows.Count > 0)
        {
            ds.AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, string.Join('\\', image.Windows.Select(w => Ds(w.Center))));
            ds.AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, string.Join('\\', image.Windows.Select(w => Ds(w.Width))));
        }

        if (image.SamplesPerPixel == 1)
        {
            ds.AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, Ds(image.RescaleIntercept));
            ds.AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, Ds(image.RescaleSlope));
        }

        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, bitsAllocated == 16 ? DicomVR.OW : DicomVR.OB, PixelBytes(image, bitsAllocated)));
        var file = new DicomFile(ds, TransferSyntax.ExplicitVRLittleEndian);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        DicomWriter.Write(stream, file, new DicomWriteOptions { TransferSyntax = TransferSyntax.ExplicitVRLittleEndian });
    }

    private static byte[] PixelBytes(PixelVariant image, int bitsAllocated)
    {
        var perFrame = image.Rows * image.Columns * image.SamplesPerPixel;
        var bytes = new byte[perFrame * image.Frames.Count * (bitsAllocated / 8)];
        var mask = (1 << image.BitsStored) - 1;
        var o = 0;
        foreach (var frame in image.Frames)
        {
            foreach (var v in frame)
            {
                if (bitsAllocated == 8)
                {
                    bytes[o++] = (byte)Math.Clamp(v, 0, 255);
                }
                else
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(o), (ushort)(image.BitsStored == 16 ? v & 0xFFFF : v & mask));
                    o += 2;
                }
            }
        }

        return bytes;
    }

    private static string Ds(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
