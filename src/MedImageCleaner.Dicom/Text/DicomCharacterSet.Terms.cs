using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace MedImageCleaner.Dicom;

/// <content>The tables built once from the standard: defined terms to code elements (PS3.3 C.12.1.1.2) and escape sequences to designations (PS3.5 6.1.2.5).</content>
public sealed partial class DicomCharacterSet
{
    /// <param name="loose">False: the Defined Terms of PS3.3 C.12.1.1.2 exactly; true: their <see cref="Normalize"/>d forms.</param>
    private static FrozenDictionary<string, TermDefinition> BuildTermTable(bool loose)
    {
        var table = new Dictionary<string, TermDefinition>(StringComparer.Ordinal);

        void Add(string term, TermDefinition definition) => table[loose ? Normalize(term) : term] = definition;

        void AddSingleByte(string ir, CodeElement g0, CodeElement? g1)
        {
            var definition = new TermDefinition(g0, g1, IsMultiByte: false, Whole: null);
            Add("ISO_IR " + ir, definition);
            Add("ISO 2022 IR " + ir, definition);
        }

        void AddMultiByte(string ir, CodeElement element)
        {
            var definition = new TermDefinition(element.IsG1 ? null : element, element.IsG1 ? element : null, IsMultiByte: true, Whole: null);
            Add("ISO 2022 IR " + ir, definition);
            if (loose)
            {
                Add("ISO_IR " + ir, definition);
            }
        }

        void AddWhole(string term, WholeValueEncoding whole) => Add(term, new TermDefinition(null, null, IsMultiByte: false, whole));

        AddSingleByte("6", CodeElement.Ascii, null);
        AddSingleByte("100", CodeElement.Ascii, CodeElement.Latin1Alphabet1);
        AddSingleByte("101", CodeElement.Ascii, CodeElement.Latin2);
        AddSingleByte("109", CodeElement.Ascii, CodeElement.Latin3);
        AddSingleByte("110", CodeElement.Ascii, CodeElement.Latin4);
        AddSingleByte("144", CodeElement.Ascii, CodeElement.Cyrillic);
        AddSingleByte("127", CodeElement.Ascii, CodeElement.Arabic);
        AddSingleByte("126", CodeElement.Ascii, CodeElement.Greek);
        AddSingleByte("138", CodeElement.Ascii, CodeElement.Hebrew);
        AddSingleByte("148", CodeElement.Ascii, CodeElement.Latin5);
        AddSingleByte("203", CodeElement.Ascii, CodeElement.Latin9);
        AddSingleByte("13", CodeElement.Romaji, CodeElement.Katakana);
        AddSingleByte("166", CodeElement.Ascii, CodeElement.Thai);
        AddMultiByte("87", CodeElement.JisX0208);
        AddMultiByte("159", CodeElement.JisX0212);
        AddMultiByte("149", CodeElement.KsX1001);
        AddMultiByte("58", CodeElement.Gb2312);
        AddWhole("ISO_IR 192", WholeValueEncoding.Utf8);
        AddWhole("GB18030", WholeValueEncoding.Gb18030);
        AddWhole("GBK", WholeValueEncoding.Gbk);
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<int, Designation> BuildEscapeTable()
    {
        var table = new Dictionary<int, Designation>();

        void Add(string sequence, CodeElement element, bool toG1)
        {
            var key = 0;
            foreach (var c in sequence)
            {
                key = (key << 8) | c;
            }

            table[key] = new Designation(element, toG1);
        }

        // The designations of PS3.3 Tables C.12-3 and C.12-4 ...
        foreach (var element in CodeElement.Designatable)
        {
            Add(Encoding.ASCII.GetString(element.Escape), element, element.IsG1);
        }

        // ... and, for tolerant reading, forms seen in ISO-2022-JP/-KR/-CN style data.
        Add("$@", CodeElement.JisX0208, toG1: false);
        Add("$(B", CodeElement.JisX0208, toG1: false);
        Add("$(@", CodeElement.JisX0208, toG1: false);
        Add("$A", CodeElement.Gb2312, toG1: false);
        Add("$(A", CodeElement.Gb2312, toG1: false);
        Add("$(C", CodeElement.KsX1001, toG1: false);
        Add("$)B", CodeElement.JisX0208, toG1: true);
        Add("$)D", CodeElement.JisX0212, toG1: true);
        Add("(I", CodeElement.Katakana, toG1: false);
        return table.ToFrozenDictionary();
    }
}
