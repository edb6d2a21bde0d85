using System.Diagnostics;
using MedImageCleaner.Core.Files;
using MedImageCleaner.Core.Samples;
using MedImageCleaner.Dicom;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests;

public sealed class DicomFileInspectorTests : IDisposable
{
    private static readonly DicomTag PrivateText = new(0x0009, 0x1001);
    private static readonly DicomTag PrivateNumber = new(0x0009, 0x1002);

    private readonly ITestOutputHelper _output;
    private readonly string _dir;
    private readonly IReadOnlyList<string> _samples;

    public DicomFileInspectorTests(ITestOutputHelper output)
    {
        _output = output;
        _dir = Path.Combine(Path.GetTempPath(), "mic-inspector-" + Guid.NewGuid().ToString("N"));
        _samples = SampleCorpus.Write(_dir, 3);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Inspect_SampleCt_DescribesHeader()
    {
        var info = DicomFileInspector.Inspect(_samples[0], []);

        Assert.Equal(_samples[0], info.FullName);
        Assert.Equal("sample_0001_CT.dcm", info.Name);
        Assert.Equal(new FileInfo(_samples[0]).Length, info.Length);
        Assert.Equal("CT", info.Modality);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", info.SopClassUid);
        Assert.Equal("CT Image Storage", info.SopClassName);
        Assert.StartsWith("2.25.", info.SopInstanceUid, StringComparison.Ordinal);
        Assert.Equal("1.2.840.10008.1.2.1", info.TransferSyntaxUid);
        Assert.Equal("Explicit VR Little Endian", info.TransferSyntaxName);
        Assert.Equal(32, info.Rows);
        Assert.Equal(32, info.Columns);
        Assert.Equal(1, info.NumberOfFrames);
        Assert.Equal(16, info.BitsAllocated);
        Assert.Equal("MONOCHROME2", info.PhotometricInterpretation);
        Assert.False(info.BurnedInAnnotation);
        Assert.True(info.HasPrivateTags);
        Assert.Null(info.PatientIdentityRemoved);
        Assert.Equal("DOE^JANE", info.PatientName);
        Assert.StartsWith("MRN", info.PatientId, StringComparison.Ordinal);
        Assert.Matches("^2024[0-9]{4}$", info.StudyDate);
        Assert.Empty(info.Warnings);
        Assert.Empty(info.Attributes);
        Assert.Equal(info.FullName, info.ToString());
    }

    [Fact]
    public void Inspect_SampleMr_FindsPrivateTagOnlyNested()
    {
        using (var file = DicomFile.Open(_samples[1]))
        {
            // The fixture's premise: no private tag at top level, one inside a sequence item.
            Assert.DoesNotContain(file.Dataset, item => item.Tag.IsPrivate);
            Assert.True(file.Dataset.TryGetSequence(DicomTag.ReferencedStudySequence, out var seq));
            Assert.Contains(seq.Items[0], item => item.Tag.IsPrivate);
        }

        var info = DicomFileInspector.Inspect(_samples[1], []);

        Assert.Equal("MR", info.Modality);
        Assert.True(info.HasPrivateTags);
        Assert.Null(info.BurnedInAnnotation);
        Assert.Equal("ROE^RICHARD", info.PatientName);
    }

    [Fact]
    public void Inspect_SampleUs_MultiFrameWithoutPrivateTags()
    {
        var info = DicomFileInspector.Inspect(_samples[2], []);

        Assert.Equal("Ultrasound Multi-frame Image Storage", info.SopClassName);
        Assert.Equal(2, info.NumberOfFrames);
        Assert.Equal(8, info.BitsAllocated);
        Assert.Equal("RGB", info.PhotometricInterpretation);
        Assert.True(info.BurnedInAnnotation);
        Assert.False(info.HasPrivateTags);
    }

    [Fact]
    public void Inspect_ExtraTags_KeyedByKeywordOrTag()
    {
        var info = DicomFileInspector.Inspect(
            _samples[0],
            [DicomTag.PatientName, DicomTag.Rows, DicomTag.PixelSpacing, PrivateText, PrivateNumber, DicomTag.PatientAge]);

        Assert.Equal(["PatientName", "Rows", "PixelSpacing", "(0009,1001)", "(0009,1002)", "PatientAge"], info.Attributes.Keys);
        Assert.Equal("DOE^JANE", info.Attributes["PatientName"]);
        Assert.Equal((ushort)32, info.Attributes["Rows"]);
        Assert.Equal(new object?[] { 0.5, 0.5 }, Assert.IsType<object?[]>(info.Attributes["PixelSpacing"]));
        Assert.Equal("SCANNER ROOM 2", info.Attributes["(0009,1001)"]);
        Assert.Equal(0u, info.Attributes["(0009,1002)"]);
        Assert.Null(info.Attributes["PatientAge"]);
        Assert.True(info.Attributes.ContainsKey("patientname"));
    }

    [Fact]
    public void Inspect_ExtraTags_SequenceGivesItemCountAndAtGivesTag()
    {
        var mr = DicomFileInspector.Inspect(_samples[1], [DicomTag.ReferencedStudySequence]);
        var us = DicomFileInspector.Inspect(_samples[2], [DicomTag.FrameIncrementPointer, DicomTag.NumberOfFrames]);

        Assert.Equal(1, mr.Attributes["ReferencedStudySequence"]);
        Assert.Equal("(0018,1063)", us.Attributes["FrameIncrementPointer"]);
        Assert.Equal(2L, us.Attributes["NumberOfFrames"]);
    }

    [Fact]
    public void Inspect_TruncatedInPixelData_HeaderStillRead()
    {
        var bytes = File.ReadAllBytes(_samples[0]);
        var truncated = Path.Combine(_dir, "truncated.dcm");
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length - 100).ToArray());

        var info = DicomFileInspector.Inspect(truncated, []);

        Assert.Equal("CT", info.Modality);
        Assert.Equal(32, info.Rows);
    }

    [Fact]
    public void Inspect_NonDicomFile_ThrowsNotDicomWithPathAndNoContent()
    {
        var text = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(text, "PatientName DOE^JANE, this is not DICOM at all.\n");

        var ex = Assert.Throws<NotDicomException>(() => DicomFileInspector.Inspect(text, []));

        Assert.Equal(text, ex.FilePath);
        Assert.DoesNotContain("DOE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MissingFile_ThrowsDicomReadException()
    {
        var missing = Path.Combine(_dir, "missing.dcm");

        var ex = Assert.ThrowsAny<DicomReadException>(() => DicomFileInspector.Inspect(missing, []));

        Assert.Equal(missing, ex.FilePath);
    }

    [Theory]
    [InlineData("PatientName")]
    [InlineData("patientname")]
    [InlineData(" PATIENTNAME ")]
    [InlineData("(0010,0010)")]
    [InlineData("0010,0010")]
    [InlineData("00100010")]
    public void TryResolveTag_KeywordOrHex_GivesTag(string text)
    {
        Assert.True(DicomFileInspector.TryResolveTag(text, out var tag));
        Assert.Equal(DicomTag.PatientName, tag);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("NoSuchKeyword")]
    [InlineData("(0010,00")]
    public void TryResolveTag_Garbage_False(string? text) => Assert.False(DicomFileInspector.TryResolveTag(text, out _));

    [Fact]
    public void GetAttributeKey_PrivateOrUnknown_IsHexTag()
    {
        Assert.Equal("PatientName", DicomFileInspector.GetAttributeKey(DicomTag.PatientName));
        Assert.Equal("(0009,1001)", DicomFileInspector.GetAttributeKey(PrivateText));
        Assert.Equal("(0011,0010)", DicomFileInspector.GetAttributeKey(new DicomTag(0x0011, 0x0010)));
    }

    [Fact]
    public void SampleCorpus_SameSeed_SameBytes()
    {
        var other = SampleCorpus.Write(Path.Combine(_dir, "again"), 3);
        var different = SampleCorpus.Write(Path.Combine(_dir, "seed1"), 1, seed: 1);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(File.ReadAllBytes(_samples[i]), File.ReadAllBytes(other[i]));
        }

        Assert.NotEqual(File.ReadAllBytes(_samples[0]), File.ReadAllBytes(different[0]));
    }

    [Fact]
    public void SampleCorpus_Files_DcmdumpReadsWithoutComplaint()
    {
        foreach (var path in _samples)
        {
            var (exit, stdout, stderr) = Run("dcmdump", "-Un", path);
            Assert.True(exit == 0, $"dcmdump failed on {Path.GetFileName(path)}: {stderr}");
            Assert.DoesNotContain("W: ", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("E: ", stderr, StringComparison.Ordinal);
            Assert.Contains("(0010,0010) PN [", stdout, StringComparison.Ordinal);
            Assert.Contains("(7fe0,0010)", stdout, StringComparison.Ordinal);
        }
    }

    [RequiresFact(Requirements.Corpus)]
    public void Inspect_Corpus_EveryFileDescribedOrDicomReadException()
    {
        var corpus = CorpusDirectory();
        Assert.NotNull(corpus);

        int described = 0, refused = 0;
        foreach (var path in Directory.GetFiles(corpus))
        {
            try
            {
                var info = DicomFileInspector.Inspect(path, [DicomTag.PatientName, DicomTag.PixelSpacing]);
                Assert.Equal(Path.GetFullPath(path), info.FullName);
                Assert.False(string.IsNullOrEmpty(info.TransferSyntaxUid));
                described++;
            }
            catch (DicomReadException ex)
            {
                Assert.Equal(Path.GetFullPath(path), ex.FilePath);
                refused++;
            }
        }

        _output.WriteLine($"{described} described, {refused} refused");
        Assert.True(described > 60, $"only {described} corpus files were described");
        Assert.True(refused >= 5, "the corpus holds non-DICOM files (README.txt, *.json, *.dump, *.gz, *.icc)");
    }

    private static (int Exit, string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' is not installed: run ./build.ps1 -Task Bootstrap (Debian package dcmtk).", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr);
        }
    }

    private static string? CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedImageCleaner.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "pydicom"));
                return Directory.Exists(corpus) ? corpus : null;
            }
        }

        return null;
    }
}
