using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Samples;
using MedImageCleaner.Core.Tests.Deidentification;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Fixtures;
using static MedImageCleaner.Core.Tests.Deidentification.DeidentificationTestSupport;

namespace MedImageCleaner.Core.Tests.Validation;

/// <summary>
/// The labelled fixture set of the validator: clean files de-identified by <see cref="DeidentificationService"/> from
/// <see cref="SyntheticPhiFixtures"/>, and copies of the clean CT with exactly one leak planted each.
/// </summary>
internal sealed class ValidationFixtures : IDisposable
{
    /// <summary>The original patient name of the leaks ("Doe^John" in the seed's words).</summary>
    public const string Name = "Doe^John";

    private readonly TempDir _temp = new();

    /// <summary>Leak name -> the check that must catch it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Leaks = new Dictionary<string, string>
    {
        ["nested-sequence"] = DeidentificationCheck.ProfileConformance,
        ["private-tag"] = DeidentificationCheck.PrivateAttribute,
        ["free-text-comment"] = DeidentificationCheck.PhiPattern,
        ["reformatted-date"] = DeidentificationCheck.PhiPattern,
        ["file-meta"] = DeidentificationCheck.PhiPattern,
        ["file-meta-private"] = DeidentificationCheck.PhiPattern,
        ["overlay-text"] = DeidentificationCheck.OverlayContent,
        ["overlay-data"] = DeidentificationCheck.OverlayContent,
    };

    public string Root => _temp.Path;

    public void Dispose() => _temp.Dispose();

    /// <summary>Writes fixture <paramref name="name"/> and de-identifies it with the default settings; returns (input, output).</summary>
    public (string Input, DeidentificationResult Result) Clean(string name, DeidentificationSettings? settings = null)
    {
        var input = Path.Combine(_temp.Sub("in"), name + ".dcm");
        DicomFixtureBuilder.WriteFile(input, SyntheticPhiFixtures.Create(name));
        return (input, Deidentify(input, settings));
    }

    /// <summary>De-identifies <paramref name="input"/> with key A into the out folder.</summary>
    public DeidentificationResult Deidentify(string input, DeidentificationSettings? settings = null, string? destination = null)
    {
        using var key = DeidentificationKey.FromBytes(KeyABytes);
        var service = DeidentificationService.Create(settings ?? new DeidentificationSettings(), key, destination ?? _temp.Sub("out"), OutputLayout.Flat, force: true, new PhiScrubber());
        var result = service.Process(new DeidentificationRequest(input));
        if (result.Status is not (DeidentificationStatus.Written or DeidentificationStatus.Unchanged))
        {
            throw new InvalidOperationException(result.ErrorId + ": " + result.Message);
        }

        return result;
    }

    /// <summary>A copy of the clean CT output with one leak planted; returns (original input, leaky file).</summary>
    public (string Input, string Leaky) Plant(string leak)
    {
        var (input, clean) = Clean("ct");
        var leaky = Path.Combine(_temp.Sub("leaks"), leak + ".dcm");
        using (var file = DicomFile.Open(clean.FullName))
        {
            var ds = file.Dataset;
            switch (leak)
            {
                case "nested-sequence":
                    var inner = new DicomDataset();
                    inner.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, SyntheticPhiFixtures.CtImageStorage);
                    inner.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, Name);
                    var outer = new DicomDataset();
                    outer.AddOrUpdate(new DicomSequence(DicomTag.ContentSequence, [inner]));
                    ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedImageSequence, [outer]));
                    break;
                case "private-tag":
                    ds.AddOrUpdate(new DicomTag(0x0011, 0x0010), DicomVR.LO, "ACME 1.1");
                    ds.AddOrUpdate(new DicomTag(0x0011, 0x1001), DicomVR.LO, "ward 9");
                    ds.AddOrUpdate(new DicomTag(0x0011, 0x1002), DicomVR.PN, Name);
                    break;
                case "free-text-comment":
                    ds.AddOrUpdate(DicomTag.ImageComments, DicomVR.LT, "pt " + Name);
                    break;
                case "reformatted-date":
                    ds.AddOrUpdate(DicomTag.ImageComments, DicomVR.LT, "follow-up of the scan of 04/23/1961");
                    break;
                case "file-meta":
                    file.FileMetaInfo.AddOrUpdate(DicomTag.SourceApplicationEntityTitle, DicomVR.AE, "DOE^JOHN");
                    break;
                case "file-meta-private":
                    file.FileMetaInfo.AddOrUpdate(DicomTag.PrivateInformationCreatorUID, DicomVR.UI, "1.2.826.0.1.3680043.10.543.99");
                    file.FileMetaInfo.AddOrUpdate(new DicomElement(DicomTag.PrivateInformation, DicomVR.OB, "pt DOE^JOHN "u8.ToArray()));
                    break;
                case "overlay-text":
                    Overlay(ds, withBits: false);
                    ds.AddOrUpdate(new DicomTag(0x6000, 0x0022), DicomVR.LO, "pt " + Name);
                    break;
                case "overlay-data":
                    Overlay(ds, withBits: true);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(leak));
            }

            file.Save(leaky, overwrite: true);
        }

        return (input, leaky);
    }

    /// <summary>
    /// The burned-in CT sample (text with the header's name, ID and date in the pixels) de-identified, then marked
    /// Burned In Annotation NO as if its text had been removed: only OCR of the pixels can tell.
    /// </summary>
    public (string Input, string Leaky) BurnedInPixels()
    {
        var samples = BurnedInSamples.Write(_temp.Sub("burned"));
        var ct = samples[1];
        var result = Deidentify(ct);
        var leaky = Path.Combine(_temp.Sub("leaks"), "burned-in-pixels.dcm");
        using (var file = DicomFile.Open(result.FullName))
        {
            file.Dataset.AddOrUpdate(DicomTag.BurnedInAnnotation, DicomVR.CS, "NO");
            file.Save(leaky, overwrite: true);
        }

        return (ct, leaky);
    }

    /// <summary>A 64x256 overlay plane; with bits, "DOE JOHN" is drawn into it.</summary>
    private static void Overlay(DicomDataset ds, bool withBits)
    {
        const int rows = 64, cols = 256;
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0010), (ushort)rows);
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0011), (ushort)cols);
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0040), DicomVR.CS, "G");
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x6000, 0x0050), DicomVR.SS, new byte[] { 1, 0, 1, 0 }));
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0100), (ushort)1);
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0102), (ushort)0);
        MedImageCleaner.Core.Imaging.NativeLoadOrder.Ensure();
        var bits = new byte[rows * cols / 8];
        if (withBits)
        {
            using var mat = new OpenCvSharp.Mat(rows, cols, OpenCvSharp.MatType.CV_8UC1, OpenCvSharp.Scalar.All(0));
            OpenCvSharp.Cv2.PutText(mat, "DOE, JOHN 04/23/1961", new OpenCvSharp.Point(4, 40), OpenCvSharp.HersheyFonts.HersheySimplex, 0.6, OpenCvSharp.Scalar.All(255), 1);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < cols; c++)
                {
                    if (mat.At<byte>(r, c) > 127)
                    {
                        var i = (r * cols) + c;
                        bits[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }
            }
        }

        ds.AddOrUpdate(new DicomElement(new DicomTag(0x6000, 0x3000), DicomVR.OW, bits));
    }
}
