namespace LeakGuard.Investigation;

/// <summary>How one type's live instances changed between two snapshots.</summary>
/// <param name="Type">The readable type name.</param>
/// <param name="CountDelta">The change in live instances.</param>
/// <param name="BytesDelta">The change in shallow bytes.</param>
/// <param name="CountAfter">The live instances in the second snapshot.</param>
/// <param name="BytesAfter">The shallow bytes in the second snapshot.</param>
internal readonly record struct TypeGrowth(string Type, long CountDelta, long BytesDelta, long CountAfter, long BytesAfter);
