using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// Lets -Region take what a user types: '0,0,10,10' (one string per region), 0,0,10,10 (a PowerShell array of four
/// numbers), several regions as @(0,0,10,10),@(0,50,10,10) or a flat list of 4n numbers. Everything becomes one
/// 'x,y,width,height' string per region; the cmdlet then parses and checks each.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class RegionTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var items = new List<object?>();
        Flatten(inputData, items, depth: 0);
        var regions = new List<string>();
        var numbers = new List<string>();
        foreach (var item in items)
        {
            switch (item)
            {
                case string[] group:
                    regions.Add(string.Join(',', group));
                    break;
                case string text when text.Contains(',', StringComparison.Ordinal):
                    regions.Add(text);
                    break;
                case null:
                    break;
                default:
                    numbers.Add(Convert.ToString(item, CultureInfo.InvariantCulture)!.Trim());
                    break;
            }
        }

        // Loose numbers (0,0,10,10 typed without quotes) form regions four at a time; a remainder is left for the
        // cmdlet to reject with its usual message.
        for (var i = 0; i < numbers.Count; i += 4)
        {
            regions.Add(string.Join(',', numbers.Skip(i).Take(4)));
        }

        return regions.ToArray();
    }

    private static void Flatten(object? value, List<object?> items, int depth)
    {
        value = value is PSObject ps ? ps.BaseObject : value;
        if (value is IEnumerable enumerable and not string)
        {
            if (depth >= 1)
            {
                // An inner array (@(0,0,10,10)) is one region.
                var group = new List<string>();
                foreach (var v in enumerable)
                {
                    var inner = v is PSObject p ? p.BaseObject : v;
                    group.Add(Convert.ToString(inner, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty);
                }

                items.Add(group.ToArray());
                return;
            }

            foreach (var v in enumerable)
            {
                Flatten(v, items, depth + 1);
            }

            return;
        }

        items.Add(value);
    }
}
