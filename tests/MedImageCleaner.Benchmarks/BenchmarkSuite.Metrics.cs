using System.Text.Json;

namespace MedImageCleaner.Benchmarks;

/// <summary>One headline figure of a run, next to its reference measured in the same run.</summary>
/// <param name="Section">The section (header, deidentification, large, ocr, export, workflow).</param>
/// <param name="Name">What was measured.</param>
/// <param name="Value">Our figure.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Reference">What it is compared with.</param>
/// <param name="ReferenceValue">The reference's figure in the same run (null when the reference is not installed).</param>
/// <param name="HigherIsBetter">Whether a larger value is better (rates) or smaller (times, memory).</param>
/// <param name="Target">The issue's target for the ratio, as text.</param>
internal sealed record BenchMetric(string Section, string Name, double Value, string Unit, string Reference, double? ReferenceValue, bool HigherIsBetter, string? Target)
{
    /// <summary>How many times better than the reference (above 1 is better), or null without a reference.</summary>
    public double? Ratio => ReferenceValue is { } r && r > 0 && Value > 0 ? (HigherIsBetter ? Value / r : r / Value) : null;
}

/// <summary>The headline figures of a run, written to out/bench/results.json.</summary>
internal sealed partial class BenchmarkSuite
{
    private readonly List<BenchMetric> _metrics = [];

    private void Metric(string section, string name, double value, string unit, string reference, double? referenceValue, bool higherIsBetter = true, string? target = null) =>
        _metrics.Add(new BenchMetric(section, name, Math.Round(value, 3), unit, reference, referenceValue is { } r ? Math.Round(r, 3) : null, higherIsBetter, target));

    private void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", "medimagecleaner-bench/1");
        w.WriteString("run", DateTime.UtcNow.ToString("O", Inv));
        w.WriteBoolean("quick", _settings.Quick);
        w.WriteNumber("logicalCores", Environment.ProcessorCount);
        w.WriteString("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
        w.WriteString("dotnet", Environment.Version.ToString());
        w.WriteStartArray("metrics");
        foreach (var m in _metrics)
        {
            w.WriteStartObject();
            w.WriteString("section", m.Section);
            w.WriteString("name", m.Name);
            w.WriteNumber("value", m.Value);
            w.WriteString("unit", m.Unit);
            w.WriteString("reference", m.Reference);
            if (m.ReferenceValue is { } r)
            {
                w.WriteNumber("referenceValue", r);
            }
            else
            {
                w.WriteNull("referenceValue");
            }

            if (m.Ratio is { } ratio)
            {
                w.WriteNumber("ratio", Math.Round(ratio, 2));
            }
            else
            {
                w.WriteNull("ratio");
            }

            w.WriteBoolean("higherIsBetter", m.HigherIsBetter);
            if (m.Target is not null)
            {
                w.WriteString("target", m.Target);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The headline table at the top of results.md: each figure next to its reference.</summary>
    private string SummaryTable()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("## Summary: each figure next to its reference, measured in the same run\n\n");
        sb.Append("| Section | Measured | Ours | Reference | Reference value | Ratio (>1 = ours better) | Target |\n");
        sb.Append("|---|---|---:|---|---:|---:|---|\n");
        foreach (var m in _metrics)
        {
            sb.Append(Inv, $"| {m.Section} | {m.Name.Replace("|", "\\|", StringComparison.Ordinal)} | {m.Value:0.###} {m.Unit} | {m.Reference.Replace("|", "\\|", StringComparison.Ordinal)} | {(m.ReferenceValue is { } r ? r.ToString("0.###", Inv) + " " + m.Unit : "not measured")} | {(m.Ratio is { } x ? x.ToString("0.00", Inv) + "x" : "-")} | {m.Target ?? string.Empty} |\n");
        }

        sb.Append('\n');
        return sb.ToString();
    }
}
