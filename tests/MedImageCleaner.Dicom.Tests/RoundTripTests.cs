using System.Buffers.Binary;
using System.Text;
using MedImageCleaner.Dicom.IO;
using MedImageCleaner.Dicom.Tests.Oracles;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests;

/// <summary>
/// Acceptance point 2 of issue 2 (read, write, compare), over the corpus with the independent oracles, and over tiny
/// datasets built in code and round-tripped through bytes.
/// </summary>
public sealed class RoundTripTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> CorpusFiles() => TestCorpus.Cases();

    [RequiresTheory(Requirements.Corpus)]
    [MemberData(nameof(CorpusFiles))]
    public async Task Save_CorpusFile_OraclesAcceptOutputAndRereadIsIdentical(string file)
    {
        var path = TestCorpus.Resolve(file);
        Assert.NotNull(path);

        DicomFile source;
        try
        {
            // Read through the file handle with values over 1 KiB left in the file, so the writer copies them stream to
            // stream (swapping bytes between big and little endian on the way), the path large files take.
            source = DicomFile.Open(path, DcmdumpConformanceTests.FileBacked);
        }
        catch (DicomReadException ex)
        {
            output.WriteLine($"Not read ({ex.GetType().Name}); nothing to round-trip: {ex.Message}");
            return;
        }

        var dir = Directory.CreateTempSubdirectory("mic-roundtrip-");
        try
        {
            using (source)
            {
                var damaged = source.Warnings.Count > 0;
                var baseline = Dciodvfy.IsAvailable ? Task.Run(() => DciodvfyBaseline(path, dir.FullName, damaged)) : null;
                var failures = new List<string>();
                foreach (var (name, options) in new[] { ("default", DicomWriteOptions.Default), ("keep-source", DicomWriteOptions.KeepSource) })
                {
                    var written = Path.Combine(dir.FullName, name + ".dcm");
                    var syntax = DicomWriter.ChooseSyntax(source, options);
                    source.Save(written, options);
                    output.WriteLine($"{name}: written as {syntax.Name} ({new FileInfo(written).Length} bytes)");

                    var dump = Dcmdump.IsAvailable ? Task.Run(() => Dcmdump.Run(written, utf8: false)) : null;
                    var outputReport = Dciodvfy.IsAvailable ? Task.Run(() => Dciodvfy.Run(written)) : null;
                    var outputConverted = Dciodvfy.IsAvailable && syntax.IsDeflated ? Task.Run(() => Dciodvfy.ErrorsAfterConversion(written, dir.FullName)) : null;

                    // (c) the re-read dataset is the dataset we wrote, at every depth.
                    using var reread = DicomFile.Open(written);
                    if (reread.Warnings.Count > 0)
                    {
                        failures.Add($"{name}: re-reading our own output gives warnings: {string.Join("; ", reread.Warnings.Take(5))}");
                    }

                    if (!reread.TransferSyntax.Equals(syntax))
                    {
                        failures.Add($"{name}: re-read transfer syntax {reread.TransferSyntax.Name}, written {syntax.Name}");
                    }

                    foreach (var d in DatasetComparer.Compare(source.Dataset, reread.Dataset))
                    {
                        failures.Add($"{name}: {d}");
                    }

                    // (d) pixel bytes are byte-identical.
                    failures.AddRange(ComparePixels(name, source.Dataset, reread.Dataset));

                    // (a) dcmdump reads the output without error, and sees what we see in it.
                    if (dump is not null)
                    {
                        var r = await dump;
                        if (!r.Ok)
                        {
                            failures.Add($"{name}: dcmdump rejects our output: {r.Raw.StdErr.Trim()}");
                        }
                        else
                        {
                            foreach (var d in DumpComparer.Compare(r.Entries, null, DatasetFlattener.Flatten(reread)))
                            {
                                failures.Add($"{name}: dcmdump on our output: {d}");
                            }
                        }
                    }

                    // (b) dciodvfy reports no error on the output that it did not report on the input.
                    if (outputReport is not null && baseline is not null)
                    {
                        var (before, inputComplete) = await baseline;
                        var after = (await outputReport).Errors;
                        if (outputConverted is not null)
                        {
                            // dciodvfy cannot read any deflated file: validate dcmconv's inflated copy of our output.
                            after = await outputConverted ?? new SortedSet<string>(StringComparer.Ordinal) { "dcmconv cannot inflate our output" };
                        }

                        foreach (var e in after)
                        {
                            if (before.Contains(e))
                            {
                                continue;
                            }

                            if (!inputComplete && damaged && !Dciodvfy.IsReadFailure(e))
                            {
                                // A damaged input (our reader warned) that neither dciodvfy nor dcmconv could read whole:
                                // there is no validation of the salvaged content to compare with, so what dciodvfy finds
                                // in it (truncated values, a missing attribute of a cut item) is reported, not failed.
                                output.WriteLine($"{name}: dciodvfy on the salvaged content of a damaged input: {e}");
                                continue;
                            }

                            failures.Add($"{name}: new dciodvfy error: {e}");
                        }
                    }
                }

                Assert.True(failures.Count == 0, $"{file}:\n" + string.Join("\n", failures.Take(40)));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The errors dciodvfy reports on the input, and whether that is a complete validation of what we read. When
    /// dciodvfy could not read the whole input (it reads no deflated file, and stops at the first damage), the errors
    /// it reports on dcmconv's Explicit VR Little Endian conversion of the input are added: the content it did not
    /// reach has errors of its own that our output then shows. That completes the baseline of an undamaged input; for
    /// a damaged one (our reader warned) dcmconv's salvage is not necessarily what we salvaged, so it stays incomplete.
    /// </summary>
    private static (SortedSet<string> Errors, bool Complete) DciodvfyBaseline(string path, string workDir, bool damaged)
    {
        var input = Dciodvfy.Run(path);
        if (!input.ReadFailed)
        {
            return (input.Errors, true);
        }

        var converted = Dciodvfy.ErrorsAfterConversion(path, workDir);
        if (converted is null)
        {
            return (input.Errors, false);
        }

        var union = new SortedSet<string>(input.Errors, StringComparer.Ordinal);
        union.UnionWith(converted);
        return (union, !damaged);
    }

    private static IEnumerable<string> ComparePixels(string name, DicomDataset source, DicomDataset reread)
    {
        var tags = new[] { DicomTag.PixelData, DicomTag.FloatPixelData, DicomTag.DoubleFloatPixelData };
        foreach (var tag in tags)
        {
            if (!source.TryGet(tag, out var before))
            {
                continue;
            }

            if (!reread.TryGet(tag, out var after))
            {
                yield return $"{name}: {tag} missing after round trip";
                continue;
            }

            switch (before, after)
            {
                case (DicomElement x, DicomElement y):
                    // Byte-identical over the source length; an odd-length source gains exactly one padding byte.
                    if (y.Length != x.Length + (x.Length & 1) || !DatasetComparer.SameBytes(x.Value, y.Value, x.Length))
                    {
                        yield return $"{name}: native {tag} bytes differ (length {x.Length} then {y.Length})";
                    }

                    break;
                case (DicomFragmentSequence x, DicomFragmentSequence y):
                    if (x.Fragments.Count != y.Fragments.Count)
                    {
                        yield return $"{name}: {tag} has {x.Fragments.Count} fragments, then {y.Fragments.Count}";
                        break;
                    }

                    if (!DatasetComparer.SameBytes(x.OffsetTable, y.OffsetTable, x.OffsetTable.Length) || y.OffsetTable.Length != x.OffsetTable.Length)
                    {
                        yield return $"{name}: {tag} basic offset table differs";
                    }

                    for (var k = 0; k < x.Fragments.Count; k++)
                    {
                        var fx = x.Fragments[k];
                        var fy = y.Fragments[k];
                        if (fy.Length != fx.Length + (fx.Length & 1) || !DatasetComparer.SameBytes(fx, fy, fx.Length))
                        {
                            yield return $"{name}: {tag} fragment {k} bytes differ (length {fx.Length} then {fy.Length})";
                        }
                    }

                    break;
                default:
                    yield return $"{name}: {tag} changed kind ({before.GetType().Name} then {after.GetType().Name})";
                    break;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tiny datasets built in code, round-tripped through bytes.
    // ---------------------------------------------------------------------------------------------------------------

    public static IEnumerable<object[]> NativeSyntaxes() =>
    [
        [TransferSyntax.ImplicitVRLittleEndian.Uid],
        [TransferSyntax.ExplicitVRLittleEndian.Uid],
        [TransferSyntax.ExplicitVRBigEndian.Uid],
        [TransferSyntax.DeflatedExplicitVRLittleEndian.Uid],
    ];

    [RequiresTheory("dcmdump")]
    [MemberData(nameof(NativeSyntaxes))]
    public void SaveOpen_SampleDataset_IdenticalInEveryNativeSyntax(string uid)
    {
        var syntax = TransferSyntax.Lookup(uid);
        var ds = SampleDataset();

        var bytes = Save(ds, syntax);
        using var back = DicomFile.Open(bytes);

        Assert.Equal(syntax, back.TransferSyntax);
        Assert.Empty(back.Warnings);
        Assert.Empty(DatasetComparer.Compare(ds, back.Dataset));
        Assert.Equal(uid, back.FileMetaInfo.GetString(DicomTag.TransferSyntaxUID));
        AssertDcmdumpAgrees(bytes, back);

        // Written again from what was read: the same bytes (the writer is deterministic and loses nothing).
        Assert.Equal(bytes, Save(back.Dataset, syntax));
    }

    [RequiresFact("dcmdump")]
    public void Open_SequencesOfDefinedAndUndefinedLength_ReadAlikeAndRewrittenIdentical()
    {
        // (0008,1115) SQ undefined length { item undefined { (0008,1150) UI, (0008,1199) SQ defined { item defined { (0008,1155) UI } } } }
        // (0040,0275) SQ defined length { item defined { (0040,0009) SH }, item undefined { (0040,1001) SH } }
        var inner = Seq(0x0008, 0x1199, undefined: false, Item(ExplicitShort(0x0008, 0x1155, "UI", Ascii("1.2.3.4\0")), undefined: false));
        var first = Seq(0x0008, 0x1115, undefined: true, Item(Concat(ExplicitShort(0x0008, 0x1150, "UI", Ascii("1.2.840.10008.5.1.4.1.1.2\0")), inner), undefined: true));
        var second = Seq(0x0040, 0x0275, undefined: false,
            Item(ExplicitShort(0x0040, 0x0009, "SH", Ascii("SPS1")), undefined: false),
            Item(ExplicitShort(0x0040, 0x1001, "SH", Ascii("RP1 ")), undefined: true));
        var bytes = Part10(TransferSyntax.ExplicitVRLittleEndian, Concat(first, second));

        using var file = DicomFile.Open(bytes);

        Assert.Empty(file.Warnings);
        Assert.True(file.Dataset.TryGetSequence(DicomTag.ReferencedSeriesSequence, out var s1));
        Assert.True(s1.WasUndefinedLength);
        var item = Assert.Single(s1.Items);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", item.GetString(DicomTag.ReferencedSOPClassUID));
        Assert.True(item.TryGetSequence(DicomTag.ReferencedSOPSequence, out var s11));
        Assert.False(s11.WasUndefinedLength);
        Assert.Equal("1.2.3.4", Assert.Single(s11.Items).GetString(DicomTag.ReferencedSOPInstanceUID));
        Assert.True(file.Dataset.TryGetSequence(DicomTag.RequestAttributesSequence, out var s2));
        Assert.Equal(2, s2.Items.Count);
        Assert.Equal("RP1", s2.Items[1].GetString(DicomTag.RequestedProcedureID));
        AssertDcmdumpAgrees(bytes, file);

        foreach (var syntax in new[] { TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian })
        {
            using var back = DicomFile.Open(Save(file.Dataset, syntax));
            Assert.Empty(back.Warnings);
            Assert.Empty(DatasetComparer.Compare(file.Dataset, back.Dataset));
        }
    }

    [RequiresFact("dcmdump")]
    public void Open_UNWithUndefinedLength_ReadAsImplicitSequenceAndWrittenBackAsUN()
    {
        // A private UN of undefined length (CP-246): its content is implicit VR little endian, nested sequence included.
        var nested = Implicit(0x0009, 0x1002, 0xFFFFFFFF, Concat(Item(Implicit(0x0008, 0x0100, 4, Ascii("CODE")), undefined: true), SeqDelimiter()));
        var content = Concat(Item(Concat(Implicit(0x0008, 0x0104, 8, Ascii("MEANING ")), nested), undefined: true), SeqDelimiter());
        var dataset = Concat(
            ExplicitShort(0x0009, 0x0010, "LO", Ascii("OUR CREATOR ")),
            ExplicitLong(0x0009, 0x1001, "UN", 0xFFFFFFFF, content),
            ExplicitLong(0x0010, 0x1002, "UN", 0xFFFFFFFF, Concat(Item(Implicit(0x0010, 0x0020, 4, Ascii("ID42")), undefined: true), SeqDelimiter())));
        var bytes = Part10(TransferSyntax.ExplicitVRLittleEndian, dataset);

        using var file = DicomFile.Open(bytes);

        Assert.Empty(file.Warnings);
        Assert.True(file.Dataset.TryGetSequence(new DicomTag(0x0009, 0x1001), out var un));
        Assert.Equal(DicomVR.UN, un.VR);
        var item = Assert.Single(un.Items);
        Assert.Equal(DicomVR.LO, item.Items[0].VR); // (0008,0104) Code Meaning, VR from the dictionary
        Assert.True(item.TryGetSequence(new DicomTag(0x0009, 0x1002), out var inner));
        Assert.Equal("CODE", Assert.Single(inner.Items).GetString(DicomTag.CodeValue));

        // (0010,1002) Other Patient IDs Sequence is SQ in the dictionary: a UN on the way, an SQ again once read.
        Assert.True(file.Dataset.TryGetSequence(DicomTag.OtherPatientIDsSequence, out var known));
        Assert.Equal(DicomVR.SQ, known.VR);
        AssertDcmdumpAgrees(bytes, file);

        foreach (var syntax in new[] { TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian, TransferSyntax.ImplicitVRLittleEndian })
        {
            var written = Save(file.Dataset, syntax);
            using var back = DicomFile.Open(written);
            Assert.Empty(back.Warnings);
            Assert.Empty(DatasetComparer.Compare(file.Dataset, back.Dataset));
            if (syntax.IsExplicitVR)
            {
                // Still written as UN of undefined length (PS3.5 6.2.2), header in the outer byte order, content in implicit VR LE.
                var header = syntax.IsBigEndian ? new byte[] { 0x00, 0x09, 0x10, 0x01, (byte)'U', (byte)'N', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF } : [0x09, 0x00, 0x01, 0x10, (byte)'U', (byte)'N', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
                var at = written.AsSpan().IndexOf(header);
                Assert.True(at > 0, "UN header not found");
                Assert.Equal(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF }, written.AsSpan(at + 12, 8).ToArray());
            }
        }
    }

    [RequiresFact("dcmdump")]
    public void SaveOpen_EncapsulatedPixelDataWithOffsetTable_FragmentsByteIdentical()
    {
        var ds = SampleDataset(withPixels: false);
        var offsets = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(offsets.AsSpan(4), 24);
        var frame1 = Bytes(16, seed: 1);
        var frame2a = Bytes(10, seed: 2);
        var frame2b = Bytes(7, seed: 3); // odd: written with one NUL (PS3.5 A.4: items have even length)
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ValueSource.FromBytes(offsets), [ValueSource.FromBytes(frame1), ValueSource.FromBytes(frame2a), ValueSource.FromBytes(frame2b)]));

        var bytes = Save(ds, TransferSyntax.JpegBaseline);
        using var back = DicomFile.Open(bytes);

        Assert.Equal(TransferSyntax.JpegBaseline, back.TransferSyntax);
        Assert.Empty(back.Warnings);
        Assert.True(back.Dataset.TryGet(DicomTag.PixelData, out var pd));
        var frags = Assert.IsType<DicomFragmentSequence>(pd);
        Assert.Equal(DicomVR.OB, frags.VR);
        Assert.Equal(offsets, frags.OffsetTable.GetBytes().ToArray());
        Assert.Equal(3, frags.Fragments.Count);
        Assert.Equal(frame1, frags.Fragments[0].GetBytes().ToArray());
        Assert.Equal(frame2a, frags.Fragments[1].GetBytes().ToArray());
        Assert.Equal([.. frame2b, 0], frags.Fragments[2].GetBytes().ToArray());
        Assert.Empty(DatasetComparer.Compare(ds, back.Dataset));
        AssertDcmdumpAgrees(bytes, back);
    }

    [Fact]
    public void Open_EncapsulatedPixelDataDeclaredOW_ReadAsOBWithWarningAndWrittenOB()
    {
        var pixel = Concat(
            ExplicitLong(0x7FE0, 0x0010, "OW", 0xFFFFFFFF, Concat(Item([], undefined: false), Item(Bytes(6, 9), undefined: false), SeqDelimiter())));
        var bytes = Part10(TransferSyntax.JpegBaseline, Concat(ExplicitShort(0x0028, 0x0010, "US", [2, 0]), pixel));

        using var file = DicomFile.Open(bytes);

        Assert.Contains(file.Warnings, w => w.Code == "EncapsulatedNotOB");
        Assert.True(file.Dataset.TryGet(DicomTag.PixelData, out var pd));
        Assert.Equal(DicomVR.OB, Assert.IsType<DicomFragmentSequence>(pd).VR);
        var written = Save(file.Dataset, TransferSyntax.JpegBaseline);
        Assert.True(written.AsSpan().IndexOf(new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B' }) > 0);
    }

    public static IEnumerable<object[]> OddValues() =>
    [
        ["UI", "1.2.3", (byte)0],
        ["LO", "ABC", (byte)' '],
        ["PN", "Doe^J", (byte)' '],
        ["CS", "ABC", (byte)' '],
        ["OB", "\u0001\u0002\u0003", (byte)0],
        ["UN", "\u0001\u0002\u0003", (byte)0],
        ["UT", "text", (byte)' '],
    ];

    [Theory]
    [MemberData(nameof(OddValues))]
    public void Save_OddLengthValue_PaddedToEvenWithTheVRsPaddingByte(string vrName, string text, byte padding)
    {
        var vr = DicomVR.Parse(vrName);
        var value = Encoding.Latin1.GetBytes(vrName == "UT" ? "odd" : text);
        Assert.Equal(1, value.Length & 1);
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0011, 0x0010), DicomVR.LO, Ascii("CREATOR ")));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0011, 0x1001), vr, value));

        foreach (var syntax in new[] { TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian })
        {
            var bytes = Save(ds, syntax);
            using var back = DicomFile.Open(bytes);
            Assert.Empty(back.Warnings);
            Assert.True(back.Dataset.TryGetElement(new DicomTag(0x0011, 0x1001), out var e));
            Assert.Equal([.. value, padding], e.Value.GetBytes().ToArray());
            Assert.Equal(0, bytes.Length & 1);
        }
    }

    public static IEnumerable<object[]> EveryVR()
    {
        foreach (var vr in DicomVR.All)
        {
            yield return [vr.ToString(), TransferSyntax.ExplicitVRLittleEndian.Uid];
            yield return [vr.ToString(), TransferSyntax.ExplicitVRBigEndian.Uid];
        }
    }

    [RequiresTheory("dcmdump")]
    [MemberData(nameof(EveryVR))]
    public void SaveOpen_EveryVR_VRAndValuePreserved(string vrName, string uid)
    {
        var vr = DicomVR.Parse(vrName);
        var syntax = TransferSyntax.Lookup(uid);
        var tag = new DicomTag(0x0011, 0x1001);
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0011, 0x0010), DicomVR.LO, Ascii("EVERY VR")));
        if (vr == DicomVR.SQ)
        {
            var item = new DicomDataset();
            item.AddOrUpdate(new DicomElement(DicomTag.CodeValue, DicomVR.SH, Ascii("CODE")));
            ds.AddOrUpdate(new DicomSequence(tag, [item]));
        }
        else
        {
            ds.AddOrUpdate(new DicomElement(tag, vr, SampleValue(vr)));
        }

        var bytes = Save(ds, syntax);
        using var back = DicomFile.Open(bytes);

        Assert.Empty(back.Warnings);
        Assert.True(back.Dataset.TryGet(tag, out var read));
        Assert.Equal(vr, read.VR);
        Assert.Empty(DatasetComparer.Compare(ds, back.Dataset));
        AssertDcmdumpAgrees(bytes, back);

        // The header has the form PS3.5 7.1.2 gives the VR: 12 bytes (2 reserved, 32-bit length) or 8 (16-bit length).
        var headerStart = bytes.AsSpan().IndexOf(syntax.IsBigEndian ? new byte[] { 0x00, 0x11, 0x10, 0x01 } : [0x11, 0x00, 0x01, 0x10]);
        Assert.Equal(vrName, Encoding.ASCII.GetString(bytes, headerStart + 4, 2));
        if (vr.HasLongLength)
        {
            Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(headerStart + 6)));
        }
    }

    [Fact]
    public void Save_ShortVRValueLongerThan64K_WrittenAsUN()
    {
        var value = Encoding.ASCII.GetBytes(new string('A', 70000));
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0011, 0x0010), DicomVR.LO, Ascii("CREATOR ")));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0011, 0x1001), DicomVR.LO, value));

        using var back = DicomFile.Open(Save(ds, TransferSyntax.ExplicitVRLittleEndian));

        // A 16-bit length cannot hold it: PS3.5 6.2.2 lets such a value be UN (32-bit length).
        Assert.True(back.Dataset.TryGetElement(new DicomTag(0x0011, 0x1001), out var e));
        Assert.Equal(DicomVR.UN, e.VR);
        Assert.Equal(value, e.Value.GetBytes().ToArray());
    }

    [Theory]
    [InlineData(0, "US")]
    [InlineData(1, "SS")]
    public void Open_ImplicitUSorSS_ResolvedByPixelRepresentation(int pixelRepresentation, string expected)
    {
        var dataset = Concat(
            Implicit(0x0028, 0x0103, 2, [(byte)pixelRepresentation, 0]),
            Implicit(0x0028, 0x0106, 2, [0xFF, 0xFF]),
            Implicit(0x0028, 0x0107, 2, [0x10, 0x00]));

        using var file = DicomFile.Open(Part10(TransferSyntax.ImplicitVRLittleEndian, dataset));

        Assert.True(file.Dataset.TryGetElement(DicomTag.SmallestImagePixelValue, out var smallest));
        Assert.Equal(expected, smallest.VR.ToString());
        Assert.True(file.Dataset.TryGetNumber(DicomTag.SmallestImagePixelValue, out var v));
        Assert.Equal(pixelRepresentation == 1 ? -1 : 65535, v);
    }

    [Fact]
    public void Open_ImplicitUSorSSInSequenceItem_ResolvedByEnclosingPixelRepresentation()
    {
        var item = Concat(Implicit(0x0028, 0x0106, 2, [0xFE, 0xFF]));
        var dataset = Concat(
            Implicit(0x0028, 0x0103, 2, [1, 0]),
            Implicit(0x0028, 0x3010, 0xFFFFFFFF, Concat(Item(item, undefined: true), SeqDelimiter())));

        using var file = DicomFile.Open(Part10(TransferSyntax.ImplicitVRLittleEndian, dataset));

        Assert.True(file.Dataset.TryGetSequence(DicomTag.VOILUTSequence, out var seq));
        Assert.True(Assert.Single(seq.Items).TryGetElement(DicomTag.SmallestImagePixelValue, out var e));
        Assert.Equal(DicomVR.SS, e.VR);
    }

    [Fact]
    public void Open_ExplicitElementWithNonLetterVR_ReadAsUNWith16BitLength()
    {
        // The damage of fodicom GH179A: (0028,0120) with VR bytes "  " and a 16-bit length; the next element follows it.
        var dataset = Concat(
            ExplicitShort(0x0028, 0x0103, "US", [1, 0]),
            Tag(0x0028, 0x0120), [0x20, 0x20], U16(2), [0, 0],
            ExplicitShort(0x0028, 0x1050, "DS", Ascii("-2")));

        using var file = DicomFile.Open(Part10(TransferSyntax.ExplicitVRLittleEndian, dataset));

        Assert.Contains(file.Warnings, w => w.Code == "InvalidVR");
        Assert.True(file.Dataset.TryGetElement(DicomTag.PixelPaddingValue, out var padding));
        Assert.Equal(DicomVR.UN, padding.VR);
        Assert.Equal(2, padding.Length);
        Assert.Equal("-2", file.Dataset.GetString(DicomTag.WindowCenter));
    }

    [Fact]
    public void Open_NonLetterVRInFileBackedInput_ReadsAsInMemory()
    {
        // The implicit reading of "  " + length 2 is a length of 0x00022020: probing there moves the read window of a
        // file-backed input far past the element, which must not disturb reading the element itself.
        var dataset = Concat(
            ExplicitShort(0x0028, 0x0103, "US", [1, 0]),
            Tag(0x0028, 0x0120), [0x20, 0x20], U16(2), [0, 0],
            ExplicitShort(0x0028, 0x1050, "DS", Ascii("-2")),
            ExplicitLong(0x7FE0, 0x0010, "OB", 200_000, new byte[200_000]));
        var bytes = Part10(TransferSyntax.ExplicitVRLittleEndian, dataset);
        var path = Path.Combine(Path.GetTempPath(), "mic-unit-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            File.WriteAllBytes(path, bytes);
            using var fromFile = DicomFile.Open(path, new DicomReadOptions { InMemoryThreshold = 0 });
            using var inMemory = DicomFile.Open(bytes);

            Assert.Equal(inMemory.Warnings.Select(w => w.Code), fromFile.Warnings.Select(w => w.Code));
            Assert.Empty(DatasetComparer.Compare(inMemory.Dataset, fromFile.Dataset));
            Assert.True(fromFile.Dataset.TryGetElement(DicomTag.PixelPaddingValue, out var padding));
            Assert.Equal(2, padding.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_ImplicitElementInsideExplicitDataset_ReadAsImplicitWhenOnlyThatReadingFits()
    {
        var dataset = Concat(
            ExplicitShort(0x0008, 0x0060, "CS", Ascii("CT")),
            Implicit(0x0010, 0x0010, 6, Ascii("Doe^J ")),
            ExplicitShort(0x0010, 0x0020, "LO", Ascii("ID42")));

        using var file = DicomFile.Open(Part10(TransferSyntax.ExplicitVRLittleEndian, dataset));

        Assert.Contains(file.Warnings, w => w.Code == "ImplicitElementInExplicit");
        Assert.Equal("Doe^J", file.Dataset.GetString(DicomTag.PatientName));
        Assert.Equal(DicomVR.PN, file.Dataset.Items[1].VR);
        Assert.Equal("ID42", file.Dataset.GetString(DicomTag.PatientID));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Open_ItemWithoutItsSequenceHeader_ItemSkippedAndRestRead(bool undefinedItem)
    {
        // The damage of fodicom GH364: an item where an element is expected (the sequence header is missing).
        var dataset = Concat(
            ExplicitShort(0x0018, 0x5020, "LO", Ascii("ABD_GENERAL ")),
            Item(ExplicitShort(0x0018, 0x6012, "US", [1, 0]), undefinedItem),
            ExplicitShort(0x0020, 0x000D, "UI", Ascii("1.2.3.4\0")),
            ExplicitLong(0x7FE0, 0x0010, "OB", 4, [1, 2, 3, 4]));

        using var file = DicomFile.Open(Part10(TransferSyntax.ExplicitVRLittleEndian, dataset));

        Assert.Contains(file.Warnings, w => w.Code == "StrayItem");
        Assert.False(file.Dataset.Contains(DicomTag.RegionSpatialFormat));
        Assert.Equal("1.2.3.4", file.Dataset.GetString(DicomTag.StudyInstanceUID));
        Assert.True(file.Dataset.TryGetElement(DicomTag.PixelData, out var pixels));
        Assert.Equal(4, pixels.Length);
    }

    [Fact]
    public void Open_RepeatedTag_FirstOccurrenceKept()
    {
        var dataset = Concat(
            ExplicitShort(0x0010, 0x0020, "LO", Ascii("FIRST ")),
            ExplicitShort(0x0010, 0x0020, "LO", Ascii("SECOND")));

        using var file = DicomFile.Open(Part10(TransferSyntax.ExplicitVRLittleEndian, dataset));

        Assert.Contains(file.Warnings, w => w.Code == "DuplicateTag");
        Assert.Equal("FIRST", file.Dataset.GetString(DicomTag.PatientID));
    }

    [Fact]
    public void Save_ImplicitPrivateSequence_WrittenWithUndefinedLengthSoItReadsBackAsSequence()
    {
        var item = new DicomDataset();
        item.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x1002), DicomVR.UN, Ascii("payload ")));
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x0010), DicomVR.LO, Ascii("CREATOR ")));
        ds.AddOrUpdate(new DicomSequence(new DicomTag(0x0009, 0x1001), DicomVR.UN, [item]));

        using var back = DicomFile.Open(Save(ds, TransferSyntax.ImplicitVRLittleEndian));

        Assert.Empty(back.Warnings);
        Assert.True(back.Dataset.TryGetSequence(new DicomTag(0x0009, 0x1001), out var seq));
        Assert.Single(seq.Items);
        Assert.Empty(DatasetComparer.Compare(ds, back.Dataset));
    }

    [Fact]
    public void Save_NoSopClassAnywhere_MediaStorageUidsLeftOutNotEmpty()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(DicomTag.PatientID, DicomVR.LO, Ascii("ID42")));

        using var back = DicomFile.Open(Save(ds, TransferSyntax.ExplicitVRLittleEndian));

        Assert.False(back.FileMetaInfo.Contains(DicomTag.MediaStorageSOPClassUID));
        Assert.False(back.FileMetaInfo.Contains(DicomTag.MediaStorageSOPInstanceUID));
        Assert.Equal(TransferSyntax.ExplicitVRLittleEndian.Uid, back.FileMetaInfo.GetString(DicomTag.TransferSyntaxUID));
    }

    private void AssertDcmdumpAgrees(byte[] bytes, DicomFile ours)
    {
        var path = Path.Combine(Path.GetTempPath(), "mic-unit-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            File.WriteAllBytes(path, bytes);
            var dump = Dcmdump.Run(path, utf8: false);
            Assert.True(dump.Ok, "dcmdump rejects the bytes: " + dump.Raw.StdErr);
            var diffs = DumpComparer.Compare(dump.Entries, null, DatasetFlattener.Flatten(ours));
            Assert.True(diffs.Count == 0, string.Join("\n", diffs));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Save(DicomDataset ds, TransferSyntax syntax)
    {
        using var ms = new MemoryStream();
        new DicomFile(ds, syntax).Save(ms, new DicomWriteOptions { TransferSyntax = syntax });
        return ms.ToArray();
    }

    /// <summary>A small image dataset whose public elements carry their dictionary VR (so implicit VR reads them back alike).</summary>
    private static DicomDataset SampleDataset(bool withPixels = true)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, "2.25.1234567890");
        ds.AddOrUpdate(DicomTag.StudyDate, DicomVR.DA, "20240101");
        ds.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "OUR CREATOR");
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x1001), DicomVR.UN, Bytes(6, 5)));
        ds.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "M\u00FCller^J\u00FCrgen");
        var other = new DicomDataset();
        other.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "OTHER1");
        var code = new DicomDataset();
        code.AddOrUpdate(DicomTag.CodeValue, DicomVR.SH, "C1");
        other.AddOrUpdate(new DicomSequence(DicomTag.IssuerOfPatientIDQualifiersSequence, [code]));
        ds.AddOrUpdate(new DicomSequence(DicomTag.OtherPatientIDsSequence, [other, new DicomDataset()]));
        ds.AddOrUpdate(new DicomElement(DicomTag.DiffusionBValue, DicomVR.FD, F64(1000.5)));
        ds.AddOrUpdate(new DicomElement(DicomTag.DiffusionGradientOrientation, DicomVR.FD, Concat(F64(0.25), F64(-0.5), F64(1))));
        ds.AddOrUpdate(new DicomElement(DicomTag.InstanceNumber, DicomVR.IS, Ascii("12")));
        ds.AddOrUpdate(new DicomElement(DicomTag.SamplesPerPixel, DicomVR.US, B(1, 0)));
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(new DicomElement(DicomTag.FrameIncrementPointer, DicomVR.AT, B(0x18, 0x00, 0x63, 0x10)));
        ds.AddOrUpdate(new DicomElement(DicomTag.Rows, DicomVR.US, B(2, 0)));
        ds.AddOrUpdate(new DicomElement(DicomTag.Columns, DicomVR.US, B(3, 0)));
        ds.AddOrUpdate(new DicomElement(DicomTag.BitsAllocated, DicomVR.US, B(16, 0)));
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelRepresentation, DicomVR.US, B(1, 0)));
        ds.AddOrUpdate(new DicomElement(DicomTag.SmallestImagePixelValue, DicomVR.SS, B(0x00, 0x80)));
        ds.AddOrUpdate(new DicomElement(DicomTag.ImageIndex, DicomVR.US, B(7, 0)));
        if (withPixels)
        {
            ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, Bytes(2 * 3 * 2, 11)));
        }

        return ds;
    }

    private static byte[] SampleValue(DicomVR vr)
    {
        if (vr == DicomVR.AT)
        {
            return [0x10, 0x00, 0x20, 0x00, 0x08, 0x00, 0x18, 0x00];
        }

        if (vr == DicomVR.UI)
        {
            return Ascii("1.2.840.10008.1.2\0");
        }

        if (vr == DicomVR.DA)
        {
            return Ascii("20240131");
        }

        if (vr == DicomVR.TM)
        {
            return Ascii("235959.125");
        }

        if (vr == DicomVR.DT)
        {
            return Ascii("20240131235959.5+0100");
        }

        if (vr == DicomVR.AS)
        {
            return Ascii("042Y");
        }

        if (vr == DicomVR.DS)
        {
            return Ascii("1.5\\-2.25E3");
        }

        if (vr == DicomVR.IS)
        {
            return Ascii("42\\-7");
        }

        if (vr == DicomVR.UR)
        {
            return Ascii("https://example.org/a?b=c ");
        }

        if (vr == DicomVR.FL || vr == DicomVR.OF)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteSingleLittleEndian(b, 1.5f);
            BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4), -3.25e-3f);
            return b;
        }

        if (vr == DicomVR.FD || vr == DicomVR.OD)
        {
            return [.. F64(Math.PI), .. F64(-1e300)];
        }

        if (vr.IsString)
        {
            return Ascii("VALUE\\TWO ");
        }

        // Binary VRs: 16 bytes, so every unit size (2, 4, 8) has more than one value to swap in big endian.
        return Bytes(16, vr.Code);
    }

    private static byte[] B(params byte[] bytes) => bytes;

    private static byte[] F64(double v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, v);
        return b;
    }

    private static byte[] Bytes(int n, int seed)
    {
        var b = new byte[n];
        for (var i = 0; i < n; i++)
        {
            b[i] = (byte)((i * 37) + (seed * 11) + 1);
        }

        return b;
    }

    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    private static byte[] Tag(ushort group, ushort element) => [(byte)group, (byte)(group >> 8), (byte)element, (byte)(element >> 8)];

    private static byte[] U16(int v) => [(byte)v, (byte)(v >> 8)];

    private static byte[] U32(uint v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)];

    private static byte[] ExplicitShort(ushort group, ushort element, string vr, byte[] value) =>
        Concat(Tag(group, element), Ascii(vr), U16(value.Length), value);

    private static byte[] ExplicitLong(ushort group, ushort element, string vr, uint length, byte[] value) =>
        Concat(Tag(group, element), Ascii(vr), [0, 0], U32(length), value);

    private static byte[] Implicit(ushort group, ushort element, uint length, byte[] value) =>
        Concat(Tag(group, element), U32(length), value);

    private static byte[] Item(byte[] content, bool undefined) => undefined
        ? Concat(Tag(0xFFFE, 0xE000), U32(0xFFFFFFFF), content, Tag(0xFFFE, 0xE00D), U32(0))
        : Concat(Tag(0xFFFE, 0xE000), U32((uint)content.Length), content);

    private static byte[] SeqDelimiter() => Concat(Tag(0xFFFE, 0xE0DD), U32(0));

    private static byte[] Seq(ushort group, ushort element, bool undefined, params byte[][] items)
    {
        var content = Concat(items);
        return undefined
            ? ExplicitLong(group, element, "SQ", 0xFFFFFFFF, Concat(content, SeqDelimiter()))
            : ExplicitLong(group, element, "SQ", (uint)content.Length, content);
    }

    /// <summary>Preamble, DICM and a minimal explicit VR LE file meta (group length, transfer syntax) before the dataset.</summary>
    private static byte[] Part10(TransferSyntax syntax, byte[] dataset)
    {
        var uid = Ascii(syntax.Uid.Length % 2 == 1 ? syntax.Uid + "\0" : syntax.Uid);
        var ts = ExplicitShort(0x0002, 0x0010, "UI", uid);
        var version = ExplicitLong(0x0002, 0x0001, "OB", 2, [0, 1]);
        var groupLength = ExplicitShort(0x0002, 0x0000, "UL", U32((uint)(version.Length + ts.Length)));
        return Concat(new byte[128], Ascii("DICM"), groupLength, version, ts, dataset);
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var total = 0;
        foreach (var p in parts)
        {
            total += p.Length;
        }

        var result = new byte[total];
        var at = 0;
        foreach (var p in parts)
        {
            p.CopyTo(result, at);
            at += p.Length;
        }

        return result;
    }
}
