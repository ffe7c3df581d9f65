namespace LeakGuard.Testing;

/// <summary>One type's live instances and shallow bytes before and after the measured iterations.</summary>
/// <param name="Type">The type name (raw while measuring, readable in the final message).</param>
/// <param name="CountBefore">Live instances in the first snapshot.</param>
/// <param name="CountAfter">Live instances in the second snapshot.</param>
/// <param name="BytesBefore">Shallow bytes in the first snapshot.</param>
/// <param name="BytesAfter">Shallow bytes in the second snapshot.</param>
/// <param name="TypeId">The runtime type id, or 0 when unknown.</param>
internal readonly record struct TypeChange(string Type, long CountBefore, long CountAfter, long BytesBefore, long BytesAfter, ulong TypeId = 0)
{
    /// <summary>Gets the change in live instances.</summary>
    public long CountDelta => CountAfter - CountBefore;

    /// <summary>Gets the change in shallow bytes.</summary>
    public long BytesDelta => BytesAfter - BytesBefore;
}
