using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace MedImageCleaner.Core.Phi;

/// <summary>Case and diacritic folding for matching names and values in any spelling.</summary>
internal static class TextFolding
{
    /// <summary>Upper case without diacritics: "Müller" -> "MULLER", "Łukasz" -> "LUKASZ", "Straße" -> "STRASSE".</summary>
    public static string Fold(ReadOnlySpan<char> value) => Fold(value, german: false);

    /// <summary>As <see cref="Fold(ReadOnlySpan{char})"/> but with German umlauts expanded: "Müller" -> "MUELLER".</summary>
    public static string FoldGerman(ReadOnlySpan<char> value) => Fold(value, german: true);

    /// <summary>One character folded to one character (for index-preserving matching).</summary>
    public static char FoldChar(char c)
    {
        if (c < 0x80)
        {
            return char.ToUpperInvariant(c);
        }

        var special = Special(c);
        if (special is not null)
        {
            return special[0];
        }

        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        return char.ToUpperInvariant(decomposed[0]);
    }

    private static string Fold(ReadOnlySpan<char> value, bool german)
    {
        var sb = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c < 0x80)
            {
                sb.Append(char.ToUpperInvariant(c));
                continue;
            }

            if (german && c is '\u00E4' or '\u00C4' or '\u00F6' or '\u00D6' or '\u00FC' or '\u00DC')
            {
                sb.Append(char.ToUpperInvariant(c.ToString().Normalize(NormalizationForm.FormD)[0])).Append('E');
                continue;
            }

            var special = Special(c);
            if (special is not null)
            {
                sb.Append(special);
                continue;
            }

            foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(d) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
                {
                    sb.Append(char.ToUpperInvariant(d));
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>Letters Unicode does not decompose into a base letter and a mark.</summary>
    private static string? Special(char c) => c switch
    {
        '\u00DF' => "SS", // sharp s
        '\u00E6' or '\u00C6' => "AE",
        '\u0153' or '\u0152' => "OE",
        '\u00F8' or '\u00D8' => "O",
        '\u0142' or '\u0141' => "L",
        '\u0111' or '\u0110' => "D",
        '\u00FE' or '\u00DE' => "TH",
        '\u0131' => "I", // dotless i
        _ => null,
    };
}
