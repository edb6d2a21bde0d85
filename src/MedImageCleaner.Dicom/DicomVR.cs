namespace MedImageCleaner.Dicom;

/// <summary>A value representation (PS3.5 6.2), stored as its two ASCII characters.</summary>
public readonly struct DicomVR : IEquatable<DicomVR>
{
    private readonly ushort _code;

    private DicomVR(char a, char b) => _code = (ushort)((a << 8) | b);

    private DicomVR(ushort code) => _code = code;

    /// <summary>The two characters packed big-endian (first character in the high byte), as they appear in a file.</summary>
    public ushort Code => _code;

    public static readonly DicomVR None;
    public static readonly DicomVR AE = new('A', 'E');
    public static readonly DicomVR AS = new('A', 'S');
    public static readonly DicomVR AT = new('A', 'T');
    public static readonly DicomVR CS = new('C', 'S');
    public static readonly DicomVR DA = new('D', 'A');
    public static readonly DicomVR DS = new('D', 'S');
    public static readonly DicomVR DT = new('D', 'T');
    public static readonly DicomVR FD = new('F', 'D');
    public static readonly DicomVR FL = new('F', 'L');
    public static readonly DicomVR IS = new('I', 'S');
    public static readonly DicomVR LO = new('L', 'O');
    public static readonly DicomVR LT = new('L', 'T');
    public static readonly DicomVR OB = new('O', 'B');
    public static readonly DicomVR OD = new('O', 'D');
    public static readonly DicomVR OF = new('O', 'F');
    public static readonly DicomVR OL = new('O', 'L');
    public static readonly DicomVR OV = new('O', 'V');
    public static readonly DicomVR OW = new('O', 'W');
    public static readonly DicomVR PN = new('P', 'N');
    public static readonly DicomVR SH = new('S', 'H');
    public static readonly DicomVR SL = new('S', 'L');
    public static readonly DicomVR SQ = new('S', 'Q');
    public static readonly DicomVR SS = new('S', 'S');
    public static readonly DicomVR ST = new('S', 'T');
    public static readonly DicomVR SV = new('S', 'V');
    public static readonly DicomVR TM = new('T', 'M');
    public static readonly DicomVR UC = new('U', 'C');
    public static readonly DicomVR UI = new('U', 'I');
    public static readonly DicomVR UL = new('U', 'L');
    public static readonly DicomVR UN = new('U', 'N');
    public static readonly DicomVR UR = new('U', 'R');
    public static readonly DicomVR US = new('U', 'S');
    public static readonly DicomVR UT = new('U', 'T');
    public static readonly DicomVR UV = new('U', 'V');

    /// <summary>Every VR of the current standard.</summary>
    public static IReadOnlyList<DicomVR> All { get; } =
    [
        AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL,
        UN, UR, US, UT, UV,
    ];

    /// <summary>True when the VR is one of the standard's (not <see cref="None"/> and not garbage).</summary>
    public bool IsKnown => Info(_code) != 0;

    /// <summary>Explicit VR encoding uses 2 reserved bytes and a 32-bit length for this VR (PS3.5 7.1.2).</summary>
    public bool HasLongLength => (Info(_code) & LongLengthFlag) != 0;

    /// <summary>True for character-string VRs (values are text, padded with a space, or NUL for UI).</summary>
    public bool IsString => (Info(_code) & KindMask) is (byte)VrKind.Text or (byte)VrKind.AsciiText;

    /// <summary>True for text VRs whose bytes are decoded with the Specific Character Set (SH, LO, ST, LT, PN, UC, UT).</summary>
    public bool IsCharacterSetText => (Info(_code) & KindMask) == (byte)VrKind.Text;

    /// <summary>The byte size of one binary value, used for byte swapping (1 for strings and OB/UN, 0 for SQ).</summary>
    public int UnitSize => Math.Max(1, Info(_code) >> UnitShift);

    /// <summary>The byte used to pad a value to even length: NUL for UI and binary VRs, space for text.</summary>
    public byte PaddingByte => IsString && _code != UI._code ? (byte)' ' : (byte)0;

    /// <summary>True when a value may be multi-valued with backslash separators (not ST, LT, UT, UR).</summary>
    public bool AllowsBackslash => IsString && _code != ST._code && _code != LT._code && _code != UT._code && _code != UR._code;

    /// <summary>Reads a VR from the two bytes of an explicit VR element header.</summary>
    public static DicomVR FromBytes(byte first, byte second) => new((ushort)((first << 8) | second));

    /// <summary>Parses a two-letter VR name; returns <see cref="None"/> when it is not a VR of the standard.</summary>
    public static DicomVR Parse(string? text)
    {
        if (text is null || text.Length != 2)
        {
            return None;
        }

        var vr = new DicomVR(text[0], text[1]);
        return vr.IsKnown ? vr : None;
    }

    public bool Equals(DicomVR other) => _code == other._code;

    public override bool Equals(object? obj) => obj is DicomVR v && v._code == _code;

    public override int GetHashCode() => _code;

    public override string ToString() =>
        _code == 0 ? "--" : string.Create(2, _code, static (s, c) =>
        {
            s[0] = (char)(c >> 8);
            s[1] = (char)(c & 0xFF);
        });

    public static bool operator ==(DicomVR left, DicomVR right) => left._code == right._code;

    public static bool operator !=(DicomVR left, DicomVR right) => left._code != right._code;

    private enum VrKind : byte
    {
        Unknown,
        Text,
        AsciiText,
        Binary,
        Sequence,
    }

    private const byte KindMask = 0x07;
    private const byte LongLengthFlag = 0x08;
    private const int UnitShift = 4;

    /// <summary>Per two-letter code: kind (bits 0-2), long length (bit 3), unit size (bits 4-7); 0 = not a VR.</summary>
    private static readonly byte[] Table = BuildTable();

    private static byte Info(ushort code)
    {
        var a = (code >> 8) - 'A';
        var b = (code & 0xFF) - 'A';
        return (uint)a < 26 && (uint)b < 26 ? Table[(a * 26) + b] : (byte)0;
    }

    private static byte[] BuildTable()
    {
        var t = new byte[26 * 26];
        void Set(string vr, VrKind kind, bool longLength, int unit) =>
            t[((vr[0] - 'A') * 26) + (vr[1] - 'A')] = (byte)((byte)kind | (longLength ? LongLengthFlag : 0) | (unit << UnitShift));
        foreach (var vr in (string[])["AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM", "UI"])
        {
            Set(vr, VrKind.AsciiText, false, 1);
        }

        Set("UR", VrKind.AsciiText, true, 1);
        foreach (var vr in (string[])["LO", "LT", "PN", "SH", "ST"])
        {
            Set(vr, VrKind.Text, false, 1);
        }

        Set("UC", VrKind.Text, true, 1);
        Set("UT", VrKind.Text, true, 1);
        Set("AT", VrKind.Binary, false, 2);
        Set("US", VrKind.Binary, false, 2);
        Set("SS", VrKind.Binary, false, 2);
        Set("UL", VrKind.Binary, false, 4);
        Set("SL", VrKind.Binary, false, 4);
        Set("FL", VrKind.Binary, false, 4);
        Set("FD", VrKind.Binary, false, 8);
        Set("OB", VrKind.Binary, true, 1);
        Set("UN", VrKind.Binary, true, 1);
        Set("OW", VrKind.Binary, true, 2);
        Set("OF", VrKind.Binary, true, 4);
        Set("OL", VrKind.Binary, true, 4);
        Set("OD", VrKind.Binary, true, 8);
        Set("OV", VrKind.Binary, true, 8);
        Set("SV", VrKind.Binary, true, 8);
        Set("UV", VrKind.Binary, true, 8);
        Set("SQ", VrKind.Sequence, true, 0);
        return t;
    }
}
