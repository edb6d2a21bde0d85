using System.Diagnostics;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Imaging.Export;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Redaction;
using MedImageCleaner.Core.Samples;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Core.Workflow;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// Issue 6: the whole workflow (Invoke-DicomDeidentification's runner: de-identify, remove burned-in text, validate,
/// release, export PNG) in files per second, against gdcmanon -e (header de-identification only) on the same files in
/// the same run.
/// </summary>
internal sealed partial class BenchmarkSuite
{
    private int Workflow(string work)
    {
        var count = _settings.Quick ? 90 : 900;
        var input = Path.Combine(work, "workflow-in");
        SampleCorpus.Write(input, count, seed: 11);
        var files = Directory.GetFiles(input);
        Line($"## Full workflow: {count.ToString("N0", Inv)} sample files (CT, MR, US)");
        Line();
        Line("The demo's sample files (SampleCorpus: PHI in headers, nested sequences, private attributes, small phantom images; a third " +
             "are ultrasound declaring burned-in annotation). The small-CT set of the sections above is not used here: its pixels are " +
             "random noise, in which OCR reads digits that match the header's numbers (slow and over-redacted: noted as an open point). " +
             "Invoke-DicomDeidentification's runner in-process (WorkflowRunner: read, de-identify (basic profile), remove burned-in text " +
             "(Auto + verify), validate (every check but pixel OCR), release by rename, export an 8-bit PNG), sequential and with one " +
             $"worker per logical core; {_settings.Rounds} rounds, median, after a warm-up round. Reference: gdcmanon -e on the same folder " +
             "(header de-identification only, one thread), in the same run.");
        Line();

        double Run(int workers, int round)
        {
            var root = Path.Combine(work, $"workflow-{workers}-{round}");
            var destination = Path.Combine(root, "clean");
            using var key = DeidentificationKey.CreateRandom(ephemeral: true);
            var deid = DeidentificationService.Create(new DeidentificationSettings(), key, WorkflowRunner.StagingFor(destination), OutputLayout.Flat, force: true, new PhiScrubber());
            using var validator = new DeidentificationValidator(new ValidationOptions());
            var quarantine = new Quarantine(destination + "-quarantine");
            using var runner = new WorkflowRunner(destination, quarantine, deid, new BurnedInTextService(new TextRedactionOptions(), null, quarantine),
                new ValidatorStep(validator), new ConverterStep(new ExportOptions { Destination = destination + "-images", Format = ExportFormat.Png, Overwrite = true }), journal: null, force: false);
            Directory.CreateDirectory(destination);
            var watch = Stopwatch.StartNew();
            var completed = 0;
            Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = workers }, f =>
            {
                if (runner.Process(new WorkflowRequest(f)).Status == WorkflowFileStatus.Completed)
                {
                    Interlocked.Increment(ref completed);
                }
            });
            var seconds = watch.Elapsed.TotalSeconds;
            if (completed != files.Length)
            {
                throw new InvalidOperationException($"The workflow completed {completed} of {files.Length} files.");
            }

            Directory.Delete(root, recursive: true);
            return count / seconds;
        }

        try
        {
            _ = Run(1, -1);
            var sequential = new List<double>();
            var parallel = new List<double>();
            for (var round = 0; round < _settings.Rounds; round++)
            {
                sequential.Add(Run(1, round));
                parallel.Add(Run(Environment.ProcessorCount, round));
            }

            double? reference = null;
            if (Tool("gdcmanon", "--version") is not null && PrepareGdcmanon(work, input) is (var cert, null))
            {
                var rates = new List<double>();
                for (var round = 0; round < _settings.Rounds; round++)
                {
                    var output = Path.Combine(work, $"workflow-gdcm-{round}");
                    var watch = Stopwatch.StartNew();
                    RunTool("gdcmanon", "-e", "-c", cert, "--continue", "-r", "-i", input, "-o", output);
                    rates.Add(count / watch.Elapsed.TotalSeconds);
                    Directory.Delete(output, recursive: true);
                }

                reference = Median(rates);
            }

            Line("| Run | Files/s (median) | Ratio to gdcmanon -e |");
            Line("|---|---:|---:|");
            Line($"| Workflow, one worker | {Median(sequential):0.0} | {(reference is { } r1 ? (Median(sequential) / r1).ToString("0.00", Inv) : "-")} |");
            Line($"| Workflow, {Environment.ProcessorCount} workers | {Median(parallel):0.0} | {(reference is { } r2 ? (Median(parallel) / r2).ToString("0.00", Inv) : "-")} |");
            Line(reference is { } r3 ? $"| gdcmanon -e (headers only) | {r3:0.0} | 1.00 |" : "| gdcmanon -e | not available | - |");
            Line();
            Metric("workflow", "Full workflow (de-identify, burned-in text, validate, PNG), one worker", Median(sequential), "files/s", "gdcmanon -e (headers only, one thread)", reference);
            Metric("workflow", $"Full workflow, {Environment.ProcessorCount} workers", Median(parallel), "files/s", "gdcmanon -e (headers only, one thread)", reference);
            Console.WriteLine($"workflow: {Median(sequential):0.0} files/s one worker, {Median(parallel):0.0} files/s {Environment.ProcessorCount} workers, gdcmanon -e {reference?.ToString("0.0", Inv) ?? "-"}");
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            Line($"**The workflow failed: {ex.Message}**");
            Line();
            return 1;
        }
    }
}
