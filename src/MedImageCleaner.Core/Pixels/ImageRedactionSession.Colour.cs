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
        var mat = ColourView.Create(frame);
        if (mat is null)
        {
            return grey;
        }

        using var colour = new FrameView("colour", FrameViewKind.Colour, mat);
        var extra = DetectCore([colour], frame.Columns, frame.Rows, grey.Boxes);
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

    /// <summary>
    /// Verification of the redacted frame by the independent reader (full-frame OCR through the min-max view, the
    /// extreme planes, the header window and the colour views); one reason per PHI word. Returns the views read.
    /// </summary>
    /// <summary>The PHI words the independent reader reads in <paramref name="frame"/>, described in <paramref name="reasons"/>; <paramref name="views"/>: how many views it read.</summary>
    private IReadOnlyList<ResidualText> VerifyIndependently(DecodedFrame frame, List<string> reasons, out int views)
    {
        views = 0;
        if (_engine.Reader is not { } reader)
        {
            reasons.Add("verification needs OCR, which is not available");
            return [];
        }

        var residual = reader.Read(frame, _attributes, _phi);
        foreach (var r in residual)
        {
            reasons.Add(r.ToString());
        }

        views = reader.LastViews.Count;
        return residual;
    }

    /// <summary>
    /// Whether frame <paramref name="frameIndex"/> is verified: every frame of images up to
    /// <see cref="ImageAttributes.VerifiedFrameLimit"/> frames; of longer cine loops the first, the last, an even sample
    /// and every frame where text was found (the result says which frames were verified).
    /// </summary>
    private bool ShouldVerify(int frameIndex, int boxesFound)
    {
        var frames = Math.Max(1, _attributes.Frames);
        if (frames <= ImageAttributes.VerifiedFrameLimit || frameIndex == 0 || frameIndex == frames - 1)
        {
            return true;
        }

        var step = (frames + ImageAttributes.VerifiedFrameLimit - 1) / ImageAttributes.VerifiedFrameLimit;
        return frameIndex % step == 0 || (boxesFound > 0 && frameIndex % Math.Max(1, step / 4) == 0);
    }
}
