namespace LeakGuard.Sources;

/// <summary>The process's loaded assemblies: all of them, and the dynamic and the collectible ones among them (an assembly can be both).</summary>
/// <param name="Loaded">Every loaded assembly.</param>
/// <param name="Dynamic">Assemblies generated at run time (<c>AssemblyBuilder</c>, serializer and proxy generators).</param>
/// <param name="Collectible">Assemblies in a collectible load context, which can be unloaded.</param>
internal readonly record struct AssemblyCounts(long Loaded, long Dynamic, long Collectible);
