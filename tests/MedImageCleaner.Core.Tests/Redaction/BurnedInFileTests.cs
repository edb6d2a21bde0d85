using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Tests.Pixels;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Redaction;

/// <summary>The file-level outcomes: no pixel data, not DICOM, reruns, an existing different output, -Force.</summary>
public sealed class BurnedInFileTests(ITestOutputHelper output)
{
    [RequiresFact(Requirements.Corpus, Requirements.Ocr, "dcmdump")]
    public void Process_StructuredReport_NoPixelDataCopiedByteIdentical()
    {
        var path = RedactionTestSupport.CorpusPath("pydicom", "test-SR.dcm");

        using var scratch = RedactionTestSupport.NewScratch();
        using var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(path));

        Assert.Equal(TextRedactionStatus.NoPixelData, result.Status);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(result.FullName));
        Assert.Equal(TextRedactionStatus.Unchanged, service.Process(new BurnedInTextRequest(path)).Status);
    }

    [RequiresFact(Requirements.Corpus, Requirements.Ocr, "dcmdump")]
    public void Process_NoPixelDataOverDifferentFile_FailsDestinationExistsUnlessForced()
    {
        var path = RedactionTestSupport.CorpusPath("pydicom", "test-SR.dcm");

        using var scratch = RedactionTestSupport.NewScratch();
        Directory.CreateDirectory(scratch.Clean);
        var target = Path.Combine(scratch.Clean, Path.GetFileName(path));
        File.WriteAllText(target, "another file");
        using (var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine))
        {
            var result = service.Process(new BurnedInTextRequest(path));
            Assert.Equal(TextRedactionStatus.Failed, result.Status);
            Assert.Equal("DestinationExists", result.ErrorId);
            Assert.Equal("another file", File.ReadAllText(target));
        }

        using (var forced = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine, force: true))
        {
            Assert.Equal(TextRedactionStatus.NoPixelData, forced.Process(new BurnedInTextRequest(path)).Status);
            Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(target));
        }
    }

    [RequiresFact(Requirements.Ocr, "dcmdump")]
    public void Process_NotDicom_FailsNotDicomFile()
    {
        using var scratch = RedactionTestSupport.NewScratch();
        var input = Path.Combine(scratch.Source, "notes.dcm");
        File.WriteAllText(input, "not a DICOM file, just text long enough to have a preamble's worth of bytes in it ".PadRight(300, '.'));
        using var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(input));

        Assert.Equal(TextRedactionStatus.Failed, result.Status);
        Assert.Equal("NotDicomFile", result.ErrorId);
        Assert.False(File.Exists(Path.Combine(scratch.Clean, "notes.dcm")));
        Assert.False(Directory.Exists(scratch.QuarantineFolder) && Directory.GetFiles(scratch.QuarantineFolder).Length > 0);
    }

    [RequiresFact(Requirements.Ocr, "dcmdump")]
    public void Process_RerunAndExistingDifferentOutput_UnchangedThenDestinationExistsThenForced()
    {
        using var scratch = RedactionTestSupport.NewScratch();
        var input = Path.Combine(scratch.Source, "text.dcm");
        RedactionTestSupport.WriteSynthetic(input, SyntheticRepresentation.Grey8, 512, 512, 1, seed: 5);
        using var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine);

        var first = service.Process(new BurnedInTextRequest(input));
        Assert.True(first.Status == TextRedactionStatus.Redacted, $"status {first.Status} ({first.ErrorId})");
        var written = File.ReadAllBytes(first.FullName);
        var second = service.Process(new BurnedInTextRequest(input));
        Assert.Equal(TextRedactionStatus.Unchanged, second.Status);
        Assert.Equal(written, File.ReadAllBytes(first.FullName));

        File.WriteAllBytes(first.FullName, [.. written.AsSpan(0, written.Length - 2), 0x55, 0xAA]);
        var exists = service.Process(new BurnedInTextRequest(input));
        Assert.Equal(TextRedactionStatus.Failed, exists.Status);
        Assert.Equal("DestinationExists", exists.ErrorId);
        Assert.NotEqual(written, File.ReadAllBytes(first.FullName));

        using var forced = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine, force: true);
        Assert.Equal(TextRedactionStatus.Redacted, forced.Process(new BurnedInTextRequest(input)).Status);
        Assert.Equal(written, File.ReadAllBytes(first.FullName));
    }

    [RequiresFact(Requirements.Corpus, Requirements.Ocr, "dcmdump")]
    public void Process_TruncatedPixelData_NothingReleased()
    {
        var path = RedactionTestSupport.CorpusPath("pydicom", "MR_truncated.dcm");

        using var scratch = RedactionTestSupport.NewScratch();
        using var service = new BurnedInTextService(TextRedactionOptions.Default, scratch.Clean, scratch.Quarantine);
        var result = service.Process(new BurnedInTextRequest(path));
        output.WriteLine($"status {result.Status}, error id {result.ErrorId}");

        Assert.True(result.Status is TextRedactionStatus.Failed or TextRedactionStatus.Quarantined, $"status {result.Status}");
        Assert.NotNull(result.ErrorId);
        Assert.False(File.Exists(Path.Combine(scratch.Clean, Path.GetFileName(path))), "a file whose pixels could not be read reached the clean output");
    }
}
