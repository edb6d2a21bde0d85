using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace MedImageCleaner.Dicom;

/// <summary>
/// The character repertoire(s) named by Specific Character Set (0008,0005) (PS3.3 C.12.1.1.2, PS3.5 6.1), with
/// decoding of text values to .NET strings and encoding back to bytes.
/// </summary>
/// <remarks>
/// <para>
/// Single-byte sets (ISO 8859 parts, JIS X 0201, TIS 620) and the ISO 2022 code extension forms (JIS X 0208,
/// JIS X 0212, KS X 1001, GB 2312) run through one ISO 2022 state machine: G0 and G1 start as value 1 names them and
/// are reset at every delimiter (PN: <c>^ = \</c>; multi-valued VRs: <c>\</c>; every VR: control characters such as
/// CR, LF, FF, TAB). UTF-8 (ISO_IR 192), GB18030 and GBK are decoded as whole values.
/// </para>
/// <para>
/// Reading is tolerant: it never throws, decodes bytes above 0x7F of the default repertoire as Latin-1, recognises
/// the escape sequences of every supported set even when (0008,0005) does not list them, and turns undecodable
/// bytes into U+FFFD. Writing is strict: a character the declared sets cannot represent throws
/// <see cref="DicomWriteException"/> (its message never carries the value). Encoding adds no padding.
/// </para>
/// </remarks>
public sealed partial class DicomCharacterSet
{
    private const byte Esc = 0x1B;
    private const char Replacement = '\uFFFD';
    private const int StackLimit = 256;

    private static readonly FrozenDictionary<string, TermDefinition> s_terms = BuildTermTable(loose: false);
    private static readonly FrozenDictionary<string, TermDefinition> s_looseTerms = BuildTermTable(loose: true);
    private static readonly FrozenDictionary<int, Designation> s_escapes = BuildEscapeTable();

    private readonly string[] _terms;
    private readonly CodeElement _initialG0;
    private readonly CodeElement? _initialG1;
    private readonly CodeElement[] _available;
    private readonly WholeValueEncoding? _whole;

    static DicomCharacterSet() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private DicomCharacterSet(
        string[] terms,
        CodeElement initialG0,
        CodeElement? initialG1,
        CodeElement[] available,
        WholeValueEncoding? whole,
        bool hasUnknownTerms,
        bool hasNonStandardTerms)
    {
        _terms = terms;
        Terms = Array.AsReadOnly(terms);
        _initialG0 = initialG0;
        _initialG1 = initialG1;
        _available = available;
        _whole = whole;
        HasUnknownTerms = hasUnknownTerms;
        HasNonStandardTerms = hasNonStandardTerms;
    }

    /// <summary>The default repertoire ISO-IR 6 (no Specific Character Set). Bytes above 0x7F decode as Latin-1.</summary>
    public static DicomCharacterSet Default { get; } =
        new([], CodeElement.Ascii, null, [CodeElement.Ascii], null, hasUnknownTerms: false, hasNonStandardTerms: false);

    /// <summary>The values of Specific Character Set (0008,0005), trimmed; empty for <see cref="Default"/>.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>
    /// True when a term is not a Defined Term this class knows. An unknown value 1 decodes (and encodes) as Latin-1;
    /// unknown later values are ignored. The caller records a warning.
    /// </summary>
    public bool HasUnknownTerms { get; }

    /// <summary>
    /// True when a term was recognised only after tolerant normalisation (e.g. <c>ISO_IR100</c>, <c>ISO-IR 100</c>) or
    /// the combination breaks a rule of PS3.3 C.12.1.1.2 (a multi-byte set as value 1, UTF-8/GB18030/GBK with more
    /// than one value). Decoding still works; a validator may report it.
    /// </summary>
    public bool HasNonStandardTerms { get; }

    /// <summary>True when the values use ISO 2022 code extensions (more than one value, escape sequences allowed).</summary>
    public bool UsesCodeExtensions => _whole is null && _terms.Length > 1;

    /// <summary>Builds the character set from the values of (0008,0005). Never throws for unknown or odd terms.</summary>
    /// <param name="terms">The values; blanks are allowed (an empty value 1 means the default repertoire).</param>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            return Default;
        }

        var trimmed = new string[terms.Count];
        for (var i = 0; i < trimmed.Length; i++)
        {
            trimmed[i] = (terms[i] ?? string.Empty).Trim(' ', '\0');
        }

        var unknown = false;
        var nonStandard = false;
        var definitions = new TermDefinition?[trimmed.Length];
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (trimmed[i].Length == 0)
            {
                definitions[i] = null;
                continue;
            }

            if (s_terms.TryGetValue(trimmed[i], out var exact))
            {
                definitions[i] = exact;
            }
            else if (s_looseTerms.TryGetValue(Normalize(trimmed[i]), out var loose))
            {
                definitions[i] = loose;
                nonStandard = true;
            }
            else
            {
                unknown = true;
            }
        }

        // UTF-8, GB18030 and GBK replace the whole repertoire and do not combine with code extensions.
        for (var i = 0; i < definitions.Length; i++)
        {
            if (definitions[i] is { Whole: not null } whole)
            {
                nonStandard |= trimmed.Length > 1;
                return new DicomCharacterSet(trimmed, CodeElement.Ascii, null, [CodeElement.Ascii], whole.Whole, unknown, nonStandard);
            }
        }

        var initialG0 = CodeElement.Ascii;
        CodeElement? initialG1 = null;
        if (trimmed[0].Length > 0)
        {
            if (definitions[0] is { } first)
            {
                if (first.IsMultiByte)
                {
                    // Table C.12-4 sets belong in values 2..n; value 1 then stays the default repertoire.
                    nonStandard = true;
                }
                else
                {
                    initialG0 = first.G0 ?? CodeElement.Ascii;
                    initialG1 = first.G1;
                }
            }
            else
            {
                initialG1 = CodeElement.Latin1;
            }
        }

        // Writing prefers value 1's sets, then the other values in order.
        var available = new List<CodeElement>(4) { initialG0 };
        if (initialG1 is not null)
        {
            available.Add(initialG1);
        }

        foreach (var definition in definitions)
        {
            if (definition?.G0 is { } g0 && !available.Contains(g0))
            {
                available.Add(g0);
            }

            if (definition?.G1 is { } g1 && !available.Contains(g1))
            {
                available.Add(g1);
            }
        }

        return new DicomCharacterSet(trimmed, initialG0, initialG1, [.. available], null, unknown, nonStandard);
    }

    /// <summary>Decodes a value (all of its values, with their delimiters). Never throws.</summary>
    /// <param name="value">The raw bytes of the element value (padding included, if any).</param>
    /// <param name="vr">Decides the delimiters at which the ISO 2022 state is reset, and whether the value uses the
    /// Specific Character Set at all (AE, AS, CS, DA, DS, DT, IS, TM, UI, UR always use the default repertoire).</param>
    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        if (value.IsEmpty)
        {
            return string.Empty;
        }

        if (UsesDefaultRepertoire(vr))
        {
            return Default.Decode(value, DicomVR.None);
        }

        if (_whole is not null)
        {
            return _whole.Encoding.GetString(value);
        }

        if (_initialG0 == CodeElement.Ascii && value.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) < 0 && !value.Contains(Esc))
        {
            return Encoding.ASCII.GetString(value);
        }

        char[]? rented = null;
        Span<char> buffer = value.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            var written = DecodeIso2022(value, vr, buffer);
            return new string(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Encodes text (all of its values, with their delimiters) in this character set. For ISO 2022 sets, escape
    /// sequences are emitted where a character needs another set, and value 1's sets are restored before each
    /// delimiter and at the end. No padding is added.
    /// </summary>
    /// <exception cref="DicomWriteException">A character cannot be represented by the declared sets.</exception>
    public byte[] Encode(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        if (UsesDefaultRepertoire(vr))
        {
            return Default.Encode(text, DicomVR.None);
        }

        if (_whole is not null)
        {
            return _whole.StrictEncoding.GetBytes(text);
        }

        if (_initialG0 == CodeElement.Ascii && System.Text.Ascii.IsValid(text) && text.IndexOf('\u001B') < 0 &&
            text.IndexOf('\u007F') < 0)
        {
            return Encoding.ASCII.GetBytes(text);
        }

        return EncodeIso2022(text, vr);
    }

    public override string ToString() => _terms.Length == 0 ? "ISO_IR 6 (default)" : string.Join('\\', _terms);

    private static bool UsesDefaultRepertoire(DicomVR vr) => vr.IsString && !vr.IsCharacterSetText;

    private static bool IsDelimiter(int c, DicomVR vr) =>
        c < 0x20 ? c != Esc : (c == '\\' && vr.AllowsBackslash) || ((c == '^' || c == '=') && vr == DicomVR.PN);

    private int DecodeIso2022(ReadOnlySpan<byte> value, DicomVR vr, Span<char> output)
    {
        var g0 = _initialG0;
        var g1 = _initialG1;
        var n = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b == Esc)
            {
                i = ReadEscape(value, i, ref g0, ref g1, output, ref n);
                continue;
            }

            if (b < 0x80)
            {
                if (b < 0x20 || (g0.Kind != ElementKind.DoubleByte && IsDelimiter(b, vr)))
                {
                    // Control characters and delimiters: value 1's sets are active again afterwards.
                    g0 = _initialG0;
                    g1 = _initialG1;
                    output[n++] = (char)b;
                    i++;
                    continue;
                }

                if (b == 0x20)
                {
                    output[n++] = ' ';
                    i++;
                    continue;
                }

                if (g0.Kind == ElementKind.DoubleByte)
                {
                    if (i + 1 < value.Length && value[i + 1] is > 0x20 and < 0x7F && b < 0x7F)
                    {
                        output[n++] = g0.DecodePair(b, value[i + 1]);
                        i += 2;
                    }
                    else
                    {
                        output[n++] = Replacement;
                        i++;
                    }

                    continue;
                }

                output[n++] = g0.DecodeGraphicLeft(b, vr);
                i++;
                continue;
            }

            var right = g1 ?? CodeElement.Latin1;
            if (right.Kind == ElementKind.DoubleByte)
            {
                if (b is > 0xA0 and < 0xFF && i + 1 < value.Length && value[i + 1] is > 0xA0 and < 0xFF)
                {
                    output[n++] = right.DecodePair(b, value[i + 1]);
                    i += 2;
                }
                else
                {
                    output[n++] = Replacement;
                    i++;
                }

                continue;
            }

            output[n++] = right.DecodeGraphicRight(b);
            i++;
        }

        return n;
    }

    private static int ReadEscape(ReadOnlySpan<byte> value, int start, ref CodeElement g0, ref CodeElement? g1, Span<char> output, ref int n)
    {
        // ESC, up to three intermediate bytes 02/00..02/15, one final byte 03/00..07/14 (ISO/IEC 2022 13.1).
        var i = start + 1;
        var key = 0;
        var intermediates = 0;
        while (i < value.Length && value[i] is >= 0x20 and <= 0x2F && intermediates < 3)
        {
            key = (key << 8) | value[i];
            intermediates++;
            i++;
        }

        if (i < value.Length && value[i] is >= 0x30 and <= 0x7E)
        {
            key = (key << 8) | value[i];
            i++;
            if (intermediates > 0 && s_escapes.TryGetValue(key, out var designation))
            {
                if (designation.ToG1)
                {
                    g1 = designation.Element;
                }
                else
                {
                    g0 = designation.Element;
                }

                return i;
            }

            output[n++] = Replacement;
            return i;
        }

        // A lone or malformed ESC: report it and let the following bytes decode normally.
        output[n++] = Replacement;
        return start + 1;
    }

    private byte[] EncodeIso2022(string text, DicomVR vr)
    {
        var output = new ArrayBufferWriter<byte>(text.Length * 2 + 8);
        var g0 = _initialG0;
        var g1 = _initialG1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsDelimiter(c, vr))
            {
                RestoreInitial(output, ref g0, ref g1);
                Write(output, (byte)c);
                continue;
            }

            if (c == ' ')
            {
                Write(output, 0x20);
                continue;
            }

            if (g0.TryEncode(c, vr, out var code))
            {
                WriteCode(output, g0, code, toG1: false);
                continue;
            }

            if (g1 is not null && g1.TryEncode(c, vr, out code))
            {
                WriteCode(output, g1, code, toG1: true);
                continue;
            }

            var found = false;
            foreach (var element in _available)
            {
                if (element == g0 || element == g1 || !element.TryEncode(c, vr, out code))
                {
                    continue;
                }

                WriteEscape(output, element);
                if (element.IsG1)
                {
                    g1 = element;
                }
                else
                {
                    g0 = element;
                }

                WriteCode(output, element, code, element.IsG1);
                found = true;
                break;
            }

            if (!found)
            {
                throw new DicomWriteException(
                    $"The character at index {i} of a {vr} value cannot be represented in Specific Character Set '{this}'.");
            }
        }

        RestoreInitial(output, ref g0, ref g1);
        return output.WrittenSpan.ToArray();
    }

    private void RestoreInitial(ArrayBufferWriter<byte> output, ref CodeElement g0, ref CodeElement? g1)
    {
        if (g0 != _initialG0)
        {
            WriteEscape(output, _initialG0);
            g0 = _initialG0;
        }

        if (g1 != _initialG1)
        {
            if (_initialG1 is not null)
            {
                WriteEscape(output, _initialG1);
            }

            g1 = _initialG1;
        }
    }

    private static void Write(ArrayBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static void WriteEscape(ArrayBufferWriter<byte> output, CodeElement element)
    {
        var sequence = element.Escape;
        var span = output.GetSpan(sequence.Length + 1);
        span[0] = Esc;
        sequence.CopyTo(span[1..]);
        output.Advance(sequence.Length + 1);
    }

    private static void WriteCode(ArrayBufferWriter<byte> output, CodeElement element, ushort code, bool toG1)
    {
        var high = toG1 ? (byte)0x80 : (byte)0;
        if (element.Kind == ElementKind.DoubleByte)
        {
            var span = output.GetSpan(2);
            span[0] = (byte)((code >> 8) | high);
            span[1] = (byte)((code & 0xFF) | high);
            output.Advance(2);
        }
        else
        {
            Write(output, (byte)(code | high));
        }
    }

    /// <summary>Upper case, without spaces, underscores and hyphens: "ISO_IR 100" and "iso-ir100" both give "ISOIR100".</summary>
    private static string Normalize(string term)
    {
        var builder = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is not (' ' or '_' or '-'))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static bool IsMappedCharacter(char c) =>
        c != Replacement && c != '?' && !char.IsSurrogate(c) && c is not (>= '\uE000' and <= '\uF8FF');
}
