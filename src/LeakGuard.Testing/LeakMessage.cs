using System.Globalization;
using System.Text;
using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>Writes the evidence of a failed assertion: type, growth per iteration, the chain from the GC root.</summary>
internal static class LeakMessage
{
    /// <summary>The most growing types described in one message.</summary>
    public const int MaxTypes = 5;

    /// <summary>The most retention paths shown per type.</summary>
    public const int MaxPaths = 3;

    /// <summary>Describes proportional growth.</summary>
    /// <param name="growth">The growing types, most important first.</param>
    /// <param name="paths">Per type name, the retention paths that gained instances in the second round.</param>
    /// <param name="iterations">The runs per round (two rounds were measured).</param>
    /// <param name="warmUp">The warm-up runs before the first snapshot.</param>
    /// <returns>The message.</returns>
    public static string Growth(IReadOnlyList<RetainedGrowth> growth, IReadOnlyDictionary<string, IReadOnlyList<GrowthPath>> paths, int iterations, int warmUp)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Live objects grew in proportion to the iterations: after {warmUp} warm-up runs, each of two rounds of {iterations} runs left more objects of {growth.Count} type{(growth.Count == 1 ? string.Empty : "s")} alive after full garbage collections (totals over both rounds below).");
        foreach (var g in growth.Take(MaxTypes))
        {
            var change = g.Change;
            text.AppendLine().AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"  {change.Type}: ");
            text.Append(g.ByBytes
                ? string.Create(CultureInfo.InvariantCulture, $"+{change.BytesDelta:N0} bytes ({g.BytesPerIteration:0.#} bytes per iteration) in {change.CountAfter:N0} instance{(change.CountAfter == 1 ? string.Empty : "s")}")
                : string.Create(CultureInfo.InvariantCulture, $"+{change.CountDelta:N0} live instances ({g.InstancesPerIteration:0.##} per iteration), +{change.BytesDelta:N0} bytes"));
            AppendGrowthPaths(text, paths.GetValueOrDefault(change.Type), g.ByBytes);
        }

        if (growth.Count > MaxTypes)
        {
            text.AppendLine().AppendLine().Append(CultureInfo.InvariantCulture, $"  … and {growth.Count - MaxTypes} more growing types.");
        }

        return text.ToString();
    }

    /// <summary>Describes an object that was expected to be collected.</summary>
    /// <param name="type">The object's readable type name.</param>
    /// <param name="paths">Retention paths of the live instances of its type.</param>
    /// <returns>The message.</returns>
    public static string NotCollected(string type, IReadOnlyList<RetentionPath>? paths)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Expected the {type} to be garbage-collected, but it is still reachable after full garbage collections. Paths that keep instances of {type} alive:");
        AppendPaths(text, paths);
        return text.ToString();
    }

    /// <summary>Renders one path: root → types → the retained type.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The line.</returns>
    public static string Render(RetentionPath path) => path.Root + " → " + string.Join(" → ", path.Path);

    private static void AppendGrowthPaths(StringBuilder text, IReadOnlyList<GrowthPath>? paths, bool byBytes)
    {
        if (paths is not { Count: > 0 })
        {
            text.AppendLine().Append("    held by: no path from a GC root gained instances (a dependent handle or weak table may hold them).");
            return;
        }

        foreach (var path in paths)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"    held by {Render(path.Path)} ");
            text.Append(byBytes
                ? string.Create(CultureInfo.InvariantCulture, $"(+{path.Bytes:N0} bytes in the second round)")
                : string.Create(CultureInfo.InvariantCulture, $"(+{path.Count:N0} instances in the second round)"));
        }
    }

    private static void AppendPaths(StringBuilder text, IReadOnlyList<RetentionPath>? paths)
    {
        if (paths is not { Count: > 0 })
        {
            text.AppendLine().Append("    held by: no path from a GC root found (a dependent handle or weak table may hold them).");
            return;
        }

        foreach (var path in paths.Take(MaxPaths))
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"    held by {Render(path)} ({path.Share:P0} of sampled instances)");
        }
    }
}
