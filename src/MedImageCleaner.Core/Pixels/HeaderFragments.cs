using System.Runtime.CompilerServices;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;

namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// Fragments of the header's values as OCR reads them: a token of <see cref="MinimumLength"/>+ letters or digits that
/// is the beginning or the end of a value component ("JOHNS" of "JOHNSTONE" when the rest of the name was filled, or
/// "STONE" when its start was), compared case-insensitively with the usual OCR confusions folded (O and 0; I, 1, l and
/// |; S and 5). Built once per <see cref="PhiContext"/> (cached weakly); thread-safe. Holds PHI: never log it.
/// </summary>
internal sealed class HeaderFragments
{
    /// <summary>The shortest fragment that counts (shorter prefixes match too many ordinary words).</summary>
    public const int MinimumLength = 5;

    private static readonly ConditionalWeakTable<PhiContext, HeaderFragments> Cache = new();
    private static readonly HeaderFragments Empty = new([]);
    private readonly (string Folded, PhiKind Kind)[] _components;

    private HeaderFragments((string Folded, PhiKind Kind)[] components) => _components = components;

    /// <summary>The fragments of <paramref name="context"/>'s names, identifiers and other values.</summary>
    public static HeaderFragments Of(PhiContext? context)
    {
        if (context is null)
        {
            return Empty;
        }

        return Cache.GetValue(context, static c => new HeaderFragments(Build(c)));
    }

    /// <summary>The kind of the value <paramref name="token"/> is a 5+ character prefix or suffix of, or null.</summary>
    public PhiKind? Match(string token)
    {
        if (token.Length < MinimumLength || _components.Length == 0)
        {
            return null;
        }

        var folded = Fold(token);
        if (folded.Length < MinimumLength)
        {
            return null;
        }

        foreach (var (component, kind) in _components)
        {
            if (folded.Length <= component.Length &&
                (component.StartsWith(folded, StringComparison.Ordinal) || component.EndsWith(folded, StringComparison.Ordinal)))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>Upper case, letters and digits only, confusable characters mapped to one of them.</summary>
    internal static string Fold(string text)
    {
        var chars = new char[text.Length];
        var n = 0;
        foreach (var ch in text)
        {
            if (!char.IsLetterOrDigit(ch) && ch != '|')
            {
                continue;
            }

            var u = char.ToUpperInvariant(ch);
            chars[n++] = u switch
            {
                '0' => 'O',
                '1' or 'L' or '|' => 'I',
                '5' => 'S',
                _ => u,
            };
        }

        return new string(chars, 0, n);
    }

    /// <summary>The runs of letters and digits of <paramref name="value"/>.</summary>
    private static IEnumerable<string> Parts(string value)
    {
        var start = -1;
        for (var i = 0; i <= value.Length; i++)
        {
            var inside = i < value.Length && char.IsLetterOrDigit(value[i]);
            if (inside && start < 0)
            {
                start = i;
            }
            else if (!inside && start >= 0)
            {
                yield return value[start..i];
                start = -1;
            }
        }
    }

    private static (string, PhiKind)[] Build(PhiContext context)
    {
        var list = new List<(string, PhiKind)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Add(context.PersonNames, PhiKind.PersonName);
        Add(context.Identifiers, PhiKind.Identifier);
        Add(context.OtherValues, PhiKind.Other);
        return [.. list];

        void Add(List<string> values, PhiKind kind)
        {
            foreach (var value in values)
            {
                foreach (var part in Parts(value))
                {
                    if (part.Length < MinimumLength || PhiPatterns.NotNames.Contains(part.ToUpperInvariant()))
                    {
                        continue;
                    }

                    var folded = Fold(part);
                    if (seen.Add(folded))
                    {
                        list.Add((folded, kind));
                    }
                }
            }
        }
    }
}
