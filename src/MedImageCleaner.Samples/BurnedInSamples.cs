using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom;
using OpenCvSharp;

namespace MedImageCleaner.Core.Samples;

/// <summary>
/// Synthetic images with their own header PHI burned into the pixels (the way ultrasound machines and consoles do),
/// for the demo and the tests of Remove-BurnedInText: an ultrasound-like RGB cine with the text in a static banner,
/// and a 16-bit CT slice with corner annotations. Deterministic for a seed.
/// </summary>
public static class BurnedInSamples
{
    /// <summary>
    /// Writes <c>burned_us_rgb.dcm</c> (640x480 RGB, 4 frames) and <c>burned_ct16.dcm</c> (512x512 16-bit signed) into
    /// <paramref name="directory"/>; returns their paths.
    /// </summary>
    public static string[] Write(string directory, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var dir = Path.GetFullPath(directory);
        Directory.CreateDirectory(dir);
        NativeLoadOrder.Ensure();
        var us = Path.Combine(dir, "burned_us_rgb.dcm");
        new DicomFile(CreateUltrasound(seed)).Save(us, overwrite: true);
        var ct = Path.Combine(dir, "burned_ct16.dcm");
        new DicomFile(CreateCt(seed)).Save(ct, overwrite: true);
        return [us, ct];
    }

    /// <summary>The lines burned into an image: the header's own name, ID, date and institution.</summary>
    public static IReadOnlyList<string> BurnedLines(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var name = (dataset.GetString(DicomTag.PatientName) ?? string.Empty).Split('^');
        var date = dataset.GetString(DicomTag.StudyDate) ?? "20240101";
        var shown = date.Length == 8 ? $"{date[4..6]}/{date[6..8]}/{date[..4]}" : date;
        return
        [
            $"{name[0]}, {(name.Length > 1 ? name[1] : string.Empty)}",
            "ID " + (dataset.GetString(DicomTag.PatientID) ?? string.Empty),
            shown + " 09:30:12",
            dataset.GetString(DicomTag.InstitutionName) ?? string.Empty,
        ];
    }

    private static DicomDataset CreateUltrasound(int seed)
    {
        const int cols = 640, rows = 480, frames = 4;
        var ds = SampleCorpus.Create(SampleKind.US, 2, seed);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, SampleCorpus.Uid(seed, "burned-in-instance", 0));
        var lines = BurnedLines(ds);
        var pixels = new byte[frames * rows * cols * 3];
        for (var f = 0; f < frames; f++)
        {
            using var image = new Mat(rows, cols, MatType.CV_8UC3, Scalar.All(0));

            // The "sector": speckle that moves from frame to frame, under a static text banner.
            using var speckle = new Mat(rows, cols, MatType.CV_8UC1);
            var noise = new byte[rows * cols];
            new Random(seed + f).NextBytes(noise);
            for (var i = 0; i < noise.Length; i++)
            {
                noise[i] = (byte)(noise[i] * 160 / 255);
            }

            Marshal.Copy(noise, 0, speckle.Data, noise.Length);
            Cv2.GaussianBlur(speckle, speckle, new Size(0, 0), 2);
            using var sectorMask = new Mat(rows, cols, MatType.CV_8UC1, Scalar.All(0));
            Cv2.Ellipse(sectorMask, new Point(cols / 2, 90), new Size(260, 360), 0, 55, 125, Scalar.All(255), -1);
            using var sector = new Mat();
            Cv2.CvtColor(speckle, sector, ColorConversionCodes.GRAY2BGR);
            sector.CopyTo(image, sectorMask);

            var y = 22;
            foreach (var line in lines)
            {
                Cv2.PutText(image, line, new Point(12, y), HersheyFonts.HersheySimplex, 0.6, new Scalar(235, 235, 235), 1, LineTypes.AntiAlias);
                y += 24;
            }

            Cv2.PutText(image, "L", new Point(cols - 40, rows - 20), HersheyFonts.HersheySimplex, 0.8, new Scalar(200, 200, 40), 2, LineTypes.AntiAlias);
            Cv2.CvtColor(image, image, ColorConversionCodes.BGR2RGB);
            Marshal.Copy(image.Data, pixels, f * rows * cols * 3, rows * cols * 3);
        }

        ds.AddOrUpdate(DicomTag.Rows, (ushort)rows);
        ds.AddOrUpdate(DicomTag.Columns, (ushort)cols);
        ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));
        ds.AddOrUpdate(new DicomElement(DicomTag.FrameIncrementPointer, DicomVR.AT, new byte[] { 0x18, 0x00, 0x63, 0x10 }));
        ds.AddOrUpdate(DicomTag.FrameTime, DicomVR.DS, "40");
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OB, pixels));
        ds.AddOrUpdate(DicomTag.BurnedInAnnotation, DicomVR.CS, "YES");
        return ds;
    }

    private static DicomDataset CreateCt(int seed)
    {
        const int size = 512;
        var ds = SampleCorpus.Create(SampleKind.CT, 0, seed);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, SampleCorpus.Uid(seed, "burned-in-instance", 1));
        var lines = BurnedLines(ds);
        using var body = new Mat(size, size, MatType.CV_8UC1, Scalar.All(0));
        Cv2.Ellipse(body, new Point(size / 2, size / 2), new Size(190, 150), 0, 0, 360, Scalar.All(120), -1);
        Cv2.Circle(body, new Point(size / 2, (size / 2) + 40), 30, Scalar.All(230), -1);
        using var text = new Mat(size, size, MatType.CV_8UC1, Scalar.All(0));
        var y = 24;
        foreach (var line in lines)
        {
            Cv2.PutText(text, line, new Point(10, y), HersheyFonts.HersheySimplex, 0.6, Scalar.All(255), 1, LineTypes.AntiAlias);
            y += 22;
        }

        var pixels = new byte[size * size * 2];
        for (var r = 0; r < size; r++)
        {
            for (var c = 0; c < size; c++)
            {
                // Stored values: air -1000 HU, soft tissue ~+40 HU, bone ~+1000 HU (intercept -1024); text at +2000 HU.
                var tissue = body.At<byte>(r, c);
                var hu = tissue == 0 ? -1000 : tissue < 200 ? 40 + ((r * 7 + c * 3) % 20) : 1000;
                var ink = text.At<byte>(r, c);
                hu += (int)((2000 - hu) * (ink / 255.0));
                BinaryPrimitives.WriteInt16LittleEndian(pixels.AsSpan(((r * size) + c) * 2), (short)(hu + 1024));
            }
        }

        ds.AddOrUpdate(DicomTag.Rows, (ushort)size);
        ds.AddOrUpdate(DicomTag.Columns, (ushort)size);
        ds.AddOrUpdate(DicomTag.BitsStored, 16);
        ds.AddOrUpdate(DicomTag.HighBit, 15);
        ds.AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, "40");
        ds.AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, "400");
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, pixels));
        ds.AddOrUpdate(DicomTag.BurnedInAnnotation, DicomVR.CS, "YES");
        return ds;
    }
}
