using System.Text;

namespace MedImageCleaner.Dicom.Tests;

/// <summary>
/// Specific Character Set handling. The byte strings of the Annex tests are the encoded representations printed in
/// PS3.5 Annexes H, I, J and K; non-ASCII text is written with \u escapes (ASCII-only source).
/// </summary>
public sealed class CharacterSetTests
{
    // PS3.5 Example H.3-1: (0008,0005) \ISO 2022 IR 87
    private const string JapaneseName =
        "Yamada^Tarou=\u5C71\u7530^\u592A\u90CE=\u3084\u307E\u3060^\u305F\u308D\u3046";

    private const string JapaneseBytes =
        "59 61 6D 61 64 61 5E 54 61 72 6F 75 3D " +
        "1B 24 42 3B 33 45 44 1B 28 42 5E " +
        "1B 24 42 42 40 4F 3A 1B 28 42 3D " +
        "1B 24 42 24 64 24 5E 24 40 1B 28 42 5E " +
        "1B 24 42 24 3F 24 6D 24 26 1B 28 42";

    // PS3.5 Example H.3-2: (0008,0005) ISO 2022 IR 13\ISO 2022 IR 87
    private const string JapaneseKatakanaName =
        "\uFF94\uFF8F\uFF80\uFF9E^\uFF80\uFF9B\uFF73=\u5C71\u7530^\u592A\u90CE=\u3084\u307E\u3060^\u305F\u308D\u3046";

    private const string JapaneseKatakanaBytes =
        "D4 CF C0 DE 5E C0 DB B3 3D " +
        "1B 24 42 3B 33 45 44 1B 28 4A 5E " +
        "1B 24 42 42 40 4F 3A 1B 28 4A 3D " +
        "1B 24 42 24 64 24 5E 24 40 1B 28 4A 5E " +
        "1B 24 42 24 3F 24 6D 24 26 1B 28 4A";

    // PS3.5 Example I.2-1: (0008,0005) \ISO 2022 IR 149
    private const string KoreanName = "Hong^Gildong=\u6D2A^\u5409\u6D1E=\uD64D^\uAE38\uB3D9";

    private const string KoreanBytes =
        "48 6F 6E 67 5E 47 69 6C 64 6F 6E 67 3D " +
        "1B 24 29 43 FB F3 5E 1B 24 29 43 D1 CE D4 D7 3D " +
        "1B 24 29 43 C8 AB 5E 1B 24 29 43 B1 E6 B5 BF";

    // PS3.5 Example K.2-1: (0008,0005) \ISO 2022 IR 58 (the standard's bytes end with a padding SPACE)
    private const string ChineseIso2022Name = "Zhang^XiaoDong=\u5F20^\u5C0F\u4E1C=";

    private const string ChineseIso2022Bytes =
        "5A 68 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D " +
        "1B 24 29 41 D5 C5 5E 1B 24 29 41 D0 A1 B6 AB 3D";

    // PS3.5 Example J.3-1: (0008,0005) GB18030
    private const string ChineseGb18030Name = "Wang^XiaoDong=\u738B^\u5C0F\u4E1C=";

    private const string ChineseGb18030Bytes =
        "57 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D CD F5 5E D0 A1 B6 AB 3D";

    // PS3.5 Example J.2-1: (0008,0005) ISO_IR 192
    private const string ChineseUtf8Name = "Wang^XiaoDong=\u738B^\u5C0F\u6771=";

    private const string ChineseUtf8Bytes =
        "57 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D E7 8E 8B 5E E5 B0 8F E6 9D B1 3D";

    private static readonly string[] s_allDefinedTerms =
    [
        "ISO_IR 6", "ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127", "ISO_IR 126",
        "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166", "ISO_IR 192", "GB18030", "GBK",
        "ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110",
        "ISO 2022 IR 144", "ISO 2022 IR 127", "ISO 2022 IR 126", "ISO 2022 IR 138", "ISO 2022 IR 148",
        "ISO 2022 IR 203", "ISO 2022 IR 13", "ISO 2022 IR 166", "ISO 2022 IR 87", "ISO 2022 IR 159",
        "ISO 2022 IR 149", "ISO 2022 IR 58",
    ];

    public static TheoryData<string> DefinedTerms()
    {
        var data = new TheoryData<string>();
        foreach (var term in s_allDefinedTerms)
        {
            data.Add(term);
        }

        return data;
    }

    [Fact]
    public void CodePages_UsedByCharacterSets_AreProvided()
    {
        // Touching the type registers CodePagesEncodingProvider.
        Assert.Empty(DicomCharacterSet.Default.Terms);
        int[] codePages = [28591, 28592, 28593, 28594, 28595, 28596, 28597, 28598, 28599, 28605, 874, 20932, 51932, 51949, 936, 54936];
        foreach (var codePage in codePages)
        {
            Assert.Equal(codePage, Encoding.GetEncoding(codePage).CodePage);
        }
    }

    [Theory]
    [MemberData(nameof(DefinedTerms))]
    public void FromTerms_DefinedTerm_IsKnownAndStandard(string term)
    {
        var set = term.StartsWith("ISO 2022", StringComparison.Ordinal) && term is not ("ISO 2022 IR 6" or "ISO 2022 IR 100")
            ? DicomCharacterSet.FromTerms(["", term])
            : DicomCharacterSet.FromTerms([term]);

        Assert.False(set.HasUnknownTerms);
        Assert.False(set.HasNonStandardTerms);
    }

    [Fact]
    public void FromTerms_Empty_BehavesAsDefault()
    {
        var set = DicomCharacterSet.FromTerms([]);

        Assert.Same(DicomCharacterSet.Default, set);
        Assert.False(set.HasUnknownTerms);
        Assert.False(set.UsesCodeExtensions);
    }

    [Fact]
    public void FromTerms_PaddedValues_AreTrimmed()
    {
        var set = DicomCharacterSet.FromTerms(["ISO_IR 100 ", " ISO 2022 IR 87"]);

        Assert.Equal(["ISO_IR 100", "ISO 2022 IR 87"], set.Terms);
        Assert.True(set.UsesCodeExtensions);
    }

    [Fact]
    public void Default_HighBytes_DecodeAsLatin1()
    {
        var text = DicomCharacterSet.Default.Decode(Hex("4A E9 72 F4 6D 65"), DicomVR.PN);

        Assert.Equal("J\u00E9r\u00F4me", text);
    }

    [Fact]
    public void Default_NonAsciiCharacter_ThrowsWithoutValueInMessage()
    {
        var ex = Assert.Throws<DicomWriteException>(() => DicomCharacterSet.Default.Encode("Secret J\u00E9r\u00F4me", DicomVR.PN));

        Assert.DoesNotContain("Secret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u00E9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_Ascii_RoundTrips()
    {
        var bytes = DicomCharacterSet.Default.Encode("Doe^John\\Smith^Jane", DicomVR.PN);

        Assert.Equal(Encoding.ASCII.GetBytes("Doe^John\\Smith^Jane"), bytes);
        Assert.Equal("Doe^John\\Smith^Jane", DicomCharacterSet.Default.Decode(bytes, DicomVR.PN));
    }

    [Fact]
    public void FromTerms_UnknownTerm_FlagsAndDecodesLatin1()
    {
        var set = DicomCharacterSet.FromTerms(["ISO_IR 999"]);

        Assert.True(set.HasUnknownTerms);
        Assert.Equal("J\u00E9r\u00F4me", set.Decode(Hex("4A E9 72 F4 6D 65"), DicomVR.LO));
        Assert.Equal(Hex("4A E9 72 F4 6D 65"), set.Encode("J\u00E9r\u00F4me", DicomVR.LO));
    }

    [Fact]
    public void FromTerms_UnknownLaterTerm_KeepsKnownSets()
    {
        var set = DicomCharacterSet.FromTerms(["ISO 2022 IR 100", "ISO 2022 IR 999"]);

        Assert.True(set.HasUnknownTerms);
        Assert.Equal("\u00C5ngstr\u00F6m", set.Decode(Hex("C5 6E 67 73 74 72 F6 6D"), DicomVR.LO));
    }

    [Theory]
    [InlineData("ISO_IR100", "E9", "\u00E9")]
    [InlineData("iso_ir 100", "E9", "\u00E9")]
    [InlineData("ISO-IR 144", "BB", "\u041B")]
    [InlineData("ISO IR 192", "C3 A9", "\u00E9")]
    public void FromTerms_MisspelledTerm_RecognisedButNonStandard(string term, string hex, string expected)
    {
        var set = DicomCharacterSet.FromTerms([term]);

        Assert.False(set.HasUnknownTerms);
        Assert.True(set.HasNonStandardTerms);
        Assert.Equal(expected, set.Decode(Hex(hex), DicomVR.LO));
    }

    [Theory]
    [InlineData("ISO_IR 100", "Buc^J\u00E9r\u00F4me", "42 75 63 5E 4A E9 72 F4 6D 65")]
    [InlineData("ISO_IR 101", "Wie\u0142ocha", "57 69 65 B3 6F 63 68 61")]
    [InlineData("ISO_IR 109", "\u0127\u011F", "B1 BB")]
    [InlineData("ISO_IR 110", "\u0101", "E0")]
    [InlineData("ISO_IR 144", "\u041B\u044E\u043A\u0441\u0435\u043C\u0431\u0443\u0440\u0433", "BB EE DA E1 D5 DC D1 E3 E0 D3")]
    [InlineData("ISO_IR 127", "\u0642\u0628\u0627\u0646\u064A", "E2 C8 C7 E6 EA")]
    [InlineData("ISO_IR 126", "\u0394\u03B9\u03BF\u03BD\u03C5\u03C3\u03B9\u03BF\u03C2", "C4 E9 EF ED F5 F3 E9 EF F2")]
    [InlineData("ISO_IR 138", "\u05E9\u05E8\u05D5\u05DF", "F9 F8 E5 EF")]
    [InlineData("ISO_IR 148", "\u015E\u0130\u011F", "DE DD F0")]
    [InlineData("ISO_IR 203", "\u20AC\u0152", "A4 BC")]
    [InlineData("ISO_IR 13", "\uFF94\uFF8F\uFF80\uFF9E^\uFF80\uFF9B\uFF73", "D4 CF C0 DE 5E C0 DB B3")]
    [InlineData("ISO_IR 166", "\u0E01\u0E02", "A1 A2")]
    public void SingleByteSet_Value_EncodesToExpectedBytesAndBack(string term, string text, string hex)
    {
        var set = DicomCharacterSet.FromTerms([term]);

        var bytes = set.Encode(text, DicomVR.PN);

        Assert.Equal(Hex(hex), bytes);
        Assert.Equal(text, set.Decode(bytes, DicomVR.PN));
    }

    [Theory]
    [InlineData("ISO_IR 100")]
    [InlineData("ISO_IR 101")]
    [InlineData("ISO_IR 109")]
    [InlineData("ISO_IR 110")]
    [InlineData("ISO_IR 144")]
    [InlineData("ISO_IR 127")]
    [InlineData("ISO_IR 126")]
    [InlineData("ISO_IR 138")]
    [InlineData("ISO_IR 148")]
    [InlineData("ISO_IR 203")]
    [InlineData("ISO_IR 13")]
    [InlineData("ISO_IR 166")]
    public void SingleByteSet_EveryGraphicByte_RoundTrips(string term)
    {
        var set = DicomCharacterSet.FromTerms([term]);
        var decodedCount = 0;
        for (var b = 0xA0; b <= 0xFF; b++)
        {
            var text = set.Decode([(byte)b], DicomVR.LT);
            Assert.Equal(1, text.Length);
            if (text[0] == '\uFFFD')
            {
                continue;
            }

            decodedCount++;
            Assert.Equal([(byte)b], set.Encode(text, DicomVR.LT));
        }

        // The smallest repertoires in GR: ISO 8859-6 (51 characters) and ISO 8859-8 (58).
        Assert.True(decodedCount >= 51, $"only {decodedCount} bytes decoded");
    }

    [Theory]
    [InlineData("ISO 2022 IR 100", "a\u00E9", "61 1B 2D 41 E9")]
    [InlineData("ISO 2022 IR 101", "a\u0142", "61 1B 2D 42 B3")]
    [InlineData("ISO 2022 IR 109", "a\u0127", "61 1B 2D 43 B1")]
    [InlineData("ISO 2022 IR 110", "a\u0101", "61 1B 2D 44 E0")]
    [InlineData("ISO 2022 IR 144", "a\u041B", "61 1B 2D 4C BB")]
    [InlineData("ISO 2022 IR 127", "a\u0642", "61 1B 2D 47 E2")]
    [InlineData("ISO 2022 IR 126", "a\u0394", "61 1B 2D 46 C4")]
    [InlineData("ISO 2022 IR 138", "a\u05E9", "61 1B 2D 48 F9")]
    [InlineData("ISO 2022 IR 148", "a\u015E", "61 1B 2D 4D DE")]
    [InlineData("ISO 2022 IR 203", "a\u20AC", "61 1B 2D 62 A4")]
    [InlineData("ISO 2022 IR 13", "a\uFF71", "61 1B 29 49 B1")]
    [InlineData("ISO 2022 IR 166", "a\u0E01", "61 1B 2D 54 A1")]
    [InlineData("ISO 2022 IR 87", "a\u5C71", "61 1B 24 42 3B 33 1B 28 42")]
    [InlineData("ISO 2022 IR 159", "a\u4E02", "61 1B 24 28 44 30 21 1B 28 42")]
    [InlineData("ISO 2022 IR 149", "a\uD64D", "61 1B 24 29 43 C8 AB")]
    [InlineData("ISO 2022 IR 58", "a\u5F20", "61 1B 24 29 41 D5 C5")]
    public void Iso2022Set_AsValue2_DesignatesWithItsEscapeSequence(string term, string text, string hex)
    {
        var set = DicomCharacterSet.FromTerms(["", term]);

        var bytes = set.Encode(text, DicomVR.LO);

        Assert.Equal(Hex(hex), bytes);
        Assert.Equal(text, set.Decode(bytes, DicomVR.LO));
    }

    [Fact]
    public void Iso2022Ir6_AfterIr13_CarriesBackslashInText()
    {
        // ISO-IR 14 has a YEN SIGN at 05/12, so a BACKSLASH in an LT needs ISO-IR 6 designated to G0.
        var set = DicomCharacterSet.FromTerms(["ISO 2022 IR 13", "ISO 2022 IR 6"]);

        var bytes = set.Encode("a\\b", DicomVR.LT);

        Assert.Equal(Hex("61 1B 28 42 5C 62 1B 28 4A"), bytes);
        Assert.Equal("a\\b", set.Decode(bytes, DicomVR.LT));
    }

    [Fact]
    public void Iso2022_TwoG1Sets_SwitchesAndRestoresValue1()
    {
        var set = DicomCharacterSet.FromTerms(["ISO 2022 IR 100", "ISO 2022 IR 126"]);

        var bytes = set.Encode("\u0394^J\u00E9", DicomVR.PN);

        Assert.Equal(Hex("1B 2D 46 C4 1B 2D 41 5E 4A E9"), bytes);
        Assert.Equal("\u0394^J\u00E9", set.Decode(bytes, DicomVR.PN));
    }

    [Fact]
    public void Iso2022_CharacterInTwoSets_UsesTheEarlierTerm()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87", "ISO 2022 IR 149"]);

        var bytes = set.Encode("\u6D2A", DicomVR.LO);

        Assert.Equal(Hex("1B 24 42"), bytes[..3]);
        Assert.Equal("\u6D2A", set.Decode(bytes, DicomVR.LO));
    }

    [Theory]
    [InlineData("ISO 2022 IR 87", "1B 24 42")]
    [InlineData("ISO 2022 IR 159", "1B 24 28 44")]
    [InlineData("ISO 2022 IR 149", "1B 24 29 43")]
    [InlineData("ISO 2022 IR 58", "1B 24 29 41")]
    public void MultiByteSet_EveryDefinedCode_RoundTrips(string term, string escape)
    {
        var set = DicomCharacterSet.FromTerms(["", term]);
        var high = escape.EndsWith("29 43", StringComparison.Ordinal) || escape.EndsWith("29 41", StringComparison.Ordinal) ? 0x80 : 0;
        var prefix = Hex(escape);
        var value = new byte[prefix.Length + 2];
        prefix.CopyTo(value, 0);
        var decodedCount = 0;
        for (var first = 0x21; first <= 0x7E; first++)
        {
            for (var second = 0x21; second <= 0x7E; second++)
            {
                value[^2] = (byte)(first | high);
                value[^1] = (byte)(second | high);
                var text = set.Decode(value, DicomVR.LO);
                Assert.Equal(1, text.Length);
                if (text[0] == '\uFFFD')
                {
                    continue;
                }

                decodedCount++;
                var encoded = set.Encode(text, DicomVR.LO);
                Assert.Equal(text, set.Decode(encoded, DicomVR.LO));
            }
        }

        Assert.True(decodedCount > 6000, $"only {decodedCount} codes decoded");
    }

    [Fact]
    public void AnnexH_JapaneseName_DecodesAndEncodesExactly()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);

        Assert.Equal(JapaneseName, set.Decode(Hex(JapaneseBytes), DicomVR.PN));
        Assert.Equal(Hex(JapaneseBytes), set.Encode(JapaneseName, DicomVR.PN));
    }

    [Fact]
    public void AnnexH_JapaneseKatakanaName_DecodesAndEncodesExactly()
    {
        var set = DicomCharacterSet.FromTerms(["ISO 2022 IR 13", "ISO 2022 IR 87"]);

        Assert.Equal(JapaneseKatakanaName, set.Decode(Hex(JapaneseKatakanaBytes), DicomVR.PN));
        Assert.Equal(Hex(JapaneseKatakanaBytes), set.Encode(JapaneseKatakanaName, DicomVR.PN));
    }

    [Fact]
    public void AnnexI_KoreanName_DecodesAndEncodesExactly()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 149"]);

        Assert.Equal(KoreanName, set.Decode(Hex(KoreanBytes), DicomVR.PN));
        Assert.Equal(Hex(KoreanBytes), set.Encode(KoreanName, DicomVR.PN));
    }

    [Fact]
    public void AnnexI_KoreanLongText_DecodesAndRoundTrips()
    {
        // PS3.5 Example I.3-1: the escape sequence stands at the head of each line, before ASCII text.
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 149"]);
        var bytes = Concat(
            Hex("1B 24 29 43"), Ascii("The first line includes "), Hex("C7 D1 B1 DB"), Ascii(".\r\n"),
            Hex("1B 24 29 43"), Ascii("The second line includes "), Hex("C7 D1 B1 DB"), Ascii(", too.\r\n"),
            Ascii("The third line"));
        const string Text = "The first line includes \uD55C\uAE00.\r\nThe second line includes \uD55C\uAE00, too.\r\nThe third line";

        Assert.Equal(Text, set.Decode(bytes, DicomVR.LT));
        Assert.Equal(Text, set.Decode(set.Encode(Text, DicomVR.LT), DicomVR.LT));
    }

    [Fact]
    public void AnnexJ_ChineseUtf8Name_DecodesAndEncodesExactly()
    {
        var set = DicomCharacterSet.FromTerms(["ISO_IR 192"]);

        Assert.Equal(ChineseUtf8Name, set.Decode(Hex(ChineseUtf8Bytes), DicomVR.PN));
        Assert.Equal(Hex(ChineseUtf8Bytes), set.Encode(ChineseUtf8Name, DicomVR.PN));
    }

    [Fact]
    public void AnnexJ_ChineseGb18030Name_DecodesAndEncodesExactly()
    {
        var set = DicomCharacterSet.FromTerms(["GB18030"]);

        Assert.Equal(ChineseGb18030Name, set.Decode(Hex(ChineseGb18030Bytes), DicomVR.PN));
        Assert.Equal(Hex(ChineseGb18030Bytes), set.Encode(ChineseGb18030Name, DicomVR.PN));
    }

    [Fact]
    public void AnnexK_ChineseIso2022Name_DecodesAndEncodesExactly()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 58"]);

        Assert.Equal(ChineseIso2022Name + " ", set.Decode(Hex(ChineseIso2022Bytes + " 20"), DicomVR.PN));
        Assert.Equal(Hex(ChineseIso2022Bytes), set.Encode(ChineseIso2022Name, DicomVR.PN));
    }

    [Fact]
    public void Gb18030_SupplementaryCharacter_RoundTripsInFourBytes()
    {
        var set = DicomCharacterSet.FromTerms(["GB18030"]);

        var bytes = set.Encode("\uD840\uDC00", DicomVR.LO);

        Assert.Equal(4, bytes.Length);
        Assert.Equal("\uD840\uDC00", set.Decode(bytes, DicomVR.LO));
    }

    [Fact]
    public void Gbk_Name_RoundTrips()
    {
        var set = DicomCharacterSet.FromTerms(["GBK"]);

        var bytes = set.Encode(ChineseGb18030Name, DicomVR.PN);

        Assert.Equal(Hex(ChineseGb18030Bytes), bytes);
        Assert.Equal(ChineseGb18030Name, set.Decode(bytes, DicomVR.PN));
    }

    [Theory]
    [InlineData("GBK", "\uD840\uDC00")]
    [InlineData("ISO_IR 100", "\u0394")]
    [InlineData("ISO 2022 IR 87", "\uAC00")]
    public void Encode_Unrepresentable_ThrowsWithoutValue(string term, string character)
    {
        var set = term.StartsWith("ISO 2022", StringComparison.Ordinal)
            ? DicomCharacterSet.FromTerms(["", term])
            : DicomCharacterSet.FromTerms([term]);

        var ex = Assert.Throws<DicomWriteException>(() => set.Encode("Private" + character, DicomVR.LO));

        Assert.DoesNotContain("Private", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(character, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_LoneSurrogate_ThrowsWithoutValue()
    {
        // Not an InlineData case: attribute strings cannot carry a lone surrogate.
        var set = DicomCharacterSet.FromTerms(["ISO_IR 192"]);

        var ex = Assert.Throws<DicomWriteException>(() => set.Encode("Private\uD800", DicomVR.LO));

        Assert.DoesNotContain("Private", ex.Message, StringComparison.Ordinal);
        Assert.Contains("index 7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_InvalidBytes_DecodeAsReplacementCharacter()
    {
        var set = DicomCharacterSet.FromTerms(["ISO_IR 192"]);

        Assert.Equal("A\uFFFDB", set.Decode(Hex("41 FF 42"), DicomVR.LO));
    }

    [Fact]
    public void Decode_TextVrWithoutReturnToAscii_ResetsAtLineEnd()
    {
        // Tolerant reading: a line end restores value 1's sets even when the writer forgot ESC ( B.
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);

        Assert.Equal("\u5C71\r\nab", set.Decode(Hex("1B 24 42 3B 33 0D 0A 61 62"), DicomVR.LT));
    }

    [Fact]
    public void Decode_PersonName_ResetsG1AtComponentDelimiters()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 149"]);
        var bytes = Hex("1B 24 29 43 C8 AB 3D C8 AB");

        Assert.Equal("\uD64D=\u00C8\u00AB", set.Decode(bytes, DicomVR.PN));
        Assert.Equal("\uD64D=\uD64D", set.Decode(bytes, DicomVR.LO));
    }

    [Fact]
    public void Decode_MultiValuedVr_ResetsAtBackslashButTextVrDoesNot()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 149"]);
        var bytes = Hex("1B 24 29 43 C8 AB 5C C8 AB");

        Assert.Equal("\uD64D\\\u00C8\u00AB", set.Decode(bytes, DicomVR.LO));
        Assert.Equal("\uD64D\\\uD64D", set.Decode(bytes, DicomVR.ST));
    }

    [Fact]
    public void Encode_MultiValuedVr_RedesignatesAfterBackslash()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);

        var bytes = set.Encode("\u5C71\\\u7530", DicomVR.LO);

        Assert.Equal(Hex("1B 24 42 3B 33 1B 28 42 5C 1B 24 42 45 44 1B 28 42"), bytes);
    }

    [Fact]
    public void Romaji_ByteFiveC_IsYenInTextAndDelimiterInMultiValuedVr()
    {
        var set = DicomCharacterSet.FromTerms(["ISO_IR 13"]);

        Assert.Equal("\u00A5\u203E", set.Decode(Hex("5C 7E"), DicomVR.LT));
        Assert.Equal("A\\B", set.Decode(Hex("41 5C 42"), DicomVR.LO));
        Assert.Equal(Hex("5C 7E"), set.Encode("\u00A5\u203E", DicomVR.LT));
        Assert.Throws<DicomWriteException>(() => set.Encode("\u00A5", DicomVR.LO));
        Assert.Throws<DicomWriteException>(() => set.Encode("a\\b", DicomVR.LT));
    }

    [Fact]
    public void Decode_UnknownEscapeSequence_ReplacedAndSkipped()
    {
        Assert.Equal("A\uFFFDB", DicomCharacterSet.Default.Decode(Hex("41 1B 28 5A 42"), DicomVR.LO));
    }

    [Fact]
    public void Decode_TruncatedTwoByteCharacter_ReplacedNotThrown()
    {
        var set = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);

        Assert.Equal("\uFFFD", set.Decode(Hex("1B 24 42 3B"), DicomVR.LO));
    }

    [Fact]
    public void Decode_EscapeWithoutDeclaredTerm_StillDecoded()
    {
        // Seen in the wild: ISO 2022 escapes in values whose (0008,0005) is absent.
        Assert.Equal("\u5C71", DicomCharacterSet.Default.Decode(Hex("1B 24 42 3B 33 1B 28 42"), DicomVR.PN));
    }

    [Fact]
    public void Decode_DefaultRepertoireVr_IgnoresSpecificCharacterSet()
    {
        var set = DicomCharacterSet.FromTerms(["ISO_IR 192"]);

        Assert.Equal("\u00C3\u00A9", set.Decode(Hex("C3 A9"), DicomVR.CS));
        Assert.Equal("\u00E9", set.Decode(Hex("C3 A9"), DicomVR.LO));
    }

    [Fact]
    public void Decode_LongValue_UsesPooledBuffer()
    {
        var set = DicomCharacterSet.FromTerms(["ISO_IR 100"]);
        var bytes = Enumerable.Repeat((byte)0xE9, 5000).ToArray();

        var text = set.Decode(bytes, DicomVR.UT);

        Assert.Equal(new string('\u00E9', 5000), text);
        Assert.Equal(bytes, set.Encode(text, DicomVR.UT));
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
