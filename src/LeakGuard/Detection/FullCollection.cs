namespace LeakGuard.Detection;

/// <summary>
/// A signal's value after the GC's latest full collection, and when LeakGuard first saw that collection. For the managed
/// signals (heap, generation 2, large-object heap) a reading between full collections also counts the garbage promoted
/// since the last one; only a full collection tells live objects from it.
/// </summary>
/// <param name="SeenAt">When the collection was first seen (the sample after it).</param>
/// <param name="Value">The signal's value after it.</param>
internal readonly record struct FullCollection(DateTimeOffset SeenAt, double Value);
