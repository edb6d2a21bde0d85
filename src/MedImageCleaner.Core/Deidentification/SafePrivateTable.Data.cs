using System.Collections.Frozen;

namespace MedImageCleaner.Core.Deidentification;

// PS3.15 Table E.3.10-1 "Safe Private Attributes", DICOM 2026d: 479 rows, in the table's order.
// Transcribed from the rows of part15/sect_E.3.10.html as extracted into pymedphys/pymedphys
// lib/pymedphys/_dicom/deidentify/_standard/e3_10_1.json (commit 985a1bd; source page sha256 101ac4ae...);
// the transcription reproduces that file's recorded rows digest (canonical-JSON sha256 7acb26db...), so no row
// is missing or altered. Facts of the standard (c) NEMA. Each entry: private creator, group, element byte within
// the creator's block ((gggg,xxEE) -> EE); the comment gives VR, VM and meaning as the table does ("-" where the
// table gives no VR or no meaning).
public static partial class SafePrivateTable
{
    /// <summary>The edition of PS3.15 the table was compiled from, and how.</summary>
    public const string Edition = "DICOM PS3.15 2026d Table E.3.10-1 (479 rows) via pymedphys/pymedphys e3_10_1.json commit 985a1bd";

    /// <summary>Number of rows of Table E.3.10-1 held.</summary>
    internal static int Count => Entries.Count;

    private static readonly FrozenSet<(string Creator, ushort Group, byte Element)> Entries = new (string, ushort, byte)[]
    {
        // Philips PET Private Group
        ("Philips PET Private Group", 0x7053, 0x00), // (7053,xx00) DS 1 SUV Factor - Multiplying Stored Pixel Values by Rescale Slope then this factor results in SUVbw in g/l
        ("Philips PET Private Group", 0x7053, 0x09), // (7053,xx09) DS 1 Activity Concentration Factor - Multiplying Stored Pixel Values by Rescale Slope then this factor results in MBq/ml.

        // ELSCINT1
        ("ELSCINT1", 0x00E1, 0x21), // (00E1,xx21) DS 1 DLP
        ("ELSCINT1", 0x00E1, 0x50), // (00E1,xx50) DS 1 Acquisition Duration
        ("ELSCINT1", 0x01E1, 0x26), // (01E1,xx26) CS 1 Phantom Type
        ("ELSCINT1", 0x01F1, 0x01), // (01F1,xx01) CS 1 Acquisition Type
        ("ELSCINT1", 0x01F1, 0x07), // (01F1,xx07) DS 1 Table Velocity
        ("ELSCINT1", 0x01F1, 0x26), // (01F1,xx26) DS 1 Pitch
        ("ELSCINT1", 0x01F1, 0x27), // (01F1,xx27) DS 1 Rotation Time

        // GEMS_ACQU_01
        ("GEMS_ACQU_01", 0x0019, 0x23), // (0019,xx23) DS 1 Table Speed [mm/rotation]
        ("GEMS_ACQU_01", 0x0019, 0x24), // (0019,xx24) DS 1 Mid Scan Time [sec]
        ("GEMS_ACQU_01", 0x0019, 0x27), // (0019,xx27) DS 1 Rotation Speed (Gantry Period)
        ("GEMS_ACQU_01", 0x0019, 0x9E), // (0019,xx9E) LO 1 Internal Pulse Sequence Name

        // GEMS_PARM_01
        ("GEMS_PARM_01", 0x0043, 0x27), // (0043,xx27) SH 1 Scan Pitch Ratio in the form "n.nnn:1"

        // GEMS_HELIOS_01
        ("GEMS_HELIOS_01", 0x0045, 0x01), // (0045,xx01) SS 1 Number of Macro Rows in Detector
        ("GEMS_HELIOS_01", 0x0045, 0x02), // (0045,xx02) FL 1 Macro width at ISO Center

        // GEIIS PACS
        ("GEIIS PACS", 0x0903, 0x10), // (0903,xx10) US 1 Reject Image Flag
        ("GEIIS PACS", 0x0903, 0x11), // (0903,xx11) US 1 Significant Flag
        ("GEIIS PACS", 0x0903, 0x12), // (0903,xx12) US 1 Confidential Flag

        // Philips Imaging DD 001
        ("Philips Imaging DD 001", 0x2001, 0x01), // (2001,xx01) FL 1 MR Image Chemical Shift
        ("Philips Imaging DD 001", 0x2001, 0x02), // (2001,xx02) IS 1 MR Image Chemical Shift Number
        ("Philips Imaging DD 001", 0x2001, 0x03), // (2001,xx03) FL 1 MR Image Diffusion B-Factor
        ("Philips Imaging DD 001", 0x2001, 0x04), // (2001,xx04) CS 1 MR Image Diffusion Direction
        ("Philips Imaging DD 001", 0x2001, 0x05), // (2001,xx05) SS 1 Graphic Annotation Parent ID
        ("Philips Imaging DD 001", 0x2001, 0x06), // (2001,xx06) CS 1 MR Image Enhanced
        ("Philips Imaging DD 001", 0x2001, 0x07), // (2001,xx07) CS 1 MR Image Type Edes
        ("Philips Imaging DD 001", 0x2001, 0x08), // (2001,xx08) IS 1 MR Image Phase Number
        ("Philips Imaging DD 001", 0x2001, 0x09), // (2001,xx09) FL 1 MR Image Prepulse Delay
        ("Philips Imaging DD 001", 0x2001, 0x0A), // (2001,xx0A) IS 1 Image Plane Number
        ("Philips Imaging DD 001", 0x2001, 0x0B), // (2001,xx0B) CS 1 Image Plane Orientation
        ("Philips Imaging DD 001", 0x2001, 0x0C), // (2001,xx0C) CS 1 MR Series Arrhythmia Rejection
        ("Philips Imaging DD 001", 0x2001, 0x0E), // (2001,xx0E) CS 1 MR Series Cardiac Cycled
        ("Philips Imaging DD 001", 0x2001, 0x0F), // (2001,xx0F) SS 1 MR Series Cardiac Gate Width
        ("Philips Imaging DD 001", 0x2001, 0x10), // (2001,xx10) CS 1 MR Series Cardiac Sync
        ("Philips Imaging DD 001", 0x2001, 0x11), // (2001,xx11) FL 1 MR Series Diffusion Echo Time
        ("Philips Imaging DD 001", 0x2001, 0x12), // (2001,xx12) CS 1 MR Series Dynamic Series
        ("Philips Imaging DD 001", 0x2001, 0x13), // (2001,xx13) SL 1 MR Series Epi Factor
        ("Philips Imaging DD 001", 0x2001, 0x14), // (2001,xx14) SL 1 MR Series Nr Of Echoes
        ("Philips Imaging DD 001", 0x2001, 0x15), // (2001,xx15) SS 1 MR Series Nr Of Locations
        ("Philips Imaging DD 001", 0x2001, 0x16), // (2001,xx16) SS 1 MR Series Nr Of Phase Contrast Directions
        ("Philips Imaging DD 001", 0x2001, 0x17), // (2001,xx17) SL 1 MR Series Nr Of Phases
        ("Philips Imaging DD 001", 0x2001, 0x18), // (2001,xx18) SL 1 MR Series Nr Of Slices
        ("Philips Imaging DD 001", 0x2001, 0x19), // (2001,xx19) CS 1 MR Series Partial Matrix Scanned
        ("Philips Imaging DD 001", 0x2001, 0x1A), // (2001,xx1A) FL 3 MR Series Pc Velocity
        ("Philips Imaging DD 001", 0x2001, 0x1B), // (2001,xx1B) FL 1 MR Series Prepulse Delay
        ("Philips Imaging DD 001", 0x2001, 0x1C), // (2001,xx1C) CS 1 MR Series Prepulse Type
        ("Philips Imaging DD 001", 0x2001, 0x1D), // (2001,xx1D) IS 1 MR Series Reconstruction Number
        ("Philips Imaging DD 001", 0x2001, 0x1E), // (2001,xx1E) CS 1 MR Series Reformat Accuracy
        ("Philips Imaging DD 001", 0x2001, 0x1F), // (2001,xx1F) CS 1 MR Series Respiration Sync
        ("Philips Imaging DD 001", 0x2001, 0x21), // (2001,xx21) CS 1 MR Series Sel Part Inversion Recovery
        ("Philips Imaging DD 001", 0x2001, 0x22), // (2001,xx22) FL 1 MR Series Water Fat Shift
        ("Philips Imaging DD 001", 0x2001, 0x23), // (2001,xx23) DS 1 MR Series Flip Angle
        ("Philips Imaging DD 001", 0x2001, 0x24), // (2001,xx24) CS 1 MR Series Is Interactive
        ("Philips Imaging DD 001", 0x2001, 0x25), // (2001,xx25) SH 1 MR Series Echo Time Display
        ("Philips Imaging DD 001", 0x2001, 0x26), // (2001,xx26) CS 1 Presentation State Subtraction Active
        ("Philips Imaging DD 001", 0x2001, 0x27), // (2001,xx27) CS 1 Edge Enhancement Kernel Size
        ("Philips Imaging DD 001", 0x2001, 0x28), // (2001,xx28) FL 1 Edge Enhancement Gain Factor Sub
        ("Philips Imaging DD 001", 0x2001, 0x29), // (2001,xx29) FL 1 Edge Enhancement Gain Factor
        ("Philips Imaging DD 001", 0x2001, 0x2A), // (2001,xx2A) CS 1 Edge Enhancement Taste Adapt Sub
        ("Philips Imaging DD 001", 0x2001, 0x2B), // (2001,xx2B) CS 1 Edge Enhancement Taste Adapt
        ("Philips Imaging DD 001", 0x2001, 0x2C), // (2001,xx2C) FL 1 Harmonization Factor
        ("Philips Imaging DD 001", 0x2001, 0x2D), // (2001,xx2D) SS 1 Stack Number Of Slices
        ("Philips Imaging DD 001", 0x2001, 0x2E), // (2001,xx2E) CS 1 Harmonization Kernel Size
        ("Philips Imaging DD 001", 0x2001, 0x2F), // (2001,xx2F) FL 1 Harmonization Gain
        ("Philips Imaging DD 001", 0x2001, 0x30), // (2001,xx30) UL 1 Log Subtraction Gain Step Taste
        ("Philips Imaging DD 001", 0x2001, 0x31), // (2001,xx31) US 1 Mixing Nr Of Mask Image Numbers
        ("Philips Imaging DD 001", 0x2001, 0x32), // (2001,xx32) FL 1 Stack Radial Angle
        ("Philips Imaging DD 001", 0x2001, 0x33), // (2001,xx33) CS 1 Stack Radial Axis
        ("Philips Imaging DD 001", 0x2001, 0x34), // (2001,xx34) CS 1 Mixing Mask Operation Type
        ("Philips Imaging DD 001", 0x2001, 0x35), // (2001,xx35) SS 1 Stack Slice Number
        ("Philips Imaging DD 001", 0x2001, 0x36), // (2001,xx36) CS 1 Stack Type
        ("Philips Imaging DD 001", 0x2001, 0x37), // (2001,xx37) CS 1 Mixing Operation Type
        ("Philips Imaging DD 001", 0x2001, 0x38), // (2001,xx38) FL 1 Overlay Mix Factor
        ("Philips Imaging DD 001", 0x2001, 0x39), // (2001,xx39) FL 1 Overscan Factor
        ("Philips Imaging DD 001", 0x2001, 0x3A), // (2001,xx3A) CS 1 Pixel Shift
        ("Philips Imaging DD 001", 0x2001, 0x3B), // (2001,xx3B) FL 4 Pixel Shift Split Line Coordinates
        ("Philips Imaging DD 001", 0x2001, 0x3C), // (2001,xx3C) FL 2 Pixel Shift Shift Vectora
        ("Philips Imaging DD 001", 0x2001, 0x3D), // (2001,xx3D) UL 1 Contour Fill Color
        ("Philips Imaging DD 001", 0x2001, 0x3E), // (2001,xx3E) FL 2 Pixel Shift Shift Vectorb
        ("Philips Imaging DD 001", 0x2001, 0x3F), // (2001,xx3F) CS 1 Displayed Area Zoom Interpolation Meth
        ("Philips Imaging DD 001", 0x2001, 0x40), // (2001,xx40) CS 1 Pixel Shift Split Screen
        ("Philips Imaging DD 001", 0x2001, 0x41), // (2001,xx41) FL 1 Subtraction Land Marking Factor
        ("Philips Imaging DD 001", 0x2001, 0x42), // (2001,xx42) CS 1 Subtraction Land Marking Active
        ("Philips Imaging DD 001", 0x2001, 0x43), // (2001,xx43) IS 2 Ellips Displ Shut Major Ax Frst End Pnt
        ("Philips Imaging DD 001", 0x2001, 0x44), // (2001,xx44) IS 2 Ellips Displ Shut Major Ax Scnd End Pnt
        ("Philips Imaging DD 001", 0x2001, 0x45), // (2001,xx45) IS 2 Ellips Displ Shut Other Ax Frst End Pnt
        ("Philips Imaging DD 001", 0x2001, 0x46), // (2001,xx46) CS 1 Graphic Line Style
        ("Philips Imaging DD 001", 0x2001, 0x47), // (2001,xx47) FL 1 Graphic Line Width
        ("Philips Imaging DD 001", 0x2001, 0x48), // (2001,xx48) SS 1 Graphic Annotation Id
        ("Philips Imaging DD 001", 0x2001, 0x49), // (2001,xx49) IS 1 Trace First Image
        ("Philips Imaging DD 001", 0x2001, 0x4A), // (2001,xx4A) CS 1 Trace Taste
        ("Philips Imaging DD 001", 0x2001, 0x4B), // (2001,xx4B) CS 1 Interpolation Method
        ("Philips Imaging DD 001", 0x2001, 0x4C), // (2001,xx4C) CS 1 Poly Line Begin Point Style
        ("Philips Imaging DD 001", 0x2001, 0x4D), // (2001,xx4D) CS 1 Poly Line End Point Style
        ("Philips Imaging DD 001", 0x2001, 0x4E), // (2001,xx4E) CS 1 Window Smoothing Taste
        ("Philips Imaging DD 001", 0x2001, 0x4F), // (2001,xx4F) FD 1 Harmonization Offset
        ("Philips Imaging DD 001", 0x2001, 0x50), // (2001,xx50) LO 1 Graphic Marker Type
        ("Philips Imaging DD 001", 0x2001, 0x51), // (2001,xx51) IS 1 Overlay Plane Id
        ("Philips Imaging DD 001", 0x2001, 0x53), // (2001,xx53) CS 1 Presentation Gl Trafo Invert
        ("Philips Imaging DD 001", 0x2001, 0x54), // (2001,xx54) FL 1 Contour Fill Transparency
        ("Philips Imaging DD 001", 0x2001, 0x55), // (2001,xx55) UL 1 Graphic Line Color
        ("Philips Imaging DD 001", 0x2001, 0x56), // (2001,xx56) CS 1 Graphic Type
        ("Philips Imaging DD 001", 0x2001, 0x57), // (2001,xx57) CS 1 Log Subtraction Taste
        ("Philips Imaging DD 001", 0x2001, 0x58), // (2001,xx58) UL 1 Series Xray Contrast Transfer Taste
        ("Philips Imaging DD 001", 0x2001, 0x59), // (2001,xx59) IS 1 Curve Id
        ("Philips Imaging DD 001", 0x2001, 0x5A), // (2001,xx5A) ST 1 Graphic Annotation Model
        ("Philips Imaging DD 001", 0x2001, 0x5D), // (2001,xx5D) ST 1 Measurement Text Units
        ("Philips Imaging DD 001", 0x2001, 0x5E), // (2001,xx5E) ST 1 Measurement Text Type
        ("Philips Imaging DD 001", 0x2001, 0x5F), // (2001,xx5F) SQ 1-n Stack Sequence
        ("Philips Imaging DD 001", 0x2001, 0x60), // (2001,xx60) SL 1 MR Series Nr Of Stacks
        ("Philips Imaging DD 001", 0x2001, 0x61), // (2001,xx61) CS 1 Series Transmitted
        ("Philips Imaging DD 001", 0x2001, 0x62), // (2001,xx62) CS 1 Series Committed
        ("Philips Imaging DD 001", 0x2001, 0x63), // (2001,xx63) CS 1 Examination Source
        ("Philips Imaging DD 001", 0x2001, 0x64), // (2001,xx64) SH 1 Text Type
        ("Philips Imaging DD 001", 0x2001, 0x65), // (2001,xx65) SQ 1-n Overlay Plane Sequence
        ("Philips Imaging DD 001", 0x2001, 0x66), // (2001,xx66) SQ 1-n Image Curve
        ("Philips Imaging DD 001", 0x2001, 0x67), // (2001,xx67) CS 1 Linear Presentation Gl Trafo Shape Sub
        ("Philips Imaging DD 001", 0x2001, 0x68), // (2001,xx68) SQ 1-n Modality Gl Trafo Sequence
        ("Philips Imaging DD 001", 0x2001, 0x69), // (2001,xx69) SQ 1-n Display Shutter Sequence
        ("Philips Imaging DD 001", 0x2001, 0x6A), // (2001,xx6A) SQ 1-n Spatial Transformation Sequence
        ("Philips Imaging DD 001", 0x2001, 0x6B), // (2001,xx6B) SQ 1-n Edge Enhancement Sequence
        ("Philips Imaging DD 001", 0x2001, 0x6D), // (2001,xx6D) LO 1 Text Font
        ("Philips Imaging DD 001", 0x2001, 0x6E), // (2001,xx6E) SH 1 Series Type
        ("Philips Imaging DD 001", 0x2001, 0x6F), // (2001,xx6F) SQ 1-n Mixing Sequence
        ("Philips Imaging DD 001", 0x2001, 0x71), // (2001,xx71) CS 1 Graphic Constraint
        ("Philips Imaging DD 001", 0x2001, 0x72), // (2001,xx72) IS 2 Ellips Displ Shut Other Ax Scnd End Pnt
        ("Philips Imaging DD 001", 0x2001, 0x73), // (2001,xx73) SQ 1-n Referenced Mask Image Sequence
        ("Philips Imaging DD 001", 0x2001, 0x74), // (2001,xx74) DS 1-n Window Center Sub
        ("Philips Imaging DD 001", 0x2001, 0x75), // (2001,xx75) DS 1-n Window Width Sub
        ("Philips Imaging DD 001", 0x2001, 0x76), // (2001,xx76) UL 1 Presentation State Xray Contrast Transfer Taste
        ("Philips Imaging DD 001", 0x2001, 0x77), // (2001,xx77) CS 1 Gl Trafo Type
        ("Philips Imaging DD 001", 0x2001, 0x79), // (2001,xx79) SQ 1-n Harmonisation Sequence
        ("Philips Imaging DD 001", 0x2001, 0x7A), // (2001,xx7A) FL 1 Window Rounding Factor
        ("Philips Imaging DD 001", 0x2001, 0x7B), // (2001,xx7B) IS 1 MR Series Acquisition Number
        ("Philips Imaging DD 001", 0x2001, 0x7C), // (2001,xx7C) UL 1 Frame Number
        ("Philips Imaging DD 001", 0x2001, 0x7D), // (2001,xx7D) OW/OB 1 Frame Pixel Data
        ("Philips Imaging DD 001", 0x2001, 0x7E), // (2001,xx7E) US 1 Edge Enhancement Gain Taste
        ("Philips Imaging DD 001", 0x2001, 0x7F), // (2001,xx7F) US 1 Edge Enhancement Gain Taste Sub
        ("Philips Imaging DD 001", 0x2001, 0x80), // (2001,xx80) LO 1 Text Anchor Point Alignment
        ("Philips Imaging DD 001", 0x2001, 0x81), // (2001,xx81) IS 1 MR Series Nr Of Dynamic Scans
        ("Philips Imaging DD 001", 0x2001, 0x82), // (2001,xx82) IS 1 MR Series Echo Train Length
        ("Philips Imaging DD 001", 0x2001, 0x83), // (2001,xx83) DS 1 MR Series Imaging Frequency
        ("Philips Imaging DD 001", 0x2001, 0x84), // (2001,xx84) DS 1 MR Series Inversion Time
        ("Philips Imaging DD 001", 0x2001, 0x85), // (2001,xx85) DS 1 MR Series Magnetic Field Strength
        ("Philips Imaging DD 001", 0x2001, 0x86), // (2001,xx86) IS 1 MR Series Nr Of Phase Encoding Steps
        ("Philips Imaging DD 001", 0x2001, 0x87), // (2001,xx87) SH 1 MR Series Nucleus
        ("Philips Imaging DD 001", 0x2001, 0x88), // (2001,xx88) DS 1 MR Series Number Of Averages
        ("Philips Imaging DD 001", 0x2001, 0x89), // (2001,xx89) DS 1 MR Series Percent Phase Field Of View
        ("Philips Imaging DD 001", 0x2001, 0x8A), // (2001,xx8A) DS 1 MR Series Percent Sampling
        ("Philips Imaging DD 001", 0x2001, 0x8B), // (2001,xx8B) SH 1 MR Series Transmitting Coil
        ("Philips Imaging DD 001", 0x2001, 0x8C), // (2001,xx8C) CS 0-n Needs Processing
        ("Philips Imaging DD 001", 0x2001, 0x90), // (2001,xx90) LO 1 Text Foreground Color
        ("Philips Imaging DD 001", 0x2001, 0x91), // (2001,xx91) LO 1 Text Background Color
        ("Philips Imaging DD 001", 0x2001, 0x92), // (2001,xx92) LO 1 Text Shadow Color
        ("Philips Imaging DD 001", 0x2001, 0x93), // (2001,xx93) LO 1 Text Style
        ("Philips Imaging DD 001", 0x2001, 0x94), // (2001,xx94) LO 1 Processing Order Specialization
        ("Philips Imaging DD 001", 0x2001, 0x9A), // (2001,xx9A) SQ 1-n Graphic Number Sequence
        ("Philips Imaging DD 001", 0x2001, 0x9B), // (2001,xx9B) UL 1 Graphic Number
        ("Philips Imaging DD 001", 0x2001, 0x9D), // (2001,xx9D) LO 1 Subtraction Type
        ("Philips Imaging DD 001", 0x2001, 0x9F), // (2001,xx9F) US 2 Pixel Processing Kernel Size
        ("Philips Imaging DD 001", 0x2001, 0xA1), // (2001,xxA1) CS 1 Is Raw Image
        ("Philips Imaging DD 001", 0x2001, 0xA2), // (2001,xxA2) US 1 Log Subtraction Curve Taste
        ("Philips Imaging DD 001", 0x2001, 0xA3), // (2001,xxA3) UL 1 Text Color Foreground
        ("Philips Imaging DD 001", 0x2001, 0xA4), // (2001,xxA4) UL 1 Text Color Background
        ("Philips Imaging DD 001", 0x2001, 0xA5), // (2001,xxA5) UL 1 Text Color Shadow
        ("Philips Imaging DD 001", 0x2001, 0xC0), // (2001,xxC0) UL 1 Content Item Identifier
        ("Philips Imaging DD 001", 0x2001, 0xC1), // (2001,xxC1) LO 1 Nested Object Type Name
        ("Philips Imaging DD 001", 0x2001, 0xC2), // (2001,xxC2) FD 1 Subtraction Rescale Factor
        ("Philips Imaging DD 001", 0x2001, 0xC3), // (2001,xxC3) UL 1 Subtraction Offset
        ("Philips Imaging DD 001", 0x2001, 0xC5), // (2001,xxC5) SQ 0-1 Mask Image Lut Sequence
        ("Philips Imaging DD 001", 0x2001, 0xC6), // (2001,xxC6) SQ 0-1 Gain Lut Sequence
        ("Philips Imaging DD 001", 0x2001, 0xC7), // (2001,xxC7) SQ 0-1 Contrast Image Lut Sequence
        ("Philips Imaging DD 001", 0x2001, 0xCA), // (2001,xxCA) SQ 1 Reversed Modality Lut
        ("Philips Imaging DD 001", 0x2001, 0xCB), // (2001,xxCB) IS 1 Redundant Overlay Plane Id
        ("Philips Imaging DD 001", 0x2001, 0xD0), // (2001,xxD0) AT 1-n Frame Index Pointer
        ("Philips Imaging DD 001", 0x2001, 0xD1), // (2001,xxD1) US 1-n Index Number Vector
        ("Philips Imaging DD 001", 0x2001, 0xD2), // (2001,xxD2) US 1 Frame Detector Number
        ("Philips Imaging DD 001", 0x2001, 0xD3), // (2001,xxD3) US 1 Frame Phase Number
        ("Philips Imaging DD 001", 0x2001, 0xD4), // (2001,xxD4) US 1 Frame Rotation Number
        ("Philips Imaging DD 001", 0x2001, 0xD5), // (2001,xxD5) US 1 Frame Rr Interval Number
        ("Philips Imaging DD 001", 0x2001, 0xD6), // (2001,xxD6) US 1 Frame Time Slot Number
        ("Philips Imaging DD 001", 0x2001, 0xD7), // (2001,xxD7) US 1 Frame Slice Number
        ("Philips Imaging DD 001", 0x2001, 0xD8), // (2001,xxD8) US 1 Frame Angular View Number
        ("Philips Imaging DD 001", 0x2001, 0xD9), // (2001,xxD9) US 1 Frame Time Slice Number
        ("Philips Imaging DD 001", 0x2001, 0xDA), // (2001,xxDA) CS 1 Is Arrowhead
        ("Philips Imaging DD 001", 0x2001, 0xDB), // (2001,xxDB) US 1 PET Rr Interval Index
        ("Philips Imaging DD 001", 0x2001, 0xDC), // (2001,xxDC) US 1 PET Time Slot Index
        ("Philips Imaging DD 001", 0x2001, 0xDD), // (2001,xxDD) US 1 PET Time Slice Index
        ("Philips Imaging DD 001", 0x2001, 0xDE), // (2001,xxDE) US 1 PET Slice Index
        ("Philips Imaging DD 001", 0x2001, 0xDF), // (2001,xxDF) UL 1 Voxel Number
        ("Philips Imaging DD 001", 0x2001, 0xE9), // (2001,xxE9) SQ 0-n Per Frame Voxels Functional Group
        ("Philips Imaging DD 001", 0x2001, 0xF1), // (2001,xxF1) FL 6 MR Image Prospective Motion Correction
        ("Philips Imaging DD 001", 0x2001, 0xF2), // (2001,xxF2) FL 1-n MR Image Retrospective Motion Correction
        ("Philips Imaging DD 001", 0x2001, 0xF3), // (2001,xxF3) CS 1 Dynamic Linear Voigl Trafo
        ("Philips Imaging DD 001", 0x2001, 0xF4), // (2001,xxF4) UL 1 Color Key
        ("Philips Imaging DD 001", 0x2001, 0xF5), // (2001,xxF5) CS 1 Rotated Text Allowed
        ("Philips Imaging DD 001", 0x2001, 0xF6), // (2001,xxF6) UL 1 Number Of Represented Images
        ("Philips Imaging DD 001", 0x2001, 0xF7), // (2001,xxF7) LO 0-n Data Type Icons
        ("Philips Imaging DD 001", 0x2001, 0xF9), // (2001,xxF9) SQ 0-n Flagging Sequence
        ("Philips Imaging DD 001", 0x2001, 0xFB), // (2001,xxFB) SQ 0-1 Bookmark Sequence
        ("Philips Imaging DD 001", 0x2001, 0xFC), // (2001,xxFC) SQ 0-1 Ris Code Sequence
        ("Philips Imaging DD 001", 0x2001, 0xFD), // (2001,xxFD) SQ 0-n Workflow Step Sequence
        ("Philips Imaging DD 001", 0x2001, 0xFF), // (2001,xxFF) OW/OB 1 Volume Pixel

        // Philips Imaging DD 002
        ("Philips Imaging DD 002", 0x2001, 0x01), // (2001,xx01) US 1 Edr Setgp
        ("Philips Imaging DD 002", 0x2001, 0x02), // (2001,xx02) FD 1 Edr Setsk
        ("Philips Imaging DD 002", 0x2001, 0x03), // (2001,xx03) CS 1 Um Rank Type
        ("Philips Imaging DD 002", 0x2001, 0x04), // (2001,xx04) SS 1 Um Rank Number
        ("Philips Imaging DD 002", 0x2001, 0x05), // (2001,xx05) FD 1 Um Rank Enhancement
        ("Philips Imaging DD 002", 0x2001, 0x06), // (2001,xx06) US 1 Um Kernel Size
        ("Philips Imaging DD 002", 0x2001, 0x07), // (2001,xx07) CS 1 Um Gamma Type
        ("Philips Imaging DD 002", 0x2001, 0x08), // (2001,xx08) FD 1 Um Gamma Angle
        ("Philips Imaging DD 002", 0x2001, 0x09), // (2001,xx09) FD 1 Um Gamma Shift
        ("Philips Imaging DD 002", 0x2001, 0x0A), // (2001,xx0A) FD 1 Um Gamma Center
        ("Philips Imaging DD 002", 0x2001, 0x0B), // (2001,xx0B) FD 1 Drr Contrast Equalization
        ("Philips Imaging DD 002", 0x2001, 0x0C), // (2001,xx0C) US 1 Drr Contrast Equalization Kernel Size
        ("Philips Imaging DD 002", 0x2001, 0x0D), // (2001,xx0D) CS 1 Drr Sharp Lut Type
        ("Philips Imaging DD 002", 0x2001, 0x0E), // (2001,xx0E) FD 1 Drr Sharpening
        ("Philips Imaging DD 002", 0x2001, 0x0F), // (2001,xx0F) US 1 Drr Sharp Kernel Size
        ("Philips Imaging DD 002", 0x2001, 0x10), // (2001,xx10) SS 1 Drr Window Width
        ("Philips Imaging DD 002", 0x2001, 0x11), // (2001,xx11) SS 1 Drr Window Level
        ("Philips Imaging DD 002", 0x2001, 0x12), // (2001,xx12) CS 1 Drr Lut Type
        ("Philips Imaging DD 002", 0x2001, 0x13), // (2001,xx13) SS 1 Unique Processing Mode
        ("Philips Imaging DD 002", 0x2001, 0x14), // (2001,xx14) FD 1 Unique Contrast Balance
        ("Philips Imaging DD 002", 0x2001, 0x15), // (2001,xx15) FD 1 Unique Center Density
        ("Philips Imaging DD 002", 0x2001, 0x16), // (2001,xx16) FD 1 Unique Bright Density
        ("Philips Imaging DD 002", 0x2001, 0x17), // (2001,xx17) FD 1 Unique Detail Contrast
        ("Philips Imaging DD 002", 0x2001, 0x18), // (2001,xx18) CS 1 Unique Density Curve
        ("Philips Imaging DD 002", 0x2001, 0x19), // (2001,xx19) FD 1 Unique Density Min
        ("Philips Imaging DD 002", 0x2001, 0x1A), // (2001,xx1A) FD 1 Unique Density Max
        ("Philips Imaging DD 002", 0x2001, 0x1B), // (2001,xx1B) FD 1 Unique Gamma
        ("Philips Imaging DD 002", 0x2001, 0x1C), // (2001,xx1C) FD 1 Unique Gamma Min
        ("Philips Imaging DD 002", 0x2001, 0x1D), // (2001,xx1D) FD 1 Unique Gamma Max
        ("Philips Imaging DD 002", 0x2001, 0x1E), // (2001,xx1E) FD 1 Unique Structure Preference
        ("Philips Imaging DD 002", 0x2001, 0x1F), // (2001,xx1F) FD 1 Unique Noise Limit
        ("Philips Imaging DD 002", 0x2001, 0x20), // (2001,xx20) FD 1 Unique Noise Band
        ("Philips Imaging DD 002", 0x2001, 0x21), // (2001,xx21) FD 1 Unique Noise Step
        ("Philips Imaging DD 002", 0x2001, 0x22), // (2001,xx22) FD 1 Unique Noise Compensation
        ("Philips Imaging DD 002", 0x2001, 0x23), // (2001,xx23) FD 1 Unique Structure Boost
        ("Philips Imaging DD 002", 0x2001, 0x24), // (2001,xx24) FD 1 Unique Strong Contrast Limit
        ("Philips Imaging DD 002", 0x2001, 0x25), // (2001,xx25) FD 1 Unique Strong Contrast Factor
        ("Philips Imaging DD 002", 0x2001, 0x26), // (2001,xx26) FD 1 Unique Structure Boost Offset
        ("Philips Imaging DD 002", 0x2001, 0x27), // (2001,xx27) FD 1 Unique Weak Contrast Limit
        ("Philips Imaging DD 002", 0x2001, 0x28), // (2001,xx28) US 1 Unique Smooth Gain
        ("Philips Imaging DD 002", 0x2001, 0x29), // (2001,xx29) US 1 Unique Level
        ("Philips Imaging DD 002", 0x2001, 0x2A), // (2001,xx2A) US 1 Unique Gain Up Single
        ("Philips Imaging DD 002", 0x2001, 0x2B), // (2001,xx2B) SS 1 Unique Smh Limit One
        ("Philips Imaging DD 002", 0x2001, 0x2C), // (2001,xx2C) FD 1 Unique Film Density Min
        ("Philips Imaging DD 002", 0x2001, 0x2D), // (2001,xx2D) FD 1 Unique Film Density Max
        ("Philips Imaging DD 002", 0x2001, 0x2E), // (2001,xx2E) SS 1 Unique Version
        ("Philips Imaging DD 002", 0x2001, 0x2F), // (2001,xx2F) SS 1 Ranger Version
        ("Philips Imaging DD 002", 0x2001, 0x30), // (2001,xx30) SS 1 Ranger Mode
        ("Philips Imaging DD 002", 0x2001, 0x31), // (2001,xx31) SS 1 Ranger Field1
        ("Philips Imaging DD 002", 0x2001, 0x32), // (2001,xx32) SS 1 Ranger Field2
        ("Philips Imaging DD 002", 0x2001, 0x33), // (2001,xx33) SS 1 Ranger Percentile Key1
        ("Philips Imaging DD 002", 0x2001, 0x34), // (2001,xx34) SS 1 Ranger Percentile Key2
        ("Philips Imaging DD 002", 0x2001, 0x35), // (2001,xx35) FD 1 Ranger Dose1
        ("Philips Imaging DD 002", 0x2001, 0x36), // (2001,xx36) FD 1 Ranger Dose2
        ("Philips Imaging DD 002", 0x2001, 0x37), // (2001,xx37) FD 1 Ranger Manual Dose1
        ("Philips Imaging DD 002", 0x2001, 0x38), // (2001,xx38) FD 1 Ranger Manual Dose2
        ("Philips Imaging DD 002", 0x2001, 0x39), // (2001,xx39) CS 1 Unique Rox Shape
        ("Philips Imaging DD 002", 0x2001, 0x3A), // (2001,xx3A) SQ 1 Ranger Set Sequence
        ("Philips Imaging DD 002", 0x2001, 0x3B), // (2001,xx3B) SQ 0-n Rox Sequence
        ("Philips Imaging DD 002", 0x2001, 0x3C), // (2001,xx3C) SQ 1-n Xray Edge Enhancement Sequence
        ("Philips Imaging DD 002", 0x2001, 0x3D), // (2001,xx3D) SQ 0-1 Edr Lut Sequence
        ("Philips Imaging DD 002", 0x2001, 0x3E), // (2001,xx3E) SS 1 Unique Dose Decades
        ("Philips Imaging DD 002", 0x2001, 0x3F), // (2001,xx3F) SS 1 Unique Dose Unit
        ("Philips Imaging DD 002", 0x2001, 0x40), // (2001,xx40) SS 1 Unique Density Unit
        ("Philips Imaging DD 002", 0x2001, 0x50), // (2001,xx50) CS 1 Workflow Status
        ("Philips Imaging DD 002", 0x2001, 0x52), // (2001,xx52) LO 1 Workflow Step Id
        ("Philips Imaging DD 002", 0x2001, 0x53), // (2001,xx53) CS 1 Workflow Step Status
        ("Philips Imaging DD 002", 0x2001, 0x57), // (2001,xx57) SQ 0-1 Workflow Step Input Sequence
        ("Philips Imaging DD 002", 0x2001, 0x58), // (2001,xx58) SQ 0-1 Workflow Step Output Sequence
        ("Philips Imaging DD 002", 0x2001, 0x5A), // (2001,xx5A) LO 1 Workflow Step Type
        ("Philips Imaging DD 002", 0x2001, 0x5C), // (2001,xx5C) LO 1 Workflow Id
        ("Philips Imaging DD 002", 0x2001, 0x5D), // (2001,xx5D) UL 1 Pixel Data Representation Rows
        ("Philips Imaging DD 002", 0x2001, 0x5E), // (2001,xx5E) UL 1 Pixel Data Representation Columns
        ("Philips Imaging DD 002", 0x2001, 0x5F), // (2001,xx5F) SQ 0-1 Private Dicom Extension Sequence
        ("Philips Imaging DD 002", 0x2001, 0x63), // (2001,xx63) ST 1 Isyntax Reference
        ("Philips Imaging DD 002", 0x2001, 0x64), // (2001,xx64) SQ 0-1 Workflow Step Job Params Sequence
        ("Philips Imaging DD 002", 0x2001, 0x65), // (2001,xx65) CS 1 Preserve Aspect
        ("Philips Imaging DD 002", 0x2001, 0x66), // (2001,xx66) CS 1 Interpolated
        ("Philips Imaging DD 002", 0x2001, 0x67), // (2001,xx67) LO 1 Error Flag
        ("Philips Imaging DD 002", 0x2001, 0x68), // (2001,xx68) LO 1 Error Message Id
        ("Philips Imaging DD 002", 0x2001, 0x6B), // (2001,xx6B) LO 0-n Suitable For
        ("Philips Imaging DD 002", 0x2001, 0x71), // (2001,xx71) CS 1 Submit Mpps Job
        ("Philips Imaging DD 002", 0x2001, 0x72), // (2001,xx72) FL 2 Displayed Area Bottom Right Hand Corner Fraction
        ("Philips Imaging DD 002", 0x2001, 0x73), // (2001,xx73) FL 2 Displayed Area Top Left Hand Corner Fraction
        ("Philips Imaging DD 002", 0x2001, 0x74), // (2001,xx74) LO 1 Interpolation Mode
        ("Philips Imaging DD 002", 0x2001, 0x75), // (2001,xx75) SS 0-n Graphic Annotation Id Reference

        // Philips Imaging DD 097
        ("Philips Imaging DD 097", 0x2001, 0x01), // (2001,xx01) SQ 1 View Geometry
        ("Philips Imaging DD 097", 0x2001, 0x02), // (2001,xx02) FD 3 Frame Geometry Origin
        ("Philips Imaging DD 097", 0x2001, 0x03), // (2001,xx03) FD 2 Frame Geometry Extent
        ("Philips Imaging DD 097", 0x2001, 0x04), // (2001,xx04) FD 6 Frame Geometry Orientation
        ("Philips Imaging DD 097", 0x2001, 0x05), // (2001,xx05) SQ 1-n Visual Sequence
        ("Philips Imaging DD 097", 0x2001, 0x06), // (2001,xx06) SQ 0-n Cut Sequence
        ("Philips Imaging DD 097", 0x2001, 0x07), // (2001,xx07) FD 1 Visual Opacity
        ("Philips Imaging DD 097", 0x2001, 0x08), // (2001,xx08) SQ 1 Opacity Map Sequence
        ("Philips Imaging DD 097", 0x2001, 0x0A), // (2001,xx0A) SQ 1-n Light Sequence
        ("Philips Imaging DD 097", 0x2001, 0x0B), // (2001,xx0B) SQ 1 Color Map Sequence
        ("Philips Imaging DD 097", 0x2001, 0x0D), // (2001,xx0D) FD 1 Visual Threshold
        ("Philips Imaging DD 097", 0x2001, 0x0E), // (2001,xx0E) SQ 0-n Scene Sequence
        ("Philips Imaging DD 097", 0x2001, 0x0F), // (2001,xx0F) FD 2 Frame Geometry Slab
        ("Philips Imaging DD 097", 0x2001, 0x12), // (2001,xx12) SQ 1 Gradient Map Sequence
        ("Philips Imaging DD 097", 0x2001, 0x17), // (2001,xx17) US 1 Display Rows
        ("Philips Imaging DD 097", 0x2001, 0x18), // (2001,xx18) US 1 Display Columns
        ("Philips Imaging DD 097", 0x2001, 0x19), // (2001,xx19) LO 1 Frame Geometry Type
        ("Philips Imaging DD 097", 0x2001, 0x1A), // (2001,xx1A) FD 1 Light Intensity
        ("Philips Imaging DD 097", 0x2001, 0x1B), // (2001,xx1B) UL 1 Light Color
        ("Philips Imaging DD 097", 0x2001, 0x1C), // (2001,xx1C) FD 3 Light Origin
        ("Philips Imaging DD 097", 0x2001, 0x1D), // (2001,xx1D) FD 3 Light Direction
        ("Philips Imaging DD 097", 0x2001, 0x1E), // (2001,xx1E) FD 4-n Color Map Samples
        ("Philips Imaging DD 097", 0x2001, 0x1F), // (2001,xx1F) FD 2-n Opacity Map Samples
        ("Philips Imaging DD 097", 0x2001, 0x21), // (2001,xx21) UL 1 Visual Color
        ("Philips Imaging DD 097", 0x2001, 0x22), // (2001,xx22) FD 1 Illumination Ambient
        ("Philips Imaging DD 097", 0x2001, 0x23), // (2001,xx23) FD 1 Illumination Diffuse
        ("Philips Imaging DD 097", 0x2001, 0x24), // (2001,xx24) FD 1 Illumination Specular
        ("Philips Imaging DD 097", 0x2001, 0x25), // (2001,xx25) FD 1 Illumination Specular Power
        ("Philips Imaging DD 097", 0x2001, 0x26), // (2001,xx26) FD 1 Depth Cue Begin
        ("Philips Imaging DD 097", 0x2001, 0x27), // (2001,xx27) FD 1 Depth Cue Lambda
        ("Philips Imaging DD 097", 0x2001, 0x28), // (2001,xx28) LO 1 Depth Cue Function
        ("Philips Imaging DD 097", 0x2001, 0x2A), // (2001,xx2A) LO 1 Cut Set Type
        ("Philips Imaging DD 097", 0x2001, 0x2B), // (2001,xx2B) FD 3 Cut Plane Origin
        ("Philips Imaging DD 097", 0x2001, 0x2C), // (2001,xx2C) FD 3 Cut Plane Normal
        ("Philips Imaging DD 097", 0x2001, 0x2D), // (2001,xx2D) UL 1 Volume Definition Number
        ("Philips Imaging DD 097", 0x2001, 0x2E), // (2001,xx2E) SQ 0-1 Volume Mask Sequence
        ("Philips Imaging DD 097", 0x2001, 0x2F), // (2001,xx2F) OB 1 Volume Mask Data
        ("Philips Imaging DD 097", 0x2001, 0x30), // (2001,xx30) SL 3 Volume Mask Offset
        ("Philips Imaging DD 097", 0x2001, 0x31), // (2001,xx31) SL 3 Volume Mask Size
        ("Philips Imaging DD 097", 0x2001, 0x32), // (2001,xx32) SL 2 Volume Mask Alignment
        ("Philips Imaging DD 097", 0x2001, 0x36), // (2001,xx36) LO 1 Light Anchor
        ("Philips Imaging DD 097", 0x2001, 0x37), // (2001,xx37) FD 3 Cone Geometry Origin
        ("Philips Imaging DD 097", 0x2001, 0x38), // (2001,xx38) FD 9 Cone Geometry Orientation
        ("Philips Imaging DD 097", 0x2001, 0x39), // (2001,xx39) FD 1 Cone Geometry View Distance
        ("Philips Imaging DD 097", 0x2001, 0x3A), // (2001,xx3A) FD 2 Cone Geometry Slab Extent
        ("Philips Imaging DD 097", 0x2001, 0x3B), // (2001,xx3B) FD 2 Cone Geometry Field Of View
        ("Philips Imaging DD 097", 0x2001, 0x3C), // (2001,xx3C) SQ 1 Intensity Map Sequence
        ("Philips Imaging DD 097", 0x2001, 0x3D), // (2001,xx3D) FD 1-n Intensity Map Samples
        ("Philips Imaging DD 097", 0x2001, 0x3E), // (2001,xx3E) SQ 0-n Mesh Sequence
        ("Philips Imaging DD 097", 0x2001, 0x40), // (2001,xx40) UL 1 Mesh Color
        ("Philips Imaging DD 097", 0x2001, 0x41), // (2001,xx41) LO 1 Mesh Draw Style
        ("Philips Imaging DD 097", 0x2001, 0x42), // (2001,xx42) SQ 0-n Mesh Section Sequence
        ("Philips Imaging DD 097", 0x2001, 0x44), // (2001,xx44) LO 1 Mesh Section Vertex Connectivity
        ("Philips Imaging DD 097", 0x2001, 0x45), // (2001,xx45) SL 1 Mesh Section Vertex Size
        ("Philips Imaging DD 097", 0x2001, 0x46), // (2001,xx46) LO 1 Mesh Section Vertex Format
        ("Philips Imaging DD 097", 0x2001, 0x47), // (2001,xx47) OB 1-n Mesh Section Vertex Data
        ("Philips Imaging DD 097", 0x2001, 0x49), // (2001,xx49) SQ 1 Referenced Volume Definition Sequence
        ("Philips Imaging DD 097", 0x2001, 0x4A), // (2001,xx4A) OB 1-n Mesh Section Index Data
        ("Philips Imaging DD 097", 0x2001, 0x4B), // (2001,xx4B) SL 1 Mesh Section Index Size
        ("Philips Imaging DD 097", 0x2001, 0x4C), // (2001,xx4C) LO 1 Shutter Interaction Type
        ("Philips Imaging DD 097", 0x2001, 0xA1), // (2001,xxA1) CS 1-2 Volume Type
        ("Philips Imaging DD 097", 0x2001, 0xA2), // (2001,xxA2) FD 3 Volume Origin
        ("Philips Imaging DD 097", 0x2001, 0xA3), // (2001,xxA3) FD 9 Volume Axis
        ("Philips Imaging DD 097", 0x2001, 0xA4), // (2001,xxA4) FD 2 Volume Pixel Spacing
        ("Philips Imaging DD 097", 0x2001, 0xA5), // (2001,xxA5) FD 1-n Volume Slice Spacing
        ("Philips Imaging DD 097", 0x2001, 0xA6), // (2001,xxA6) US 1 Volume Slices
        ("Philips Imaging DD 097", 0x2001, 0xA8), // (2001,xxA8) IS 1-n Referenced Volume Definition Number
        ("Philips Imaging DD 097", 0x2001, 0xA9), // (2001,xxA9) SQ 0-n Linear Modality Gl Trafo Sequence
        ("Philips Imaging DD 097", 0x2001, 0xAA), // (2001,xxAA) FD 1-n Volume Slice Offsets
        ("Philips Imaging DD 097", 0x2001, 0xAB), // (2001,xxAB) IS 1 Number Of Volume Definitions

        // Philips Imaging DD 129
        ("Philips Imaging DD 129", 0x2001, 0x00), // (2001,xx00) SQ 1 Presentation State Sequence
        ("Philips Imaging DD 129", 0x2001, 0x01), // (2001,xx01) SQ 1 Embedded Original Presentation State Sequence
        ("Philips Imaging DD 129", 0x2001, 0x02), // (2001,xx02) SQ 0-1 Planar Intersection Sequence
        ("Philips Imaging DD 129", 0x2001, 0x03), // (2001,xx03) UL 1 Plane Separator Line Color
        ("Philips Imaging DD 129", 0x2001, 0x04), // (2001,xx04) SQ 1-n Plane Sequence
        ("Philips Imaging DD 129", 0x2001, 0x05), // (2001,xx05) FD 4 Plane Equation
        ("Philips Imaging DD 129", 0x2001, 0x06), // (2001,xx06) FD 1 Plane Opacity
        ("Philips Imaging DD 129", 0x2001, 0x07), // (2001,xx07) CS 1 Plane Enabled
        ("Philips Imaging DD 129", 0x2001, 0x08), // (2001,xx08) CS 1 Plane Selected
        ("Philips Imaging DD 129", 0x2001, 0x09), // (2001,xx09) UL 1 Plane Highlight Color

        // Philips ST80i
        ("Philips ST80i", 0x0025, 0x01), // (0025,xx01) OW 1 ST80i Stress Study file data

        // SIEMENS MR HEADER
        ("SIEMENS MR HEADER", 0x0019, 0x0C), // (0019,xx0C) IS 1 B Value
        ("SIEMENS MR HEADER", 0x0019, 0x0D), // (0019,xx0D) CS 1 Diffusion Directionality
        ("SIEMENS MR HEADER", 0x0019, 0x0E), // (0019,xx0E) FD 3 Diffusion Gradient Direction
        ("SIEMENS MR HEADER", 0x0019, 0x27), // (0019,xx27) FD 6 B Matrix

        // GEMS_PARM_01
        ("GEMS_PARM_01", 0x0043, 0x39), // (0043,xx39) IS 4 1stvalue is B Value
        ("GEMS_PARM_01", 0x0043, 0x6F), // (0043,xx6F) DS 3-4 Scanner Table Entry + Gradient Coil Selected

        // GEMS_SERS_01
        ("GEMS_SERS_01", 0x0025, 0x07), // (0025,xx07) SL 1 Images in Series

        // HOLOGIC, Inc.
        ("HOLOGIC, Inc.", 0x7E01, 0x01), // (7E01,xx01) LO 1 Codec Version
        ("HOLOGIC, Inc.", 0x7E01, 0x02), // (7E01,xx02) SH 1 Codec Content Type
        ("HOLOGIC, Inc.", 0x7E01, 0x10), // (7E01,xx10) SQ 1 High Resolution Data Sequence
        ("HOLOGIC, Inc.", 0x7E01, 0x11), // (7E01,xx11) SQ 1 Low Resolution Data Sequence
        ("HOLOGIC, Inc.", 0x7E01, 0x12), // (7E01,xx12) OB 1 Codec Content

        // NQHeader
        ("NQHeader", 0x0099, 0x01), // (0099,xx01) UI 1 Version
        ("NQHeader", 0x0099, 0x02), // (0099,xx02) UI 1 Analyzed Series UID
        ("NQHeader", 0x0099, 0x04), // (0099,xx04) SS 1 Return Code
        ("NQHeader", 0x0099, 0x05), // (0099,xx05) LT 1 Return Message
        ("NQHeader", 0x0099, 0x10), // (0099,xx10) FL 1 MI
        ("NQHeader", 0x0099, 0x20), // (0099,xx20) SH 1 Units
        ("NQHeader", 0x0099, 0x21), // (0099,xx21) FL 1 ICV

        // NQLeft
        ("NQLeft", 0x0199, 0x01), // (0199,xx01) FL 1 Left Cortical White Matter
        ("NQLeft", 0x0199, 0x02), // (0199,xx02) FL 1 Left Cortical Gray Matter
        ("NQLeft", 0x0199, 0x03), // (0199,xx03) FL 1 Left 3rd Ventricle
        ("NQLeft", 0x0199, 0x04), // (0199,xx04) FL 1 Left 4th Ventricle
        ("NQLeft", 0x0199, 0x05), // (0199,xx05) FL 1 Left 5th Ventricle
        ("NQLeft", 0x0199, 0x06), // (0199,xx06) FL 1 Left Lateral Ventricle
        ("NQLeft", 0x0199, 0x07), // (0199,xx07) FL 1 Left Inferior Lateral Ventricle
        ("NQLeft", 0x0199, 0x08), // (0199,xx08) FL 1 Left Inferior CSF
        ("NQLeft", 0x0199, 0x09), // (0199,xx09) FL 1 Left Cerebellar White Matter
        ("NQLeft", 0x0199, 0x0A), // (0199,xx0A) FL 1 Left Cerebellar Gray Matter
        ("NQLeft", 0x0199, 0x0B), // (0199,xx0B) FL 1 Left Hippocampus
        ("NQLeft", 0x0199, 0x0C), // (0199,xx0C) FL 1 Left Amygdala
        ("NQLeft", 0x0199, 0x0D), // (0199,xx0D) FL 1 Left Thalamus
        ("NQLeft", 0x0199, 0x0E), // (0199,xx0E) FL 1 Left Caudate
        ("NQLeft", 0x0199, 0x0F), // (0199,xx0F) FL 1 Left Putamen
        ("NQLeft", 0x0199, 0x10), // (0199,xx10) FL 1 Left Pallidum
        ("NQLeft", 0x0199, 0x11), // (0199,xx11) FL 1 Left Ventral Diencephalon
        ("NQLeft", 0x0199, 0x12), // (0199,xx12) FL 1 Left Nucleus Accumbens
        ("NQLeft", 0x0199, 0x13), // (0199,xx13) FL 1 Left Brain Stem
        ("NQLeft", 0x0199, 0x14), // (0199,xx14) FL 1 Left Exterior CSF
        ("NQLeft", 0x0199, 0x15), // (0199,xx15) FL 1 Left WM Hypo
        ("NQLeft", 0x0199, 0x16), // (0199,xx16) FL 1 Left Other

        // NQRight
        ("NQRight", 0x0299, 0x01), // (0299,xx01) FL 1 Right Cortical White Matter
        ("NQRight", 0x0299, 0x02), // (0299,xx02) FL 1 Right Cortical Gray Matter
        ("NQRight", 0x0299, 0x03), // (0299,xx03) FL 1 Right 3rd Ventricle
        ("NQRight", 0x0299, 0x04), // (0299,xx04) FL 1 Right 4th Ventricle
        ("NQRight", 0x0299, 0x05), // (0299,xx05) FL 1 Right 5th Ventricle
        ("NQRight", 0x0299, 0x06), // (0299,xx06) FL 1 Right Lateral Ventricle
        ("NQRight", 0x0299, 0x07), // (0299,xx07) FL 1 Right Inferior Lateral Ventricle
        ("NQRight", 0x0299, 0x08), // (0299,xx08) FL 1 Right Inferior CSF
        ("NQRight", 0x0299, 0x09), // (0299,xx09) FL 1 Right Cerebellar White Matter
        ("NQRight", 0x0299, 0x0A), // (0299,xx0A) FL 1 Right Cerebellar Gray Matter
        ("NQRight", 0x0299, 0x0B), // (0299,xx0B) FL 1 Right Hippocampus
        ("NQRight", 0x0299, 0x0C), // (0299,xx0C) FL 1 Right Amygdala
        ("NQRight", 0x0299, 0x0D), // (0299,xx0D) FL 1 Right Thalamus
        ("NQRight", 0x0299, 0x0E), // (0299,xx0E) FL 1 Right Caudate
        ("NQRight", 0x0299, 0x0F), // (0299,xx0F) FL 1 Right Putamen
        ("NQRight", 0x0299, 0x10), // (0299,xx10) FL 1 Right Pallidum
        ("NQRight", 0x0299, 0x11), // (0299,xx11) FL 1 Right Ventral Diencephalon
        ("NQRight", 0x0299, 0x12), // (0299,xx12) FL 1 Right Nucleus Accumbens
        ("NQRight", 0x0299, 0x13), // (0299,xx13) FL 1 Right Brain Stem
        ("NQRight", 0x0299, 0x14), // (0299,xx14) FL 1 Right Exterior CSF
        ("NQRight", 0x0299, 0x15), // (0299,xx15) FL 1 Right WM Hypo
        ("NQRight", 0x0299, 0x16), // (0299,xx16) FL 1 Right Other

        // Philips MR Imaging DD 001
        ("Philips MR Imaging DD 001", 0x2005, 0x0D), // (2005,xx0D) FL 1 Scale Intercept
        ("Philips MR Imaging DD 001", 0x2005, 0x0E), // (2005,xx0E) FL 1 Scale Slope

        // SIEMENS Ultrasound SC2000
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x00), // (0119,xx00) LO 1 Acoustic Meta Information Version
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x01), // (0119,xx01) OB 1 Common Acoustic Meta Information
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x02), // (0119,xx02) SQ 1 Multi Stream Sequence
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x03), // (0119,xx03) SQ 1 Acoustic Data Sequence
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x04), // (0119,xx04) OB 1 Per Transaction Acoustic Control Information
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x05), // (0119,xx05) UL 1 Acoustic Data Offset
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x06), // (0119,xx06) UL 1 Acoustic Data Length
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x07), // (0119,xx07) UL 1 Footer Offset
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x08), // (0119,xx08) UL 1 Footer Length
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x09), // (0119,xx09) SS 1 Acoustic Stream Number
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x10), // (0119,xx10) SH 1 Acoustic Stream Type
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x11), // (0119,xx11) - 1 Stage Timer Time
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x12), // (0119,xx12) - 1 Stop Watch Time
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x13), // (0119,xx13) IS 1 Volume Rate
        ("SIEMENS Ultrasound SC2000", 0x0119, 0x21), // (0119,xx21) SH 1 -
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x00), // (0129,xx00) SQ 1 MPR View Sequence
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x02), // (0129,xx02) UI 1 Bookmark UID
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x03), // (0129,xx03) - 1 Plane Origin Vector
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x04), // (0129,xx04) - 1 Row Vector
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x05), // (0129,xx05) - 1 Column Vector
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x06), // (0129,xx06) SQ 1 Visualization Sequence
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x07), // (0129,xx07) UI 1 Bookmark UID
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x08), // (0129,xx08) OB 1 Visualization Information
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x09), // (0129,xx09) SQ 1 Application State Sequence
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x10), // (0129,xx10) OB 1 Application State Information
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x11), // (0129,xx11) SQ 1 Referenced Bookmark Sequence
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x12), // (0129,xx12) UI 1 Referenced Bookmark UID
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x20), // (0129,xx20) SQ 1 Cine Parameters Sequence
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x21), // (0129,xx21) OB 1 Cine Parameters Schema
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x22), // (0129,xx22) OB 1 Values of Cine Parameters
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x29), // (0129,xx29) OB 1 -
        ("SIEMENS Ultrasound SC2000", 0x0129, 0x30), // (0129,xx30) CS 1 Raw Data Object Type
        ("SIEMENS Ultrasound SC2000", 0x0139, 0x01), // (0139,xx01) SL 1 Physio Capture ROI
        ("SIEMENS Ultrasound SC2000", 0x0149, 0x01), // (0149,xx01) FD 1-n Vector of BROI Points
        ("SIEMENS Ultrasound SC2000", 0x0149, 0x02), // (0149,xx02) FD 1-n Start/End Timestamps of Strip Stream
        ("SIEMENS Ultrasound SC2000", 0x0149, 0x03), // (0149,xx03) FD 1-n Timestamps of Visible R-waves
        ("SIEMENS Ultrasound SC2000", 0x7FD1, 0x01), // (7FD1,xx01) OB 1 Acoustic Image and Footer Data
        ("SIEMENS Ultrasound SC2000", 0x7FD1, 0x09), // (7FD1,xx09) UI 1 Volume Version ID
        ("SIEMENS Ultrasound SC2000", 0x7FD1, 0x10), // (7FD1,xx10) OB 1 Volume Payload
        ("SIEMENS Ultrasound SC2000", 0x7FD1, 0x11), // (7FD1,xx11) OB 1 After Payload

        // SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING
        ("SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING", 0x7FD1, 0x01), // (7FD1,xx01) OB 1 Padding
        ("SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING", 0x7FD1, 0x09), // (7FD1,xx09) UI 1 Version ID
        ("SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING", 0x7FD1, 0x10), // (7FD1,xx10) OB 1 Volume Payload
        ("SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING", 0x7FD1, 0x11), // (7FD1,xx11) OB 1 After Payload
    }.ToFrozenSet();
}
