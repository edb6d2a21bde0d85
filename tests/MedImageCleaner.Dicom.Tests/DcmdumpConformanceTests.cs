using MedImageCleaner.Dicom.Tests.Oracles;
using Xunit.Abstractions;

namespace MedImageCleaner.Dicom.Tests;

/// <summary>
/// Acceptance point 1 of issue 2: every corpus file dcmdump reads, we read, with the same (path, VR, length) nodes and
/// the same decoded text; every file dcmdump rejects, we either read with warnings or reject with a DicomReadException.
/// dcmdump's options and the notation rules are documented in <see cref="Dcmdump"/> and <see cref="DumpComparer"/>.
/// </summary>
public sealed class DcmdumpConformanceTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> CorpusFiles() => TestCorpus.Cases();

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Open_CorpusFile_AgreesWithDcmdump(string file)
    {
        var path = TestCorpus.Resolve(file);
        if (path is null)
        {
            output.WriteLine("Skipped: the corpus (../shared/corpus next to the repository root) is absent.");
            return;
        }

        if (!Dcmdump.IsAvailable)
        {
            output.WriteLine("Skipped: dcmdump (dcmtk) is not installed.");
            return;
        }

        var structure = Task.Run(() => Dcmdump.Run(path, utf8: false));
        var text = Task.Run(() => Dcmdump.Run(path, utf8: true));

        DicomFile? ours = null;
        DicomReadException? rejected = null;
        try
        {
            ours = DicomFile.Open(path);
        }
        catch (DicomReadException ex)
        {
            rejected = ex;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{file}: the reader threw {ex.GetType().Name} (only DicomReadException is allowed): {ex}");
        }

        using (ours)
        {
            var dump = await structure;
            if (!dump.Ok)
            {
                // dcmdump rejects the file: we must either read it and say what we tolerated, or reject it cleanly.
                if (ours is not null)
                {
                    Assert.True(ours.Warnings.Count > 0, $"{file}: dcmdump rejects it ({FirstLines(dump.Raw.StdErr)}) but we read it without any warning.");
                    output.WriteLine($"RESULT tolerated {file}: dcmdump rejects it; we read it with {ours.Warnings.Count} warning(s):");
                    foreach (var w in ours.Warnings.Take(10))
                    {
                        output.WriteLine("  " + w);
                    }
                }
                else
                {
                    output.WriteLine($"RESULT rejected {file}: dcmdump rejects it and so do we ({rejected!.GetType().Name}: {rejected.Message})");
                }

                output.WriteLine("dcmdump: " + FirstLines(dump.Raw.StdErr));
                return;
            }

            Assert.True(ours is not null, $"{file}: dcmdump reads it but we throw {rejected?.GetType().Name}: {rejected?.Message}");

            var utf8 = await text;
            if (!utf8.Ok)
            {
                // dcmtk could not convert the text to UTF-8 (e.g. this build's iconv lacks a character set the file
                // declares): character-set text values are then not compared; structure, lengths and all other values are.
                output.WriteLine($"note: dcmdump +U8 failed ({FirstLines(utf8.Raw.StdErr)}); character-set text is not compared for this file.");
            }

            var mine = DatasetFlattener.Flatten(ours);
            var diffs = DumpComparer.Compare(dump.Entries, utf8.Ok ? utf8.Entries : null, mine);
            Assert.True(diffs.Count == 0, $"{file}: {diffs.Count} difference(s) from dcmdump:\n" + string.Join("\n", diffs.Take(40)));
            output.WriteLine($"RESULT agreed {file}: {mine.Count} nodes agree with dcmdump; {ours.Warnings.Count} warning(s).");
            foreach (var w in ours.Warnings.Take(10))
            {
                output.WriteLine("  " + w);
            }
        }
    }

    private static string FirstLines(string s)
    {
        var lines = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.Take(3));
    }
}
