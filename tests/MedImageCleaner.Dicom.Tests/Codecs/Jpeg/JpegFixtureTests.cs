using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Codecs.Jpeg;
using MedImageCleaner.Dicom.Imaging;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests.Codecs.Jpeg;

/// <summary>
/// Synthetic grey and colour frames compressed by dcmtk's dcmcjpeg (lossless SV1, process 14 with every selection
/// value and a point transform, baseline and extended lossy) decode to exactly what dcmdjpeg gives; our SV1 encoder's
/// output decodes (with dcmdjpeg and with us) to the original frame.
/// </summary>
public sealed class JpegFixtureTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> DcmcjpegCases()
    {
        foreach (var kind in SyntheticImages.Kinds)
        {
            yield return [kind, "+e1"];
            for (var sv = 1; sv <= 7; sv++)
            {
                yield return [kind, $"+el +sv {sv}"];
            }

            yield return [kind, "+el +sv 4 +pt 3"];
            yield return [kind, "+e1 +pt 1"];
            if (kind is "grey8" or "rgb8")
            {
                yield return [kind, "+eb"];
                yield return [kind, "+eb +q 60"];
                yield return [kind, "+ee"];
            }

            if (kind is "rgb8")
            {
                yield return [kind, "+eb +s4"];
                yield return [kind, "+eb +n2"];
                yield return [kind, "+eb +n1"];
                yield return [kind, "+eb +np"];
                yield return [kind, "+eb +cr"];
            }

            if (kind is "grey12")
            {
                yield return [kind, "+ee"];
                yield return [kind, "+ee +q 50"];
            }
        }
    }

    [RequiresTheory("dcmcjpeg", "dcmdjpeg")]
    [MemberData(nameof(DcmcjpegCases))]
    public void Decode_DcmcjpegFixture_EqualsDcmdjpeg(string kind, string options)
    {
        using var tmp = new JpegOracle.TempDir();
        var native = tmp.File("native.dcm");
        var compressed = tmp.File("jpeg.dcm");
        var reference = tmp.File("ref.dcm");
        SyntheticImages.WriteNative(native, SyntheticImages.Create(kind));
        var args = new List<string>(options.Split(' '));
        args.Add(native);
        args.Add(compressed);
        var enc = CodecOracle.RunTool("dcmcjpeg", [.. args]);
        if (enc.ExitCode != 0)
        {
            // dcmcjpeg cannot make this combination (e.g. lossy 16-bit): nothing to compare.
            output.WriteLine($"dcmcjpeg {options} refuses {kind}: {enc.StdErr.Trim()}");
            Assert.True(kind is "grey16" or "rgb16" || options.Contains("+e", StringComparison.Ordinal), enc.StdErr);
            return;
        }

        var dec = CodecOracle.RunTool("dcmdjpeg", compressed, reference);
        Assert.True(dec.ExitCode == 0, dec.StdErr);
        var result = JpegOracle.Compare(compressed, reference);
        output.WriteLine($"{kind} {options}: {result}");
        Assert.True(result.Identical, result.ToString());
        Assert.True(result.Samples > 0);
    }

    [RequiresTheory("dcmcjpeg", "dcmdjpeg")]
    [InlineData("grey8", "+ep")]
    [InlineData("rgb8", "+ep")]
    [InlineData("grey8", "+es")]
    [InlineData("grey12", "+ep")]
    public void Decode_ProgressiveFixture_IsUnsupported(string kind, string option)
    {
        // The corpus holds no progressive JPEG, so progressive (and spectral selection, also SOF2) is refused as
        // unsupported; dcmcjpeg makes one to prove we say so rather than return anything.
        using var tmp = new JpegOracle.TempDir();
        var native = tmp.File("native.dcm");
        var compressed = tmp.File("jpeg.dcm");
        SyntheticImages.WriteNative(native, SyntheticImages.Create(kind));
        var enc = CodecOracle.RunTool("dcmcjpeg", option, native, compressed);
        Assert.True(enc.ExitCode == 0, enc.StdErr);
        using var f = DicomFile.Open(compressed);
        Assert.True(PixelData.TryCreate(f.Dataset, out var pixels));
        // dcmcjpeg labels these with the retired syntaxes .53/.55, for which no decoder is registered ...
        var ex = Assert.Throws<PixelCodecException>(() => PixelCodecs.Decode(pixels, f.TransferSyntax, 0));
        Assert.True(ex.IsUnsupported);
        output.WriteLine($"{kind} {option} ({f.TransferSyntax.Uid}): {ex.Message}");

        // ... and the same codestream mislabelled as baseline/extended reaches our decoder, which refuses SOF2.
        var direct = Assert.Throws<PixelCodecException>(() => JpegDecoder.Decode(pixels.GetFrame(0), new JpegDecodeOptions(pixels.Rows, pixels.Columns, false)));
        Assert.True(direct.IsUnsupported);
        Assert.Contains("Progressive", direct.Message, StringComparison.Ordinal);
    }

    public static IEnumerable<object[]> EncoderCases()
    {
        foreach (var kind in SyntheticImages.Kinds)
        {
            yield return [kind, 0];
            yield return [kind, 83];
            yield return [kind, 83 * 3];
        }
    }

    [RequiresTheory("dcmcjpeg", "dcmdjpeg")]
    [MemberData(nameof(EncoderCases))]
    public void Encode_Sv1_DecodesToOriginalWithDcmdjpegAndUs(string kind, int restartInterval)
    {
        var frame = SyntheticImages.Create(kind);
        var encoder = new JpegLosslessEncoder { RestartInterval = restartInterval };
        Assert.True(encoder.CanEncode(frame));
        var encoded = encoder.Encode(frame);
        Assert.True(encoded.Length % 2 == 0);

        using var tmp = new JpegOracle.TempDir();
        var compressed = tmp.File("sv1.dcm");
        SyntheticImages.WriteEncapsulated(compressed, frame, encoded, TransferSyntax.JpegLosslessSV1);

        // Ours.
        using (var f = DicomFile.Open(compressed))
        {
            Assert.True(PixelData.TryCreate(f.Dataset, out var pixels));
            var ours = PixelCodecs.Decode(pixels, f.TransferSyntax, 0);
            Assert.Equal(frame.Data, ours.Data);
            Assert.Equal(frame.BitsAllocated, ours.BitsAllocated);
        }

        // dcmtk.
        var reference = tmp.File("ref.dcm");
        var dec = CodecOracle.RunTool("dcmdjpeg", compressed, reference);
        Assert.True(dec.ExitCode == 0, dec.StdErr);
        using var r = DicomFile.Open(reference);
        Assert.True(PixelData.TryCreate(r.Dataset, out var refPixels));
        var theirs = PixelCodecs.Decode(refPixels, r.TransferSyntax, 0);
        Assert.Equal(CodecOracle.Samples(frame), CodecOracle.Samples(theirs));
        output.WriteLine($"{kind} restart {restartInterval}: {encoded.Length} bytes for {frame.Data.Length}; dcmdjpeg and ours give the original");
    }

    [Fact]
    public void Decode_LosslessRestartIntervalWithinALine_IsRefusedLikeDcmtk()
    {
        // T.81 H.1.1 (and dcmdjpeg): a lossless restart interval is a whole number of lines. Build a valid stream with
        // a restart every line, then change the DRI value to 37 samples.
        var frame = SyntheticImages.Create("grey8");
        var encoded = new JpegLosslessEncoder { RestartInterval = frame.Columns }.Encode(frame);
        var dri = encoded.AsSpan().IndexOf([(byte)0xFF, (byte)0xDD, (byte)0x00, (byte)0x04]);
        Assert.True(dri > 0);
        encoded[dri + 4] = 0;
        encoded[dri + 5] = 37;
        var ex = Assert.Throws<PixelCodecException>(() => JpegDecoder.Decode(encoded, new JpegDecodeOptions(frame.Rows, frame.Columns, false)));
        Assert.False(ex.IsUnsupported);
    }

    [Fact]
    public void Registry_Sv1Encoder_IsRegisteredForGreyAndRgb()
    {
        foreach (var kind in SyntheticImages.Kinds)
        {
            Assert.True(PixelCodecs.TryGetEncoder(TransferSyntax.JpegLosslessSV1, SyntheticImages.Create(kind, 8, 8), out var e));
            Assert.True(e.IsLossless);
        }

        Assert.True(PixelCodecs.TryGetDecoder(TransferSyntax.JpegLossless, out var d));
        Assert.Equal("JPEG", d.Name);
    }
}
