namespace LeakGuard.Investigation;

/// <summary>An allocation recording failed or lost events; its samples are discarded rather than reported in part.</summary>
internal sealed class AllocationRecordingException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="AllocationRecordingException"/> class.</summary>
    public AllocationRecordingException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AllocationRecordingException"/> class.</summary>
    /// <param name="message">Why the recording failed.</param>
    public AllocationRecordingException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AllocationRecordingException"/> class.</summary>
    /// <param name="message">Why the recording failed.</param>
    /// <param name="innerException">The cause.</param>
    public AllocationRecordingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
