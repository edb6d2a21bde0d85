using System.Globalization;
using System.Text.RegularExpressions;

namespace MedImageCleaner.Dicom.Tests.Oracles;

/// <summary>dciodvfy's verdict on a file.</summary>
/// <param name="Errors">The normalised error lines (a failure of the tool itself counts as one).</param>
/// <param name="ReadFailed">True when dciodvfy could not read the whole dataset, so its findings are incomplete.</param>
internal sealed record DciodvfyReport(SortedSet<string> Errors, bool ReadFailed);

/// <summary>
/// Runs dicom3tools' dciodvfy (IOD and attribute validation) and collects its error lines. dciodvfy prints
/// "Error - ..." and "Warning - ..." lines (to stderr); only errors are compared. dciodvfy cannot read Deflated
/// Explicit VR Little Endian at all ("Dicom dataset read failed" on every deflated file), and stops at the first
/// damage in a file; <see cref="ErrorsAfterConversion"/> validates what an independent reader (dcmtk's dcmconv)
/// makes of such a file instead.
/// </summary>
internal static partial class Dciodvfy
{
    /// <summary>True when dciodvfy is installed.</summary>
    public static bool IsAvailable => ExternalTool.Find("dciodvfy") is not null;

    /// <summary>Validates a file.</summary>
    public static DciodvfyReport Run(string path)
    {
        var r = ExternalTool.Run(ExternalTool.Find("dciodvfy")!, [path], TimeSpan.FromSeconds(60));
        var errors = new SortedSet<string>(StringComparer.Ordinal);
        var readFailed = false;
        foreach (var raw in (r.StdErr + "\n" + r.StdOut).Split('\n'))
        {
            var line = raw.Trim();
            var at = line.IndexOf("Error - ", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            // An error may follow an attribute dump on the same line ("(0x0028,0x0120) XS ... Error - Tag read failed").
            line = line[at..];
            errors.Add(Normalise(line));
            readFailed |= IsReadFailure(line);
        }

        if (r.TimedOut)
        {
            errors.Add("dciodvfy timed out");
            readFailed = true;
        }
        else if (r.ExitCode > 1)
        {
            // dciodvfy exits 1 when it reports errors; anything else is the tool failing (e.g. an assertion, 134).
            errors.Add("dciodvfy failed with exit status " + r.ExitCode.ToString(CultureInfo.InvariantCulture));
            readFailed = true;
        }

        return new DciodvfyReport(errors, readFailed);
    }

    /// <summary>
    /// dciodvfy's errors on dcmconv's Explicit VR Little Endian conversion of a file (dcmconv +Ep +te: recover from
    /// parse errors, write explicit VR little endian), or null when dcmconv is missing or cannot convert it.
    /// </summary>
    public static SortedSet<string>? ErrorsAfterConversion(string path, string workDir)
    {
        var dcmconv = ExternalTool.Find("dcmconv");
        if (dcmconv is null)
        {
            return null;
        }

        var converted = Path.Combine(workDir, "dcmconv-" + Guid.NewGuid().ToString("N")[..8] + ".dcm");
        var env = Dcmdump.StandardDictionary is { } dic ? new Dictionary<string, string> { ["DCMDICTPATH"] = dic } : null;
        var r = ExternalTool.Run(dcmconv, ["+Ep", "+te", path, converted], TimeSpan.FromSeconds(60), env);
        if (r.ExitCode != 0 || !File.Exists(converted))
        {
            return null;
        }

        try
        {
            return Run(converted).Errors;
        }
        finally
        {
            File.Delete(converted);
        }
    }

    /// <summary>
    /// True for the lines with which dciodvfy says it stopped reading the dataset: a read failure, a failed seek, or
    /// "Tags out of order - trailing garbage" (it stops at the first element out of order).
    /// </summary>
    public static bool IsReadFailure(string line) =>
        line.Contains("read failed", StringComparison.OrdinalIgnoreCase) ||
        line.Contains("Seek failed", StringComparison.Ordinal) ||
        line.Contains("trailing garbage", StringComparison.Ordinal) ||
        line.StartsWith("dciodvfy", StringComparison.Ordinal);

    /// <summary>Collapses runs of white space; the messages carry no file names or offsets to remove.</summary>
    public static string Normalise(string line) => Spaces().Replace(line, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
