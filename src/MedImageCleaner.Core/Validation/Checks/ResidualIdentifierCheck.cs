using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// <see cref="DeidentificationCheck.ResidualIdentifier"/>: no identifying value of the original (from the original file
/// or the audit vault) is in the output, neither in a decoded text value nor anywhere in the file's bytes (pixel data
/// left out). One instance checks one file.
/// </summary>
internal sealed class ResidualIdentifierCheck
{
    private readonly ValidationRun _run;
    private readonly PhiDetector _values;
    private readonly List<ElementSpan> _spans = [];
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    public ResidualIdentifierCheck(ValidationRun run, PhiDetector values)
    {
        _run = run;
        _values = values;
    }

    /// <summary>
    /// Finds the original's identifying values: from <paramref name="request"/>'s original file, else from the audit
    /// <paramref name="vault"/>; leaves them unset (and says why) when there are none.
    /// </summary>
    public void LoadOriginal(ValidationRequest request, IOriginalValueSource? vault)
    {
        var run = _run;
        if (request.OriginalPath is { } original)
        {
            var full = System.IO.Path.GetFullPath(original);
            if (string.Equals(full, run.Path, StringComparison.Ordinal))
            {
                return;
            }

            try
            {
                using var o = DicomFile.Open(full);
                if (string.Equals(o.Dataset.GetString(DicomTag.PatientIdentityRemoved)?.Trim(), "YES", StringComparison.OrdinalIgnoreCase))
                {
                    // A de-identified file (e.g. the input of an in-place text removal) is no original.
                    return;
                }

                run.OriginalValues = PhiContextBuilder.CollectValues(o.Dataset);
                run.ResidualSource = "Original";
            }
            catch (DicomReadException)
            {
                run.Add(DeidentificationCheck.ResidualIdentifier, FindingSeverity.Warning, string.Empty, null, "The original cannot be read: the residual-identifier scan did not run.");
                return;
            }
        }
        else if (vault is not null)
        {
            var found = vault.Find(run.File.Dataset, run.Path);
            if (found is null)
            {
                run.Add(DeidentificationCheck.ResidualIdentifier, FindingSeverity.Warning, string.Empty, null, "The audit database holds no row for this file that the key opens: the residual-identifier scan did not run.");
                return;
            }

            run.OriginalValues = [.. found.Values];
            run.ResidualSource = "AuditVault";
            if (!found.HasHeaderValues)
            {
                run.Add(DeidentificationCheck.ResidualIdentifier, FindingSeverity.Info, string.Empty, null, "The audit row was recorded without the header's identifying values (an older version): only the patient ID and UIDs were searched for.");
            }
        }

        if (run.OriginalValues is { } values)
        {
            // An original that already held a dummy (a birth date of 19000101, a name ANONYMIZED) cannot be told
            // from the dummy the de-identifier writes: such values are not searched for.
            values.RemoveAll(v => IsEngineDummy(v.Value));
            run.OriginalContext = PhiContextBuilder.ToContext(values);
        }
    }

    /// <summary>Remembers where an element's value lies in the file bytes, for the byte scan.</summary>
    public void Record(DicomElement e, string path, bool meta)
    {
        var bytes = _run.Bytes;
        if (bytes is null || e.Length == 0 || !MemoryMarshal.TryGetArray(e.Value.GetBytes(), out var segment) || !ReferenceEquals(segment.Array, bytes))
        {
            return;
        }

        var pixel = e.Tag == DicomTag.PixelData || e.Tag == DicomTag.FloatPixelData || e.Tag == DicomTag.DoubleFloatPixelData;
        _spans.Add(new ElementSpan(segment.Offset, segment.Offset + segment.Count, path, e.Tag, meta, pixel));
    }

    /// <summary>The original's values in the decoded text of one attribute, in any spelling the detector knows.</summary>
    public void CheckText(DicomElement e, string text, string path, string? keyword)
    {
        if (_run.OriginalContext is null || e.VR == DicomVR.CS)
        {
            return;
        }

        var excuse = Excuse(e.Tag, meta: false);
        if (excuse == FindingSeverity.Info)
        {
            return;
        }

        foreach (var f in _values.Find(text, _run.OriginalContext))
        {
            if (_reported.Add(path))
            {
                _run.Add(DeidentificationCheck.ResidualIdentifier, excuse, path, keyword,
                    "The attribute holds " + PhiPatternCheck.KindText(f.Kind) + " of the original" + (excuse == FindingSeverity.Warning ? " (in an attribute the profile keeps)." : "."),
                    text.Substring(f.Start, f.Length));
            }
        }
    }

    /// <summary>Searches the file bytes (pixel data left out) for the original's values.</summary>
    public void ScanBytes()
    {
        var run = _run;
        if (run.OriginalValues is null)
        {
            return;
        }

        if (run.Bytes is null)
        {
            run.Add(DeidentificationCheck.ResidualIdentifier, FindingSeverity.Info, string.Empty, null, "The file is too large for the byte scan: only decoded values were searched.");
            return;
        }

        var folded = ResidualScanner.FoldBytes(run.Bytes);
        foreach (var span in _spans)
        {
            if (span.Pixel)
            {
                folded.AsSpan(span.Start, span.End - span.Start).Clear();
            }
        }

        _spans.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        foreach (var hit in ResidualScanner.Find(folded, ResidualScanner.Needles(run.OriginalValues)))
        {
            var span = SpanAt(hit.Offset);
            var path = span?.Path ?? "@" + hit.Offset.ToString(CultureInfo.InvariantCulture);
            var severity = span is { } s ? Excuse(s.Tag, s.Meta) : FindingSeverity.Error;
            if (severity == FindingSeverity.Info || !_reported.Add(path))
            {
                continue;
            }

            run.Add(DeidentificationCheck.ResidualIdentifier, severity, path, span is { } k ? DicomDictionary.GetKeyword(k.Tag) : null,
                "The file bytes hold " + ResidualScanner.Describe(hit.Needle.Source) + (severity == FindingSeverity.Warning ? " in an attribute the profile keeps." : "."),
                Encoding.Latin1.GetString(hit.Needle.Bytes));
        }
    }

    private static bool IsEngineDummy(string value)
    {
        foreach (var vr in DicomVR.All)
        {
            if (DummyValues.For(vr) is { Length: > 2 } dummy && vr.IsString && string.Equals(Encoding.ASCII.GetString(dummy).Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return StandardValues.IsAllowed(value);
    }

    /// <summary>
    /// How much an original value found in <paramref name="tag"/> weighs: Info (excused: an option keeps the attribute,
    /// or it is the engine's own method attribute), Warning (the table does not list the attribute, so the profile keeps
    /// it as it was), Error (anything else).
    /// </summary>
    private FindingSeverity Excuse(DicomTag tag, bool meta)
    {
        if (tag == DicomTag.PatientIdentityRemoved || tag == DicomTag.DeidentificationMethod || tag == DicomTag.DeidentificationMethodCodeSequence ||
            tag == DicomTag.LongitudinalTemporalInformationModified || tag.Value is >= 0x00080100 and <= 0x00080105)
        {
            return FindingSeverity.Info;
        }

        if (meta && tag == DicomTag.MediaStorageSOPInstanceUID)
        {
            // Media Storage SOP Instance UID is the SOP Instance UID, kept or mapped with it.
            tag = DicomTag.SOPInstanceUID;
        }
        else if (meta || tag.IsPrivate)
        {
            return FindingSeverity.Error;
        }

        var expectation = _run.Profile;
        if (expectation.KeptByOption(tag))
        {
            return FindingSeverity.Info;
        }

        var action = expectation.ActionFor(tag, DicomVR.UN);
        return action is null ? FindingSeverity.Warning : FindingSeverity.Error;
    }

    private ElementSpan? SpanAt(long offset)
    {
        ElementSpan? best = null;
        foreach (var s in _spans)
        {
            if (s.Start > offset)
            {
                break;
            }

            if (offset < s.End && (best is null || s.End - s.Start < best.End - best.Start))
            {
                best = s;
            }
        }

        return best;
    }

    /// <summary>Where one element's value lies in the file.</summary>
    private sealed record ElementSpan(int Start, int End, string Path, DicomTag Tag, bool Meta, bool Pixel);
}
