using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// Colour frames are also detected and verified on their <see cref="ColourView"/>: text whose colour differs from the
/// background mostly in hue (red or green on grey) has little luminance contrast. The boxes of both views are united.
/// Kept apart from the grey-view code in FrameRedactionEngine.cs: that file only calls these two methods.
/// </summary>
public sealed partial class ImageRedactionSession
{
    /// <summary><paramref name="grey"/> plus the boxes found on the colour view (none for grey frames).</summary>
    private Detection WithColourView(DecodedFrame frame, Detection grey)
    {
        using var colour = ColourView.Create(frame);
        if (colour is null)
        {
            return grey;
        }

        var extra = DetectCore(colour, grey.Boxes);
        var boxes = new List<TextBox>(grey.Boxes);
        foreach (var b in extra.Boxes)
        {
            // Only text OCR read on the colour view counts: colour blobs (Doppler flow on ultrasound) look like text
            // lines to the edge pass. Regions and rule boxes come out of both passes: keep one.
            var read = b.Reason.StartsWith("ocr", StringComparison.Ordinal) || b.Reason.StartsWith("phi:", StringComparison.Ordinal);
            if (read && !boxes.Exists(x => x.Box == b.Box))
            {
                boxes.Add(b);
            }
        }

        return new Detection(boxes, grey.OcrCandidates + extra.OcrCandidates, grey.Reused + extra.Reused);
    }

    /// <summary>Verification on the grey view and, for colour frames, on the colour view. Returns the regions OCR'd.</summary>
    private int VerifyViews(DecodedFrame frame, List<PixelBox> filled, List<string> reasons)
    {
        int read;
        using (var grey = GreyView.Create(frame, _attributes))
        {
            read = Verify(grey, filled, reasons);
        }

        if (_engine.Ocr is null)
        {
            return read;
        }

        using var colour = ColourView.Create(frame);
        return colour is null ? read : read + Verify(colour, filled, reasons);
    }
}
