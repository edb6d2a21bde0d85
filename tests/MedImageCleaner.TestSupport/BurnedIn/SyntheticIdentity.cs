using System.Globalization;

namespace MedImageCleaner.TestSupport.BurnedIn;

/// <summary>
/// A made-up patient (name, ID, dates, age, institution) drawn from a seeded random source: these values are what the
/// benchmark burns into the pixels and, for some cases, writes into the header. None is a real person's.
/// </summary>
public sealed record SyntheticIdentity(string FamilyName, string GivenName, string PatientId, DateOnly BirthDate, DateOnly StudyDate, string Institution, string DateStyle)
{
    private static readonly string[] Families =
    [
        "HARTLEY", "OKONKWO", "LINDQVIST", "MORETTI", "VASQUEZ", "KOWALSKI", "BRANDT", "NAKAMURA", "FITZGERALD", "PETROVA",
        "ABERNATHY", "DUBOIS", "HALVORSEN", "CASTELLANO", "WHITFIELD", "MARSH", "QUINTERO", "ELLSWORTH", "SORENSEN", "TANAKA",
    ];

    private static readonly string[] Givens =
    [
        "JOANNA", "MARCUS", "PRIYA", "TOBIAS", "ELENA", "GRANT", "INGRID", "RAFAEL", "MAUREEN", "DESMOND",
        "LUCIA", "HENRIK", "YVONNE", "CALVIN", "NADIA", "WALTER", "SOPHIE", "DORIAN", "AGNES", "FELIX",
    ];

    private static readonly string[] Places = ["RIVERSIDE", "NORTHGATE", "ST AGNES", "MAPLEWOOD", "HILLCREST", "LAKEVIEW", "WESTBROOK", "FAIRMONT"];

    private static readonly string[] Kinds = ["HOSPITAL", "CLINIC", "MEDICAL CENTER", "IMAGING"];

    /// <summary>A new identity from <paramref name="rng"/>.</summary>
    public static SyntheticIdentity Create(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var birth = new DateOnly(1931, 1, 1).AddDays(rng.Next(0, 365 * 85));
        var study = new DateOnly(2016, 1, 1).AddDays(rng.Next(0, 365 * 9));
        var id = rng.Next(3) switch
        {
            0 => rng.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
            1 => "MRN" + rng.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture),
            _ => ((char)('A' + rng.Next(26))).ToString() + rng.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        };
        var style = rng.Next(3) switch { 0 => "yyyy-MM-dd", 1 => "dd/MM/yyyy", _ => "yyyyMMdd" };
        return new SyntheticIdentity(Families[rng.Next(Families.Length)], Givens[rng.Next(Givens.Length)], id, birth, study,
            Places[rng.Next(Places.Length)] + " " + Kinds[rng.Next(Kinds.Length)], style);
    }

    /// <summary>The age at the study in years, as written in a header (e.g. "045Y").</summary>
    public string Age
    {
        get
        {
            var years = StudyDate.Year - BirthDate.Year - (StudyDate.DayOfYear < BirthDate.DayOfYear ? 1 : 0);
            return years.ToString("000", CultureInfo.InvariantCulture) + "Y";
        }
    }

    public string Burned(DateOnly date) => date.ToString(DateStyle, CultureInfo.InvariantCulture);

    /// <summary>The header form of a date (yyyyMMdd).</summary>
    public static string Header(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The Key: Value lines of a block (institution, study date, patient ID, name, age, DOB; 4-6 of them).</summary>
    public IReadOnlyList<IReadOnlyList<(string Text, bool IsPhi)>> Block(int count)
    {
        var all = new List<IReadOnlyList<(string, bool)>>
        {
            Line("Institution:", Institution),
            Line("Study Date:", Burned(StudyDate)),
            Line("Patient ID:", PatientId),
            Line("Name:", FamilyName + ", " + GivenName),
            Line("Age:", Age),
            Line("DOB:", Burned(BirthDate)),
        };
        // Name, ID and DOB always; institution, study date and age fill up to the count.
        var keep = new List<IReadOnlyList<(string, bool)>>();
        var order = new[] { 0, 1, 2, 3, 4, 5 };
        var optional = new[] { 0, 1, 4 };
        var drop = 6 - Math.Clamp(count, 4, 6);
        foreach (var i in order)
        {
            if (Array.IndexOf(optional, i) >= 0 && Array.IndexOf(optional, i) < drop)
            {
                continue;
            }

            keep.Add(all[i]);
        }

        return keep;
    }

    /// <summary>One line: name, ID and study date (the kind of header line scanners burn).</summary>
    public IReadOnlyList<IReadOnlyList<(string Text, bool IsPhi)>> SingleLine() =>
        [[(FamilyName + ",", true), (GivenName, true), (PatientId, true), (Burned(StudyDate), true)]];

    private static List<(string, bool)> Line(string key, string value)
    {
        var words = new List<(string, bool)>();
        foreach (var k in key.Split(' '))
        {
            words.Add((k, false));
        }

        // Words shorter than three letters or digits ("ST") are not scored: a short string is found by chance in any OCR text.
        foreach (var v in value.Split(' '))
        {
            words.Add((v, TextMatch.Normalize(v).Length >= 3));
        }

        return words;
    }
}
