using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace MedImageCleaner.Core.Phi;

/// <summary>
/// The generic (context-free) identifier patterns of <see cref="PhiDetector"/>: source-generated expressions whose
/// repetitions are bounded or unambiguous (no nested or adjacent overlapping quantifiers), so matching stays linear,
/// with a timeout as a backstop. What the expressions do not check (same separator twice, calendar validity, digit
/// counts, boundaries against neighbouring numbers) is checked in code after the match.
/// </summary>
internal static partial class PhiPatterns
{
    private const RegexOptions Cs = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private const RegexOptions CsI = Cs | RegexOptions.IgnoreCase;

    /// <summary>Per match; generous, because a timeout fails closed (the whole text is reported).</summary>
    private const int TimeoutMs = 2000;

    private const string Month =
        "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

    // Separators inside dates, phone numbers and labels are bounded ({0,3}): a long run of spaces can then never be
    // split between two adjacent quantifiers in many ways.

    // ---- dates -------------------------------------------------------------------------------------------------
    [GeneratedRegex(@"\b(?<y>(?:19|20)[0-9]{2})(?<s1>[-/.])(?<m>[0-9]{1,2})(?<s2>[-/.])(?<d>[0-9]{1,2})\b", Cs, TimeoutMs)]
    private static partial Regex IsoDate { get; }

    [GeneratedRegex(@"\b(?<a>[0-9]{1,2})(?<s1>[-/.])(?<b>[0-9]{1,2})(?<s2>[-/.])(?<y>[0-9]{4}|[0-9]{2})\b", Cs, TimeoutMs)]
    private static partial Regex NumericDate { get; }

    [GeneratedRegex(@"\b(?<v>(?:19|20)[0-9]{6})(?:[0-9]{2}){0,3}\b", Cs, TimeoutMs)]
    private static partial Regex CompactDate { get; }

    [GeneratedRegex(@"\b(?<m>0[1-9]|1[0-2])[/.](?<y>(?:19|20)[0-9]{2})\b|\b(?<y2>(?:19|20)[0-9]{2})-(?<m2>0[1-9]|1[0-2])\b", Cs, TimeoutMs)]
    private static partial Regex NumericMonthYear { get; }

    [GeneratedRegex(@"\b(?<d>[0-9]{1,2})(?:st|nd|rd|th)?[ \t./-]{0,3}(?<m>" + Month + @")\.?,?[ \t./-]{0,3}(?<y>[0-9]{4}|'?[0-9]{2})\b", CsI, TimeoutMs)]
    private static partial Regex DayMonthYear { get; }

    [GeneratedRegex(@"\b(?<m>" + Month + @")\.?[ \t./-]{0,3}(?<d>[0-9]{1,2})(?:st|nd|rd|th)?,?[ \t./-]{0,3}(?<y>[0-9]{4}|'[0-9]{2})\b", CsI, TimeoutMs)]
    private static partial Regex MonthDayYear { get; }

    [GeneratedRegex(@"\b(?<m>" + Month + @")\.?,?[ \t/-]{0,3}(?<y>(?:19|20)[0-9]{2})\b", CsI, TimeoutMs)]
    private static partial Regex MonthYear { get; }

    [GeneratedRegex(@"\b(?<d>[0-9]{1,2})(?:st|nd|rd|th)?[ \t-]{0,3}(?<m>" + Month + @")\b", CsI, TimeoutMs)]
    private static partial Regex DayMonth { get; }

    [GeneratedRegex(@"\b(?<m>" + Month + @")\.?[ \t]{1,3}(?<d>[0-9]{1,2})(?:st|nd|rd|th)?\b", CsI, TimeoutMs)]
    private static partial Regex MonthDay { get; }

    // ---- ages --------------------------------------------------------------------------------------------------
    [GeneratedRegex(@"\b(?<n>[0-9]{1,3})(?:[ \t]{0,2}-[ \t]{0,2}|[ \t]{0,3})(?:years?|yrs?|y)(?:[ \t]{0,2}-[ \t]{0,2}|[ \t]{1,3})old\b", CsI, TimeoutMs)]
    private static partial Regex AgeOld { get; }

    [GeneratedRegex(@"\b(?<n>[0-9]{1,3})[ \t]{0,3}(?:y/o\b|yo\b|y\.o\.?)", CsI, TimeoutMs)]
    private static partial Regex AgeYo { get; }

    [GeneratedRegex(@"\baged?(?:[ \t]{0,3}[:=][ \t]{0,3}|[ \t]{1,3})(?<n>[0-9]{1,3})\b", CsI, TimeoutMs)]
    private static partial Regex AgeLabel { get; }

    // ---- contact -----------------------------------------------------------------------------------------------
    [GeneratedRegex(@"(?:\+?1[ \t.-]?)?(?:\([0-9]{3}\)[ \t]?|\b[0-9]{3}[ \t.-]?)[0-9]{3}[ \t.-]?[0-9]{4}\b(?:[ \t]{0,3}(?:x|ext\.?)[ \t]{0,3}[0-9]{1,5}\b)?", CsI, TimeoutMs)]
    private static partial Regex UsPhone { get; }

    // Digit groups are separated (or parenthesised), so a digit run is never split two ways.
    [GeneratedRegex(@"\+[0-9]{1,3}(?:[ \t.-]{1,2}(?:\([0-9]{1,4}\)[ \t]?)?[0-9]{1,8}|[ \t]?\([0-9]{1,4}\)[ \t]?[0-9]{1,8}){1,6}\b", Cs, TimeoutMs)]
    private static partial Regex IntlPhone { get; }

    [GeneratedRegex(@"\b0[0-9]{1,4}[ \t/.-][0-9]{3,8}(?:[ \t.-][0-9]{2,5})?\b", Cs, TimeoutMs)]
    private static partial Regex TrunkPhone { get; }

    [GeneratedRegex(@"\b[0-9]{3}-[0-9]{4}\b", Cs, TimeoutMs)]
    private static partial Regex LocalPhone { get; }

    [GeneratedRegex(@"\b(?:tel(?:ephone)?|phone|ph|fax|mobile|mob|cell)\.?(?:[ \t]{0,2}(?:no\.?|number|#))?(?:[ \t]{0,3}[:#][ \t]{0,3}|[ \t]{1,3})(?<n>\+?[0-9][0-9 \t().-]{5,20}[0-9])", CsI, TimeoutMs)]
    private static partial Regex LabelledPhone { get; }

    // RFC 5321 limits: local part 64, labels 63 characters; bounded so a long dotted word without '@' is cheap.
    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b", Cs, TimeoutMs)]
    private static partial Regex Email { get; }

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>""'\\]+", CsI, TimeoutMs)]
    private static partial Regex Url { get; }

    // ---- identifiers -------------------------------------------------------------------------------------------
    [GeneratedRegex(@"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b", Cs, TimeoutMs)]
    private static partial Regex Ssn { get; }

    [GeneratedRegex(@"\b(?:ssn|social[ \t]{1,3}security(?:[ \t]{1,3}(?:no\.?|number|#))?)(?:[ \t]{0,3}[:#][ \t]{0,3}|[ \t]{1,3})(?<n>[0-9]{3}[ \t-]?[0-9]{2}[ \t-]?[0-9]{4})\b", CsI, TimeoutMs)]
    private static partial Regex LabelledSsn { get; }

    [GeneratedRegex(
        @"\b(?<l>mrn|mr|med(?:ical)?\.?[ \t]?rec(?:ord)?\.?(?:[ \t]?(?:no\.?|number))?|patient[ \t]?id|pt\.?[ \t]?id|pid|chart(?:[ \t]?(?:no\.?|number))?|acc(?:ession)?(?:[ \t]?(?:no\.?|number))?|account(?:[ \t]?(?:no\.?|number))?|id)(?<sep>[ \t]{0,3}[:#=]{1,2}[ \t]{0,3}|[ \t]{1,3})(?<v>[A-Za-z]{0,4}-?[0-9][A-Za-z0-9-]{2,40})\b",
        CsI,
        TimeoutMs)]
    private static partial Regex LabelledId { get; }

    [GeneratedRegex(@"\b[0-9]{6,}\b", Cs, TimeoutMs)]
    private static partial Regex LongDigits { get; }

    [GeneratedRegex(@"\b[A-Za-z]{1,4}-?[0-9]{5,}\b", Cs, TimeoutMs)]
    private static partial Regex AlphaNumericId { get; }

    // ---- addresses ---------------------------------------------------------------------------------------------
    [GeneratedRegex(
        @"\b[0-9]{1,6}[A-Za-z]?[ \t]{1,3}(?<w>(?:[A-Za-z0-9.'-]{1,40}[ \t]{1,3}){1,4})(?<s>street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|court|way|place|terrace|circle|highway|hwy|parkway|pkwy|square|plaza|alley|crescent)\b\.?",
        CsI,
        TimeoutMs)]
    private static partial Regex Street { get; }

    [GeneratedRegex(@"\bP\.?[ \t]?O\.?[ \t]{0,3}Box[ \t]{1,3}[0-9]+\b", CsI, TimeoutMs)]
    private static partial Regex PoBox { get; }

    [GeneratedRegex(@"\b[A-Z][A-Za-z]{1,40}(?:[ \t][A-Z][A-Za-z]{1,40})?,[ \t]{0,3}[A-Z]{2}[ \t]{1,3}[0-9]{5}(?:-[0-9]{4})?\b", Cs, TimeoutMs)]
    private static partial Regex CityStateZip { get; }

    // ---- names (labelled; names from the header are matched by PhiDetector) ------------------------------------
    [GeneratedRegex(@"\b(?:Dr|Prof|Mr|Mrs|Ms|Miss)\.?[ \t]{1,3}(?<n>[A-Z][a-z]+)", Cs, TimeoutMs)]
    private static partial Regex TitleName { get; }

    [GeneratedRegex(@"\b(?:DR|PROF)\.[ \t]{0,3}(?<n>[A-Z][A-Z'-]+)\b", Cs, TimeoutMs)]
    private static partial Regex UpperTitleName { get; }

    [GeneratedRegex(
        @"\b(?<l>patient'?s?[ \t]{1,3}name|pt\.?[ \t]{1,3}name|referring[ \t]{1,3}physician|ordering[ \t]{1,3}physician|physician|radiologist|technologist|operator|attending|(?:read|dictated|signed|reported|performed|reviewed|approved|verified|ordered|referred)[ \t]{1,3}by)(?<sep>[ \t]{0,3}:[ \t]{0,3}|[ \t]{1,3})",
        CsI,
        TimeoutMs)]
    private static partial Regex NameLabel { get; }

    /// <summary>Words never taken alone as a person's name: modalities, anatomy, technique, placeholders, titles.</summary>
    internal static readonly FrozenSet<string> NotNames = new[]
    {
        "CT", "MR", "MRI", "PET", "PT", "US", "CR", "DX", "NM", "XA", "RF", "MG", "OT", "SC", "IO", "ES", "XC", "OP", "SR",
        "HEAD", "CHEST", "BRAIN", "KNEE", "SPINE", "ABDOMEN", "PELVIS", "NECK", "LEFT", "RIGHT", "BILATERAL", "BODY",
        "HAND", "FOOT", "SHOULDER", "HIP", "ANKLE", "WRIST", "ELBOW", "CARDIAC", "HEART", "LUNG", "LIVER", "BREAST",
        "AXIAL", "AX", "SAG", "SAGITTAL", "COR", "CORONAL", "SCOUT", "LOCALIZER", "TOPOGRAM", "CONTRAST", "WITH",
        "WITHOUT", "ROUTINE", "PROTOCOL", "SERIES", "STUDY", "IMAGE", "IMAGES", "VIEW", "VIEWS", "EXAM", "SCAN",
        "ANONYMOUS", "ANONYMIZED", "ANONYMISED", "ANON", "UNKNOWN", "PATIENT", "PHANTOM", "TEST", "NONE", "NA",
        "DOCTOR", "PHYSICIAN", "REMOVED", "REDACTED", "DUMMY", "NAME", "DR", "MRS", "MS", "MISS", "PROF", "JR", "SR",
        "SIEMENS", "GE", "PHILIPS", "TOSHIBA", "CANON", "HOLOGIC", "FUJI", "FUJIFILM", "AGFA", "SAMPLE",
        "MANUFACTURER", "THE", "AND", "FOR", "OF", "ON", "IN", "TO", "NO", "BY", "AT", "RADIOLOGY", "DEPARTMENT",
        "DEPT", "HOSPITAL", "CLINIC", "SCANNER", "SYSTEM", "STAFF", "RESIDENT", "FELLOW", "ATTENDING", "TECHNOLOGIST",
        "RADIOLOGIST", "OPERATOR", "REPORT", "PRELIMINARY", "FINAL", "MRN", "ID", "DOB", "SSN", "ACC", "TEL", "FAX",
        "AP", "LAT", "LATERAL", "ERECT", "UPRIGHT", "SUPINE", "PRONE", "DECUBITUS", "OBLIQUE", "PORTABLE", "FRONTAL",
        "STANDING", "MEDIAL", "DISTAL", "PROXIMAL", "CC", "MLO", "ARTERIAL", "VENOUS", "DELAYED",
        "CERVICAL", "THORACIC", "LUMBAR", "SKULL", "FEMUR", "TIBIA", "HUMERUS", "FLAIR", "STIR", "DWI", "ADC", "SWI",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Titles = new[] { "DR", "PROF", "MR", "MRS", "MS", "MISS" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds every generic finding in <paramref name="text"/> to <paramref name="results"/>.</summary>
    public static void FindAll(string text, List<PhiFinding> results)
    {
        try
        {
            FindAllCore(text, results);
        }
        catch (RegexMatchTimeoutException)
        {
            // Fail closed: text that cannot be examined in time is reported whole, so it is scrubbed, not released.
            results.Add(new PhiFinding(0, text.Length, PhiKind.Other, 1.0));
        }
    }

    private static void FindAllCore(string text, List<PhiFinding> results)
    {
        var span = text.AsSpan();
        var hasDigit = span.IndexOfAnyInRange('0', '9') >= 0;

        if (span.Contains('@'))
        {
            Each(Email, text, m => Add(results, m.Index, m.Length, PhiKind.Email, 0.95));
        }

        if (span.Contains("://", StringComparison.Ordinal) || span.Contains("www.", StringComparison.OrdinalIgnoreCase))
        {
            Each(Url, text, m =>
            {
                var length = m.Length;
                while (length > 0 && ".,;:!?)]}".Contains(text[m.Index + length - 1], StringComparison.Ordinal))
                {
                    length--;
                }

                return Add(results, m.Index, length, PhiKind.Url, 0.9);
            });
        }

        FindLabelledNames(text, results);

        if (!hasDigit)
        {
            return;
        }

        FindDates(text, results);
        FindAges(text, results);
        FindPhones(text, results);
        FindIdentifiers(text, results);
        FindAddresses(text, results);
    }

    private static void FindDates(string text, List<PhiFinding> results)
    {
        Each(IsoDate, text, m =>
            SameSeparator(m) && IsDate(Int(m, "y"), Int(m, "m"), Int(m, "d")) && Add(results, m.Index, m.Length, PhiKind.Date, 0.95));

        Each(NumericDate, text, m =>
        {
            if (!SameSeparator(m) || PartOfDottedNumber(text, m.Index, m.Length))
            {
                return false;
            }

            var a = m.Groups["a"];
            var b = m.Groups["b"];
            var y = m.Groups["y"];
            var sep = text[m.Groups["s1"].Index];

            // "1.5.10" and "3-2-12" are version numbers and ranges more often than dates: with '.' or '-' and a
            // two-digit year, day and month must be written with two digits each.
            if (y.Length == 2 && sep != '/' && (a.Length != 2 || b.Length != 2))
            {
                return false;
            }

            var year = y.Length == 2 ? 2000 + Int(m, "y") : Int(m, "y");
            var first = Int(m, "a");
            var second = Int(m, "b");
            var valid = IsDate(year, first, second) || IsDate(year, second, first);
            return valid && Add(results, m.Index, m.Length, PhiKind.Date, y.Length == 4 ? 0.9 : 0.75);
        });

        Each(CompactDate, text, m =>
        {
            var v = m.Groups["v"].ValueSpan;
            var ok = IsDate(int.Parse(v[..4]), int.Parse(v[4..6]), int.Parse(v[6..8])) && !PartOfDottedNumber(text, m.Index, m.Length);
            return ok && Add(results, m.Index, m.Length, PhiKind.Date, 0.8);
        });

        Each(DayMonthYear, text, m =>
            Day(m, "d") && Add(results, m.Index, m.Length, PhiKind.Date, 0.9));
        Each(MonthDayYear, text, m =>
            Day(m, "d") && Add(results, m.Index, m.Length, PhiKind.Date, 0.9));
        Each(MonthYear, text, m => Add(results, m.Index, m.Length, PhiKind.Date, 0.7));
        Each(NumericMonthYear, text, m => !PartOfDottedNumber(text, m.Index, m.Length) && Add(results, m.Index, m.Length, PhiKind.Date, 0.6));
        Each(DayMonth, text, m =>
            Day(m, "d") && !AmbiguousMonthWord(m) && Add(results, m.Index, m.Length, PhiKind.Date, 0.6));
        Each(MonthDay, text, m =>
            Day(m, "d") && !AmbiguousMonthWord(m) && Add(results, m.Index, m.Length, PhiKind.Date, 0.6));
    }

    private static void FindAges(string text, List<PhiFinding> results)
    {
        foreach (var regex in (ReadOnlySpan<Regex>)[AgeOld, AgeYo, AgeLabel])
        {
            Each(regex, text, m =>
            {
                var n = Int(m, "n");
                return n <= 130 && Add(results, m.Index, m.Length, PhiKind.Age, n > 89 ? 0.9 : 0.6);
            });
        }
    }

    private static void FindPhones(string text, List<PhiFinding> results)
    {
        Each(LabelledPhone, text, m =>
        {
            var n = m.Groups["n"];
            var digits = CountDigits(n.ValueSpan);
            return digits is >= 7 and <= 15 && Add(results, n.Index, n.Length, PhiKind.Phone, 0.9);
        });

        Each(UsPhone, text, m =>
        {
            var value = m.ValueSpan;
            var digits = CountDigits(value);
            if (digits < 10 || IsAllDigits(value) || StartsInsideNumber(text, m.Index) || PartOfDottedNumber(text, m.Index, m.Length))
            {
                return false;
            }

            return Add(results, m.Index, m.Length, PhiKind.Phone, 0.85);
        });

        Each(IntlPhone, text, m =>
        {
            var digits = CountDigits(m.ValueSpan);
            return digits is >= 8 and <= 15 && !StartsInsideNumber(text, m.Index) && Add(results, m.Index, m.Length, PhiKind.Phone, 0.85);
        });

        Each(TrunkPhone, text, m =>
        {
            var digits = CountDigits(m.ValueSpan);
            return digits is >= 9 and <= 12 && !StartsInsideNumber(text, m.Index) && !PartOfDottedNumber(text, m.Index, m.Length) &&
                   Add(results, m.Index, m.Length, PhiKind.Phone, 0.6);
        });

        Each(LocalPhone, text, m =>
            !StartsInsideNumber(text, m.Index) && !PartOfDottedNumber(text, m.Index, m.Length) &&
            Add(results, m.Index, m.Length, PhiKind.Phone, 0.5));
    }

    private static void FindIdentifiers(string text, List<PhiFinding> results)
    {
        Each(Ssn, text, m => ValidSsn(m.ValueSpan) && Add(results, m.Index, m.Length, PhiKind.Ssn, 0.85));
        Each(LabelledSsn, text, m =>
        {
            var n = m.Groups["n"];
            return Add(results, n.Index, n.Length, PhiKind.Ssn, 0.95);
        });

        Each(LabelledId, text, m =>
        {
            var label = m.Groups["l"].ValueSpan;
            var sep = m.Groups["sep"].ValueSpan;

            // Short labels ("ID", "MR", "Acc", "PID") are words of ordinary text too; they count only with a colon,
            // hash or equals sign ("ID: 123", "MR# 4567").
            var shortLabel = label.Equals("id", StringComparison.OrdinalIgnoreCase) || label.Equals("mr", StringComparison.OrdinalIgnoreCase) ||
                             label.Equals("acc", StringComparison.OrdinalIgnoreCase) || label.Equals("pid", StringComparison.OrdinalIgnoreCase);
            if (shortLabel && sep.IndexOfAny(":#=") < 0)
            {
                return false;
            }

            var v = m.Groups["v"];
            return Add(results, v.Index, v.Length, PhiKind.MedicalRecordNumber, 0.9);
        });

        Each(LongDigits, text, m =>
            !PartOfDottedNumber(text, m.Index, m.Length) && Add(results, m.Index, m.Length, PhiKind.MedicalRecordNumber, 0.5));
        Each(AlphaNumericId, text, m =>
            !PartOfDottedNumber(text, m.Index, m.Length) && Add(results, m.Index, m.Length, PhiKind.Identifier, 0.6));
    }

    private static void FindAddresses(string text, List<PhiFinding> results)
    {
        Each(Street, text, m => !StartsInsideNumber(text, m.Index) && PlausibleStreet(text, m) && Add(results, m.Index, m.Length, PhiKind.Address, 0.75));
        Each(PoBox, text, m => Add(results, m.Index, m.Length, PhiKind.Address, 0.85));
        Each(CityStateZip, text, m => Add(results, m.Index, m.Length, PhiKind.Address, 0.8));
    }

    private static void FindLabelledNames(string text, List<PhiFinding> results)
    {
        Each(TitleName, text, m => AddNameWords(text, m.Groups["n"].Index, text.Length, results, 0.75));
        Each(UpperTitleName, text, m =>
        {
            var n = m.Groups["n"];
            return !NotNames.Contains(n.Value) && Add(results, n.Index, n.Length, PhiKind.PersonName, 0.7);
        });

        Each(NameLabel, text, m =>
        {
            var label = m.Groups["l"].ValueSpan;
            var sep = m.Groups["sep"].ValueSpan;
            var byLabel = label.EndsWith("by", StringComparison.OrdinalIgnoreCase);
            if (!byLabel && !sep.Contains(':'))
            {
                return false;
            }

            return AddNameWords(text, m.Index + m.Length, text.Length, results, 0.7);
        });
    }

    /// <summary>
    /// Takes up to three capitalised words (or initials) from <paramref name="start"/>, skipping one leading title,
    /// and records them as a name when at least one is not an ordinary word.
    /// </summary>
    private static bool AddNameWords(string text, int start, int limit, List<PhiFinding> results, double confidence)
    {
        var i = start;
        var first = -1;
        var end = -1;
        var words = 0;
        var real = false;
        var mixedCase = false;
        while (i < limit && words < 3)
        {
            var gap = i;
            while (i < limit && text[i] is ' ' or '\t' or ',')
            {
                i++;
            }

            // "Roe, Jane" is one name; a comma anywhere else ends it ("Dr. Roe, MRN 123").
            if (text.AsSpan(gap, i - gap).Contains(',') && words != 1)
            {
                break;
            }

            var s = i;
            while (i < limit && (char.IsLetter(text[i]) || text[i] is '\'' or '-'))
            {
                i++;
            }

            if (i == s || !char.IsUpper(text[s]) || (i < limit && char.IsDigit(text[i])))
            {
                break;
            }

            var word = text[s..i];
            if (first < 0 && Titles.Contains(word))
            {
                if (i < limit && text[i] == '.')
                {
                    i++;
                }

                continue;
            }

            var initial = word.Length == 1;
            if (initial && i < limit && text[i] == '.')
            {
                i++;
            }

            var upper = word.ToUpperInvariant();
            if (!initial && (NotNames.Contains(upper) || (mixedCase && string.Equals(word, upper, StringComparison.Ordinal))))
            {
                // An ordinary word, or an acronym after a name written in mixed case ("Jane Roe CT"), ends the name.
                break;
            }

            mixedCase |= !initial && !string.Equals(word, upper, StringComparison.Ordinal);
            real |= !initial;
            first = first < 0 ? s : first;
            end = i;
            words++;
        }

        return real && Add(results, first, end - first, PhiKind.PersonName, confidence);
    }

    /// <summary>
    /// A street name is a proper noun: at least one word before the suffix starts with a capital or a digit
    /// ("123 Main St", "5 5th Ave"), which "2 views st" does not; and "St" followed by a capitalised word is "Saint"
    /// ("2 views St Mary").
    /// </summary>
    private static bool PlausibleStreet(string text, Match m)
    {
        var words = m.Groups["w"].ValueSpan;
        var proper = false;
        var atWordStart = true;
        foreach (var c in words)
        {
            if (atWordStart && (char.IsUpper(c) || char.IsAsciiDigit(c)))
            {
                proper = true;
            }

            atWordStart = c is ' ' or '\t';
        }

        var suffix = m.Groups["s"];
        if (suffix.ValueSpan.Equals("st", StringComparison.OrdinalIgnoreCase))
        {
            var i = suffix.Index + suffix.Length;
            if (i < text.Length && text[i] == '.')
            {
                i++;
            }

            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i < text.Length && char.IsUpper(text[i]) && i > suffix.Index + suffix.Length)
            {
                return false;
            }
        }

        return proper;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Runs <paramref name="regex"/> over <paramref name="text"/>. When <paramref name="accept"/> rejects a match,
    /// the search resumes one character later rather than after it, so a shorter valid match inside is not lost.
    /// </summary>
    private static void Each(Regex regex, string text, Func<Match, bool> accept)
    {
        // A timeout (RegexMatchTimeoutException) propagates to FindAll, which fails closed.
        var at = 0;
        while (at <= text.Length)
        {
            var m = regex.Match(text, at);
            if (!m.Success)
            {
                return;
            }

            at = accept(m) ? m.Index + Math.Max(1, m.Length) : m.Index + 1;
        }
    }

    private static bool Add(List<PhiFinding> results, int start, int length, PhiKind kind, double confidence)
    {
        if (length <= 0)
        {
            return false;
        }

        results.Add(new PhiFinding(start, length, kind, confidence));
        return true;
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan.TrimStart('\''));

    private static bool Day(Match m, string group) => Int(m, group) is >= 1 and <= 31;

    private static bool SameSeparator(Match m) => m.Groups["s1"].ValueSpan.SequenceEqual(m.Groups["s2"].ValueSpan);

    /// <summary>"may" and "mar" written in lower case are words before they are months ("we may 5 times").</summary>
    private static bool AmbiguousMonthWord(Match m)
    {
        var month = m.Groups["m"].ValueSpan;
        return month is "may" or "mar";
    }

    internal static bool IsDate(int year, int month, int day) =>
        year is >= 1850 and <= 2199 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    private static bool ValidSsn(ReadOnlySpan<char> value)
    {
        var area = int.Parse(value[..3]);
        var group = int.Parse(value[4..6]);
        var serial = int.Parse(value[7..]);
        return area is not 0 and not 666 and < 900 && group != 0 && serial != 0;
    }

    private static int CountDigits(ReadOnlySpan<char> value)
    {
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                n++;
            }
        }

        return n;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> value) => value.IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>True when the match continues a digit run or a signed/decimal number to its left.</summary>
    private static bool StartsInsideNumber(string text, int start) =>
        start > 0 && (char.IsAsciiDigit(text[start - 1]) || (text[start - 1] is '.' or ',' && start > 1 && char.IsAsciiDigit(text[start - 2])));

    /// <summary>True when the digits are a piece of a decimal number or a dotted UID ("1.2.840.113619.2").</summary>
    private static bool PartOfDottedNumber(string text, int start, int length)
    {
        var end = start + length;
        var left = start > 1 && text[start - 1] == '.' && char.IsAsciiDigit(text[start - 2]);
        var right = end + 1 < text.Length && text[end] == '.' && char.IsAsciiDigit(text[end + 1]);
        return left || right;
    }
}
