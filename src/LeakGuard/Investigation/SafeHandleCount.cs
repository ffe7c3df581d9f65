namespace LeakGuard.Investigation;

/// <summary>Live instances of one <c>SafeHandle</c> type in the two heap snapshots of an investigation.</summary>
public sealed class SafeHandleCount
{
    /// <summary>Gets the type's readable name, for example <c>Microsoft.Win32.SafeHandles.SafeFileHandle</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the live instances in the first snapshot.</summary>
    public long CountBefore { get; init; }

    /// <summary>Gets the live instances in the second snapshot.</summary>
    public long CountAfter { get; init; }
}
