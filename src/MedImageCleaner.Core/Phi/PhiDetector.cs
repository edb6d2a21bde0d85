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
public sealed class PhiDetector
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

    // ---- compiled context ------------------------------------------------------------------------------------

    [Flags]
    private enum NameRole
    {
        None = 0,
        Family = 1,
        Given = 2,
        Affix = 4,
    }

    private readonly record struct NameWord(int Start, int Length, NameRole Role, bool Initial, bool Ordinary, bool Lower)
    {
        public int End => Start + Length;

        public bool Participates => Role != NameRole.None || Initial;

        public bool Strong => (Role & (NameRole.Family | NameRole.Given)) != 0 && !Ordinary;

        public bool Family => (Role & NameRole.Family) != 0 && !Ordinary;
    }

    private sealed record Needle(string Value, PhiKind Kind, double Confidence, bool DigitsOnlyBoundary);

    /// <summary>A header's values prepared for matching; built once per context (and rebuilt if it changes).</summary>
    private sealed class CompiledContext
    {
        public required int Stamp { get; init; }

        public Dictionary<string, NameRole> NameParts { get; } = new(StringComparer.Ordinal);

        public HashSet<char> Initials { get; } = [];

        /// <summary>Names in scripts written without spaces (CJK, kana, hangul), matched as substrings.</summary>
        public List<string> ScriptNames { get; } = [];

        public List<Needle> CompactNeedles { get; } = [];

        public static int StampOf(PhiContext context)
        {
            var hash = new HashCode();
            foreach (var list in (ReadOnlySpan<List<string>>)[context.PersonNames, context.Identifiers, context.Dates, context.OtherValues])
            {
                hash.Add(list.Count);
                foreach (var s in list)
                {
                    hash.Add(s, StringComparer.Ordinal);
                }
            }

            return hash.ToHashCode();
        }

        public static CompiledContext Build(PhiContext context, int stamp)
        {
            var cc = new CompiledContext { Stamp = stamp };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in context.PersonNames)
            {
                cc.AddPersonName(name, seen);
            }

            foreach (var id in context.Identifiers)
            {
                var compact = CompactText.Fold(id);
                if (compact.Length >= 4 && seen.Add("I" + compact))
                {
                    cc.CompactNeedles.Add(new Needle(compact, PhiKind.Identifier, 1.0, false));
                }
            }

            foreach (var value in context.Dates)
            {
                foreach (var variant in DateVariants(value))
                {
                    if (seen.Add("D" + variant))
                    {
                        cc.CompactNeedles.Add(new Needle(variant, PhiKind.Date, 1.0, true));
                    }
                }
            }

            foreach (var value in context.OtherValues)
            {
                var compact = CompactText.Fold(value);
                if (compact.Length >= 4 && seen.Add("O" + compact))
                {
                    var kind = LooksLikePhone(value) ? PhiKind.Phone : PhiKind.Other;
                    cc.CompactNeedles.Add(new Needle(compact, kind, 0.95, false));
                }
            }

            // Longer needles first, so a long value is reported before a shorter one it contains.
            cc.CompactNeedles.Sort(static (a, b) => b.Value.Length.CompareTo(a.Value.Length));
            return cc;
        }

        private void AddPersonName(string value, HashSet<string> seen)
        {
            // PS3.5 6.2.1: up to three component groups (alphabetic=ideographic=phonetic), each
            // family^given^middle^prefix^suffix. Values written by hand as "John Doe" or "DOE, JOHN" are read too.
            foreach (var group in value.Split('='))
            {
                var components = group.Split('^');
                string family;
                string given;
                var middle = string.Empty;
                var affixes = string.Empty;
                if (components.Length > 1)
                {
                    family = components[0];
                    given = components[1];
                    middle = components.Length > 2 ? components[2] : string.Empty;
                    affixes = string.Join(' ', components.Skip(3));
                }
                else if (group.Contains(','))
                {
                    family = group[..group.IndexOf(',')];
                    given = group[(group.IndexOf(',') + 1)..];
                }
                else
                {
                    var words = group.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    family = words.Length > 0 ? words[^1] : string.Empty;
                    given = words.Length > 1 ? string.Join(' ', words[..^1]) : string.Empty;
                }

                if (HasUnspacedScript(group))
                {
                    AddScriptName(family.Trim(), given.Trim());
                    continue;
                }

                AddParts(family, NameRole.Family, initial: true);
                AddParts(given, NameRole.Given, initial: true);
                AddParts(middle, NameRole.Given, initial: true);
                AddParts(affixes, NameRole.Affix, initial: false);

                // A name written as one word ("JOHNDOE", "DOEJOHN") is found in the compact text.
                var f = CompactText.Fold(family);
                var g = CompactText.Fold(given);
                if (f.Length >= 2 && g.Length >= 2)
                {
                    foreach (var joined in (ReadOnlySpan<string>)[g + f, f + g])
                    {
                        if (joined.Length >= 6 && seen.Add("N" + joined))
                        {
                            CompactNeedles.Add(new Needle(joined, PhiKind.PersonName, 0.9, false));
                        }
                    }
                }
            }
        }

        private void AddParts(string component, NameRole role, bool initial)
        {
            var i = 0;
            while (i < component.Length)
            {
                if (!IsNameChar(component[i]))
                {
                    i++;
                    continue;
                }

                var s = i;
                while (i < component.Length && IsNameChar(component[i]))
                {
                    i++;
                }

                var part = component.AsSpan(s, i - s);
                var folded = TextFolding.Fold(part);
                if (initial && folded.Length > 0)
                {
                    Initials.Add(folded[0]);
                }

                if (folded.Length < 2)
                {
                    continue;
                }

                NameParts[folded] = NameParts.GetValueOrDefault(folded) | role;
                var german = TextFolding.FoldGerman(part);
                NameParts[german] = NameParts.GetValueOrDefault(german) | role;
            }
        }

        private void AddScriptName(string family, string given)
        {
            if (family.Length > 0 && given.Length > 0)
            {
                ScriptNames.Add(family + given);
                ScriptNames.Add(given + family);
            }

            // One-character family names (Li, Wang) are common characters of running text; alone they need two.
            foreach (var part in (ReadOnlySpan<string>)[family, given])
            {
                if (part.Length >= 2)
                {
                    ScriptNames.Add(part);
                }
            }

            ScriptNames.Sort(static (a, b) => b.Length.CompareTo(a.Length));
        }

        private static bool HasUnspacedScript(string value)
        {
            foreach (var c in value)
            {
                if (c is >= '\u2E80' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF66' and <= '\uFF9F')
                {
                    return true;
                }
            }

            return false;
        }

        private static bool LooksLikePhone(string value)
        {
            var digits = 0;
            foreach (var c in value)
            {
                if (char.IsAsciiDigit(c))
                {
                    digits++;
                }
                else if (char.IsLetter(c))
                {
                    return false;
                }
            }

            return digits >= 7;
        }

        /// <summary>The spellings of a header date (YYYYMMDD, or a DA range) as digits with separators removed.</summary>
        private static IEnumerable<string> DateVariants(string value)
        {
            foreach (var piece in value.Split('-', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (piece.Length < 8 || !int.TryParse(piece.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ||
                    !int.TryParse(piece.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ||
                    !int.TryParse(piece.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ||
                    !PhiPatterns.IsDate(y, m, d))
                {
                    continue;
                }

                var yyyy = y.ToString("D4", CultureInfo.InvariantCulture);
                var yy = yyyy[2..];
                var mm = m.ToString("D2", CultureInfo.InvariantCulture);
                var dd = d.ToString("D2", CultureInfo.InvariantCulture);
                yield return yyyy + mm + dd;
                yield return mm + dd + yyyy;
                yield return dd + mm + yyyy;
                yield return yy + mm + dd;
                yield return mm + dd + yy;
                yield return dd + mm + yy;

                // Unpadded day and month ("1/2/2023") with a four-digit year; shorter forms are too ambiguous.
                if (m < 10 || d < 10)
                {
                    var mi = m.ToString(CultureInfo.InvariantCulture);
                    var di = d.ToString(CultureInfo.InvariantCulture);
                    yield return mi + di + yyyy;
                    yield return di + mi + yyyy;
                }
            }
        }
    }

    /// <summary>The text folded to upper case without diacritics, with separators dropped, mapped back to the text.</summary>
    private readonly struct CompactText
    {
        private CompactText(string chars, int[] map)
        {
            Chars = chars;
            Map = map;
        }

        public string Chars { get; }

        public int[] Map { get; }

        public static CompactText From(string text)
        {
            var chars = new StringBuilder(text.Length);
            var map = new List<int>(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (IsSeparator(c))
                {
                    continue;
                }

                chars.Append(TextFolding.FoldChar(c));
                map.Add(i);
            }

            return new CompactText(chars.ToString(), [.. map]);
        }

        public static string Fold(string value)
        {
            var sb = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (!IsSeparator(c))
                {
                    sb.Append(TextFolding.FoldChar(c));
                }
            }

            return sb.ToString();
        }

        private static bool IsSeparator(char c) => c is '-' or '.' or '/' or '_' || char.IsWhiteSpace(c);
    }
}

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
