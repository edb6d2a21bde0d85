using System.Buffers.Binary;
using System.Globalization;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.TestSupport.BurnedIn;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>
/// Header windows after the first (a narrow low and a narrow high window, as CT and MR headers often carry) cut anatomy
/// into blobs that Tesseract reads as two-letter words. On real grey images of every modality the benchmark uses, with
/// no text burned in and three windows in the header, no box may come from those windows.
/// </summary>
public sealed class NarrowWindowTests(ITestOutputHelper output)
{
    [RequiresFact(Requirements.Corpus, Requirements.Ocr)]
    public void Detect_TextFreeAnatomyUnderNarrowWindows_NoBoxComesFromThem()
    {
        var bases = BaseImageCatalog.Load(out _).Concat(BaseImageCatalog.LoadWider(out _)).Where(static b => b.IsGrey).ToList();
        Assert.NotEmpty(bases);
        using var engine = new FrameRedactionEngine(new TextRedactionOptions { Methods = TextDetectionMethods.Auto, Verify = false });
        var found = new List<string>();
        foreach (var b in bases)
        {
            var (min, max) = b.Range();
            var range = (double)(max - min);
            double[] centres = [min + (range / 2), min + (range * 0.1), min + (range * 0.9)];
            double[] widths = [Math.Max(1, range), Math.Max(1, range * 0.1), Math.Max(1, range * 0.1)];
            var ds = new DicomDataset(16);
            ds.AddOrUpdate(DicomTag.Modality, DicomVR.CS, b.Modality);
            ds.AddOrUpdate(DicomTag.Rows, (ushort)b.Rows);
            ds.AddOrUpdate(DicomTag.Columns, (ushort)b.Columns);
            ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)1);
            ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, b.Photometric);
            ds.AddOrUpdate(DicomTag.BitsAllocated, (ushort)16);
            ds.AddOrUpdate(DicomTag.BitsStored, (ushort)b.BitsStored);
            ds.AddOrUpdate(DicomTag.HighBit, (ushort)(b.BitsStored - 1));
            ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)(b.IsSigned ? 1 : 0));
            ds.AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, string.Join('\\', centres.Select(static c => c.ToString("0.##", CultureInfo.InvariantCulture))));
            ds.AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, string.Join('\\', widths.Select(static w => w.ToString("0.##", CultureInfo.InvariantCulture))));
            var samples = b.Frames[0];
            var bytes = new byte[samples.Length * 2];
            for (var i = 0; i < samples.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)samples[i]);
            }

            var frame = new DecodedFrame(b.Rows, b.Columns, 1, 16, b.BitsStored, b.IsSigned, b.Photometric, bytes);
            var session = engine.BeginImage(ImageAttributes.FromDataset(ds), new PhiContext());
            var boxes = session.Detect(frame, 0).Boxes;
            var fromNarrow = boxes.Where(static x => x.View is "window2" or "window3").ToList();
            output.WriteLine($"{b.Name}: {boxes.Count} boxes, {fromNarrow.Count} from the narrow windows");
            found.AddRange(fromNarrow.Select(x => $"{b.Name}: {x.Box} ({x.View}, {x.Reason})"));
        }

        Assert.True(found.Count == 0, "Boxes from narrow windows over text-free anatomy: " + string.Join("; ", found));
    }
}
