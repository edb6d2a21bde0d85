using System.Text;

namespace MedImageCleaner.Core.Phi;

/// <summary>
/// Replaces each identifying span <see cref="PhiDetector"/> finds with a fixed token for its kind ("[NAME]",
/// "[ID]", "[DATE]"...), keeping the text around it (Clean Descriptors / Clean Structured Content). Overlapping spans
/// are merged into one token, named after the most confident of them.
/// </summary>
public sealed class PhiScrubber : IPhiScrubber
{
    private readonly PhiDetector _detector;

    /// <summary>Creates a scrubber over <paramref name="detector"/> (a default detector when null).</summary>
    public PhiScrubber(PhiDetector? detector = null) => _detector = detector ?? new PhiDetector();

    /// <summary>The detector used.</summary>
    public PhiDetector Detector => _detector;

    /// <summary>The token that replaces a span of <paramref name="kind"/>.</summary>
    public static string TokenFor(PhiKind kind) => kind switch
    {
        PhiKind.PersonName => "[NAME]",
        PhiKind.Identifier => "[ID]",
        PhiKind.MedicalRecordNumber => "[MRN]",
        PhiKind.Date => "[DATE]",
        PhiKind.Age => "[AGE]",
        PhiKind.Phone => "[PHONE]",
        PhiKind.Email => "[EMAIL]",
        PhiKind.Url => "[URL]",
        PhiKind.Address => "[ADDRESS]",
        PhiKind.Ssn => "[SSN]",
        _ => "[REDACTED]",
    };

    /// <inheritdoc />
    /// <remarks>A null <paramref name="context"/> scrubs the generic patterns only.</remarks>
    public string Scrub(string text, PhiContext context, out bool changed)
    {
        ArgumentNullException.ThrowIfNull(text);
        var findings = _detector.Find(text, context);
        if (findings.Count == 0)
        {
            changed = false;
            return text;
        }

        // Findings are ordered by start; a cluster is every finding that overlaps the span gathered so far.
        var sb = new StringBuilder(text.Length + 16);
        var position = 0;
        var i = 0;
        while (i < findings.Count)
        {
            var best = findings[i];
            var start = best.Start;
            var end = best.End;
            i++;
            while (i < findings.Count && findings[i].Start < end)
            {
                var f = findings[i];
                end = Math.Max(end, f.End);
                if (f.Confidence > best.Confidence || (f.Confidence.Equals(best.Confidence) && f.Length > best.Length))
                {
                    best = f;
                }

                i++;
            }

            sb.Append(text, position, start - position).Append(TokenFor(best.Kind));
            position = end;
        }

        sb.Append(text, position, text.Length - position);
        changed = true;
        return sb.ToString();
    }
}
