using System.Runtime.InteropServices;
using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Dicom.Tests;

namespace MedImageCleaner.Core.Tests.Imaging;

public sealed class NativeLoadOrderTests
{
    /// <summary>
    /// Leptonica's own messages ("Error in boxClipToRectangle...") went to the stderr of a pwsh session while Tesseract
    /// read speckle: loading libtesseract sets leptonica's severity to "none". Asked through leptonica itself (its
    /// setter returns the severity it replaces).
    /// </summary>
    [RequiresFact(Requirements.Ocr)]
    public void LoadingTesseractSilencesLeptonica()
    {
        Assert.NotEqual(IntPtr.Zero, NativeLoadOrder.Ensure());
        var lept = IntPtr.Zero;
        foreach (var name in NativeLoadOrder.LeptonicaLibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out lept))
            {
                break;
            }
        }

        Assert.NotEqual(IntPtr.Zero, lept);
        var set = Marshal.GetDelegateForFunctionPointer<SetMsgSeverity>(NativeLibrary.GetExport(lept, "setMsgSeverity"));
        var before = set(NativeLoadOrder.LeptonicaSeverityNone);
        Assert.Equal(NativeLoadOrder.LeptonicaSeverityNone, before);
    }

    /// <summary>l_int32 setMsgSeverity(l_int32 newsev): returns the previous severity.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetMsgSeverity(int severity);
}
