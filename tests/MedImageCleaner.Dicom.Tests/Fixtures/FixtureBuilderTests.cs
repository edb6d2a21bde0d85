using System.Diagnostics;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Oracles;

namespace MedImageCleaner.Dicom.Tests.Fixtures;

/// <summary>The fixtures other tests and the benchmarks stand on are valid DICOM (our reader, and dcmdump when installed).</summary>
public sealed class FixtureBuilderTests
{
    public static TheoryData<string> Syntaxes => new()
    {
        TransferSyntax.ExplicitVRLittleEndian.Uid,
        TransferSyntax.ImplicitVRLittleEndian.Uid,
        TransferSyntax.ExplicitVRBigEndian.Uid,
        TransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
    };

    [RequiresTheory("dcmdump")]
    [MemberData(nameof(Syntaxes))]
    public void CreateCtDataset_RoundTrip_ReadsBackWithoutWarnings(string syntaxUid)
    {
        var syntax = TransferSyntax.Lookup(syntaxUid);
        var ds = DicomFixtureBuilder.CreateCtDataset(3, new FixtureImage(32, 48, 2));
        var bytes = DicomFixtureBuilder.ToBytes(ds, syntax);

        using var file = DicomFile.Open(bytes);
        Assert.Empty(file.Warnings);
        Assert.Equal(syntax, file.TransferSyntax);
        Assert.True(file.Dataset.Count >= 100, $"only {file.Dataset.Count} top-level elements");
        Assert.Equal(ds.Count, file.Dataset.Count);
        for (var i = 0; i < ds.Count; i++)
        {
            Assert.Equal(ds.Items[i].Tag, file.Dataset.Items[i].Tag);
        }

        Assert.Equal("Fixture^Patient^3", file.Dataset.GetString(DicomTag.PatientName));
        Assert.True(file.Dataset.TryGetElement(DicomTag.PixelData, out var pixels));
        Assert.Equal(DicomFixtureBuilder.CreatePixelBytes(new FixtureImage(32, 48, 2), 3), pixels.Value.GetBytes().ToArray());

        var path = Path.Combine(Path.GetTempPath(), "mic-fixture-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            File.WriteAllBytes(path, bytes);
            AssertDcmdumpAccepts(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SyntheticPixelSource_ReadAtAnyOffset_MatchesWholeValue()
    {
        var source = new SyntheticPixelSource(300_001, 5, SyntheticPattern.Ramp);
        var whole = source.GetBytes().ToArray();
        var buffer = new byte[140_000];
        foreach (var offset in new long[] { 0, 1, 131_041, 131_042, 131_043, 200_000, 299_999 })
        {
            var n = source.Read(offset, buffer);
            Assert.Equal((int)Math.Min(buffer.Length, whole.Length - offset), n);
            Assert.True(buffer.AsSpan(0, n).SequenceEqual(whole.AsSpan((int)offset, n)), $"offset {offset}");
        }

        using var ms = new MemoryStream();
        source.CopyTo(ms, 1);
        Assert.Equal(whole, ms.ToArray());
    }

    [RequiresFact("dcmdump")]
    public void WriteLargeMultiframe_SmallTarget_WritesWholeFramesOurReaderAndDcmdumpAccept()
    {
        var dir = Directory.CreateTempSubdirectory("mic-fixture-").FullName;
        try
        {
            var path = Path.Combine(dir, "multi.dcm");
            var fixture = DicomFixtureBuilder.WriteLargeMultiframe(path, 3L * 1024 * 1024 + 5, rows: 256, columns: 256);
            Assert.Equal(24, fixture.Image.Frames);
            using (var file = DicomFile.Open(path))
            {
                Assert.Empty(file.Warnings);
                Assert.True(file.Dataset.TryGetElement(DicomTag.PixelData, out var pixels));
                Assert.Equal(fixture.Image.PixelBytes, pixels.Length);
                Assert.Equal(24, file.Dataset.GetInt32(DicomTag.NumberOfFrames, 0));
            }

            AssertDcmdumpAccepts(path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BuildDeflateBomb_SmallFile_InflatesPastTheDeclaredSize()
    {
        var bytes = DicomFixtureBuilder.BuildDeflateBomb(16L * 1024 * 1024);
        Assert.True(bytes.Length < 256 * 1024, $"the bomb is {bytes.Length} bytes");
        using var file = DicomFile.Open(bytes);
        Assert.True(file.Dataset.TryGetElement(new DicomTag(0x0009, 0x1005), out var zeros));
        Assert.Equal(16L * 1024 * 1024, zeros.Length);
    }

    private static void AssertDcmdumpAccepts(string path)
    {
        // The tests that call this require dcmdump (RequiresFact): a missing tool is a skip, never a silent pass.
        var psi = new ProcessStartInfo("dcmdump", ["-q", "-M", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using (var p = Process.Start(psi))
        {
            Assert.NotNull(p);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0 && stderr.Length == 0, $"dcmdump exit {p.ExitCode}: {stderr}");
            Assert.Contains("(7fe0,0010) OW", stdout.Result, StringComparison.Ordinal);
        }
    }
}
