using System.Text.Json;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Tests.Imaging;
using MedImageCleaner.Core.Tests.Pixels;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Redaction;

/// <summary>
/// What cannot be made safe never reaches the clean output: pixels we cannot decode and frames whose text is still
/// readable after redaction go to the quarantine with a reason file (JSON, no DICOM values); in place, the file leaves
/// the clean folder.
/// </summary>
public sealed class BurnedInQuarantineTests(ITestOutputHelper output)
{
    /// <summary>A frame filled only where there is no text: verification reads the dates and numbers still there.</summary>
    private static readonly TextRedactionOptions MissingRegion = new()
    {
        Methods = TextDetectionMethods.Region,
        Regions = [new PixelBox(250, 250, 4, 4)],
        Verify = true,
    };

    [RequiresFact(Requirements.Ocr)]
    public void Process_UndecodableFile_QuarantinedNotWritten()
    {
        // No corpus file is refused any more (Jpeg2000CorpusTests.ExpectedUnsupported is empty since signed JPEG 2000
        // decodes), so the refused file is made here: a native frame that declares 2 samples per pixel, which the
        // frame reader refuses as unsupported (only 1 or 3 are).
        using var scratch = RedactionTestSupport.NewScratch();
        var native = Path.Combine(scratch.Root, "native.dcm");
        RedactionTestSupport.WriteSynthetic(native, SyntheticRepresentation.Grey8, 64, 64, 1, seed: 5);
        var input = Path.Combine(scratch.Source, "two-samples.dcm");
        using (var file = DicomFile.Open(native))
        {
            var ds = file.Dataset.Clone();
            ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)2);
            ds.AddOrUpdate(DicomTag.Columns, (ushort)32);
            DicomFixtureBuilder.WriteFile(input, ds);
        }
        using var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(input));

        AssertQuarantined(result, scratch, "UnsupportedPixelEncoding", input);
        Assert.True(File.Exists(input), "with a destination the source stays where it is");
        Assert.Equal(File.ReadAllBytes(input), File.ReadAllBytes(result.QuarantinePath!));
    }

    [RequiresFact(Requirements.Ocr, "dcmdump", "dcmcrle")]
    public void Process_UnknownEncapsulatedSyntaxInPlace_MovedToQuarantine()
    {
        using var scratch = RedactionTestSupport.NewScratch();
        var native = Path.Combine(scratch.Source, "native.dcm");
        RedactionTestSupport.WriteSynthetic(native, SyntheticRepresentation.Grey8, 256, 256, 1, seed: 3);
        var rle = RedactionTestSupport.Compress(native, SourceEncoding.Rle, scratch.Root);

        // The RLE fragments relabelled with a syntax no decoder here knows (JPEG XL lossless).
        Directory.CreateDirectory(scratch.Clean);
        var input = Path.Combine(scratch.Clean, "unknown.dcm");
        using (var file = DicomFile.Open(rle))
        {
            new DicomFile(file.Dataset, TransferSyntax.Lookup("1.2.840.10008.1.2.4.110")).Save(input);
        }

        using var service = new BurnedInTextService(TextRedactionOptions.Default, destination: null, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(input));

        AssertQuarantined(result, scratch, "UnsupportedPixelEncoding", input);
        Assert.False(File.Exists(input), "in place, the file must leave the clean folder");
    }

    [RequiresFact(Requirements.Ocr, "dcmdump")]
    public void Process_TextRemainsAfterRedaction_QuarantinedNotWritten()
    {
        using var scratch = RedactionTestSupport.NewScratch();
        var input = Path.Combine(scratch.Source, "text.dcm");
        RedactionTestSupport.WriteSynthetic(input, SyntheticRepresentation.Grey8, 512, 512, 1, seed: 11);
        using var service = new BurnedInTextService(MissingRegion, scratch.Clean, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(input));

        AssertQuarantined(result, scratch, "TextRemains", input);
        Assert.False(result.Verified);
        Assert.NotEmpty(result.VerificationFindings);
        Assert.True(File.Exists(input));
        Assert.Equal("YES", RedactionTestSupport.ValueOf(result.QuarantinePath!, RedactionTestSupport.BurnedInAnnotation));
    }

    [RequiresFact(Requirements.Ocr, "dcmdump")]
    public void Process_TextRemainsInPlace_FileLeavesCleanFolder()
    {
        using var scratch = RedactionTestSupport.NewScratch();
        Directory.CreateDirectory(scratch.Clean);
        var input = Path.Combine(scratch.Clean, "text.dcm");
        RedactionTestSupport.WriteSynthetic(input, SyntheticRepresentation.Grey8, 512, 512, 1, seed: 11);
        using var service = new BurnedInTextService(MissingRegion, destination: null, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(input));

        AssertQuarantined(result, scratch, "TextRemains", input);
        Assert.False(File.Exists(input), "in place, the file must leave the clean folder");
    }

    /// <summary>Status, reason id, the file and its reason file in the quarantine (no values in it), nothing in the destination.</summary>
    private void AssertQuarantined(TextRedactionResult result, Scratch scratch, string reason, string input)
    {
        output.WriteLine($"status {result.Status}, error id {result.ErrorId}, findings {result.VerificationFindings.Count}");
        Assert.Equal(TextRedactionStatus.Quarantined, result.Status);
        Assert.Equal(reason, result.ErrorId);
        Assert.NotNull(result.QuarantinePath);
        Assert.Equal(scratch.QuarantineFolder, Path.GetDirectoryName(result.QuarantinePath));
        Assert.True(File.Exists(result.QuarantinePath), "the quarantined file is missing");
        var reasonFile = result.QuarantinePath + Quarantine.ReasonSuffix;
        Assert.True(File.Exists(reasonFile), "the reason file is missing");
        using (var json = JsonDocument.Parse(File.ReadAllBytes(reasonFile)))
        {
            Assert.Equal(reason, json.RootElement.GetProperty("reason").GetString());
            Assert.Equal(Path.GetFileName(result.QuarantinePath), json.RootElement.GetProperty("file").GetString());
            var message = json.RootElement.GetProperty("message").GetString()!;
            foreach (var value in HeaderValues(result.QuarantinePath!))
            {
                Assert.DoesNotContain(value, message, StringComparison.OrdinalIgnoreCase);
            }
        }

        var clean = Directory.Exists(scratch.Clean) ? Directory.GetFiles(scratch.Clean) : [];
        if (result.FullName != input)
        {
            Assert.Empty(clean);
        }
    }

    /// <summary>The identifying values of a file's header (patient name and ID, study date, accession, institution), to check that no message carries them.</summary>
    private static List<string> HeaderValues(string path)
    {
        using var file = DicomFile.Open(path);
        var list = new List<string>();
        foreach (var tag in new DicomTag[] { DicomTag.PatientName, DicomTag.PatientID, DicomTag.StudyDate, DicomTag.AccessionNumber, DicomTag.InstitutionName })
        {
            if (file.Dataset.GetString(tag)?.Trim('\0', ' ') is { Length: >= 3 } v)
            {
                list.Add(v);
            }
        }

        return list;
    }
}
