using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Imaging;

namespace MedImageCleaner.Core.Files;

/// <summary>
/// What is missing from a damaged input: the reader's warnings that mean data could not be read (truncated values,
/// an input that ends inside an item, a damaged deflate stream...) and pixel data shorter than its frames. Each entry
/// is a code and a description with tags and counts only, never a value.
/// </summary>
public static class InputDamage
{
    /// <summary>The error / quarantine reason id for a damaged input.</summary>
    public const string ErrorId = "InputDamaged";

    /// <summary>The problems of <paramref name="file"/>; empty when nothing is missing.</summary>
    public static IReadOnlyList<string> Describe(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var problems = new List<string>();
        foreach (var w in file.Warnings)
        {
            if (!w.DataMissing)
            {
                continue;
            }

            var text = w.Tag is { } tag ? $"{w.Code} {tag}: {w.Message}" : $"{w.Code}: {w.Message}";
            if (!problems.Contains(text))
            {
                problems.Add(text);
            }
        }

        try
        {
            if (PixelData.TryCreate(file.Dataset, out var pixels) && pixels.AvailableFrames < pixels.NumberOfFrames)
            {
                problems.Add($"PixelDataIncomplete: the pixel data holds {pixels.AvailableFrames} of {pixels.NumberOfFrames} frames.");
            }
        }
        catch (MedImageCleanerException)
        {
            problems.Add("PixelDataUnreadable: the pixel data attributes cannot be interpreted.");
        }

        return problems;
    }

    /// <summary>One line for a warning or an error message: the file and its problems.</summary>
    public static string Summary(string path, IReadOnlyList<string> problems) =>
        $"'{path}' is damaged, data is missing: {string.Join(" ", problems)}";
}
