using System.Runtime.InteropServices;

namespace MedImageCleaner.Benchmarks;

/// <summary>
/// CPU time (user + system) from getrusage(2): of this process, or of all waited-for child processes; and of the calling
/// thread from clock_gettime(2). On a shared, loaded machine CPU time is a steadier measure of work than wall clock; both
/// are reported.
/// </summary>
internal static partial class ResourceUsage
{
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>CPU seconds used by this process so far (all threads: GC and JIT included).</summary>
    public static double SelfSeconds() => Read(RusageSelf);

    /// <summary>CPU seconds used by every child process that has exited and been waited for.</summary>
    public static double ChildrenSeconds() => Read(RusageChildren);

    /// <summary>CPU seconds used by the calling thread so far (clock_gettime CLOCK_THREAD_CPUTIME_ID, nanosecond resolution).</summary>
    public static double ThreadSeconds()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTimeId, out var t) != 0)
        {
            return double.NaN;
        }

        return t.Seconds + (t.Nanoseconds / 1e9);
    }

    private static double Read(int who)
    {
        if (!OperatingSystem.IsLinux() || GetRusage(who, out var u) != 0)
        {
            return double.NaN;
        }

        return u.UserSeconds + (u.UserMicroseconds / 1e6) + u.SystemSeconds + (u.SystemMicroseconds / 1e6);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, out RUsage usage);

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct rusage on 64-bit Linux: two timevals, then 14 longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVcsw;
        public long NIvcsw;
    }
}
