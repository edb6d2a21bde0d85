using MedImageCleaner.Dicom.Codecs;
using MedImageCleaner.Dicom.Tests.Oracles;
using TestCorpus = MedImageCleaner.Dicom.Tests.Fixtures.TestCorpus;

namespace MedImageCleaner.Dicom.Tests.Codecs;

/// <summary>
/// The part of the codec oracle that MedImageCleaner.Core.Tests compiles too (linked there with Oracles/ExternalTool.cs):
/// corpus cases by transfer syntax, running an external decoder or encoder, and sample values of a decoded frame.
/// </summary>
internal static partial class CodecOracle
{
    /// <summary>How long an external encoder or decoder (dcmdjpeg, gdcmconv, opj_compress...) may run.</summary>
    public static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Theory data: corpus files (relative "folder/name") whose transfer syntax is one of <paramref name="syntaxes"/>, or
    /// the single case "(corpus absent)" when there are none.
    /// </summary>
    public static IEnumerable<object[]> CorpusCases(params TransferSyntax[] syntaxes)
    {
        var any = false;
        foreach (var path in TestCorpus.Files("pydicom", "fodicom", "burned-in"))
        {
            TransferSyntax ts;
            try
            {
                using var f = DicomFile.Open(path);
                ts = f.TransferSyntax;
            }
            catch (DicomReadException)
            {
                continue;
            }

            if (Array.IndexOf(syntaxes, ts) >= 0)
            {
                any = true;
                yield return [Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path)];
            }
        }

        if (!any)
        {
            yield return ["(corpus absent)"];
        }
    }

    /// <summary>The full path of a <see cref="CorpusCases"/> case, or null for "(corpus absent)".</summary>
    public static string? ResolveCase(string relative) =>
        relative.StartsWith('(') ? null : Path.Combine(TestCorpus.CorpusRoot, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Runs a tool found on PATH with <see cref="ToolTimeout"/>; throws when it is not installed.</summary>
    public static ToolResult RunTool(string tool, params string[] args)
    {
        var exe = ExternalTool.Find(tool) ?? throw new InvalidOperationException(tool + " is not installed.");
        return ExternalTool.Run(exe, args, ToolTimeout);
    }

    /// <summary>Sample values of a decoded frame (unsigned reading of the stored words).</summary>
    public static int[] Samples(DecodedFrame frame)
    {
        var n = frame.Rows * frame.Columns * frame.SamplesPerPixel;
        var result = new int[n];
        var d = frame.Data;
        for (var i = 0; i < n; i++)
        {
            result[i] = frame.BytesPerSample switch
            {
                1 => d[i],
                2 => d[2 * i] | (d[(2 * i) + 1] << 8),
                _ => BitConverter.ToInt32(d, 4 * i),
            };
        }

        return result;
    }
}
