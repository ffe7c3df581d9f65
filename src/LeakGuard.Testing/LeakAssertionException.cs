namespace LeakGuard.Testing;

/// <summary>
/// Thrown by <see cref="LeakAssert"/> when an operation retains objects: the message names each growing type, how many
/// instances it gained per iteration and the chain of references from the GC root that keeps them alive.
/// Test frameworks report it as a failure like any other exception.
/// </summary>
public sealed class LeakAssertionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="LeakAssertionException"/> class.</summary>
    public LeakAssertionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LeakAssertionException"/> class.</summary>
    /// <param name="message">The evidence: growing types and their retention paths.</param>
    public LeakAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LeakAssertionException"/> class.</summary>
    /// <param name="message">The evidence: growing types and their retention paths.</param>
    /// <param name="innerException">The cause.</param>
    public LeakAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
