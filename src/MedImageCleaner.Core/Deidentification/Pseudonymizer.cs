using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>
/// Keyed, stateless pseudonyms: UIDs, patient IDs and per-patient date offsets are HMAC-SHA256 functions of the key
/// and the original value, so every file, run and machine with the same key agrees without sharing state.
/// </summary>
public sealed class Pseudonymizer
{
    private readonly DeidentificationKey _key;

    public Pseudonymizer(DeidentificationKey key, string patientIdPrefix = "ANON", int? fixedDateOffsetDays = null)
    {
        _key = key;
        PatientIdPrefix = patientIdPrefix;
        FixedDateOffsetDays = fixedDateOffsetDays;
    }

    /// <summary>Prefix of pseudonymous patient IDs.</summary>
    public string PatientIdPrefix { get; }

    /// <summary>A fixed date shift (the seed's date_offset_days) instead of the keyed per-patient one.</summary>
    public int? FixedDateOffsetDays { get; }

    /// <summary>The key's public identifier.</summary>
    public string KeyId => _key.KeyId;

    /// <summary>
    /// Maps a UID to "2.25." + the decimal form of a 128-bit value taken from HMAC-SHA256(key, uid), with the UUID
    /// version (8, custom) and variant bits set so the result is a valid ISO/IEC 9834-8 UUID-derived UID.
    /// </summary>
    public string MapUid(string uid)
    {
        var h = _key.Hmac("uid", uid.TrimEnd('\0', ' '));
        Span<byte> u = stackalloc byte[16];
        h.AsSpan(0, 16).CopyTo(u);
        u[6] = (byte)((u[6] & 0x0F) | 0x80); // version 8
        u[8] = (byte)((u[8] & 0x3F) | 0x80); // RFC 4122 variant
        var value = new BigInteger(u, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A stable pseudonymous patient ID: prefix + 16 base-32 characters of HMAC(key, original ID).</summary>
    public string MapPatientId(string patientId)
    {
        var h = _key.Hmac("patient-id", patientId.Trim());
        var suffix = Base32(h.AsSpan(0, 10));
        var id = PatientIdPrefix.Length > 0 ? PatientIdPrefix + "-" + suffix : suffix;
        return id.Length > 64 ? id[..64] : id;
    }

    /// <summary>
    /// The date shift for a patient, in days: the fixed offset when one was given, else 365 to 3,650 days into the past
    /// chosen by HMAC(key, patient ID). Intervals within a patient are preserved because every date moves by the same amount.
    /// </summary>
    public int DateOffsetDays(string patientId)
    {
        if (FixedDateOffsetDays is { } fixedOffset)
        {
            return fixedOffset;
        }

        var h = _key.Hmac("date-offset", patientId.Trim());
        var n = BinaryPrimitives.ReadUInt32BigEndian(h);
        return -(int)(365 + (n % 3286));
    }

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var sb = new StringBuilder(bytes.Length * 8 / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return sb.ToString();
    }
}

/// <summary>Shifts DICOM DA, DT and TM values by whole days, keeping their precision and format.</summary>
public static class DateShifter
{
    /// <summary>Shifts one DA value (YYYYMMDD, or the legacy YYYY.MM.DD); returns null when it is not a date.</summary>
    public static string? ShiftDate(string value, int days)
    {
        var v = value.Trim();
        if (v.Length == 10 && v[4] == '.' && v[7] == '.')
        {
            v = string.Concat(v.AsSpan(0, 4), v.AsSpan(5, 2), v.AsSpan(8, 2));
        }

        if (v.Length != 8 || !DateTime.TryParseExact(v, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return null;
        }

        return Clamp(d, days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    }

    /// <summary>Shifts a DT value (YYYY[MM[DD[HH[MM[SS[.F]]]]]][&amp;ZZXX]), keeping its precision; null when unparseable.</summary>
    public static string? ShiftDateTime(string value, int days)
    {
        var v = value.Trim();
        var offsetAt = v.IndexOfAny(['+', '-'], 4);
        var suffix = offsetAt > 0 ? v[offsetAt..] : string.Empty;
        var core = offsetAt > 0 ? v[..offsetAt] : v;
        if (core.Length < 4 || core.AsSpan(0, Math.Min(core.Length, 8)).ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        if (core.Length < 8)
        {
            // Year or year-month precision: shift the year/month by the whole-day offset rounded to the precision kept.
            if (!int.TryParse(core.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            {
                return null;
            }

            var month = core.Length >= 6 && int.TryParse(core.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 1;
            if (month is < 1 or > 12)
            {
                return null;
            }

            var shifted = Clamp(new DateTime(Math.Clamp(year, 1, 9999), month, 1, 0, 0, 0, DateTimeKind.Unspecified), days);
            return (core.Length >= 6 ? shifted.ToString("yyyyMM", CultureInfo.InvariantCulture) : shifted.ToString("yyyy", CultureInfo.InvariantCulture)) + suffix;
        }

        var date = ShiftDate(core[..8], days);
        return date is null ? null : date + core[8..] + suffix;
    }

    /// <summary>Shifts a DA range "A-B" or single value; returns null when any part is not a date.</summary>
    public static string? ShiftDateOrRange(string value, int days)
    {
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return ShiftDate(value, days);
        }

        var a = value[..dash].Trim();
        var b = value[(dash + 1)..].Trim();
        var sa = a.Length == 0 ? string.Empty : ShiftDate(a, days);
        var sb = b.Length == 0 ? string.Empty : ShiftDate(b, days);
        return sa is null || sb is null ? null : sa + "-" + sb;
    }

    private static DateTime Clamp(DateTime d, int days)
    {
        var min = new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var max = new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Unspecified);
        var ticks = (long)days * TimeSpan.TicksPerDay;
        if (ticks < 0 && d.Ticks + ticks < min.Ticks)
        {
            return min;
        }

        if (ticks > 0 && d.Ticks + ticks > max.Ticks)
        {
            return max;
        }

        return d.AddDays(days);
    }
}

/// <summary>Dummy (D) values valid for each VR (never text like "ANONYMIZED" in a date or number).</summary>
public static class DummyValues
{
    /// <summary>The dummy value bytes for a VR (little-endian for binary VRs); null for SQ (handled by the engine).</summary>
    public static byte[]? For(DicomVR vr)
    {
        static byte[] A(string s) => Encoding.ASCII.GetBytes(s);
        if (vr == DicomVR.SQ)
        {
            return null;
        }

        return vr.ToString() switch
        {
            "DA" => A("19000101"),
            "DT" => A("19000101000000.000000"),
            "TM" => A("000000.00"),
            "AS" => A("000Y"),
            "PN" => A("ANONYMOUS"),
            "DS" => A("0 "),
            "IS" => A("0 "),
            "UI" => A("2.25.0"),
            "CS" => A("ANONYMIZED"),
            "AE" => A("ANONYMIZED"),
            "SH" or "LO" or "ST" or "LT" or "UT" or "UC" => A("ANONYMIZED"),
            "UR" => A("urn:anonymized "),
            "US" or "SS" => new byte[2],
            "UL" or "SL" or "FL" or "OF" or "OL" => new byte[4],
            "FD" or "OD" or "UV" or "SV" or "OV" => new byte[8],
            "AT" => new byte[4],
            _ => new byte[2],
        };
    }
}
