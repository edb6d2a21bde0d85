using System.Diagnostics;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Fixtures;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests;

/// <summary>
/// Acceptance 3 (in-test part): large values stay references into the source file and are copied stream to stream,
/// so reading and rewriting a multi-frame file allocates far less than the file's size. The 1 GB peak working set
/// is measured by the benchmark (tests/MedImageCleaner.Benchmarks), not asserted here.
/// </summary>
public sealed class StreamingTests : IDisposable
{
    private const long TargetBytes = 256L * 1024 * 1024;

    // Header objects, two 64 KB I/O buffers, a pooled 128 KB copy buffer: well under a megabyte in practice. The
    // bound is generous but still 1/32 of the file, so a reader that loads the pixel data fails it.
    private const long AllocationBound = 8L * 1024 * 1024;

    private readonly string _dir = Directory.CreateTempSubdirectory("mic-streaming-").FullName;
    private readonly ITestOutputHelper _output;

    public StreamingTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void OpenAndSave_LargeMultiframe_PixelDataStaysReferenceAndAllocationStaysSmall()
    {
        var input = Path.Combine(_dir, "large.dcm");
        var output = Path.Combine(_dir, "rewritten.dcm");
        var watch = Stopwatch.StartNew();
        var fixture = DicomFixtureBuilder.WriteLargeMultiframe(input, TargetBytes);
        _output.WriteLine($"generated {fixture.FileBytes / (1024 * 1024)} MB ({fixture.Image.Frames} frames) in {watch.ElapsedMilliseconds} ms");
        Assert.True(fixture.FileBytes >= TargetBytes - fixture.Image.FrameBytes, "the fixture is smaller than asked");

        WarmUp();
        watch.Restart();
        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var file = DicomFile.Open(input))
        {
            Assert.True(file.Dataset.TryGetElement(DicomTag.PixelData, out var pixels));
            Assert.False(pixels.Value.IsInMemory, "the pixel data was loaded into memory instead of staying a reference");
            Assert.Equal(fixture.Image.PixelBytes, pixels.Length);
            file.Save(output);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"open + save: {watch.ElapsedMilliseconds} ms, {allocated / 1024} KB allocated on this thread");
        Assert.True(allocated < AllocationBound, $"open + save allocated {allocated} bytes for a {fixture.FileBytes}-byte file (bound {AllocationBound})");

        var expected = SyntheticPixelSource.HashOf(fixture.Image.PixelBytes, DicomFixtureBuilder.LargeFixtureSeed, SyntheticPattern.Ramp);
        Assert.Equal(expected, PixelHash(input));
        Assert.Equal(expected, PixelHash(output));

        // Our writer is deterministic: rewriting a file it wrote gives the same bytes (meta included).
        Assert.Equal(new FileInfo(input).Length, new FileInfo(output).Length);
        Assert.Equal(FileHash(input), FileHash(output));
    }

    [Fact]
    public void OpenAndSave_LargeMultiframe_HeaderSurvivesRewrite()
    {
        var input = Path.Combine(_dir, "medium.dcm");
        var output = Path.Combine(_dir, "medium-out.dcm");
        var fixture = DicomFixtureBuilder.WriteLargeMultiframe(input, 24L * 1024 * 1024);
        using (var file = DicomFile.Open(input))
        {
            file.Save(output);
        }

        using var reread = DicomFile.Open(output);
        Assert.Empty(reread.Warnings);
        Assert.Equal(fixture.Image.Frames, reread.Dataset.GetInt32(DicomTag.NumberOfFrames, 0));
        Assert.Equal(512, reread.Dataset.GetInt32(DicomTag.Rows, 0));
        Assert.Equal(DicomFixtureBuilder.PrivateCreator, reread.Dataset.GetString(new DicomTag(0x0009, 0x0010)));
        Assert.True(reread.Dataset.TryGetSequence(DicomTag.RequestAttributesSequence, out var request));
        Assert.True(request.Items[0].TryGetSequence(DicomTag.ScheduledProtocolCodeSequence, out var codes));
        Assert.Equal("CTCHEST", codes.Items[0].GetString(DicomTag.CodeValue));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the temp folder is ours
        }
    }

    private void WarmUp()
    {
        // Load types, dictionaries and the array pool outside the measured window.
        var small = Path.Combine(_dir, "warmup.dcm");
        DicomFixtureBuilder.WriteLargeMultiframe(small, 2L * 1024 * 1024);
        using (var file = DicomFile.Open(small, new DicomReadOptions { InMemoryThreshold = 0 }))
        {
            file.Save(Path.Combine(_dir, "warmup-out.dcm"));
        }
    }

    private static byte[] PixelHash(string path)
    {
        using var file = DicomFile.Open(path);
        Assert.True(file.Dataset.TryGetElement(DicomTag.PixelData, out var pixels));
        using var sink = new HashingStream();
        pixels.Value.CopyTo(sink, 1);
        return sink.GetHash();
    }

    private static byte[] FileHash(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return System.Security.Cryptography.SHA256.HashData(fs);
    }
}
