using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Tests;

public sealed class SafePrivateTableTests
{
    [Theory]
    // (gggg,xxEE) rows of PS3.15 Table E.3.10-1, placed in the block the creator reserves at (gggg,0010).
    [InlineData("GEMS_ACQU_01", 0x0019, 0x1023)] // DS Table Speed
    [InlineData("GEMS_ACQU_01", 0x0019, 0x109E)] // LO Internal Pulse Sequence Name
    [InlineData("GEMS_PARM_01", 0x0043, 0x1027)] // SH Scan Pitch Ratio
    [InlineData("GEMS_PARM_01", 0x0043, 0x1039)] // IS 1st value is B Value
    [InlineData("GEMS_PARM_01", 0x0043, 0x106F)] // DS Scanner Table Entry
    [InlineData("GEMS_HELIOS_01", 0x0045, 0x1001)]
    [InlineData("GEMS_SERS_01", 0x0025, 0x1007)] // SL Images in Series
    [InlineData("GEIIS PACS", 0x0903, 0x1012)] // US Confidential Flag
    [InlineData("ELSCINT1", 0x00E1, 0x1021)] // DS DLP
    [InlineData("ELSCINT1", 0x01F1, 0x1027)] // DS Rotation Time
    [InlineData("Philips PET Private Group", 0x7053, 0x1000)] // DS SUV Factor
    [InlineData("Philips PET Private Group", 0x7053, 0x1009)] // DS Activity Concentration Factor
    [InlineData("Philips Imaging DD 001", 0x2001, 0x1003)] // FL MR Image Diffusion B-Factor
    [InlineData("Philips Imaging DD 001", 0x2001, 0x10FF)] // OW/OB Volume Pixel
    [InlineData("Philips Imaging DD 002", 0x2001, 0x1075)] // SS Graphic Annotation Id Reference
    [InlineData("Philips Imaging DD 097", 0x2001, 0x10AB)] // IS Number Of Volume Definitions
    [InlineData("Philips Imaging DD 129", 0x2001, 0x1000)] // SQ Presentation State Sequence (element byte 00)
    [InlineData("Philips MR Imaging DD 001", 0x2005, 0x100E)] // FL Scale Slope
    [InlineData("Philips ST80i", 0x0025, 0x1001)]
    [InlineData("SIEMENS MR HEADER", 0x0019, 0x100C)] // IS B Value
    [InlineData("SIEMENS MR HEADER", 0x0019, 0x1027)] // FD B Matrix
    [InlineData("HOLOGIC, Inc.", 0x7E01, 0x1012)] // OB Codec Content
    [InlineData("NQHeader", 0x0099, 0x1021)] // FL ICV
    [InlineData("NQLeft", 0x0199, 0x1016)] // FL Left Other
    [InlineData("NQRight", 0x0299, 0x100B)] // FL Right Hippocampus
    [InlineData("SIEMENS Ultrasound SC2000", 0x0119, 0x1011)] // (no VR given) Stage Timer Time
    [InlineData("SIEMENS Ultrasound SC2000", 0x7FD1, 0x1011)] // OB After Payload
    [InlineData("SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING", 0x7FD1, 0x1009)] // UI Version ID
    public void IsSafe_TableRow_True(string creator, int group, int element)
    {
        Assert.True(SafePrivateTable.IsSafe(creator, new DicomTag((ushort)group, (ushort)element)));
    }

    [Theory]
    [InlineData(0x10)]
    [InlineData(0x11)]
    [InlineData(0x2A)]
    [InlineData(0xFF)]
    public void IsSafe_AnyBlockOfTheCreator_True(int block)
    {
        // The table names the element byte; the block (xx) is wherever the creator was placed.
        var tag = new DicomTag(0x0019, (ushort)((block << 8) | 0x23));
        Assert.True(SafePrivateTable.IsSafe("GEMS_ACQU_01", tag));
    }

    [Theory]
    [InlineData("GEMS_ACQU_01 ")] // LO padded to even length with a space
    [InlineData("GEMS_ACQU_01\0")] // padded with NUL by some writers
    [InlineData(" GEMS_ACQU_01")] // leading spaces are not significant in LO
    [InlineData("GEMS_ACQU_01  \0")]
    public void IsSafe_CreatorPadding_Ignored(string creator)
    {
        Assert.True(SafePrivateTable.IsSafe(creator, new DicomTag(0x0019, 0x1023)));
    }

    [Fact]
    public void IsSafe_PaddedMultiWordCreator_True()
    {
        Assert.True(SafePrivateTable.IsSafe("Philips PET Private Group ", new DicomTag(0x7053, 0x1000)));
        Assert.True(SafePrivateTable.IsSafe("HOLOGIC, Inc.\0", new DicomTag(0x7E01, 0x1001)));
    }

    [Theory]
    [InlineData("ACME_PRIVATE", 0x0019, 0x1023)] // unknown creator
    [InlineData("", 0x0019, 0x1023)] // empty creator
    [InlineData("GEMS_ACQU_01", 0x0019, 0x1030)] // element not in the table
    [InlineData("GEMS_ACQU_01", 0x0021, 0x1023)] // right creator and element byte, wrong group
    [InlineData("GEMS_ACQU_02", 0x0019, 0x1023)] // near-miss creator
    [InlineData("gems_acqu_01", 0x0019, 0x1023)] // creators are compared exactly (PS3.5 7.8.1)
    [InlineData("Philips Imaging DD 002", 0x2001, 0x1090)] // DD 001 lists xx90, DD 002 does not
    [InlineData("Philips Imaging DD 001", 0x2001, 0x1052)] // gap in the DD 001 rows
    [InlineData("SIEMENS MR HEADER", 0x0019, 0x1010)] // other SIEMENS MR HEADER elements are not listed
    [InlineData("SIEMENS CSA HEADER", 0x0029, 0x1010)] // the CSA header is not safe
    public void IsSafe_NotInTable_False(string creator, int group, int element)
    {
        Assert.False(SafePrivateTable.IsSafe(creator, new DicomTag((ushort)group, (ushort)element)));
    }

    [Theory]
    [InlineData(0x0010, 0x0010)] // Patient's Name
    [InlineData(0x0008, 0x0070)] // Manufacturer
    [InlineData(0x0018, 0x1023)] // even group with a listed element byte
    [InlineData(0x0002, 0x0010)] // file meta
    [InlineData(0x0001, 0x1023)] // odd group below 0008 is not private (PS3.5 7.8.1)
    [InlineData(0x0003, 0x1023)]
    [InlineData(0x0007, 0x1023)]
    [InlineData(0xFFFF, 0x1023)]
    public void IsSafe_NonPrivateTag_False(int group, int element)
    {
        Assert.False(SafePrivateTable.IsSafe("GEMS_ACQU_01", new DicomTag((ushort)group, (ushort)element)));
    }

    [Theory]
    [InlineData(0x0019, 0x0010)]
    [InlineData(0x0019, 0x0023)] // a creator slot whose low byte equals a listed element byte
    [InlineData(0x7053, 0x0010)]
    public void IsSafe_PrivateCreatorElement_False(int group, int element)
    {
        Assert.False(SafePrivateTable.IsSafe("Philips PET Private Group", new DicomTag((ushort)group, (ushort)element)));
        Assert.False(SafePrivateTable.IsSafe("GEMS_ACQU_01", new DicomTag((ushort)group, (ushort)element)));
    }

    [Fact]
    public void Table_HoldsEveryRowOfTheEdition()
    {
        Assert.Equal(479, SafePrivateTable.Count);
        Assert.Contains("2026d", SafePrivateTable.Edition, StringComparison.Ordinal);
        Assert.DoesNotContain("pending", SafePrivateTable.Edition, StringComparison.Ordinal);
    }
}
