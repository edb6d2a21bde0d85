using System.Buffers.Binary;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>
/// The base images of the benchmark: real corpus files of every modality we have (CT, MR, CR, NM, US RGB, multi-frame),
/// decoded with our own codecs, plus MG- and DX-like large frames made by upscaling a radiograph and a CT (bilinear, with
/// seeded fine noise so the texture survives). Annotations already burned into the ultrasound sources are blanked (known
/// rectangles), so the only text in a generated file is the text we put there.
/// </summary>
public static class BaseImageCatalog
{
    private const string CtStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string MrStorage = "1.2.840.10008.5.1.4.1.1.4";
    private const string CrStorage = "1.2.840.10008.5.1.4.1.1.1";
    private const string DxStorage = "1.2.840.10008.5.1.4.1.1.1.1";
    private const string MgStorage = "1.2.840.10008.5.1.4.1.1.1.2";
    private const string NmStorage = "1.2.840.10008.5.1.4.1.1.20";
    private const string UsStorage = "1.2.840.10008.5.1.4.1.1.6.1";
    private const string UsMultiframeStorage = "1.2.840.10008.5.1.4.1.1.3.1";
    private const string ScMultiframeColourStorage = "1.2.840.10008.5.1.4.1.1.7.4";


    /// <summary>Loads every base image whose corpus file is present and decodes; <paramref name="missing"/> names the others.</summary>
    public static IReadOnlyList<BaseImage> Load(out IReadOnlyList<string> missing)
    {
        CoreCodecs.EnsureRegistered();
        var list = new List<BaseImage>();
        var absent = new List<string>();

        void Add(BaseImage? image, string what)
        {
            if (image is null)
            {
                absent.Add(what);
            }
            else
            {
                list.Add(image);
            }
        }

        // The ankle is a 3D rendering with the scanner's own annotations in its corners: they are blanked, so that
        // removing them does not count as over-redaction (and the DX-like frame made from it carries none either).
        var ankle = Blank(Open("CT ankle 512", "CT", CtStorage, 1, "fodicom/CT-MONO2-16-ankle", "fodicom/GH355.dcm"),
            (0, 0, 260, 102), (240, 0, 272, 65), (0, 235, 25, 40), (488, 235, 24, 40), (0, 405, 150, 107), (235, 485, 45, 20), (440, 470, 72, 42));
        Add(ankle, "CT 512 16-bit signed (fodicom/CT-MONO2-16-ankle)");
        Add(Open("CT head 512", "CT", CtStorage, 1, "fodicom/GH1308.dcm", "fodicom/GH178.dcm", "fodicom/D_CLUNIE_CT1_RLE_FRAGS.dcm"), "CT 512 signed (fodicom/GH1308.dcm)");
        Add(Open("CT 512 12-bit", "CT", CtStorage, 1, "fodicom/IM-0001-0001-0001.dcm", "fodicom/GH342.dcm"), "CT 512 12-bit (fodicom/IM-0001-0001-0001.dcm)");
        var mr = Open("MR 256", "MR", MrStorage, 1, "fodicom/GH064.dcm");
        Add(mr, "MR 256 (fodicom/GH064.dcm)");
        var mr512 = Open("MR 512", "MR", MrStorage, 1, "fodicom/GH1146.dcm")
            ?? (mr is null ? null : Upscale(mr, "MR 512", "MR", MrStorage, 512, 512, invert: false, seed: 11));
        Add(mr512, "MR 512 (fodicom/GH1146.dcm or GH064 upscaled)");
        Add(Open("MR multi-frame 128x256", "MR", MrStorage, 4, "fodicom/mr_brucker.dcm"), "MR multi-frame (fodicom/mr_brucker.dcm)");
        var chest = Open("CR chest MONOCHROME1", "CR", CrStorage, 1, "fodicom/CR-MONO1-10-chest");
        Add(chest, "CR MONOCHROME1 440x440 (fodicom/CR-MONO1-10-chest)");
        Add(chest is null ? null : Upscale(chest, "MG-like 800x972", "MG", MgStorage, 972, 800, invert: true, seed: 12), "MG-like 800x972 (CR chest upscaled)");
        Add(ankle is null ? null : Upscale(ankle, "DX-like 1024x768", "DX", DxStorage, 768, 1024, invert: false, seed: 13), "DX-like 1024x768 (CT ankle upscaled)");
        Add(Open("NM 256x1024", "NM", NmStorage, 1, "pydicom/JPEG2000.dcm", "pydicom/JPGExtended.dcm"), "NM 1024x256 (pydicom/JPEG2000.dcm)");
        Add(Blank(Open("US RGB 320x240", "US", UsStorage, 1, "pydicom/examples_rgb_color.dcm"), (0, 0, 320, 56), (0, 170, 320, 70), (0, 56, 24, 114), (294, 56, 26, 114)), "US RGB (pydicom/examples_rgb_color.dcm)");
        Add(Blank(Open("US RGB 1024x768", "US", UsStorage, 1, "burned-in/us_siemens_rgb.dcm"), (0, 0, 1024, 60), (896, 60, 128, 708), (0, 60, 48, 708), (0, 728, 1024, 40), (240, 56, 40, 32)), "US RGB 1024x768 (burned-in/us_siemens_rgb.dcm)");
        Add(Blank(Open("US cine 320x240", "US", UsMultiframeStorage, 3, "pydicom/examples_ybr_color.dcm"), (0, 0, 64, 36), (284, 0, 36, 240), (0, 220, 320, 20), (176, 10, 24, 20)), "US multi-frame (pydicom/examples_ybr_color.dcm)");
        Add(Open("SC multi-frame RGB 240x240", "OT", ScMultiframeColourStorage, 3, "fodicom/multiframe.dcm"), "multi-frame RGB (fodicom/multiframe.dcm)");
        missing = absent;
        return list;
    }

    /// <summary>
    /// Other real corpus images, none of which the detector was tuned on: a probe of how the results carry over to
    /// anatomy and sizes the main set does not hold (an MR of 484 pixels, a PET slice of 128, a CT whose
    /// lossy JPEG 2000 smooths the texture, colour-Doppler ultrasound of 640x480 and an echocardiogram, their own
    /// annotations blanked), plus a 1200x1500 mammogram-like frame made from the MR. Loads those present, as
    /// <see cref="Load"/>.
    /// </summary>
    public static IReadOnlyList<BaseImage> LoadWider(out IReadOnlyList<string> missing)
    {
        CoreCodecs.EnsureRegistered();
        var list = new List<BaseImage>();
        var absent = new List<string>();
        foreach (var (image, what) in new (BaseImage?, string)[]
        {
            (Open("MR 484", "MR", MrStorage, 1, "pydicom/examples_overlay.dcm"), "MR 484 (pydicom/examples_overlay.dcm)"),
            (Open("PT 128", "PT", "1.2.840.10008.5.1.4.1.1.128", 1, "fodicom/GH184.dcm", "fodicom/GH610.dcm"), "PT 128 (fodicom/GH184.dcm)"),
            (Open("CT 512 J2K lossy", "CT", CtStorage, 1, "fodicom/CT1_J2KI"), "CT 512 (fodicom/CT1_J2KI)"),
            (Blank(Open("US Doppler 640x480", "US", UsStorage, 1, "pydicom/examples_jpeg2k.dcm"), (0, 0, 640, 108), (0, 108, 48, 240), (592, 108, 48, 240), (0, 340, 640, 140)),
                "US 640x480 (pydicom/examples_jpeg2k.dcm)"),
            (Blank(Open("US echo 636x434", "US", UsStorage, 1, "fodicom/GH538-jpeg1.dcm"), (600, 0, 36, 150), (325, 5, 30, 25), (595, 395, 41, 39), (110, 100, 40, 135), (0, 375, 150, 59)),
                "US echo 636x434 (fodicom/GH538-jpeg1.dcm)"),
        })
        {
            if (image is null)
            {
                absent.Add(what);
            }
            else
            {
                list.Add(image);
            }
        }

        if (list.Find(b => b.Name == "MR 484") is { } mr)
        {
            list.Add(Upscale(mr, "MG-like 1200x1500", "MG", MgStorage, 1500, 1200, invert: false, seed: 14));
        }

        missing = absent;
        return list;
    }

    /// <summary>The first of <paramref name="candidates"/> that is present and decodes, as a base image; null when none does.</summary>
    private static BaseImage? Open(string name, string modality, string sopClass, int maxFrames, params string[] candidates)
    {
        foreach (var relative in candidates)
        {
            var path = Path.Combine(BenchmarkEnvironment.CorpusRoot, relative.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                using var file = DicomFile.Open(path);
                if (!PixelData.TryCreate(file.Dataset, out var pixels) || !PixelCodecs.TryGetDecoder(file.TransferSyntax, out _))
                {
                    continue;
                }

                var count = Math.Min(maxFrames, pixels.AvailableFrames);
                var frames = new List<int[]>();
                DecodedFrame? first = null;
                for (var i = 0; i < count; i++)
                {
                    var frame = PixelCodecs.Decode(pixels, file.TransferSyntax, i);
                    first ??= frame;
                    frames.Add(Samples(frame));
                }

                if (first is null || (first.SamplesPerPixel != 1 && first.SamplesPerPixel != 3) || (first.SamplesPerPixel == 3 && first.BitsAllocated != 8))
                {
                    continue;
                }

                var ds = file.Dataset;
                (double, double)? window = ds.TryGetNumber(DicomTag.WindowCenter, out var c) && ds.TryGetNumber(DicomTag.WindowWidth, out var w) && w > 0 ? (c, w) : null;
                var intercept = ds.TryGetNumber(DicomTag.RescaleIntercept, out var ri) ? ri : 0;
                var slope = ds.TryGetNumber(DicomTag.RescaleSlope, out var rs) && rs != 0 ? rs : 1;
                var grey = first.SamplesPerPixel == 1;
                var photometric = grey ? (first.PhotometricInterpretation == "MONOCHROME1" ? "MONOCHROME1" : "MONOCHROME2") : "RGB";
                var bitsStored = grey ? Math.Clamp(first.BitsStored, 8, 16) : 8;
                return new BaseImage(name, relative, modality, sopClass, first.Rows, first.Columns, first.SamplesPerPixel, bitsStored,
                    grey && first.IsSigned, photometric, frames, grey ? window : null, grey ? intercept : 0, grey ? slope : 1);
            }
            catch (Exception ex) when (ex is PixelCodecException or MedImageCleanerException or IOException or ArgumentException)
            {
                // Not decodable here: try the next candidate.
            }
        }

        return null;
    }

    /// <summary>The stored values of a decoded frame (grey: sign-extended to Bits Stored; colour: bytes).</summary>
    public static int[] Samples(DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var n = frame.Rows * frame.Columns * frame.SamplesPerPixel;
        var values = new int[n];
        var bits = Math.Clamp(frame.BitsStored, 1, frame.BitsAllocated);
        for (var i = 0; i < n; i++)
        {
            long raw = frame.BytesPerSample switch
            {
                1 => frame.Data[i],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(frame.Data.AsSpan(i * 2)),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(frame.Data.AsSpan(i * 4)),
            };
            raw &= (1L << bits) - 1;
            if (frame.IsSigned && bits < 64 && (raw & (1L << (bits - 1))) != 0)
            {
                raw -= 1L << bits;
            }

            values[i] = (int)raw;
        }

        return values;
    }

    /// <summary>
    /// A larger grey frame from <paramref name="source"/>: bilinear upscale of its first frame, optionally inverted (a
    /// MONOCHROME1 radiograph as a MONOCHROME2 mammogram), with seeded noise of about 1 % of the value range added so the
    /// frame keeps a fine texture at the new scale. Unsigned 12-bit, no window, no rescale.
    /// </summary>
    private static BaseImage Upscale(BaseImage source, string name, string modality, string sopClass, int rows, int columns, bool invert, int seed)
    {
        var (min, max) = source.Range();
        var src = source.Frames[0];
        var range = Math.Max(1, max - min);
        var rng = new Random(seed);
        var values = new int[rows * columns];
        for (var y = 0; y < rows; y++)
        {
            var fy = Math.Clamp((y + 0.5) * source.Rows / rows - 0.5, 0, source.Rows - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, source.Rows - 1);
            var wy = fy - y0;
            for (var x = 0; x < columns; x++)
            {
                var fx = Math.Clamp((x + 0.5) * source.Columns / columns - 0.5, 0, source.Columns - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, source.Columns - 1);
                var wx = fx - x0;
                var top = (src[(y0 * source.Columns) + x0] * (1 - wx)) + (src[(y0 * source.Columns) + x1] * wx);
                var bottom = (src[(y1 * source.Columns) + x0] * (1 - wx)) + (src[(y1 * source.Columns) + x1] * wx);
                var v = (top * (1 - wy)) + (bottom * wy);
                var unit = (v - min) / range;
                if (invert)
                {
                    unit = 1 - unit;
                }

                unit += (rng.NextDouble() - 0.5) * 0.02;
                values[(y * columns) + x] = (int)Math.Round(Math.Clamp(unit, 0, 1) * 4000);
            }
        }

        return new BaseImage(name, source.Source + $" upscaled to {columns}x{rows}{(invert ? ", inverted" : string.Empty)}", modality, sopClass,
            rows, columns, 1, 12, false, "MONOCHROME2", [values], null, 0, 1);
    }

    /// <summary>The image with the given rectangles (x, y, width, height) set to black in every frame (annotations of the source).</summary>
    private static BaseImage? Blank(BaseImage? image, params (int X, int Y, int Width, int Height)[] rectangles)
    {
        if (image is null)
        {
            return null;
        }

        var (min, _) = image.Range();
        var black = image.IsGrey ? min : 0;
        foreach (var frame in image.Frames)
        {
            foreach (var (rx, ry, rw, rh) in rectangles)
            {
                for (var y = Math.Max(0, ry); y < Math.Min(image.Rows, ry + rh); y++)
                {
                    for (var x = Math.Max(0, rx); x < Math.Min(image.Columns, rx + rw); x++)
                    {
                        var i = ((y * image.Columns) + x) * image.SamplesPerPixel;
                        Array.Fill(frame, black, i, image.SamplesPerPixel);
                    }
                }
            }
        }

        return image with { Source = image.Source + $" ({rectangles.Length} annotation rectangles blanked)" };
    }
}
