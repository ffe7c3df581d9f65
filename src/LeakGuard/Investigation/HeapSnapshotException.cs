namespace LeakGuard.Investigation;

/// <summary>A heap snapshot could not be taken or was incomplete; no partial graph is ever returned.</summary>
internal sealed class HeapSnapshotException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="HeapSnapshotException"/> class.</summary>
    public HeapSnapshotException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HeapSnapshotException"/> class.</summary>
    /// <param name="message">Why the snapshot failed.</param>
    public HeapSnapshotException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HeapSnapshotException"/> class.</summary>
    /// <param name="message">Why the snapshot failed.</param>
    /// <param name="innerException">The cause.</param>
    public HeapSnapshotException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets a value indicating whether the session lost events (its buffer was too small), so a retry with a larger buffer may succeed.</summary>
    public bool EventsWereLost { get; init; }
}
