using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Core.Samples;

/// <summary>
/// The demo corpus (build.ps1 -Task Demo): the header samples (fake patients, nested sequences, private attributes),
/// images with their PHI burned into the pixels (an ultrasound-like RGB cine, a 16-bit CT), copies of some of them in
/// compressed transfer syntaxes (RLE, JPEG lossless, JPEG-LS lossless, each with a SOP Instance UID of its own), and
/// one file that is not DICOM. Deterministic.
/// </summary>
public static class DemoCorpus
{
    private static readonly (TransferSyntax Syntax, string Name)[] Compressed =
    [
        (TransferSyntax.RLELossless, "rle"),
        (TransferSyntax.JpegLosslessSV1, "jpegll"),
        (TransferSyntax.JpegLSLossless, "jpegls"),
    ];

    /// <summary>Writes the corpus below <paramref name="directory"/>; returns the paths of the files written.</summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var dir = Path.GetFullPath(directory);
        var paths = new List<string>();
        paths.AddRange(SampleCorpus.Write(Path.Combine(dir, "headers"), 6, seed: 0));
        paths.AddRange(SampleCorpus.Write(Path.Combine(dir, "headers", "series2"), 3, seed: 1));
        var burned = BurnedInSamples.Write(Path.Combine(dir, "burned-in"), seed: 0);
        paths.AddRange(burned);
        var compressed = Path.Combine(dir, "compressed");
        Directory.CreateDirectory(compressed);
        CoreCodecs.EnsureRegistered();
        var copy = 0;
        foreach (var source in burned.Append(paths[0]))
        {
            foreach (var (syntax, name) in Compressed)
            {
                copy++;
                var target = Path.Combine(compressed, $"{name}_{Path.GetFileName(source)}");
                if (Recode(source, target, syntax, copy))
                {
                    paths.Add(target);
                }
            }
        }

        var notes = Path.Combine(dir, "notes.txt");
        File.WriteAllText(notes, "Not a DICOM file: the workflow reports it as NotDicomFile and goes on.\n");
        paths.Add(notes);
        return paths;
    }

    /// <summary>Writes a copy of <paramref name="source"/> in <paramref name="syntax"/> with a SOP Instance UID of its own; false when no encoder takes its pixels.</summary>
    private static bool Recode(string source, string target, TransferSyntax syntax, int copy)
    {
        using var file = DicomFile.Open(source);
        var dataset = file.Dataset;
        if (!PixelData.TryCreate(dataset, out var pixels))
        {
            return false;
        }

        var first = PixelCodecs.Decode(pixels, file.TransferSyntax, 0);
        if (!PixelCodecs.TryGetEncoder(syntax, first, out var encoder))
        {
            return false;
        }

        var sop = dataset.GetString(DicomTag.SOPInstanceUID) ?? "2.25.1";
        dataset.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, sop + "." + copy.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var writer = PixelDataWriter.Begin(dataset, syntax, encoder);
        for (var i = 0; i < pixels.AvailableFrames; i++)
        {
            writer.Add(i == 0 ? first : PixelCodecs.Decode(pixels, file.TransferSyntax, i));
        }

        writer.Complete();
        new DicomFile(dataset, syntax).Save(target, overwrite: true);
        return true;
    }
}
