namespace LeakGuard.Investigation;

/// <summary>
/// The generated assemblies loaded while a report's snapshots were taken: how many assemblies are loaded now, the newest
/// generated ones by name and the known pattern their names match. A growing count of generated assemblies is a leak no heap type explains well: each
/// one is code the runtime keeps until the process ends (unless it is collectible and unloaded).
/// </summary>
public sealed class LoadedAssemblies
{
    /// <summary>Gets the number of assemblies loaded when the report was built.</summary>
    public long Count { get; init; }

    /// <summary>Gets the number of those generated at run time (dynamic).</summary>
    public long Dynamic { get; init; }

    /// <summary>Gets the number of those that can be unloaded (collectible).</summary>
    public long Collectible { get; init; }

    /// <summary>Gets the number of generated assemblies loaded between the report's two snapshots.</summary>
    public long DynamicBetweenSnapshots { get; init; }

    /// <summary>Gets the newest generated assemblies loaded, newest first (at most 10).</summary>
    public required IReadOnlyList<LoadedAssembly> Newest { get; init; }

    /// <summary>Gets the known pattern most of the newest generated assemblies match by name, with its fix, or <see langword="null"/>.</summary>
    public KnownPattern? Pattern { get; init; }
}
