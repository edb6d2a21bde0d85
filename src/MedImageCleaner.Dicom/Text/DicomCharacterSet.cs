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
public sealed class DicomCharacterSet
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

    /// <param name="loose">False: the Defined Terms of PS3.3 C.12.1.1.2 exactly; true: their <see cref="Normalize"/>d forms.</param>
    private static FrozenDictionary<string, TermDefinition> BuildTermTable(bool loose)
    {
        var table = new Dictionary<string, TermDefinition>(StringComparer.Ordinal);

        void Add(string term, TermDefinition definition) => table[loose ? Normalize(term) : term] = definition;

        void AddSingleByte(string ir, CodeElement g0, CodeElement? g1)
        {
            var definition = new TermDefinition(g0, g1, IsMultiByte: false, Whole: null);
            Add("ISO_IR " + ir, definition);
            Add("ISO 2022 IR " + ir, definition);
        }

        void AddMultiByte(string ir, CodeElement element)
        {
            var definition = new TermDefinition(element.IsG1 ? null : element, element.IsG1 ? element : null, IsMultiByte: true, Whole: null);
            Add("ISO 2022 IR " + ir, definition);
            if (loose)
            {
                Add("ISO_IR " + ir, definition);
            }
        }

        void AddWhole(string term, WholeValueEncoding whole) => Add(term, new TermDefinition(null, null, IsMultiByte: false, whole));

        AddSingleByte("6", CodeElement.Ascii, null);
        AddSingleByte("100", CodeElement.Ascii, CodeElement.Latin1Alphabet1);
        AddSingleByte("101", CodeElement.Ascii, CodeElement.Latin2);
        AddSingleByte("109", CodeElement.Ascii, CodeElement.Latin3);
        AddSingleByte("110", CodeElement.Ascii, CodeElement.Latin4);
        AddSingleByte("144", CodeElement.Ascii, CodeElement.Cyrillic);
        AddSingleByte("127", CodeElement.Ascii, CodeElement.Arabic);
        AddSingleByte("126", CodeElement.Ascii, CodeElement.Greek);
        AddSingleByte("138", CodeElement.Ascii, CodeElement.Hebrew);
        AddSingleByte("148", CodeElement.Ascii, CodeElement.Latin5);
        AddSingleByte("203", CodeElement.Ascii, CodeElement.Latin9);
        AddSingleByte("13", CodeElement.Romaji, CodeElement.Katakana);
        AddSingleByte("166", CodeElement.Ascii, CodeElement.Thai);
        AddMultiByte("87", CodeElement.JisX0208);
        AddMultiByte("159", CodeElement.JisX0212);
        AddMultiByte("149", CodeElement.KsX1001);
        AddMultiByte("58", CodeElement.Gb2312);
        AddWhole("ISO_IR 192", WholeValueEncoding.Utf8);
        AddWhole("GB18030", WholeValueEncoding.Gb18030);
        AddWhole("GBK", WholeValueEncoding.Gbk);
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<int, Designation> BuildEscapeTable()
    {
        var table = new Dictionary<int, Designation>();

        void Add(string sequence, CodeElement element, bool toG1)
        {
            var key = 0;
            foreach (var c in sequence)
            {
                key = (key << 8) | c;
            }

            table[key] = new Designation(element, toG1);
        }

        // The designations of PS3.3 Tables C.12-3 and C.12-4 ...
        foreach (var element in CodeElement.Designatable)
        {
            Add(Encoding.ASCII.GetString(element.Escape), element, element.IsG1);
        }

        // ... and, for tolerant reading, forms seen in ISO-2022-JP/-KR/-CN style data.
        Add("$@", CodeElement.JisX0208, toG1: false);
        Add("$(B", CodeElement.JisX0208, toG1: false);
        Add("$(@", CodeElement.JisX0208, toG1: false);
        Add("$A", CodeElement.Gb2312, toG1: false);
        Add("$(A", CodeElement.Gb2312, toG1: false);
        Add("$(C", CodeElement.KsX1001, toG1: false);
        Add("$)B", CodeElement.JisX0208, toG1: true);
        Add("$)D", CodeElement.JisX0212, toG1: true);
        Add("(I", CodeElement.Katakana, toG1: false);
        return table.ToFrozenDictionary();
    }

    private sealed record TermDefinition(CodeElement? G0, CodeElement? G1, bool IsMultiByte, WholeValueEncoding? Whole);

    private readonly record struct Designation(CodeElement Element, bool ToG1);

    /// <summary>UTF-8, GB18030 or GBK: stateless encodings applied to the whole value.</summary>
    private sealed class WholeValueEncoding
    {
        public static readonly WholeValueEncoding Utf8 = new("ISO_IR 192", 65001);
        public static readonly WholeValueEncoding Gb18030 = new("GB18030", 54936);
        public static readonly WholeValueEncoding Gbk = new("GBK", 936);

        private readonly Lazy<Encoding> _tolerant;
        private readonly Lazy<Encoding> _strict;

        private WholeValueEncoding(string name, int codePage)
        {
            _tolerant = new Lazy<Encoding>(() =>
                Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")));
            _strict = new Lazy<Encoding>(() =>
                Encoding.GetEncoding(codePage, new StrictEncoderFallback(name), new DecoderReplacementFallback("\uFFFD")));
        }

        public Encoding Encoding => _tolerant.Value;

        public Encoding StrictEncoding => _strict.Value;
    }

    /// <summary>Throws <see cref="DicomWriteException"/> naming the position, never the character.</summary>
    private sealed class StrictEncoderFallback(string characterSet) : EncoderFallback
    {
        public override int MaxCharCount => 0;

        public override EncoderFallbackBuffer CreateFallbackBuffer() => new Buffer(characterSet);

        private sealed class Buffer(string characterSet) : EncoderFallbackBuffer
        {
            public override int Remaining => 0;

            public override bool Fallback(char charUnknown, int index) =>
                throw new DicomWriteException(
                    $"The character at index {index} cannot be represented in Specific Character Set '{characterSet}'.");

            public override bool Fallback(char charUnknownHigh, char charUnknownLow, int index) =>
                throw new DicomWriteException(
                    $"The character at index {index} cannot be represented in Specific Character Set '{characterSet}'.");

            public override char GetNextChar() => '\0';

            public override bool MovePrevious() => false;
        }
    }

    private enum ElementKind
    {
        /// <summary>ISO-IR 6 in G0.</summary>
        Ascii,

        /// <summary>ISO-IR 14 (JIS X 0201 Romaji) in G0: 05/12 is YEN SIGN, 07/14 OVERLINE.</summary>
        Romaji,

        /// <summary>ISO-IR 13 (JIS X 0201 Katakana), mapped to the half-width forms U+FF61..U+FF9F.</summary>
        Katakana,

        /// <summary>A 96- or 94-character single-byte set in G1 (ISO 8859 parts, TIS 620), or Latin-1 as fallback.</summary>
        SingleByte,

        /// <summary>A 94x94 two-byte set (JIS X 0208, JIS X 0212, KS X 1001, GB 2312).</summary>
        DoubleByte,
    }

    /// <summary>One graphic character set (code element) with its ISO 2022 designation and lookup tables.</summary>
    private sealed class CodeElement
    {
        public static readonly CodeElement Ascii = new(ElementKind.Ascii, "(B", isG1: false);
        public static readonly CodeElement Romaji = new(ElementKind.Romaji, "(J", isG1: false);
        public static readonly CodeElement Katakana = new(ElementKind.Katakana, ")I", isG1: true);

        /// <summary>Decoding fallback when no G1 set is declared; also value 1 when that term is unknown.</summary>
        public static readonly CodeElement Latin1 = SingleByteFromCodePage("-A", 0, encodeFrom: 0x80);
        public static readonly CodeElement Latin1Alphabet1 = SingleByteFromCodePage("-A", 28591);
        public static readonly CodeElement Latin2 = SingleByteFromCodePage("-B", 28592);
        public static readonly CodeElement Latin3 = SingleByteFromCodePage("-C", 28593);
        public static readonly CodeElement Latin4 = SingleByteFromCodePage("-D", 28594);
        public static readonly CodeElement Cyrillic = SingleByteFromCodePage("-L", 28595);
        public static readonly CodeElement Arabic = SingleByteFromCodePage("-G", 28596);
        public static readonly CodeElement Greek = SingleByteFromCodePage("-F", 28597);
        public static readonly CodeElement Hebrew = SingleByteFromCodePage("-H", 28598);
        public static readonly CodeElement Latin5 = SingleByteFromCodePage("-M", 28599);
        public static readonly CodeElement Latin9 = SingleByteFromCodePage("-b", 28605);

        /// <summary>TIS 620-2533 through Windows-874, its superset (0x80..0x9F decode tolerantly, never encode).</summary>
        public static readonly CodeElement Thai = SingleByteFromCodePage("-T", 874);

        /// <summary>JIS X 0208 through EUC-JP (20932): both bytes with the high bit set. 51932 adds encode aliases.</summary>
        public static readonly CodeElement JisX0208 = new(
            ElementKind.DoubleByte, "$B", isG1: false, doubleByte: new Lazy<DoubleByteTable>(() => DoubleByteTable.Build(
                [new PairSource(20932, 0x80, 0x80), new PairSource(51932, 0x80, 0x80)], genuineMiddleDot: 0x2126)));

        /// <summary>JIS X 0212 through Windows EUC-JP (20932), which writes it as a high lead byte and a low trail byte.</summary>
        public static readonly CodeElement JisX0212 = new(
            ElementKind.DoubleByte, "$(D", isG1: false, doubleByte: new Lazy<DoubleByteTable>(() => DoubleByteTable.Build(
                [new PairSource(20932, 0x80, 0x00)], genuineMiddleDot: -1)));

        /// <summary>KS X 1001 through EUC-KR (51949).</summary>
        public static readonly CodeElement KsX1001 = new(
            ElementKind.DoubleByte, "$)C", isG1: true, doubleByte: new Lazy<DoubleByteTable>(() => DoubleByteTable.Build(
                [new PairSource(51949, 0x80, 0x80)], genuineMiddleDot: -1)));

        /// <summary>GB 2312 through code page 936 (EUC-CN compatible for the GB 2312 rows).</summary>
        public static readonly CodeElement Gb2312 = new(
            ElementKind.DoubleByte, "$)A", isG1: true, doubleByte: new Lazy<DoubleByteTable>(() => DoubleByteTable.Build(
                [new PairSource(936, 0x80, 0x80)], genuineMiddleDot: -1)));

        public static readonly CodeElement[] Designatable =
        [
            Ascii, Romaji, Katakana, Latin1Alphabet1, Latin2, Latin3, Latin4, Cyrillic, Arabic, Greek, Hebrew, Latin5,
            Latin9, Thai, JisX0208, JisX0212, KsX1001, Gb2312,
        ];

        private readonly Lazy<SingleByteTable>? _singleByte;
        private readonly Lazy<DoubleByteTable>? _doubleByte;

        private CodeElement(
            ElementKind kind,
            string escape,
            bool isG1,
            Lazy<SingleByteTable>? singleByte = null,
            Lazy<DoubleByteTable>? doubleByte = null)
        {
            Kind = kind;
            Escape = Encoding.ASCII.GetBytes(escape);
            IsG1 = isG1;
            _singleByte = singleByte;
            _doubleByte = doubleByte;
        }

        public ElementKind Kind { get; }

        /// <summary>The designation escape sequence without the leading ESC.</summary>
        public byte[] Escape { get; }

        public bool IsG1 { get; }

        /// <summary>Decodes a byte 0x21..0x7E with this set in G0 (or a 94-set designated to G0 by a tolerant escape).</summary>
        public char DecodeGraphicLeft(byte b, DicomVR vr) => Kind switch
        {
            ElementKind.Ascii => (char)b,
            ElementKind.Romaji => b switch
            {
                0x5C => vr.AllowsBackslash ? '\\' : '\u00A5',
                0x7E => '\u203E',
                _ => (char)b,
            },
            ElementKind.Katakana => b is >= 0x21 and <= 0x5F ? (char)(0xFF61 + b - 0x21) : Replacement,
            _ => b == 0x7F ? (char)b : Replacement,
        };

        /// <summary>Decodes a byte 0x80..0xFF with this single-byte set in G1.</summary>
        public char DecodeGraphicRight(byte b) => Kind switch
        {
            ElementKind.SingleByte => _singleByte!.Value.Decode[b - 0x80],
            ElementKind.Katakana => b is >= 0xA1 and <= 0xDF ? (char)(0xFF61 + b - 0xA1) : Replacement,
            _ => Replacement,
        };

        /// <summary>Decodes a two-byte code; the high bit of either byte is ignored (G0 and G1 alike).</summary>
        public char DecodePair(byte first, byte second)
        {
            var row = (first & 0x7F) - 0x21;
            var column = (second & 0x7F) - 0x21;
            return row is >= 0 and < 94 && column is >= 0 and < 94 ? _doubleByte!.Value.Decode[(row * 94) + column] : Replacement;
        }

        /// <summary>Finds the 7-bit code (one or two bytes, high bit clear) of a character in this set.</summary>
        public bool TryEncode(char c, DicomVR vr, out ushort code)
        {
            switch (Kind)
            {
                case ElementKind.Ascii:
                    code = c;
                    return c is >= '\u0021' and <= '\u007E';
                case ElementKind.Romaji:
                    code = c switch
                    {
                        '\u00A5' when !vr.AllowsBackslash => 0x5C,
                        '\u203E' => 0x7E,
                        '\\' or '~' => 0,
                        >= '\u0021' and <= '\u007D' => c,
                        _ => 0,
                    };
                    return code != 0;
                case ElementKind.Katakana:
                    code = (ushort)(c - 0xFF61 + 0x21);
                    return c is >= '\uFF61' and <= '\uFF9F';
                case ElementKind.SingleByte:
                    if (_singleByte!.Value.Encode.TryGetValue(c, out var b))
                    {
                        code = (ushort)(b & 0x7F);
                        return true;
                    }

                    break;
                case ElementKind.DoubleByte:
                    if (_doubleByte!.Value.Encode.TryGetValue(c, out code))
                    {
                        return true;
                    }

                    break;
            }

            code = 0;
            return false;
        }

        /// <param name="escape">The G1 designation (without ESC).</param>
        /// <param name="codePage">0 for the identity (Latin-1) mapping.</param>
        /// <param name="encodeFrom">The lowest byte that encoding may produce: 0xA0 (GR only) unless Latin-1 fallback.</param>
        private static CodeElement SingleByteFromCodePage(string escape, int codePage, int encodeFrom = 0xA0) =>
            new(ElementKind.SingleByte, escape, isG1: true,
                singleByte: new Lazy<SingleByteTable>(() => SingleByteTable.Build(codePage, encodeFrom)));
    }

    /// <summary>Bytes 0x80..0xFF of a single-byte code page, and the inverse for the bytes writing may use.</summary>
    private sealed class SingleByteTable
    {
        private SingleByteTable(char[] decode, FrozenDictionary<char, byte> encode)
        {
            Decode = decode;
            Encode = encode;
        }

        public char[] Decode { get; }

        public FrozenDictionary<char, byte> Encode { get; }

        public static SingleByteTable Build(int codePage, int encodeFrom)
        {
            var decode = new char[128];
            var encode = new Dictionary<char, byte>();
            var encoding = codePage == 0
                ? null
                : Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
            Span<byte> one = stackalloc byte[1];
            Span<char> chars = stackalloc char[4];
            for (var b = 0x80; b <= 0xFF; b++)
            {
                char c;
                if (encoding is null)
                {
                    c = (char)b;
                }
                else
                {
                    one[0] = (byte)b;
                    var count = encoding.GetChars(one, chars);
                    c = count == 1 && IsMappedCharacter(chars[0]) ? chars[0] : Replacement;
                }

                decode[b - 0x80] = c;
                if (b >= encodeFrom && c != Replacement)
                {
                    encode.TryAdd(c, (byte)b);
                }
            }

            return new SingleByteTable(decode, encode.ToFrozenDictionary());
        }
    }

    /// <summary>How a 94x94 set maps onto a .NET code page: what to add to the first and second 7-bit byte.</summary>
    private readonly record struct PairSource(int CodePage, byte FirstHigh, byte SecondHigh);

    /// <summary>A 94x94 set: decode by row/column, encode to a 7-bit code pair (first byte in the high half).</summary>
    private sealed class DoubleByteTable
    {
        private DoubleByteTable(char[] decode, FrozenDictionary<char, ushort> encode)
        {
            Decode = decode;
            Encode = encode;
        }

        public char[] Decode { get; }

        public FrozenDictionary<char, ushort> Encode { get; }

        /// <param name="sources">The first source defines decoding; the others only add encode aliases.</param>
        /// <param name="genuineMiddleDot">The one code that really is U+30FB (EUC-JP decodes undefined codes to it).</param>
        public static DoubleByteTable Build(PairSource[] sources, int genuineMiddleDot)
        {
            var decode = new char[94 * 94];
            var encode = new Dictionary<char, ushort>();
            Span<byte> pair = stackalloc byte[2];
            Span<byte> back = stackalloc byte[8];
            Span<char> chars = stackalloc char[4];
            for (var s = 0; s < sources.Length; s++)
            {
                var source = sources[s];
                var encoding = Encoding.GetEncoding(
                    source.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
                for (var row = 0; row < 94; row++)
                {
                    for (var column = 0; column < 94; column++)
                    {
                        var code = (ushort)(((row + 0x21) << 8) | (column + 0x21));
                        pair[0] = (byte)((row + 0x21) | source.FirstHigh);
                        pair[1] = (byte)((column + 0x21) | source.SecondHigh);
                        var count = encoding.GetChars(pair, chars);
                        var c = count == 1 ? chars[0] : Replacement;
                        if (c == '?' || (c == '\u30FB' && code != genuineMiddleDot))
                        {
                            // What these code pages decode undefined codes to.
                            c = Replacement;
                        }

                        if (c < 0x80)
                        {
                            // Never hand out a delimiter or other ASCII character for a two-byte code.
                            c = c is > ' ' and < '\u007F' ? (char)(c + 0xFEE0) : Replacement;
                        }

                        if (!IsMappedCharacter(c))
                        {
                            c = Replacement;
                        }

                        if (s == 0)
                        {
                            decode[(row * 94) + column] = c;
                        }

                        if (c == Replacement)
                        {
                            continue;
                        }

                        // Only canonical mappings go into the encode map (the code page must give the same bytes back).
                        var written = encoding.GetBytes(chars[..1], back);
                        var canonical = count == 1 && written == 2 && back[0] == pair[0] && back[1] == pair[1];
                        if (canonical || chars[0] < 0x80)
                        {
                            encode.TryAdd(c, code);
                        }
                    }
                }
            }

            return new DoubleByteTable(decode, encode.ToFrozenDictionary());
        }
    }

    private static bool IsMappedCharacter(char c) =>
        c != Replacement && c != '?' && !char.IsSurrogate(c) && c is not (>= '\uE000' and <= '\uF8FF');
}
