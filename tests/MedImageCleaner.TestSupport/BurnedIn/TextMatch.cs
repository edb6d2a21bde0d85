using System.Text;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>How a PHI word is found in OCR text: case-insensitive, punctuation and spaces ignored.</summary>
public static class TextMatch
{
    /// <summary>Upper-case letters and digits of <paramref name="text"/>, nothing else.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>True when the normalized <paramref name="ocrText"/> contains the normalized <paramref name="word"/>.</summary>
    public static bool Contains(string ocrText, string word)
    {
        var w = Normalize(word);
        return w.Length > 0 && Normalize(ocrText).Contains(w, StringComparison.Ordinal);
    }
}
