using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace MedImageCleaner.Dicom;

/// <content>The character set's code elements and their byte tables (single-byte and double-byte), and the encodings of whole values.</content>
public sealed partial class DicomCharacterSet
{
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
}
