using MedImageCleaner.Core.Imaging;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Pixels;
using MedImageCleaner.Core.Pixels.Ocr;
using MedImageCleaner.Core.Tests.Redaction;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom.Codecs;
using Xunit.Abstractions;

namespace MedImageCleaner.Core.Tests.Pixels;

/// <summary>The colour-difference view (coloured text the luminance view loses) and header-name fragments in OCR words.</summary>
public sealed class ColourAndFragmentTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("JOHNS", true)]      // the start of the surname, the rest filled
    [InlineData("stone", true)]      // its end, lower case
    [InlineData("J0HNST", true)]     // O read as 0
    [InlineData("MARGA", true)]      // the start of a given name
    [InlineData("JOHN", false)]      // 4 characters: too short to count
    [InlineData("HNSTO", false)]     // the middle is not a prefix or suffix
    [InlineData("Depth", false)]     // an ordinary label
    public void Classify_FragmentOfHeaderName_FlaggedFromFiveCharacters(string word, bool phi)
    {
        var context = new PhiContext();
        context.PersonNames.Add("JOHNSTONE^MARGARET");
        var kinds = new PhiTextClassifier().Classify([new OcrWord(new PixelBox(0, 0, 50, 10), 90, word)], context);
        Assert.Equal(phi, kinds[0] is not null);
    }

    [Theory]
    [InlineData("MARSH, DORIAN", true)]      // a name as imaging systems print it, not in the header
    [InlineData("O'NEIL, ANNE-MARIE", true)]
    [InlineData("Marsh^Dorian", true)]       // the raw DICOM form
    [InlineData("CHEST, PA", false)]         // anatomy or technique on either side is not a name
    [InlineData("AXIAL, CORONAL", false)]
    [InlineData("AP, ERECT", false)]         // projection and position labels of radiographs
    [InlineData("LEFT, MLO", false)]
    [InlineData("Marsh, Dorian", false)]     // mixed case with a comma: ordinary prose, left to the header's names
    [InlineData("T1, AXIAL", false)]
    public void Classify_PrintedNameWithoutHeaderMatch_FlaggedAsPersonName(string line, bool phi)
    {
        var words = line.Split(' ').Select((w, i) => new OcrWord(new PixelBox(i * 60, 0, 50, 10), 90, w)).ToList();
        var kinds = new PhiTextClassifier().Classify(words, new PhiContext());
        Assert.Equal(phi, kinds.All(k => k == PhiKind.PersonName));
        Assert.Equal(phi, kinds.Any(k => k is not null));
    }

    [Theory]
    [InlineData("DOB: 26/0 1994", "-DD")]        // a date broken by a line through it: no date pattern, but the DOB's value
    [InlineData("Age: O2BY", "-A")]              // "028Y" as OCR read it
    [InlineData("Patient ID: E2O26O5", "--I")]
    [InlineData("Name: TANAKA, DORIAN", "-PP")]
    [InlineData("Sex: F Kernel: B30f", "----")]  // other labels' values are not PHI
    [InlineData("DOB 1994", "--")]               // a label without its colon is not taken
    [InlineData("Name: a", "--")]                // one character is not a value
    public void Classify_ValueOfAnIdentifyingLabel_FlaggedWhateverOcrMadeOfIt(string line, string expected)
    {
        var words = line.Split(' ').Select((w, i) => new OcrWord(new PixelBox(i * 60, 0, 50, 10), 90, w)).ToList();
        var kinds = new PhiTextClassifier().Classify(words, null);
        var actual = new string(kinds.Select(static k => k switch
        {
            null => '-',
            PhiKind.Date => 'D',
            PhiKind.Age => 'A',
            PhiKind.PersonName => 'P',
            PhiKind.Identifier or PhiKind.MedicalRecordNumber => 'I',
            _ => '?',
        }).ToArray());
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ColourView_GreyRgbFrame_Null()
    {
        var data = new byte[16 * 16 * 3];
        Array.Fill(data, (byte)128);
        Assert.Null(ColourView.Create(new DecodedFrame(16, 16, 3, 8, 8, false, "RGB", data)));
    }

    /// <summary>
    /// j2k_rgb_text.dcm: red, green and blue words on grey. The luminance view has no line where "red" and "green" are
    /// (their strokes are too faint for the edge detector at that height); the colour view has all three lines.
    /// </summary>
    [RequiresFact(Requirements.Corpus, Requirements.Ocr, "dcmdump")]
    public void ColourView_ColouredWordsOnGrey_AllLinesAreCandidates()
    {
        var path = RedactionTestSupport.CorpusPath("burned-in", "j2k_rgb_text.dcm");

        CoreCodecs.EnsureRegistered();
        var frame = RedactionTestSupport.DecodeAll(path)[0];
        using var colour = ColourView.Create(frame);
        Assert.NotNull(colour);
        var lines = new EdgeTextDetector().Find(colour).Where(c => c.Components >= 2).ToList();
        output.WriteLine("colour-view lines: " + string.Join(", ", lines.Select(l => l.Box)));
        Assert.True(lines.Count >= 3, $"{lines.Count} lines of 2+ components on the colour view");
    }
}
