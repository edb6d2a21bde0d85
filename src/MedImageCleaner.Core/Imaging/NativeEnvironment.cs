using System.Runtime.InteropServices;

namespace MedImageCleaner.Core.Imaging;

/// <summary>
/// Environment variables that native libraries read (libgomp's OMP_THREAD_LIMIT, OpenCV's OPENCV_LOG_LEVEL). .NET
/// keeps its own copy of the environment on Unix, so these are also set in libc's.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="variable"/> to <paramref name="value"/> unless the user set it; call before the library loads.</summary>
    public static void SetDefault(string variable, string value)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            return;
        }

        Environment.SetEnvironmentVariable(variable, value);
        if (!OperatingSystem.IsWindows())
        {
            _ = SetEnv(variable, value, 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
