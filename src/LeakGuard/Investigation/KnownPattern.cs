namespace LeakGuard.Investigation;

/// <summary>
/// A well-known .NET leak pattern that a growing type's retention path matched: what it is, why it leaks and how to
/// fix it. The catalogue is listed in docs/investigation.md#known-patterns.
/// </summary>
public sealed class KnownPattern
{
    /// <summary>Gets the stable identifier, for example <c>static-event-handler</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the pattern's name in a few words.</summary>
    public required string Title { get; init; }

    /// <summary>Gets why the objects stay alive.</summary>
    public required string Why { get; init; }

    /// <summary>Gets the fix in one or two sentences, naming the API to use.</summary>
    public required string Fix { get; init; }

    /// <summary>Gets the documentation anchor of the pattern (in docs/investigation.md).</summary>
    public required string Docs { get; init; }
}
