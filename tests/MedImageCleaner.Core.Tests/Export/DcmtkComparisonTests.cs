using System.Globalization;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;
using MedImageCleaner.Dicom.Tests.Codecs;
using MedImageCleaner.Dicom.Tests.Fixtures;
using MedImageCleaner.Dicom.Tests.Oracles;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Export;

/// <summary>
/// Acceptance: for every corpus file with pixel data our codecs decode, our 8-bit PNG (read back by OpenCV's libpng)
/// equals dcmtk's dcm2pnm with the same window within 1 per sample, on the first and last frame: the header window
/// (+Wi 1, or +Wl 1 for a VOI LUT) when the file has one, else min-max (+Wm), plus an explicit window (+Ww c w) on
/// every greyscale file; colour without windowing. JPEG 2000 files, which dcmtk cannot decode, are decompressed by
/// gdcmconv --raw first. Files either side refuses are listed with the reason and must be the known few.
/// </summary>
public sealed class DcmtkComparisonTests(ITestOutputHelper output)
{
    /// <summary>Files not compared, and why (checked by hand: the reason printed must contain the text here).</summary>
    private static readonly Dictionary<string, string> ExpectedNotCompared = new(StringComparer.Ordinal)
    {
        // Pixel data shorter than one frame (truncated or empty): nothing to render on either side.
        ["fodicom/GH1146.dcm"] = "no complete frame",
        ["pydicom/MR_truncated.dcm"] = "no complete frame",
        ["pydicom/meta_missing_tsyntax.dcm"] = "no complete frame",
        ["pydicom/nested_priv_SQ.dcm"] = "no complete frame",

        // ACR-NEMA file with Bits Allocated 12 and no Photometric Interpretation: our codecs refuse it, dcmtk too.
        ["fodicom/GH340.dcm"] = "BitsAllocated 12 is not supported",

        // Neither dcmtk nor GDCM can parse the file.
        ["fodicom/GH364.dcm"] = "Invalid tag",

        // JPEG data that is not a JPEG codestream (zeros labelled JPEG baseline): refused by our decoder and dcmtk.
        ["fodicom/genFile.dcm"] = "does not start with an SOI marker",

        // A JPEG 2000 fragment holding a sequence delimiter: our SIZ check refuses it (the codec tests cover it).
        ["pydicom/JPEG2000-embedded-sequence-delimiter.dcm"] = "SIZ segment is invalid",

        // Our JPEG decoder refuses frames whose SOF size differs from Rows/Columns (dcmtk renders them): a codec gap.
        ["fodicom/multiframe.dcm"] = "frame size differs from the Rows and Columns",
    };

    /// <summary>
    /// Big-endian files with 32-bit samples in OW: dcmtk combines the 16-bit words of each sample in little-endian
    /// order (its output for these differs from its own output for the little-endian twin, which holds the same dose
    /// grid). Ours is compared with dcmtk's rendering of the twin.
    /// </summary>
    private static readonly Dictionary<string, string> Twins = new(StringComparer.Ordinal)
    {
        ["pydicom/rtdose_expb.dcm"] = "pydicom/rtdose.dcm",
        ["pydicom/rtdose_expb_1frame.dcm"] = "pydicom/rtdose_1frame.dcm",
    };

    [RequiresFact(Requirements.Corpus, "dcm2pnm", "gdcmconv")]
    public void ExportPng8_EveryCorpusImage_EqualsDcm2pnmWithinOne()
    {
        CoreCodecs.EnsureRegistered();
        var work = ExportTestSupport.TempFolder("dcm2pnm");
        var notCompared = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var failures = new List<string>();
        int files = 0, comparisons = 0, maxDiff = 0;
        try
        {
            foreach (var path in TestCorpus.Files("pydicom", "fodicom", "burned-in"))
            {
                var name = Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path);
                DicomFile file;
                try
                {
                    file = DicomFile.Open(path);
                }
                catch (MedImageCleanerException)
                {
                    continue; // not DICOM or unreadable: no pixel data to compare
                }

                PixelModule module;
                DecodedFrame first;
                int frameCount;
                using (file)
                {
                    if (!PixelData.TryCreate(file.Dataset, out var pixels))
                    {
                        continue;
                    }

                    frameCount = pixels.AvailableFrames;
                    if (frameCount == 0)
                    {
                        notCompared[name] = "ours: the pixel data holds no complete frame";
                        continue;
                    }

                    try
                    {
                        first = PixelCodecs.Decode(pixels, file.TransferSyntax, 0);
                    }
                    catch (PixelCodecException ex)
                    {
                        notCompared[name] = (ex.IsUnsupported ? "ours: unsupported: " : "ours: decode failed: ") + ex.Message;
                        continue;
                    }

                    module = PixelModule.Read(file.Dataset, pixels.IsSigned);
                }

                var grey = first.SamplesPerPixel == 1 && first.PhotometricInterpretation.Trim() != "PALETTE COLOR";
                var cases = new List<(string Label, string[] Args, ExportOptions Options)>();
                var baseOptions = new ExportOptions { Destination = Path.Combine(work, "ours"), Format = ExportFormat.Png, Overwrite = true };
                if (!grey)
                {
                    cases.Add(("colour", [], baseOptions));
                }
                else
                {
                    var header = module.Windows.Count > 0 && (module.Windows[0].Lut is not null || module.Windows[0].Width >= 1);
                    if (!module.ModalityIsIntegral)
                    {
                        // dcmtk holds modality values as integers (it truncates a non-integral rescale and warns that
                        // the result may be unexpected; GH610's PET values all become 0). A min-max window is the same
                        // in stored and in modality units for a positive slope, so dcmtk renders it without the
                        // modality transform (-M); explicit windows are not comparable there.
                        Assert.True(module.RescaleSlope > 0, name + ": a negative slope needs another comparison");
                        cases.Add(("minmax of stored values (-M)", ["-M", "+Wm"], baseOptions with { Window = ExportWindowMode.MinMax }));
                    }
                    else
                    {
                        cases.Add(header
                            ? ("header", [module.Windows[0].Lut is null ? "+Wi" : "+Wl", "1"], baseOptions with { Window = ExportWindowMode.Header })
                            : ("minmax", ["+Wm"], baseOptions with { Window = ExportWindowMode.MinMax }));
                        var (min, max) = ModalityRange(first, module);
                        var c = Math.Round(min + (0.4 * (max - min)), 1);
                        var w = Math.Round(Math.Max(1, 0.5 * (max - min)), 1);
                        cases.Add(($"explicit {c}/{w}", ["+Ww", c.ToString(CultureInfo.InvariantCulture), w.ToString(CultureInfo.InvariantCulture)],
                            baseOptions with { WindowCenter = c, WindowWidth = w }));
                    }
                }

                files++;
                var reference = Twins.TryGetValue(name, out var twin) ? Path.Combine(TestCorpus.CorpusRoot, twin) : path;
                int[] frames = frameCount > 1 ? [0, frameCount - 1] : [0];
                foreach (var frame in frames)
                {
                    foreach (var (label, args, options) in cases)
                    {
                        var ours = OurPng(path, options with { Frames = new FrameSelection { Ranges = [(frame, frame)] } });
                        if (ours.Error is not null)
                        {
                            notCompared[name] = "ours: " + ours.Error;
                            continue;
                        }

                        var theirs = Dcm2pnm(reference, frame, args, work, out var refusal);
                        if (theirs is null)
                        {
                            notCompared[name] = "dcm2pnm: " + refusal;
                            continue;
                        }

                        var diff = ExportTestSupport.MaxDifference(ours.Image!, theirs);
                        comparisons++;
                        maxDiff = Math.Max(maxDiff, diff);
                        output.WriteLine($"{name} frame {frame} {label}: max difference {diff}");
                        if (diff > 1)
                        {
                            failures.Add($"{name} frame {frame} ({label}): max difference {diff}");
                        }
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        output.WriteLine($"SUMMARY dcm2pnm comparison: {files} files, {comparisons} frame comparisons, max difference {maxDiff}, {notCompared.Count} not compared.");
        foreach (var (file, reason) in notCompared)
        {
            output.WriteLine($"NOT COMPARED {file}: {reason}");
        }

        Assert.True(failures.Count == 0, "Differences above 1:\n" + string.Join("\n", failures));
        Assert.True(comparisons > 0, "nothing was compared");
        var unexplained = notCompared.Where(kv => !ExpectedNotCompared.TryGetValue(kv.Key, out var why) || !kv.Value.Contains(why, StringComparison.Ordinal)).ToList();
        Assert.True(unexplained.Count == 0, "Files not compared without a known reason:\n" + string.Join("\n", unexplained.Select(kv => kv.Key + ": " + kv.Value)));
    }

    /// <summary>The range of modality values of a greyscale frame.</summary>
    private static (double Min, double Max) ModalityRange(DecodedFrame frame, PixelModule module)
    {
        var bits = FrameRenderer.BitsStored(frame);
        var mask = bits >= 32 ? uint.MaxValue : (1u << bits) - 1;
        double min = double.MaxValue, max = double.MinValue;
        for (var i = 0; i < frame.Rows * frame.Columns; i++)
        {
            var v = module.Modality(FrameRenderer.Value(FrameRenderer.Code(frame.Data, frame.BytesPerSample, i, mask), bits, frame.IsSigned));
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }

    private static (ReadImage? Image, string? Error) OurPng(string path, ExportOptions options)
    {
        var outcome = new DicomImageExporter(options).Export(path);
        if (!outcome.Succeeded)
        {
            return (null, outcome.ErrorId + ": " + outcome.Message);
        }

        var file = Assert.Single(outcome.Images).FullName;
        try
        {
            return (ExportTestSupport.ReadWithOpenCv(file), null);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>dcm2pnm's 8-bit PGM/PPM of one frame (1-based +F), overlays off; JPEG 2000 through gdcmconv --raw first.</summary>
    private static ReadImage? Dcm2pnm(string path, int frame, string[] window, string work, out string refusal)
    {
        var pnm = Path.Combine(work, "theirs.pnm");
        string[] Args(string input) => ["-q", "-O", "+F", (frame + 1).ToString(CultureInfo.InvariantCulture), .. window, "+op", input, pnm];
        // dcmj2pnm is dcm2pnm with dcmtk's JPEG decoders (the ones our JPEG decoder matches exactly).
        var tool = ExternalTool.Find("dcmj2pnm") is not null ? "dcmj2pnm" : "dcm2pnm";
        var result = CodecOracle.RunTool(tool, Args(path));
        if (result.ExitCode == 0 && File.Exists(pnm))
        {
            refusal = string.Empty;
            return Read(pnm);
        }

        refusal = FirstLine(result.StdErr + result.StdOut);
        if (ExternalTool.Find("gdcmconv") is null)
        {
            return null;
        }

        var raw = Path.Combine(work, "raw.dcm");
        var conv = CodecOracle.RunTool("gdcmconv", "--raw", path, raw);
        if (conv.ExitCode != 0)
        {
            refusal += " (gdcmconv --raw: " + FirstLine(conv.StdErr + conv.StdOut) + ")";
            return null;
        }

        result = CodecOracle.RunTool("dcm2pnm", Args(raw));
        if (result.ExitCode == 0 && File.Exists(pnm))
        {
            return Read(pnm);
        }

        refusal += " (after gdcmconv --raw: " + FirstLine(result.StdErr + result.StdOut) + ")";
        return null;
    }

    private static ReadImage Read(string pnm)
    {
        try
        {
            return ExportTestSupport.ReadPnm(pnm);
        }
        finally
        {
            File.Delete(pnm);
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no message)";
        return line.Length > 160 ? line[..160] : line;
    }
}
