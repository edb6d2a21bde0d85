using System.Text;
using System.Text.RegularExpressions;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// Decides which OCR words are PHI: words of one text line are joined and given to <see cref="PhiDetector"/> (header
/// names in any spelling, IDs, dates in any format, institution, and its generic patterns), plus clock times, which
/// PhiDetector does not cover. Thread-safe.
/// </summary>
internal sealed partial class PhiTextClassifier
{
    private readonly PhiDetector _detector = new();

    // A space may follow a colon: Tesseract splits "09:30:12" into "09:" "30:" "12" at some scales.
    [GeneratedRegex(@"\b(?:[01]?[0-9]|2[0-3])(?::[ ]?|\.)[0-5][0-9](?:(?::[ ]?|\.)[0-5][0-9])?\b(?:[ \t]{0,2}(?:[AaPp]\.?[Mm]\.?))?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ClockTime { get; }

    // A person's name as imaging systems print it: "SURNAME, GIVEN" in capitals, or the raw DICOM form "Surname^Given".
    // Not in header text (descriptions like "ABD, PEL" are common there); on a frame it is how a name is burned in.
    [GeneratedRegex(@"\b(?<s>[A-Z][A-Z'-]{1,30}),[ \t]{1,3}(?<g>[A-Z][A-Z'-]{1,30})\b|\b(?<s>[A-Z][A-Za-z'-]{1,30})\^(?<g>[A-Z][A-Za-z'-]{1,30})\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PrintedName { get; }

    /// <summary>The PHI kind of each word (null: not PHI). <paramref name="words"/> are of one line, left to right.</summary>
    public PhiKind?[] Classify(IReadOnlyList<OcrWord> words, PhiContext? context)
    {
        var kinds = new PhiKind?[words.Count];
        if (words.Count == 0)
        {
            return kinds;
        }

        var sb = new StringBuilder();
        var starts = new int[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            starts[i] = sb.Length;
            sb.Append(words[i].Text);
        }

        var text = sb.ToString();
        var spans = new List<(int Start, int End, PhiKind Kind)>();
        if (context is not null)
        {
            // A part of a multi-word header value read alone ("CLEVELAND" of the institution, "MARY" of a name);
            // values with digits (IDs) also as OCR reads them ("MRNOOOOO003" for "MRN00000003").
            var (tokens, folded) = HeaderTokens(context);
            var fragments = HeaderFragments.Of(context);
            for (var i = 0; i < words.Count; i++)
            {
                foreach (var part in TokenSplit().Split(words[i].Text))
                {
                    // Or the first or last 5+ characters of one (the rest hidden or misread), OCR confusions tolerated.
                    var upper = part.ToUpperInvariant();
                    PhiKind? kind = tokens.TryGetValue(upper, out var k) || MatchesFolded(folded, upper, out k) ? k : fragments.Match(part);
                    if (kind is not null)
                    {
                        spans.Add((starts[i], starts[i] + words[i].Text.Length, kind.Value));
                        break;
                    }
                }
            }
        }

        foreach (var f in _detector.Find(text, context))
        {
            spans.Add((f.Start, f.End, f.Kind));
        }

        AddLabelledValues(words, starts, spans);

        try
        {
            foreach (Match m in ClockTime.Matches(text))
            {
                spans.Add((m.Index, m.Index + m.Length, PhiKind.Date));
            }

            foreach (Match m in PrintedName.Matches(text))
            {
                // "LEFT, MEDIAL" or "CHEST, PA": a modality, anatomy or technique word on either side is not a name.
                if (!PhiPatterns.NotNames.Contains(m.Groups["s"].Value.ToUpperInvariant()) && !PhiPatterns.NotNames.Contains(m.Groups["g"].Value.ToUpperInvariant()))
                {
                    spans.Add((m.Index, m.Index + m.Length, PhiKind.PersonName));
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            spans.Add((0, text.Length, PhiKind.Other));
        }

        for (var i = 0; i < words.Count; i++)
        {
            var s = starts[i];
            var e = s + words[i].Text.Length;
            foreach (var span in spans)
            {
                if (span.Start < e && span.End > s)
                {
                    kinds[i] = span.Kind;
                    break;
                }
            }
        }

        return kinds;
    }

    [GeneratedRegex(@"[^\p{L}\p{Nd}]+", RegexOptions.CultureInvariant)]
    private static partial Regex TokenSplit();

    /// <summary>
    /// The last word of an identifying label (upper case, without its colon) and the kind of the value after it: a
    /// burned-in <c>Key: Value</c> line.
    /// </summary>
    private static readonly Dictionary<string, PhiKind> ValueLabels = new(StringComparer.Ordinal)
    {
        ["NAME"] = PhiKind.PersonName,
        ["DOB"] = PhiKind.Date,
        ["D.O.B"] = PhiKind.Date,
        ["D.O.B."] = PhiKind.Date,
        ["BIRTH"] = PhiKind.Date,
        ["BIRTHDATE"] = PhiKind.Date,
        ["BORN"] = PhiKind.Date,
        ["DATE"] = PhiKind.Date,
        ["AGE"] = PhiKind.Age,
        ["ID"] = PhiKind.Identifier,
        ["MRN"] = PhiKind.MedicalRecordNumber,
        ["PID"] = PhiKind.Identifier,
        ["ACCESSION"] = PhiKind.Identifier,
        ["ACC"] = PhiKind.Identifier,
        ["INSTITUTION"] = PhiKind.Other,
        ["HOSPITAL"] = PhiKind.Other,
    };

    /// <summary>
    /// The words after an identifying label that ends with a colon ("DOB:", "Name:", "Patient ID:") up to the next
    /// label: the value, whatever OCR made of it. A date read as "26/0" and "1994" over a line through it, or "028Y"
    /// read as "O2BY", matches no pattern, but it is the value of its label. A word must hold two letters or digits.
    /// </summary>
    private static void AddLabelledValues(IReadOnlyList<OcrWord> words, int[] starts, List<(int Start, int End, PhiKind Kind)> spans)
    {
        PhiKind? current = null;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i].Text.Trim();
            if (word.EndsWith(':') || word.EndsWith('#'))
            {
                current = ValueLabels.TryGetValue(word.TrimEnd(':', '#').ToUpperInvariant(), out var kind) ? kind : null;
                continue;
            }

            var alphanumeric = 0;
            foreach (var ch in word)
            {
                alphanumeric += char.IsLetterOrDigit(ch) ? 1 : 0;
            }

            if (current is { } k && alphanumeric >= 2)
            {
                spans.Add((starts[i], starts[i] + words[i].Text.Length, k));
            }
        }
    }

    /// <summary>
    /// Parts (3+ characters, not ordinary words) of the header's names, IDs and other values, upper case; and those
    /// with a digit, folded (<see cref="Fold"/>).
    /// </summary>
    private static (Dictionary<string, PhiKind> Tokens, Dictionary<string, PhiKind> Folded) HeaderTokens(PhiContext context)
    {
        var tokens = new Dictionary<string, PhiKind>(StringComparer.Ordinal);
        Add(context.PersonNames, PhiKind.PersonName);
        Add(context.Identifiers, PhiKind.Identifier);
        Add(context.OtherValues, PhiKind.Other);
        var folded = new Dictionary<string, PhiKind>(StringComparer.Ordinal);
        foreach (var (t, kind) in tokens)
        {
            if (t.Length >= 4 && t.Any(char.IsDigit))
            {
                folded.TryAdd(Fold(t), kind);
            }
        }

        return (tokens, folded);

        void Add(List<string> values, PhiKind kind)
        {
            foreach (var v in values)
            {
                foreach (var part in TokenSplit().Split(v))
                {
                    var t = part.ToUpperInvariant();
                    if (t.Length >= 3 && !PhiPatterns.NotNames.Contains(t))
                    {
                        tokens.TryAdd(t, kind);
                    }
                }
            }
        }
    }

    /// <summary>
    /// True when <paramref name="upper"/>, folded, is a folded header value with digits, or (6+ characters) differs
    /// from one by a single edit: OCR reads 0 as O, 1 as I or L, 5 as S, 8 as B and drops or doubles a character.
    /// </summary>
    private static bool MatchesFolded(Dictionary<string, PhiKind> folded, string upper, out PhiKind kind)
    {
        kind = default;
        if (folded.Count == 0 || upper.Length < 4)
        {
            return false;
        }

        var key = Fold(upper);
        if (folded.TryGetValue(key, out kind))
        {
            return true;
        }

        foreach (var (value, k) in folded)
        {
            if (value.Length >= 6 && Math.Abs(value.Length - key.Length) <= 1 && WithinOneEdit(value, key))
            {
                kind = k;
                return true;
            }
        }

        return false;
    }

    /// <summary>Upper-case text with the letters OCR confuses with digits replaced by those digits.</summary>
    internal static string Fold(string upper)
    {
        var chars = upper.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                'O' or 'Q' or 'D' => '0',
                'I' or 'L' => '1',
                'Z' => '2',
                'S' => '5',
                'G' => '6',
                'B' => '8',
                _ => chars[i],
            };
        }

        return new string(chars);
    }

    private static bool WithinOneEdit(string a, string b)
    {
        if (a.Length > b.Length)
        {
            (a, b) = (b, a);
        }

        var i = 0;
        while (i < a.Length && a[i] == b[i])
        {
            i++;
        }

        if (a.Length == b.Length)
        {
            return a.AsSpan(i + Math.Min(1, a.Length - i)).SequenceEqual(b.AsSpan(i + Math.Min(1, b.Length - i)));
        }

        return a.AsSpan(i).SequenceEqual(b.AsSpan(i + 1));
    }

    /// <summary>Groups words into lines (vertical overlap), each sorted left to right.</summary>
    public static List<List<OcrWord>> Lines(IEnumerable<OcrWord> words)
    {
        var lines = new List<List<OcrWord>>();
        var sorted = words.OrderBy(w => w.Box.Y).ThenBy(w => w.Box.X).ToList();
        foreach (var w in sorted)
        {
            List<OcrWord>? home = null;
            foreach (var line in lines)
            {
                var last = line[^1];
                var overlap = Math.Min(last.Box.Bottom, w.Box.Bottom) - Math.Max(last.Box.Y, w.Box.Y);
                if (overlap >= 0.5 * Math.Min(last.Box.Height, w.Box.Height))
                {
                    home = line;
                    break;
                }
            }

            if (home is null)
            {
                lines.Add([w]);
            }
            else
            {
                home.Add(w);
            }
        }

        foreach (var line in lines)
        {
            line.Sort(static (a, b) => a.Box.X.CompareTo(b.Box.X));
        }

        return lines;
    }
}
