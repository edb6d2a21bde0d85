namespace MedImageCleaner.Core.Phi;

/// <summary>
/// The identifiers one file's header reveals (patient and staff names, IDs, birth date...), gathered before
/// de-identification so free text can be scrubbed of them in any spelling. Holds PHI: never log it.
/// </summary>
public sealed class PhiContext
{
    /// <summary>Person names (PN values) found in the header, as written (components separated by ^).</summary>
    public List<string> PersonNames { get; } = [];

    /// <summary>Identifiers (patient ID, other IDs, accession number, MRN-like values).</summary>
    public List<string> Identifiers { get; } = [];

    /// <summary>Dates (DA values, YYYYMMDD) that identify (birth date, study dates).</summary>
    public List<string> Dates { get; } = [];

    /// <summary>Other identifying strings (institution names, addresses, phone numbers).</summary>
    public List<string> OtherValues { get; } = [];
}

/// <summary>Finds identifying spans in free text and replaces them (Clean Descriptors / Clean Structured Content).</summary>
public interface IPhiScrubber
{
    /// <summary>Returns <paramref name="text"/> with every identifying span replaced; <paramref name="changed"/> tells whether anything was.</summary>
    string Scrub(string text, PhiContext context, out bool changed);
}
