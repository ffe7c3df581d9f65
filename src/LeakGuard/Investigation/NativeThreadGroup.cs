namespace LeakGuard.Investigation;

/// <summary>Threads started between two native readings that share a name.</summary>
public sealed class NativeThreadGroup
{
    /// <summary>Gets the name (<c>(ended)</c> for threads gone before their name was read).</summary>
    public required string Name { get; init; }

    /// <summary>Gets how many started threads carry it.</summary>
    public int Count { get; init; }
}
