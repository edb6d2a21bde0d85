using System.Buffers.Binary;

namespace MedImageCleaner.Dicom.Codecs.Jpeg;

/// <content>One frame component of the decoder.</content>
internal sealed partial class JpegDecoder
{
    /// <summary>One frame component and its decoded samples.</summary>
    internal sealed class Component
    {
        public int Id { get; init; }

        public int H { get; init; }

        public int V { get; init; }

        public int Tq { get; init; }

        /// <summary>Samples per line of the component (ceil(X * H / Hmax)).</summary>
        public int Width { get; set; }

        /// <summary>Lines of the component (ceil(Y * V / Vmax)).</summary>
        public int Height { get; set; }

        public int BlocksPerLine { get; set; }

        public int BlocksPerColumn { get; set; }

        /// <summary>Samples between two lines of <see cref="Plane"/>.</summary>
        public int Stride { get; set; }

        public ushort[] Plane { get; set; } = [];

        public JpegHuffmanTable? DcTable { get; set; }

        public JpegHuffmanTable? AcTable { get; set; }

        public ushort[] Quant { get; set; } = [];

        public int DcPred { get; set; }

        public int PointTransform { get; set; }

        public bool Decoded { get; set; }
    }
}
