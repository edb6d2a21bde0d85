using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MedImageCleaner.Dicom.Tests.Oracles;

namespace MedImageCleaner.Network.Tests;

/// <summary>Free ports, temporary folders and dcmtk processes started (and stopped) by a test.</summary>
internal static class NetworkTestSupport
{
    private static int s_nextPort = 20000 + (Environment.ProcessId % 500) * 16;

    /// <summary>
    /// A TCP port nobody listens on right now, for a tool the test starts. Taken below the ephemeral range (where the
    /// system picks the ports of servers bound to 0 and of outgoing connections), so it cannot collide with those.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Interlocked.Increment(ref s_nextPort);
            if (port > 32000)
            {
                Interlocked.Exchange(ref s_nextPort, 20000);
                continue;
            }

            try
            {
                var l = new TcpListener(IPAddress.Any, port);
                l.Start();
                l.Stop();
                return port;
            }
            catch (SocketException)
            {
                // in use: the next one
            }
        }
    }

    public static string TempFolder(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mic-net-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Waits until something accepts TCP connections on the port (a started storescp).</summary>
    public static void WaitForPort(int port, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException("Nothing listens on port " + port + ".");
    }

    public static ToolResult Run(string tool, params string[] args) =>
        ExternalTool.Run(ExternalTool.Find(tool) ?? throw new InvalidOperationException(tool + " is not installed."), args, TimeSpan.FromSeconds(120));

    /// <summary>A server process from dcmtk (storescp...) running for the duration of a test.</summary>
    public sealed class BackgroundTool : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public BackgroundTool(string tool, params string[] args)
        {
            var psi = new ProcessStartInfo(ExternalTool.Find(tool) ?? throw new InvalidOperationException(tool + " is not installed."))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
