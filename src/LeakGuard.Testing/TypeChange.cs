namespace LeakGuard.Testing;

/// <summary>One type's live instances and shallow bytes before and after the measured iterations.</summary>
/// <param name="Type">The readable type name.</param>
/// <param name="CountBefore">Live instances in the first snapshot.</param>
/// <param name="CountAfter">Live instances in the second snapshot.</param>
/// <param name="BytesBefore">Shallow bytes in the first snapshot.</param>
/// <param name="BytesAfter">Shallow bytes in the second snapshot.</param>
internal readonly record struct TypeChange(string Type, long CountBefore, long CountAfter, long BytesBefore, long BytesAfter)
{
    /// <summary>Gets the change in live instances.</summary>
    public long CountDelta => CountAfter - CountBefore;

    /// <summary>Gets the change in shallow bytes.</summary>
    public long BytesDelta => BytesAfter - BytesBefore;
}
