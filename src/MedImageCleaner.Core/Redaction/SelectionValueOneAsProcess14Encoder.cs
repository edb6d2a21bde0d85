using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.Codecs;

namespace MedImageCleaner.Core.Redaction;

/// <summary>
/// Re-encodes JPEG Lossless process 14 (1.2.840.10008.1.2.4.57) sources with the first-order (selection value 1)
/// encoder: an SV1 bitstream is a process 14 bitstream (selection value 1 is one of its predictors, signalled in the
/// SOS header), so the output keeps the source's transfer syntax.
/// </summary>
internal sealed class SelectionValueOneAsProcess14Encoder(IFrameEncoder selectionValueOne) : IFrameEncoder
{
    public string Name => selectionValueOne.Name + " (as process 14)";

    public TransferSyntax Syntax => TransferSyntax.JpegLossless;

    public bool IsLossless => selectionValueOne.IsLossless;

    public bool CanEncode(DecodedFrame frame) => selectionValueOne.CanEncode(frame);

    public byte[] Encode(DecodedFrame frame) => selectionValueOne.Encode(frame);
}
