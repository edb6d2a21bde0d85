using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace MedImageCleaner.PowerShell;

/// <summary>
/// Runs when the module is imported and removed. pwsh does not probe a module's <c>runtimes/&lt;rid&gt;/native</c>
/// folder, so native libraries shipped there (OpenCV, SQLite...) are resolved here for this module's assemblies.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;

    private static readonly Func<Assembly, string, IntPtr> Resolver = ResolveUnmanaged;

    /// <summary>Hooks the native library resolver.</summary>
    public void OnImport()
    {
        AssemblyLoadContext.Default.ResolvingUnmanagedDll -= Resolver;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolver;
    }

    /// <summary>Unhooks the native library resolver.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.ResolvingUnmanagedDll -= Resolver;

    /// <summary>The folders searched, most specific runtime identifier first (e.g. debian.12-x64, then linux-x64).</summary>
    internal static IEnumerable<string> NativeDirectories(string moduleDirectory)
    {
        var runtimes = Path.Combine(moduleDirectory, "runtimes");
        var rid = RuntimeInformation.RuntimeIdentifier;
        yield return Path.Combine(runtimes, rid, "native");
        var portable = PortableRid();
        if (!string.Equals(portable, rid, StringComparison.OrdinalIgnoreCase))
        {
            yield return Path.Combine(runtimes, portable, "native");
        }
    }

    /// <summary>The file names a library name may have on this OS (libfoo.so, foo.dll, libfoo.dylib...).</summary>
    internal static IEnumerable<string> CandidateFileNames(string libraryName)
    {
        yield return libraryName;
        var (prefix, suffix) = OperatingSystem.IsWindows() ? (string.Empty, ".dll")
            : OperatingSystem.IsMacOS() ? ("lib", ".dylib")
            : ("lib", ".so");
        var hasSuffix = libraryName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || libraryName.Contains(".so.", StringComparison.Ordinal);
        if (!hasSuffix)
        {
            yield return libraryName + suffix;
        }

        var fileName = Path.GetFileName(libraryName);
        if (prefix.Length > 0 && !fileName.StartsWith(prefix, StringComparison.Ordinal))
        {
            var dir = Path.GetDirectoryName(libraryName);
            var prefixed = prefix + fileName;
            var combined = string.IsNullOrEmpty(dir) ? prefixed : Path.Combine(dir, prefixed);
            yield return combined;
            if (!hasSuffix)
            {
                yield return combined + suffix;
            }
        }
    }

    private static IntPtr ResolveUnmanaged(Assembly assembly, string libraryName)
    {
        foreach (var dir in NativeDirectories(ModuleDirectory))
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var name in CandidateFileNames(libraryName))
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle))
                {
                    return handle;
                }
            }
        }

        return IntPtr.Zero;
    }

    private static string PortableRid()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return os + "-" + arch;
    }
}
