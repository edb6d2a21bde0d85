using System.Runtime.InteropServices;
using MedImageCleaner.Core.Imaging;

namespace MedImageCleaner.Core.Pixels.Ocr;

/// <summary>
/// The part of libtesseract's C API (capi.h) we use, bound as unmanaged function pointers from the handle
/// <see cref="NativeLoadOrder"/> loaded, so no DllImport resolver is needed (the library is libtesseract.so.5 on
/// Debian, which the default probing would not find by the name "tesseract").
/// </summary>
internal sealed unsafe class TesseractNative
{
    private static readonly Lazy<TesseractNative?> Bound = new(Bind, LazyThreadSafetyMode.ExecutionAndPublication);

    private TesseractNative()
    {
    }

    /// <summary>TessBaseAPI* TessBaseAPICreate(void)</summary>
    public delegate* unmanaged<IntPtr> Create { get; private init; }

    /// <summary>int TessBaseAPIInit3(TessBaseAPI*, const char* datapath, const char* language): 0 on success.</summary>
    public delegate* unmanaged<IntPtr, byte*, byte*, int> Init3 { get; private init; }

    /// <summary>void TessBaseAPISetPageSegMode(TessBaseAPI*, TessPageSegMode)</summary>
    public delegate* unmanaged<IntPtr, int, void> SetPageSegMode { get; private init; }

    /// <summary>BOOL TessBaseAPISetVariable(TessBaseAPI*, const char* name, const char* value)</summary>
    public delegate* unmanaged<IntPtr, byte*, byte*, int> SetVariable { get; private init; }

    /// <summary>void TessBaseAPISetImage(TessBaseAPI*, const unsigned char*, int width, int height, int bytes_per_pixel, int bytes_per_line)</summary>
    public delegate* unmanaged<IntPtr, byte*, int, int, int, int, void> SetImage { get; private init; }

    /// <summary>void TessBaseAPISetSourceResolution(TessBaseAPI*, int ppi)</summary>
    public delegate* unmanaged<IntPtr, int, void> SetSourceResolution { get; private init; }

    /// <summary>int TessBaseAPIRecognize(TessBaseAPI*, ETEXT_DESC* monitor): 0 on success.</summary>
    public delegate* unmanaged<IntPtr, IntPtr, int> Recognize { get; private init; }

    /// <summary>TessResultIterator* TessBaseAPIGetIterator(TessBaseAPI*)</summary>
    public delegate* unmanaged<IntPtr, IntPtr> GetIterator { get; private init; }

    /// <summary>void TessBaseAPIClear(TessBaseAPI*)</summary>
    public delegate* unmanaged<IntPtr, void> Clear { get; private init; }

    /// <summary>void TessBaseAPIEnd(TessBaseAPI*)</summary>
    public delegate* unmanaged<IntPtr, void> End { get; private init; }

    /// <summary>void TessBaseAPIDelete(TessBaseAPI*)</summary>
    public delegate* unmanaged<IntPtr, void> Delete { get; private init; }

    /// <summary>char* TessResultIteratorGetUTF8Text(const TessResultIterator*, TessPageIteratorLevel)</summary>
    public delegate* unmanaged<IntPtr, int, IntPtr> IteratorText { get; private init; }

    /// <summary>float TessResultIteratorConfidence(const TessResultIterator*, TessPageIteratorLevel)</summary>
    public delegate* unmanaged<IntPtr, int, float> IteratorConfidence { get; private init; }

    /// <summary>TessPageIterator* TessResultIteratorGetPageIterator(TessResultIterator*)</summary>
    public delegate* unmanaged<IntPtr, IntPtr> IteratorPage { get; private init; }

    /// <summary>BOOL TessPageIteratorBoundingBox(const TessPageIterator*, level, int* left, int* top, int* right, int* bottom)</summary>
    public delegate* unmanaged<IntPtr, int, int*, int*, int*, int*, int> PageBoundingBox { get; private init; }

    /// <summary>BOOL TessResultIteratorNext(TessResultIterator*, TessPageIteratorLevel)</summary>
    public delegate* unmanaged<IntPtr, int, int> IteratorNext { get; private init; }

    /// <summary>void TessResultIteratorDelete(TessResultIterator*)</summary>
    public delegate* unmanaged<IntPtr, void> IteratorDelete { get; private init; }

    /// <summary>void TessDeleteText(const char*)</summary>
    public delegate* unmanaged<IntPtr, void> DeleteText { get; private init; }

    /// <summary>The bound API, or null when libtesseract (or one of these entry points) is missing.</summary>
    public static TesseractNative? Instance => Bound.Value;

    private static TesseractNative? Bind()
    {
        var lib = NativeLoadOrder.Ensure();
        if (lib == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return new TesseractNative
            {
                Create = (delegate* unmanaged<IntPtr>)Export(lib, "TessBaseAPICreate"),
                Init3 = (delegate* unmanaged<IntPtr, byte*, byte*, int>)Export(lib, "TessBaseAPIInit3"),
                SetPageSegMode = (delegate* unmanaged<IntPtr, int, void>)Export(lib, "TessBaseAPISetPageSegMode"),
                SetVariable = (delegate* unmanaged<IntPtr, byte*, byte*, int>)Export(lib, "TessBaseAPISetVariable"),
                SetImage = (delegate* unmanaged<IntPtr, byte*, int, int, int, int, void>)Export(lib, "TessBaseAPISetImage"),
                SetSourceResolution = (delegate* unmanaged<IntPtr, int, void>)Export(lib, "TessBaseAPISetSourceResolution"),
                Recognize = (delegate* unmanaged<IntPtr, IntPtr, int>)Export(lib, "TessBaseAPIRecognize"),
                GetIterator = (delegate* unmanaged<IntPtr, IntPtr>)Export(lib, "TessBaseAPIGetIterator"),
                Clear = (delegate* unmanaged<IntPtr, void>)Export(lib, "TessBaseAPIClear"),
                End = (delegate* unmanaged<IntPtr, void>)Export(lib, "TessBaseAPIEnd"),
                Delete = (delegate* unmanaged<IntPtr, void>)Export(lib, "TessBaseAPIDelete"),
                IteratorText = (delegate* unmanaged<IntPtr, int, IntPtr>)Export(lib, "TessResultIteratorGetUTF8Text"),
                IteratorConfidence = (delegate* unmanaged<IntPtr, int, float>)Export(lib, "TessResultIteratorConfidence"),
                IteratorPage = (delegate* unmanaged<IntPtr, IntPtr>)Export(lib, "TessResultIteratorGetPageIterator"),
                PageBoundingBox = (delegate* unmanaged<IntPtr, int, int*, int*, int*, int*, int>)Export(lib, "TessPageIteratorBoundingBox"),
                IteratorNext = (delegate* unmanaged<IntPtr, int, int>)Export(lib, "TessResultIteratorNext"),
                IteratorDelete = (delegate* unmanaged<IntPtr, void>)Export(lib, "TessResultIteratorDelete"),
                DeleteText = (delegate* unmanaged<IntPtr, void>)Export(lib, "TessDeleteText"),
            };
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static IntPtr Export(IntPtr lib, string name) => NativeLibrary.GetExport(lib, name);
}

/// <summary>
/// OMP_THREAD_LIMIT=1 in the native environment (libgomp, under libtesseract, reads it when it loads), unless the
/// user set it. One OCR engine per worker thread then uses one core, so -ThrottleLimit N uses N cores.
/// </summary>
internal static partial class OcrThreading
{
    public const string Variable = "OMP_THREAD_LIMIT";

    /// <summary>Sets OMP_THREAD_LIMIT=1 for the process when it is not set; call before libtesseract loads.</summary>
    public static void ApplyDefaultThreadLimit()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        Environment.SetEnvironmentVariable(Variable, "1");
        if (!OperatingSystem.IsWindows())
        {
            // .NET keeps its own copy of the environment on Unix; native code (libgomp) reads libc's.
            _ = SetEnv(Variable, "1", 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
