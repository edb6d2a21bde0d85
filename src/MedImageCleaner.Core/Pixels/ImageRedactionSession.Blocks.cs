namespace MedImageCleaner.Core.Pixels;

/// <summary>
/// Block completion: a burned-in block of lines (institution, date, ID, name, age, DOB) is printed at one left margin
/// and one line pitch. A line of it that no view confirmed, between lines that were (mid-grey text running over bright
/// anatomy turns from brighter to darker than what lies under it, and each view sees only half of it), is redacted: the
/// band between the two confirmed lines when they are two or three pitches apart; and a line of the block that ends with its label ("Age:" read, "044Y" over
/// tissue not) reaches as far right as the block's longest line.
/// </summary>
public sealed partial class ImageRedactionSession
{
    /// <summary>The most missing lines filled between two confirmed lines of one block.</summary>
    private const int MaximumMissingLines = 2;

    /// <summary>The widest gap (in line heights) between two confirmed parts of one row that is taken as the same line.</summary>
    private const double MaximumRowGap = 8.0;

    /// <summary>A line of a block: its parts' union, whether it ends with a label, and where each of its parts starts.</summary>
    private readonly record struct BlockLine(PixelBox Box, bool EndsWithLabel, int[] Starts)
    {
        public int X => Box.X;

        public int Y => Box.Y;

        public int Right => Box.Right;

        public int Bottom => Box.Bottom;

        public int Height => Box.Height;
    }

    /// <summary>The most unconfirmed lines walked from one confirmed line (a block has at most six lines, two of them read).</summary>
    private const int MaximumEdgeLines = 4;

    /// <summary>
    /// Completes the blocks among <paramref name="boxes"/>: the parts of one row (<see cref="BridgeRows"/>), the lines
    /// missing between confirmed ones (<see cref="FillGaps"/>) and, from <paramref name="unread"/> (candidate lines OCR
    /// read without confirming them), the block's lines no view confirmed (<see cref="AddUnreadLines"/>).
    /// </summary>
    internal static void CompleteBlocks(List<TextBox> boxes, int cols, int rows, IReadOnlyList<PixelBox>? unread = null)
    {
        BridgeRows(boxes);
        var lines = ConfirmedLines(boxes);
        if (lines.Count < 2)
        {
            return;
        }

        lines.Sort(static (a, b) => a.Y.CompareTo(b.Y));
        var used = new bool[lines.Count];
        for (var start = 0; start < lines.Count; start++)
        {
            if (used[start])
            {
                continue;
            }

            // One column: lines below each other at the same left margin and of about the same height.
            var column = new List<BlockLine> { lines[start] };
            used[start] = true;
            for (var j = start + 1; j < lines.Count; j++)
            {
                var last = column[^1];
                var l = lines[j];
                // Heights within 2x: a confirmed line's box can be taller than its text (merged with an edge of anatomy).
                // Once the column has a margin, a line joins it at that margin: a value read from its middle ("1998-08-06"
                // of a DOB whose label lies over bright tissue) starts where a name line's surname does, not at the block's margin.
                if (!used[j] && l.Y >= last.Bottom - (last.Height / 4) && SharedMargin(last, l) is not null && SimilarHeight(last.Box, l.Box, 2.0) &&
                    (column.Count < 2 || StartsAt(l, ColumnMargin(column))))
                {
                    column.Add(l);
                    used[j] = true;
                }
            }

            var block = WithInnerRows(column, lines);
            column = WithOuterRows(column, block, lines, boxes, cols, rows);
            FillGaps(column, block, boxes, cols, rows, extendLabels: true);
            {
                var before = boxes.Count;
                AddUnreadLines(column, block, unread ?? [], boxes, cols, rows);
                if (boxes.Count > before)
                {
                    // The lines the walk added are lines of the column: a line still missing between them and a
                    // confirmed one (three lines missing, two of them candidates, the third over anatomy) is filled.
                    var extended = new List<BlockLine>(column);
                    for (var k = before; k < boxes.Count; k++)
                    {
                        extended.Add(new BlockLine(boxes[k].Box, false, [boxes[k].Box.X]));
                    }

                    extended.Sort(static (a, b) => a.Y.CompareTo(b.Y));
                    FillGaps(extended, extended, boxes, cols, rows, extendLabels: false);
                }
            }
        }
    }

    /// <summary>
    /// The lines of a column of confirmed lines that no view confirmed: a candidate line one pitch above or below a line
    /// of the column, at the same margin and of about the same height, is the block's own line (the surname above a
    /// name's wrapped given name, the given name between them, the age and DOB of a block whose last lines lie over
    /// bright anatomy or a graphic, read as noise); then the next one, up to <see cref="MaximumEdgeLines"/> from each
    /// line. Only where the block's pitch is known (two neighbouring lines); what lies a pitch away but at another margin
    /// or height is left alone.
    /// </summary>
    private static void AddUnreadLines(List<BlockLine> column, List<BlockLine> block, IReadOnlyList<PixelBox> unread, List<TextBox> boxes, int cols, int rows)
    {
        if (Pitch(block) is not { } pitch)
        {
            return;
        }

        var blockRight = RightOf(column);

        // The walk goes on through lines already confirmed (a line another column took, its box merged with a label
        // at the frame's edge on the same rows) and adds the unconfirmed ones.
        var steps = new List<(PixelBox Box, bool Confirmed)>(unread.Count);
        foreach (var u in unread)
        {
            steps.Add((u, false));
        }

        foreach (var b in boxes)
        {
            if (b.Confirmed)
            {
                steps.Add((b.Box, true));
            }
        }

        // Each line walks from its part at the column's margin (a line merged with a blob read further left walks
        // from where the block's text starts, not from the blob).
        var margin = ColumnMargin(column);
        var added = new HashSet<PixelBox>();
        foreach (var (start, direction) in column.SelectMany(l => new[] { (AtMargin(l, margin), -1), (AtMargin(l, margin), 1) }))
        {
            var edge = start;
            for (var n = 0; n < MaximumEdgeLines; n++)
            {
                var expected = edge.Y + (direction * pitch);
                (PixelBox Box, bool Confirmed)? next = null;
                foreach (var u in steps)
                {
                    // Heights within 2x, as in a column: confirmed boxes are padded, candidate lines are not.
                    if (Math.Abs(u.Box.Y - expected) <= pitch / 4 && (SameMargin(edge, u.Box) || StartsLate(edge, u, blockRight)) && SimilarHeight(edge, u.Box, 2.0) &&
                        (next is null || Math.Abs(u.Box.Y - expected) < Math.Abs(next.Value.Box.Y - expected)))
                    {
                        next = u;
                    }
                }

                var centre = edge.Y + (edge.Height / 2.0) + (direction * pitch);
                if (next is null && (centre < column[0].Y || centre > column[^1].Bottom) && FragmentAt(boxes, edge, direction * pitch, margin, blockRight))
                {
                    // Above or below the column, no candidate line, but OCR read a piece of one inside the block's
                    // span (a surname over bright anatomy merged with it, only "il" of it read): the block's line, at
                    // the pitch. (Between the column's lines, the band rule fills what is missing.)
                    var dy = (int)Math.Round(direction * pitch);
                    next = (PixelBox.FromEdges(margin, edge.Y + dy, blockRight, edge.Bottom + dy).ClipTo(cols, rows), false);
                }

                if (next is not { } found || found.Box.IsEmpty)
                {
                    break;
                }

                if (!found.Confirmed && CoveredFraction(found.Box, boxes) >= 0.9)
                {
                    // A candidate inside a box already redacted is a part of it, not a line of its own: the walk
                    // goes on from it without adding it.
                    edge = found.Box;
                    continue;
                }

                edge = found.Box;
                if (found.Confirmed)
                {
                    continue;
                }

                // As far right as the block (a name may be its longest line), and no further than a few line heights
                // beyond it (a candidate merged with anatomy).
                var line = found.Box;
                if (!added.Add(line))
                {
                    break;
                }

                // From the block's margin when it starts right of it (its label's first letters lost over anatomy).
                var right = Math.Max(blockRight, Math.Min(line.Right, blockRight + (4 * line.Height)));
                var grow = Math.Max(2, line.Height / 8);
                var left = Math.Min(line.X, margin);
                var box = PixelBox.FromEdges(left - grow, line.Y - grow, right + grow, line.Bottom + grow).ClipTo(cols, rows);
                if (!box.IsEmpty)
                {
                    boxes.Add(new TextBox(box, TextDetectionMethods.Auto, "block-edge", 50) { View = "block" });
                }
            }
        }
    }

    /// <summary>
    /// True when a box OCR read (a piece of a word: at most twice as wide as high; a whole line read is a line of its
    /// own) lies a pitch from <paramref name="edge"/>: its centre within a third of the pitch of the centre of the line
    /// expected there, its start inside the block's span, and at least 0.4 and at most twice the line's height.
    /// </summary>
    private static bool FragmentAt(List<TextBox> boxes, PixelBox edge, double offset, int margin, int blockRight)
    {
        var expected = edge.Y + (edge.Height / 2.0) + offset;
        var tolerance = Math.Abs(offset) / 3;
        foreach (var b in boxes)
        {
            if (b.Confirmed && Math.Abs(b.Box.Y + (b.Box.Height / 2.0) - expected) <= tolerance &&
                b.Box.X >= margin - Math.Max(4, edge.Height / 2) && b.Box.X < blockRight &&
                b.Box.Height >= 0.4 * edge.Height && b.Box.Height <= 2 * edge.Height && b.Box.Width <= 2 * b.Box.Height)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The column and the confirmed rows inside it, by their tops: lines between its first and last line that start to
    /// the right of its margin and before its right edge (a line whose start over anatomy no view confirmed, its end
    /// was: "Name: MORE[AU], WALTER" read as "WALTER"). They give the block's pitch where the column alone has two lines
    /// three pitches apart.
    /// </summary>
    private static List<BlockLine> WithInnerRows(List<BlockLine> column, List<BlockLine> lines)
    {
        var block = new List<BlockLine>(column);
        var right = RightOf(column);

        foreach (var l in lines)
        {
            if (!column.Contains(l) && l.Y > column[0].Bottom - (column[0].Height / 4) && l.Bottom < column[^1].Y + (column[^1].Height / 4) &&
                l.X > column[0].X && l.X < right && SimilarHeight(column[0].Box, l.Box, 2.0))
            {
                block.Add(l);
            }
        }

        block.Sort(static (a, b) => a.Y.CompareTo(b.Y));
        return block;
    }

    /// <summary>
    /// The column with the confirmed rows just above or below it, one to three pitches away, that start to the right
    /// of its margin and before its right edge: a line of the block whose start over anatomy no view confirmed, its
    /// end was ("DOB: 19711231" over an echo read from "1971..." on). Each becomes a line of the column from the margin,
    /// over its own rows and those the pitch puts it on (redacted, as <c>block-line</c>), so that the lines missing
    /// between it and the column are filled too.
    /// </summary>
    private static List<BlockLine> WithOuterRows(List<BlockLine> column, List<BlockLine> block, List<BlockLine> lines, List<TextBox> boxes, int cols, int rows)
    {
        if (column.Count < 2 || Pitch(block) is not { } pitch)
        {
            return column;
        }

        var margin = ColumnMargin(column);
        var right = RightOf(column);
        var result = column;
        foreach (var l in lines)
        {
            var below = l.Y - column[^1].Y;
            var above = column[0].Y - l.Y;
            var near = (below >= 0.75 * pitch && below <= (MaximumMissingLines + 1.4) * pitch) || (above >= 0.75 * pitch && above <= (MaximumMissingLines + 1.4) * pitch);
            if (!near || column.Contains(l) || l.X <= margin + Math.Max(4, l.Height / 2) || l.X >= right || !SimilarHeight(column[0].Box, l.Box, 2.0))
            {
                continue;
            }

            if (ReferenceEquals(result, column))
            {
                result = new List<BlockLine>(column);
            }

            // The row where the block's pitch puts it too (a box read from a line's middle can sit between two
            // lines: the bottom of the age and the top of the DOB).
            var edge = below > 0 ? column[^1] : column[0];
            var k = (int)Math.Round((below > 0 ? below : above) / pitch);
            var dy = (int)Math.Round((below > 0 ? k : -k) * pitch);
            var row = PixelBox.FromEdges(margin, Math.Min(l.Y, edge.Y + dy), l.Right, Math.Max(l.Bottom, edge.Bottom + dy)).ClipTo(cols, rows);
            if (row.IsEmpty)
            {
                continue;
            }

            boxes.Add(new TextBox(row, TextDetectionMethods.Auto, "block-line", 50) { View = "block" });
            result.Add(new BlockLine(row, l.EndsWithLabel, [margin]));
        }

        result.Sort(static (a, b) => a.Y.CompareTo(b.Y));
        return result;
    }

    /// <summary>The right edge of a column's longest line.</summary>
    private static int RightOf(List<BlockLine> column)
    {
        var right = 0;
        foreach (var l in column)
        {
            right = Math.Max(right, l.Right);
        }

        return right;
    }

    /// <summary>The line pitch of a column: the median step between neighbouring lines' centres (null: no two lines are neighbours).</summary>
    private static double? Pitch(List<BlockLine> column)
    {
        // Steps between the lines' centres: a box merged with anatomy above or below its text moves its top and bottom
        // far more than its centre.
        var steps = new List<double>();
        for (var i = 1; i < column.Count; i++)
        {
            // Not a step between two parts of one row (a piece of the age read in colour 3 pixels below one read in the
            // light plane): neighbouring lines are at least three quarters of a line height apart.
            var step = column[i].Y + (column[i].Height / 2.0) - column[i - 1].Y - (column[i - 1].Height / 2.0);
            if (step >= 0.75 * Math.Min(column[i].Height, column[i - 1].Height) && step <= 1.8 * Math.Max(column[i].Height, column[i - 1].Height))
            {
                steps.Add(step);
            }
        }

        if (steps.Count < 1)
        {
            return null;
        }

        // The median of the steps near the smallest one: a tall merged box lets a step over a missing line pass the
        // height test (an ID, a name and a DOB box 26 and 50 pixels apart: the pitch is 26, not 38).
        steps.Sort();
        var near = steps.FindAll(s => s <= 1.5 * steps[0]);
        return near.Count % 2 == 1 ? near[near.Count / 2] : (near[(near.Count / 2) - 1] + near[near.Count / 2]) / 2;
    }

    /// <summary>
    /// Two OCR-confirmed parts of one row (about the same height, overlapping vertically by half) at most
    /// <see cref="MaximumRowGap"/> line heights apart, one of which holds PHI: what lies between them is the same
    /// line's text that no view confirmed (a name over anatomy between the surname and the ID and date after it; each
    /// part was read, the middle was not), and is redacted with them. Each part is joined to its nearest neighbour on
    /// the right. Rows without PHI are left as they are: over colour Doppler, blobs read as short words ("Als", "Fa")
    /// would be chained into a bar across the anatomy.
    /// </summary>
    private static void BridgeRows(List<TextBox> boxes)
    {
        var confirmed = boxes.FindAll(static b => b.Confirmed);
        confirmed.Sort(static (a, b) => a.Box.X.CompareTo(b.Box.X));
        foreach (var (i, j, gap) in RowGaps(confirmed.ConvertAll(static b => b.Box), 1.5))
        {
            if (confirmed[i].HoldsPhi || confirmed[j].HoldsPhi)
            {
                boxes.Add(new TextBox(gap, TextDetectionMethods.Auto, "row-bridge", 50) { View = "block" });
            }
        }
    }

    /// <summary>
    /// The gaps between PHI words the independent reader found on one row (vertical overlap of half the lower word,
    /// heights within 2x, at most <see cref="MaximumRowGap"/> word heights apart): the rest of the same line, which it
    /// read as something else. A line of small dark text over bright anatomy that no candidate view confirmed: the name
    /// and the date were read as PHI, the ID between them was not, and was still readable after the second pass.
    /// </summary>
    internal static List<PixelBox> BridgeResiduals(IReadOnlyList<PixelBox> words)
    {
        var sorted = new List<PixelBox>(words);
        sorted.Sort(static (a, b) => a.X.CompareTo(b.X));
        return RowGaps(sorted, 2.0).Select(static g => g.Gap).ToList();
    }

    /// <summary>
    /// For each box of <paramref name="sortedByX"/>, its nearest neighbour to the right on the same row (vertical overlap
    /// of half the lower one, heights within <paramref name="heightRatio"/>) and the gap between them, when it is at most
    /// <see cref="MaximumRowGap"/> heights of the lower one.
    /// </summary>
    private static IEnumerable<(int I, int J, PixelBox Gap)> RowGaps(List<PixelBox> sortedByX, double heightRatio)
    {
        for (var i = 0; i < sortedByX.Count; i++)
        {
            var a = sortedByX[i];
            for (var j = i + 1; j < sortedByX.Count; j++)
            {
                var b = sortedByX[j];
                var overlap = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
                if (b.X <= a.Right || overlap * 2 < Math.Min(a.Height, b.Height) || !SimilarHeight(a, b, heightRatio))
                {
                    continue;
                }

                if (b.X - a.Right <= MaximumRowGap * Math.Min(a.Height, b.Height))
                {
                    yield return (i, j, PixelBox.FromEdges(a.Right, Math.Min(a.Y, b.Y), b.X, Math.Max(a.Bottom, b.Bottom)));
                }

                break;
            }
        }
    }

    /// <summary>The OCR-confirmed boxes (and those of search zones) merged into lines (boxes on the same rows: a line split at its gaps is one line here).</summary>
    private static List<BlockLine> ConfirmedLines(List<TextBox> boxes)
    {
        var lines = new List<BlockLine>();
        foreach (var b in boxes)
        {
            // A line-shaped box of a search zone (the top band of an ultrasound) is text the zone's rule took without
            // reading it: a line of the block as much as one OCR confirmed (its single characters are not lines).
            if (!b.Confirmed && b.Reason != "line-extension" && !(b.Reason.StartsWith("search-zone:", StringComparison.Ordinal) && b.Box.Width >= 2.5 * b.Box.Height))
            {
                continue;
            }

            var merged = false;
            for (var i = 0; i < lines.Count && !merged; i++)
            {
                var l = lines[i];
                var overlap = Math.Min(l.Bottom, b.Box.Bottom) - Math.Max(l.Y, b.Box.Y);
                var gap = Math.Max(l.X, b.Box.X) - Math.Min(l.Right, b.Box.Right);
                // Parts of one row more than MaximumRowGap heights apart are two strings (an ultrasound's left and right
                // header columns), not one line of a block.
                if (overlap * 2 >= Math.Min(l.Height, b.Box.Height) && SimilarHeight(l.Box, b.Box) && gap <= MaximumRowGap * Math.Min(l.Height, b.Box.Height))
                {
                    // The label flag is the rightmost box's: what the line ends with.
                    var label = b.Box.Right >= l.Right ? b.EndsWithLabel : l.EndsWithLabel;
                    lines[i] = new BlockLine(l.Box.Union(b.Box), label, [.. l.Starts, b.Box.X]);
                    merged = true;
                }
            }

            if (!merged)
            {
                lines.Add(new BlockLine(b.Box, b.EndsWithLabel, [b.Box.X]));
            }
        }

        return lines;
    }

    /// <summary>
    /// The missing lines of one column: where two neighbours are two or three pitches apart. The pitch comes from
    /// <paramref name="block"/>: the column and the confirmed rows inside it.
    /// </summary>
    private static void FillGaps(List<BlockLine> column, List<BlockLine> block, List<TextBox> boxes, int cols, int rows, bool extendLabels)
    {
        if (block.Count < 3)
        {
            // Two lines give no pitch to trust: a gap between them may be anything.
            return;
        }

        if (Pitch(block) is not { } pitch)
        {
            return;
        }

        // A missing line may be longer than its neighbours (a name): it reaches as far right as the block's longest line.
        var blockRight = RightOf(column);

        foreach (var l in column)
        {
            if (extendLabels && l.EndsWithLabel && l.Right < blockRight)
            {
                boxes.Add(new TextBox(PixelBox.FromEdges(l.Right, l.Y, blockRight, l.Bottom), TextDetectionMethods.Auto, "block-line", 50) { View = "block" });
            }
        }

        for (var i = 1; i < column.Count; i++)
        {
            var a = column[i - 1];
            var b = column[i];
            var gap = b.Y - a.Y;
            // One or two missing lines (the tops of confirmed boxes are only roughly on the pitch: no exact multiple).
            if (gap < 1.6 * pitch || gap > (MaximumMissingLines + 1.4) * pitch || b.Y <= a.Bottom)
            {
                continue;
            }

            // The whole band between the two lines (the confirmed boxes' tops are only roughly on the pitch: a box
            // merged with anatomy is taller than its text), from the block's margin to its longest line.
            var box = PixelBox.FromEdges(SharedMargin(a, b) ?? Math.Min(a.X, b.X), a.Bottom, blockRight, b.Y).ClipTo(cols, rows);
            if (!box.IsEmpty && CoveredFraction(box, boxes) < 0.95)
            {
                boxes.Add(new TextBox(box, TextDetectionMethods.Auto, "block-line", 50) { View = "block" });
            }
        }
    }

    /// <summary>The words read end with a label whose value was not read with it: "Age:", "Name", "Patient ID".</summary>
    private static bool EndsWithLabel(List<Ocr.OcrWord> words)
    {
        if (words.Count == 0)
        {
            return false;
        }

        if (words[^1].Text.TrimEnd().EndsWith(':'))
        {
            return true;
        }

        return words.Count <= 2 && words.TrueForAll(static w => w.Text.Trim().All(char.IsLetter));
    }

    /// <summary>
    /// The left margin two lines share: a part of each starting at about the same column (a line merged with a part
    /// read further left, a blob of colour Doppler read as a word, still starts at the block's margin). Null if none.
    /// </summary>
    private static int? SharedMargin(BlockLine a, BlockLine b)
    {
        var tolerance = MarginTolerance(Math.Min(a.Height, b.Height));
        int? margin = null;
        foreach (var sa in a.Starts)
        {
            foreach (var sb in b.Starts)
            {
                if (Math.Abs(sa - sb) <= tolerance && (margin is null || Math.Min(sa, sb) < margin))
                {
                    margin = Math.Min(sa, sb);
                }
            }
        }

        return margin;
    }

    /// <summary>The left margin of a column: the one its first two lines share (the first line's start when it has one line).</summary>
    private static int ColumnMargin(List<BlockLine> column) =>
        column.Count > 1 ? SharedMargin(column[0], column[1]) ?? column[0].X : column[0].X;

    /// <summary>The line's box from its part nearest <paramref name="margin"/> on.</summary>
    private static PixelBox AtMargin(BlockLine line, int margin)
    {
        var x = line.Starts.MinBy(s => Math.Abs(s - margin));
        return x <= line.X || x >= line.Right ? line.Box : PixelBox.FromEdges(x, line.Y, line.Right, line.Bottom);
    }

    /// <summary>How far right of a block's margin (in line heights) an unread line one pitch away may start and still be the block's.</summary>
    private const double LateStart = 2.0;

    /// <summary>
    /// True when the unread candidate <paramref name="u"/> starts right of <paramref name="edge"/>'s start, by at most
    /// <see cref="LateStart"/> line heights and before the block's right edge: a line whose label's first letters
    /// were lost over anatomy ("...B: 1971-08-11" below the age). Confirmed lines read from their middle are
    /// <see cref="WithOuterRows"/>' business.
    /// </summary>
    private static bool StartsLate(PixelBox edge, (PixelBox Box, bool Confirmed) u, int blockRight) =>
        !u.Confirmed && u.Box.X > edge.X && u.Box.X - edge.X <= LateStart * edge.Height && u.Box.X < blockRight;

    /// <summary>True when a part of <paramref name="line"/> starts at <paramref name="margin"/> (as <see cref="SharedMargin"/> tells).</summary>
    private static bool StartsAt(BlockLine line, int margin) => line.Starts.Any(s => Math.Abs(s - margin) <= MarginTolerance(line.Height));

    /// <summary>
    /// How far apart two starts may be and still be one margin, for boxes <paramref name="height"/> high: two thirds of
    /// the height (confirmed boxes are padded and grown over their row's ink: a CT head block's lines start at 120-136),
    /// at least 4 and at most 16 pixels (a box merged with a graphic is 48-77 pixels high; its lines 25 pixels apart
    /// are not one margin).
    /// </summary>
    private static int MarginTolerance(int height) => Math.Clamp(height * 2 / 3, 4, 16);

    private static bool SameMargin(PixelBox a, PixelBox b) => Math.Abs(a.X - b.X) <= Math.Max(4, Math.Min(a.Height, b.Height) / 2);

    private static bool SimilarHeight(PixelBox a, PixelBox b, double ratio = 1.5) => Math.Max(a.Height, b.Height) <= ratio * Math.Min(a.Height, b.Height);
}
