using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>A retention path and what it gained in the second round.</summary>
/// <param name="Path">The path, static roots qualified.</param>
/// <param name="Count">The instances it gained.</param>
/// <param name="Bytes">The shallow bytes it gained.</param>
internal sealed record GrowthPath(RetentionPath Path, long Count, long Bytes);
