using System.Diagnostics;
using System.Text;

namespace MedImageCleaner.Dicom.Tests.Oracles;

/// <summary>The outcome of running an external tool.</summary>
/// <param name="ExitCode">The exit status (-1 when the tool timed out and was killed).</param>
/// <param name="StdOut">Standard output, decoded as Latin-1 so every byte survives.</param>
/// <param name="StdErr">Standard error, decoded as Latin-1.</param>
/// <param name="TimedOut">True when the tool ran longer than its timeout.</param>
internal sealed record ToolResult(int ExitCode, string StdOut, string StdErr, bool TimedOut);

/// <summary>Runs the independent oracles (dcmdump, dciodvfy, gdcmconv...) as processes with a timeout.</summary>
internal static class ExternalTool
{
    private static readonly Dictionary<string, string?> Located = new(StringComparer.Ordinal);
    private static readonly Lock LocatedLock = new();

    /// <summary>The full path of an executable found on PATH, or null.</summary>
    public static string? Find(string name)
    {
        lock (LocatedLock)
        {
            if (Located.TryGetValue(name, out var known))
            {
                return known;
            }

            string? found = null;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var candidate in OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : [name])
                {
                    var path = Path.Combine(dir, candidate);
                    if (File.Exists(path))
                    {
                        found = path;
                        break;
                    }
                }

                if (found is not null)
                {
                    break;
                }
            }

            Located[name] = found;
            return found;
        }
    }

    /// <summary>Runs a tool and waits at most <paramref name="timeout"/>; the process tree is killed on timeout.</summary>
    public static ToolResult Run(string exe, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.Latin1,
            StandardErrorEncoding = Encoding.Latin1,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = new Process { StartInfo = psi };
        p.Start();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it exited in the meantime
            }

            p.WaitForExit();
            return new ToolResult(-1, stdout.Result, stderr.Result, TimedOut: true);
        }

        p.WaitForExit();
        return new ToolResult(p.ExitCode, stdout.Result, stderr.Result, TimedOut: false);
    }
}
