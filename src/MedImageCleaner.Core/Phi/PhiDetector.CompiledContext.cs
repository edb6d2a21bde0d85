using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace MedImageCleaner.Core.Phi;

/// <content>A header's values compiled for matching: name words with their roles, and needles for IDs, dates and other values.</content>
public sealed partial class PhiDetector
{
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
