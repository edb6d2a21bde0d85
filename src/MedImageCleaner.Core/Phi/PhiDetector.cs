using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace MedImageCleaner.Core.Phi;

/// <summary>The kind of identifying information a <see cref="PhiFinding"/> covers.</summary>
public enum PhiKind
{
    /// <summary>A person's name: the patient's or staff's from the header in any spelling, or a labelled name.</summary>
    PersonName,

    /// <summary>An identifier from the header (patient ID, accession number...) or an ID-like token.</summary>
    Identifier,

    /// <summary>A medical record number: labelled ("MRN", "Patient ID:") or a long digit run.</summary>
    MedicalRecordNumber,

    /// <summary>A date in any common format, or a date from the header.</summary>
    Date,

    /// <summary>An age ("45-year-old", "45 y/o", "age 45").</summary>
    Age,

    /// <summary>A telephone or fax number.</summary>
    Phone,

    /// <summary>An e-mail address.</summary>
    Email,

    /// <summary>A web address.</summary>
    Url,

    /// <summary>A street address, P.O. box or city/state/ZIP.</summary>
    Address,

    /// <summary>A US social security number.</summary>
    Ssn,

    /// <summary>Another identifying value from the header (institution, station name...).</summary>
    Other,
}

/// <summary>
/// One identifying span of a text. Holds no value: callers that must show or compare it slice the text themselves,
/// so findings can be logged and reported without leaking PHI.
/// </summary>
/// <param name="Start">Index of the first character.</param>
/// <param name="Length">Number of characters.</param>
/// <param name="Kind">What the span is.</param>
/// <param name="Confidence">0..1: 1 for a value of the header found verbatim, lower for generic patterns.</param>
public sealed record PhiFinding(int Start, int Length, PhiKind Kind, double Confidence)
{
    /// <summary>Index one past the last character.</summary>
    public int End => Start + Length;
}

/// <summary>Options of <see cref="PhiDetector"/>.</summary>
public sealed record PhiDetectorOptions
{
    /// <summary>The defaults: header values and generic patterns, every confidence.</summary>
    public static PhiDetectorOptions Default { get; } = new();

    /// <summary>
    /// Whether generic patterns (dates, phone numbers, e-mail, addresses, MRN-like numbers...) are detected besides
    /// the header's own values. Residual-identifier scans of de-identified output turn this off, so shifted dates and
    /// pseudonyms the de-identifier wrote are not reported as PHI.
    /// </summary>
    public bool DetectPatterns { get; init; } = true;

    /// <summary>Findings below this confidence are dropped.</summary>
    public double MinimumConfidence { get; init; }
}

/// <summary>
/// Finds identifying spans in free text: the names, IDs, dates and other values of the header (given as a
/// <see cref="PhiContext"/>) in any spelling, and generic identifiers (dates, phone numbers, e-mail, URLs, street
/// addresses, MRN-like numbers, SSNs, ages). Thread-safe; linear in the text (bounded source-generated expressions
/// with a timeout that fails closed: text that cannot be examined in time is reported whole).
/// </summary>
public sealed partial class PhiDetector
{
    private readonly PhiDetectorOptions _options;
    private readonly ConditionalWeakTable<PhiContext, CompiledContext> _compiled = new();

    /// <summary>Creates a detector with <paramref name="options"/> (defaults when null).</summary>
    public PhiDetector(PhiDetectorOptions? options = null) => _options = options ?? PhiDetectorOptions.Default;

    /// <summary>The options in force.</summary>
    public PhiDetectorOptions Options => _options;

    /// <summary>
    /// The identifying spans of <paramref name="text"/>, ordered by start (then longest first). A span wholly inside
    /// another is reported once (the more confident); partly overlapping spans are all reported.
    /// </summary>
    public IReadOnlyList<PhiFinding> Find(string text, PhiContext? context)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var results = new List<PhiFinding>();
        if (context is not null)
        {
            var compiled = Compile(context);
            FindNames(text, compiled, results);
            FindCompactValues(text, compiled, results);
        }

        if (_options.DetectPatterns)
        {
            PhiPatterns.FindAll(text, results);
        }

        return Normalize(results, _options.MinimumConfidence);
    }

    private CompiledContext Compile(PhiContext context)
    {
        var stamp = CompiledContext.StampOf(context);
        if (_compiled.TryGetValue(context, out var cached) && cached.Stamp == stamp)
        {
            return cached;
        }

        var compiled = CompiledContext.Build(context, stamp);
        _compiled.AddOrUpdate(context, compiled);
        return compiled;
    }

    private static List<PhiFinding> Normalize(List<PhiFinding> results, double minimum)
    {
        results.RemoveAll(f => f.Confidence < minimum || f.Length <= 0);
        results.Sort(static (a, b) =>
        {
            var c = a.Start.CompareTo(b.Start);
            if (c != 0)
            {
                return c;
            }

            c = b.Length.CompareTo(a.Length);
            return c != 0 ? c : b.Confidence.CompareTo(a.Confidence);
        });

        var kept = new List<PhiFinding>(results.Count);
        foreach (var f in results)
        {
            var contained = false;
            for (var k = kept.Count - 1; k >= 0; k--)
            {
                var o = kept[k];
                if (o.End <= f.Start)
                {
                    // Kept spans are ordered by start; earlier ones may still reach further, so keep looking.
                    continue;
                }

                if (o.Start <= f.Start && o.End >= f.End)
                {
                    if (o.Start == f.Start && o.End == f.End && f.Confidence > o.Confidence)
                    {
                        kept[k] = f;
                    }

                    contained = true;
                    break;
                }
            }

            if (!contained)
            {
                kept.Add(f);
            }
        }

        return kept;
    }

    // ---- names of the header ---------------------------------------------------------------------------------

    private static void FindNames(string text, CompiledContext cc, List<PhiFinding> results)
    {
        if (cc.NameParts.Count > 0)
        {
            FindNameRuns(text, cc, results);
        }

        foreach (var name in cc.ScriptNames)
        {
            var at = 0;
            while ((at = text.IndexOf(name, at, StringComparison.Ordinal)) >= 0)
            {
                results.Add(new PhiFinding(at, name.Length, PhiKind.PersonName, 0.9));
                at += name.Length;
            }
        }
    }

    /// <summary>
    /// Splits the text into letter runs, marks each that is a part of a header name (or an initial of one), and
    /// reports each run of adjacent marked words (joined by spaces, dots, commas, carets, hyphens, apostrophes)
    /// that holds a name part of two or more letters which is not an ordinary word, written with a capital (a lone
    /// lower-case part counts only next to another part).
    /// </summary>
    private static void FindNameRuns(string text, CompiledContext cc, List<PhiFinding> results)
    {
        var words = new List<NameWord>();
        var i = 0;
        while (i < text.Length)
        {
            if (!IsNameChar(text[i]))
            {
                i++;
                continue;
            }

            var s = i;
            while (i < text.Length && IsNameChar(text[i]))
            {
                i++;
            }

            words.Add(Classify(text, s, i - s, cc));
        }

        var w = 0;
        while (w < words.Count)
        {
            if (!words[w].Participates)
            {
                w++;
                continue;
            }

            var first = w;
            var last = w;
            var strong = words[w].Strong && !words[w].Lower;
            var parts = words[w].Strong ? 1 : 0;
            var family = words[w].Family;
            while (last + 1 < words.Count && words[last + 1].Participates && JoinedAsName(text, words[last].End, words[last + 1].Start))
            {
                last++;
                strong |= words[last].Strong && !words[last].Lower;
                parts += words[last].Strong ? 1 : 0;
                family |= words[last].Family;
            }

            // A lone name part written in lower case ("white matter", "long axis") is prose, not the name; two name
            // parts together ("john doe") are the name whatever the case.
            strong |= parts >= 2;

            if (strong)
            {
                var start = words[first].Start;
                var end = words[last].End;
                if (words[last].Initial && end < text.Length && text[end] == '.')
                {
                    end++;
                }

                results.Add(new PhiFinding(start, end - start, PhiKind.PersonName, family ? 0.95 : 0.8));
            }

            w = last + 1;
        }
    }

    private static NameWord Classify(string text, int start, int length, CompiledContext cc)
    {
        var token = text.AsSpan(start, length);
        var end = start + length;
        if ((start > 0 && char.IsDigit(text[start - 1])) || (end < text.Length && char.IsDigit(text[end])))
        {
            // Letters glued to digits are a code ("PAT001234", "T2"), not a name.
            return new NameWord(start, length, NameRole.None, false, false, false);
        }

        if (length == 1)
        {
            var initial = char.IsUpper(token[0]) && cc.Initials.Contains(TextFolding.FoldChar(token[0]));
            return new NameWord(start, length, NameRole.None, initial, false, false);
        }

        var folded = TextFolding.Fold(token);
        var role = cc.NameParts.GetValueOrDefault(folded);
        var german = TextFolding.FoldGerman(token);
        if (!string.Equals(german, folded, StringComparison.Ordinal))
        {
            role |= cc.NameParts.GetValueOrDefault(german);
        }

        var ordinary = PhiPatterns.NotNames.Contains(folded);
        var lower = true;
        foreach (var c in token)
        {
            lower &= !char.IsUpper(c);
        }

        return new NameWord(start, length, role, false, ordinary, lower);
    }

    private static bool JoinedAsName(string text, int end, int next)
    {
        if (next - end > 3)
        {
            return false;
        }

        for (var k = end; k < next; k++)
        {
            if (text[k] is not (' ' or '\t' or '.' or ',' or '^' or '-' or '\'' or '\u2019'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameChar(char c) =>
        char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    // ---- IDs, dates and other values of the header -----------------------------------------------------------

    /// <summary>
    /// Finds the header's IDs, dates and other values, and names written without spaces, in a folded copy of the text
    /// with separators (spaces, '-', '.', '/', '_') removed, so "AB-123 456" matches the ID "AB123456" and
    /// "2023-01-02" matches the date "20230102". A match may not extend a digit or letter run of the text.
    /// </summary>
    private static void FindCompactValues(string text, CompiledContext cc, List<PhiFinding> results)
    {
        if (cc.CompactNeedles.Count == 0)
        {
            return;
        }

        var compact = CompactText.From(text);
        foreach (var needle in cc.CompactNeedles)
        {
            var at = 0;
            while (at <= compact.Chars.Length - needle.Value.Length)
            {
                var found = compact.Chars.AsSpan(at).IndexOf(needle.Value, StringComparison.Ordinal);
                if (found < 0)
                {
                    break;
                }

                var pos = at + found;
                var start = compact.Map[pos];
                var end = compact.Map[pos + needle.Value.Length - 1] + 1;
                if (Bounded(text, start, end, needle.DigitsOnlyBoundary))
                {
                    results.Add(new PhiFinding(start, end - start, needle.Kind, needle.Confidence));
                }

                at = pos + 1;
            }
        }
    }

    private static bool Bounded(string text, int start, int end, bool digitsOnly)
    {
        if (start > 0 && SameClass(text[start - 1], text[start], digitsOnly))
        {
            return false;
        }

        return end >= text.Length || !SameClass(text[end - 1], text[end], digitsOnly);
    }

    private static bool SameClass(char a, char b, bool digitsOnly) =>
        (char.IsDigit(a) && char.IsDigit(b)) || (!digitsOnly && char.IsLetter(a) && char.IsLetter(b));
}
