using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Core.Workflow;

/// <summary>Draws small PNG images of a DICOM file for the HTML report.</summary>
public interface IThumbnailRenderer
{
    /// <summary>A PNG of the first frame of <paramref name="dicomPath"/>, at most <paramref name="maxSide"/> pixels a side, with <paramref name="boxes"/> of that frame outlined; null when the pixels cannot be drawn.</summary>
    byte[]? Render(string dicomPath, IReadOnlyList<RedactedTextBox> boxes, int maxSide);
}

/// <summary>
/// Collects the results of a run (on one thread: the caller's) and writes the reports: report.json (summary and one
/// entry per file), report.html (self-contained: counts, failures with reasons, validation findings, before/after
/// thumbnails of redacted images) and report.txt (the seed's text summary). Memory stays bounded: per-file entries go
/// to a temporary file, failures, findings and thumbnails kept for the HTML are capped.
/// </summary>
public sealed class WorkflowReport : IDisposable
{
    /// <summary>Failures and findings listed in the HTML report at most.</summary>
    public const int MaxListed = 500;

    /// <summary>Redacted images shown as thumbnails at most.</summary>
    public const int MaxThumbnails = 24;

    private const int ThumbnailSide = 256;
    private readonly string? _directory;
    private readonly IThumbnailRenderer? _thumbnails;
    private readonly bool _includeOriginals;
    private readonly Dictionary<string, int> _byStatus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byModality = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byAction = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byError = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byCheck = new(StringComparer.Ordinal);
    private readonly List<WorkflowFileResult> _problems = [];
    private readonly List<(string File, WorkflowFinding Finding)> _findings = [];
    private readonly List<Thumbnail> _thumbs = [];
    private readonly FileStream? _entries;
    private readonly Utf8JsonWriter? _entryWriter;
    private int _files;
    private int _redacted;
    private int _boxes;
    private int _validated;
    private int _validationPassed;
    private int _images;

    /// <summary>Starts a report; with a null <paramref name="directory"/> only the summary is kept.</summary>
    public WorkflowReport(string destination, string quarantine, string? directory, IThumbnailRenderer? thumbnails, bool includeOriginalThumbnails, DateTimeOffset started)
    {
        Destination = destination;
        Quarantine = quarantine;
        Started = started;
        _directory = directory is null ? null : Path.GetFullPath(directory);
        _thumbnails = thumbnails;
        _includeOriginals = includeOriginalThumbnails;
        if (_directory is not null)
        {
            Directory.CreateDirectory(_directory);
            // Outside the report folder, so a killed run leaves nothing half-written there.
            _entries = new FileStream(Path.Combine(Path.GetTempPath(), "mic-report-" + Guid.NewGuid().ToString("N") + ".ndjson"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            _entryWriter = new Utf8JsonWriter(_entries);
        }
    }

    /// <summary>The clean output folder.</summary>
    public string Destination { get; }

    /// <summary>The quarantine folder.</summary>
    public string Quarantine { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Adds one file's result.</summary>
    public void Add(WorkflowFileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _files++;
        Increment(_byStatus, result.Status.ToString());
        if (result.Status is WorkflowFileStatus.Completed or WorkflowFileStatus.Unchanged)
        {
            Increment(_byModality, result.Modality ?? "(none)");
        }

        foreach (var (action, count) in result.ActionCounts)
        {
            _byAction[action] = (_byAction.TryGetValue(action, out var n) ? n : 0) + count;
        }

        if (result.ErrorId is { } error && result.Status is WorkflowFileStatus.Failed or WorkflowFileStatus.Quarantined)
        {
            Increment(_byError, error);
            if (_problems.Count < MaxListed)
            {
                _problems.Add(result);
            }
        }

        if (result.RedactedBoxes.Count > 0)
        {
            _redacted++;
            _boxes += result.RedactedBoxes.Count;
            AddThumbnail(result);
        }

        if (result.Validation is { } validation)
        {
            _validated++;
            _validationPassed += validation.Passed ? 1 : 0;
            foreach (var finding in validation.Findings)
            {
                Increment(_byCheck, finding.CheckId);
                if (_findings.Count < MaxListed)
                {
                    _findings.Add((result.FullName, finding));
                }
            }
        }

        _images += result.ConvertedFiles.Count;
        if (_entryWriter is not null)
        {
            WriteEntry(_entryWriter, result);
            _entries!.WriteByte((byte)'\n');
        }
    }

    /// <summary>The totals so far.</summary>
    public WorkflowSummary Summarize(DateTimeOffset finished) => new()
    {
        Destination = Destination,
        QuarantinePath = Quarantine,
        ReportPath = _directory,
        Started = Started,
        Finished = finished,
        Files = _files,
        ByStatus = Sorted(_byStatus),
        ByModality = Sorted(_byModality),
        ByAction = Sorted(_byAction),
        ByError = Sorted(_byError),
        FindingsByCheck = Sorted(_byCheck),
        FilesRedacted = _redacted,
        BoxesRedacted = _boxes,
        Validated = _validated,
        ValidationPassed = _validationPassed,
        ImagesWritten = _images,
    };

    /// <summary>Writes report.json, report.html and report.txt into the report folder (atomically); returns the summary.</summary>
    public WorkflowSummary Write(DateTimeOffset finished, IReadOnlyDictionary<string, string> settings)
    {
        var summary = Summarize(finished);
        if (_directory is null)
        {
            return summary;
        }

        _entryWriter!.Flush();
        AtomicFile.Write(Path.Combine(_directory, "report.json"), overwrite: true, stream => WriteJson(stream, summary, settings));
        AtomicFile.Write(Path.Combine(_directory, "report.html"), overwrite: true, stream =>
        {
            var bytes = Encoding.UTF8.GetBytes(Html(summary, settings));
            stream.Write(bytes);
        });
        AtomicFile.Write(Path.Combine(_directory, "report.txt"), overwrite: true, stream =>
        {
            var bytes = Encoding.UTF8.GetBytes(Text(summary));
            stream.Write(bytes);
        });
        return summary;
    }

    /// <summary>The seed's text summary: totals, success rate, validation, failures by reason.</summary>
    public static string Text(WorkflowSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("MedImageCleaner de-identification report");
        sb.AppendLine(new string('=', 40));
        sb.AppendLine(inv, $"Started:        {summary.Started:u}");
        sb.AppendLine(inv, $"Finished:       {summary.Finished:u}");
        sb.AppendLine(inv, $"Destination:    {summary.Destination}");
        sb.AppendLine(inv, $"Quarantine:     {summary.QuarantinePath}");
        sb.AppendLine();
        sb.AppendLine(inv, $"Files:          {summary.Files}");
        foreach (var (status, count) in summary.ByStatus)
        {
            sb.AppendLine(inv, $"  {status,-14}{count}");
        }

        sb.AppendLine(inv, $"Success rate:   {summary.SuccessRate:P1}");
        sb.AppendLine(inv, $"Rate:           {summary.FilesPerSecond:F1} files/s");
        sb.AppendLine(inv, $"Burned-in text: {summary.FilesRedacted} files redacted, {summary.BoxesRedacted} boxes");
        if (summary.Validated > 0)
        {
            sb.AppendLine(inv, $"Validation:     {summary.ValidationPassed} of {summary.Validated} passed");
            foreach (var (check, count) in summary.FindingsByCheck)
            {
                sb.AppendLine(inv, $"  {check,-28}{count} findings");
            }
        }

        if (summary.ImagesWritten > 0)
        {
            sb.AppendLine(inv, $"Images:         {summary.ImagesWritten} written");
        }

        if (summary.ByError.Count > 0)
        {
            sb.AppendLine("Failures and quarantines by reason:");
            foreach (var (error, count) in summary.ByError)
            {
                sb.AppendLine(inv, $"  {error,-28}{count}");
            }
        }

        return sb.ToString();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _entryWriter?.Dispose();
        _entries?.Dispose();
    }

    private void AddThumbnail(WorkflowFileResult result)
    {
        if (_thumbnails is null || _thumbs.Count >= MaxThumbnails || result.Status is not (WorkflowFileStatus.Completed or WorkflowFileStatus.Unchanged or WorkflowFileStatus.Quarantined))
        {
            return;
        }

        var firstFrame = result.RedactedBoxes.Where(b => b.Frame == 0).ToList();
        var after = _thumbnails.Render(result.FullName, firstFrame, ThumbnailSide);
        if (after is null)
        {
            return;
        }

        var before = _includeOriginals ? _thumbnails.Render(result.SourcePath, [], ThumbnailSide) : null;
        _thumbs.Add(new Thumbnail(Path.GetFileName(result.FullName), result.Status.ToString(), result.RedactedBoxes.Count, result.TextVerified, after, before));
    }

    private static void WriteEntry(Utf8JsonWriter w, WorkflowFileResult r)
    {
        w.WriteStartObject();
        w.WriteString("source", r.SourcePath);
        w.WriteString("output", r.FullName);
        w.WriteString("status", r.Status.ToString());
        WriteOptional(w, "modality", r.Modality);
        WriteOptional(w, "errorId", r.ErrorId);
        WriteOptional(w, "message", r.Message);
        WriteOptional(w, "sourceSha256", r.SourceSha256);
        WriteOptional(w, "outputSha256", r.OutputSha256);
        if (r.TextRedaction is { } t)
        {
            w.WriteString("textRedaction", t.ToString());
            w.WriteNumber("boxes", r.RedactedBoxes.Count);
            if (r.TextVerified is { } v)
            {
                w.WriteBoolean("textVerified", v);
            }
        }

        if (r.Validation is { } validation)
        {
            w.WriteStartObject("validation");
            w.WriteBoolean("passed", validation.Passed);
            w.WriteNumber("score", Math.Round(validation.Score, 1));
            w.WriteStartArray("findings");
            foreach (var f in validation.Findings)
            {
                w.WriteStartObject();
                w.WriteString("check", f.CheckId);
                w.WriteString("severity", f.Severity);
                WriteOptional(w, "path", f.Path);
                WriteOptional(w, "keyword", f.Keyword);
                w.WriteString("message", f.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (r.ConvertedFiles.Count > 0)
        {
            w.WriteStartArray("images");
            foreach (var image in r.ConvertedFiles)
            {
                w.WriteStringValue(image);
            }

            w.WriteEndArray();
        }

        w.WriteNumber("durationMs", Math.Round(r.Duration.TotalMilliseconds, 1));
        w.WriteEndObject();
        w.Flush();
        w.Reset();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private void WriteJson(Stream stream, WorkflowSummary s, IReadOnlyDictionary<string, string> settings)
    {
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", "medimagecleaner-report/1");
            w.WriteString("started", s.Started);
            w.WriteString("finished", s.Finished);
            w.WriteString("destination", s.Destination);
            w.WriteString("quarantine", s.QuarantinePath);
            w.WriteStartObject("settings");
            foreach (var (name, value) in settings)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WriteStartObject("summary");
            w.WriteNumber("files", s.Files);
            w.WriteNumber("successRate", Math.Round(s.SuccessRate, 4));
            w.WriteNumber("filesPerSecond", Math.Round(s.FilesPerSecond, 2));
            w.WriteNumber("filesRedacted", s.FilesRedacted);
            w.WriteNumber("boxesRedacted", s.BoxesRedacted);
            w.WriteNumber("validated", s.Validated);
            w.WriteNumber("validationPassed", s.ValidationPassed);
            w.WriteNumber("imagesWritten", s.ImagesWritten);
            WriteCounts(w, "byStatus", s.ByStatus);
            WriteCounts(w, "byModality", s.ByModality);
            WriteCounts(w, "byAction", s.ByAction);
            WriteCounts(w, "byError", s.ByError);
            WriteCounts(w, "findingsByCheck", s.FindingsByCheck);
            w.WriteEndObject();
            w.WritePropertyName("files");
            w.WriteStartArray();
            w.Flush();
        }

        // The per-file entries, one JSON object per line of the temporary file, become the array's items.
        _entries!.Position = 0;
        using var reader = new StreamReader(_entries, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);
        var first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            stream.Write(Encoding.UTF8.GetBytes((first ? "\n    " : ",\n    ") + line));
            first = false;
        }

        _entries.Seek(0, SeekOrigin.End);
        stream.Write(Encoding.UTF8.GetBytes("\n  ]\n}\n"));
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, int> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in counts)
        {
            w.WriteNumber(key, value);
        }

        w.WriteEndObject();
    }

    private string Html(WorkflowSummary s, IReadOnlyDictionary<string, string> settings)
    {
        var inv = CultureInfo.InvariantCulture;
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>MedImageCleaner report</title>\n<style>");
        h.Append("body{font-family:system-ui,sans-serif;margin:24px;color:#1d2733;background:#fff}h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccd}");
        h.Append(".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ccd;border-radius:6px;padding:10px 16px;min-width:120px}.card b{display:block;font-size:24px}");
        h.Append(".ok b{color:#1b7f3b}.bad b{color:#b3261e}table{border-collapse:collapse;margin-top:8px}td,th{border:1px solid #dde;padding:4px 8px;text-align:left;font-size:13px}th{background:#f2f4f8}");
        h.Append(".thumbs{display:flex;flex-wrap:wrap;gap:16px}.thumb{border:1px solid #ccd;border-radius:6px;padding:8px;font-size:12px}.thumb img{display:block;max-width:256px;background:#000}.pair{display:flex;gap:8px}.none{width:256px;height:64px;display:flex;align-items:center;justify-content:center;background:#e4e7ee;color:#222;font-size:15px;text-align:center}");
        h.Append("</style></head><body>\n");
        h.Append("<h1>MedImageCleaner de-identification report</h1>\n");
        h.Append(inv, $"<p>Run from {Enc(s.Started.ToString("u", inv))} to {Enc(s.Finished.ToString("u", inv))} &middot; destination <code>{Enc(s.Destination)}</code> &middot; quarantine <code>{Enc(s.QuarantinePath)}</code></p>\n");
        h.Append("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
        Card(h, "Files", s.Files.ToString(inv), null);
        Card(h, "Released", (s.Count("Completed") + s.Count("Unchanged") + s.Count("Skipped")).ToString(inv), "ok");
        Card(h, "Quarantined", s.Count("Quarantined").ToString(inv), s.Count("Quarantined") > 0 ? "bad" : null);
        Card(h, "Failed", s.Count("Failed").ToString(inv), s.Count("Failed") > 0 ? "bad" : null);
        Card(h, "Success rate", s.SuccessRate.ToString("P1", inv), s.Succeeded ? "ok" : "bad");
        Card(h, "Files redacted", s.FilesRedacted.ToString(inv), null);
        if (s.Validated > 0)
        {
            Card(h, "Validation passed", $"{s.ValidationPassed}/{s.Validated}", s.ValidationPassed == s.Validated ? "ok" : "bad");
        }

        Card(h, "Files/s", s.FilesPerSecond.ToString("F1", inv), null);
        h.Append("</div>\n");
        CountTable(h, "By status", "Status", s.ByStatus);
        CountTable(h, "Released files by modality", "Modality", s.ByModality);
        CountTable(h, "Attributes by action", "Action", s.ByAction);
        h.Append("</section>\n");

        h.Append("<section id=\"failures\"><h2>Failures and quarantines</h2>");
        if (_problems.Count == 0)
        {
            h.Append("<p>None.</p>");
        }
        else
        {
            CountTable(h, "By reason", "Reason", s.ByError);
            h.Append("<table><tr><th>Input</th><th>Status</th><th>Reason</th><th>Message</th></tr>");
            foreach (var p in _problems)
            {
                h.Append(inv, $"<tr><td>{Enc(p.SourcePath)}</td><td>{p.Status}</td><td>{Enc(p.ErrorId ?? string.Empty)}</td><td>{Enc(p.Message ?? string.Empty)}</td></tr>");
            }

            h.Append("</table>");
            if (s.ByError.Values.Sum() > _problems.Count)
            {
                h.Append(inv, $"<p>The first {_problems.Count} are listed; report.json lists all.</p>");
            }
        }

        h.Append("</section>\n<section id=\"validation\"><h2>Validation findings</h2>");
        if (s.Validated == 0)
        {
            h.Append("<p>Validation was not asked for (-Validate).</p>");
        }
        else if (_findings.Count == 0)
        {
            h.Append(inv, $"<p>{s.Validated} files validated, no findings.</p>");
        }
        else
        {
            CountTable(h, "By check", "Check", s.FindingsByCheck);
            h.Append("<table><tr><th>Output</th><th>Check</th><th>Severity</th><th>Element</th><th>Message</th></tr>");
            foreach (var (file, f) in _findings)
            {
                h.Append(inv, $"<tr><td>{Enc(Path.GetFileName(file))}</td><td>{Enc(f.CheckId)}</td><td>{Enc(f.Severity)}</td><td>{Enc(f.Path ?? string.Empty)} {Enc(f.Keyword ?? string.Empty)}</td><td>{Enc(f.Message)}</td></tr>");
            }

            h.Append("</table>");
        }

        h.Append("</section>\n<section id=\"thumbnails\"><h2>Burned-in text removed</h2>");
        if (_thumbs.Count == 0)
        {
            h.Append("<p>No image had burned-in text removed.</p>");
        }
        else
        {
            h.Append(inv, $"<p>Red outlines show where text was removed (first frame). {(_includeOriginals ? "Originals are shown on the left (-IncludeOriginalThumbnails)." : "Only de-identified output is shown; originals are never drawn unless -IncludeOriginalThumbnails is given.")}</p><div class=\"thumbs\">");
            foreach (var t in _thumbs)
            {
                h.Append("<div class=\"thumb\"><div class=\"pair\">");
                if (t.Before is not null)
                {
                    h.Append(inv, $"<figure><img alt=\"before\" src=\"data:image/png;base64,{Convert.ToBase64String(t.Before)}\"><figcaption>before</figcaption></figure>");
                }
                else
                {
                    h.Append("<figure><div class=\"none\">original not shown</div><figcaption>before</figcaption></figure>");
                }

                h.Append(inv, $"<figure><img alt=\"after\" src=\"data:image/png;base64,{Convert.ToBase64String(t.After)}\"><figcaption>after</figcaption></figure></div>");
                h.Append(inv, $"<div>{Enc(t.Name)} &middot; {t.Boxes} boxes &middot; {Enc(t.Status)}{(t.Verified == true ? " &middot; verified" : string.Empty)}</div></div>");
            }

            h.Append("</div>");
        }

        h.Append("</section>\n<section id=\"settings\"><h2>Settings</h2><table>");
        foreach (var (name, value) in settings)
        {
            h.Append(inv, $"<tr><th>{Enc(name)}</th><td>{Enc(value)}</td></tr>");
        }

        h.Append("</table></section>\n</body></html>\n");
        return h.ToString();
    }

    private static void Card(StringBuilder h, string label, string value, string? css) =>
        h.Append(CultureInfo.InvariantCulture, $"<div class=\"card{(css is null ? string.Empty : " " + css)}\"><b>{Enc(value)}</b>{Enc(label)}</div>");

    private static void CountTable(StringBuilder h, string title, string column, IReadOnlyDictionary<string, int> counts)
    {
        if (counts.Count == 0)
        {
            return;
        }

        h.Append(CultureInfo.InvariantCulture, $"<h3>{Enc(title)}</h3><table><tr><th>{Enc(column)}</th><th>Count</th></tr>");
        foreach (var (key, value) in counts)
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{Enc(key)}</td><td>{value}</td></tr>");
        }

        h.Append("</table>");
    }

    private static string Enc(string text) => WebUtility.HtmlEncode(text);

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = (counts.TryGetValue(key, out var n) ? n : 0) + 1;

    private static SortedDictionary<string, int> Sorted(Dictionary<string, int> counts) => new(counts, StringComparer.Ordinal);

    private sealed record Thumbnail(string Name, string Status, int Boxes, bool? Verified, byte[] After, byte[]? Before);
}
