namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>Seed pattern "closures capturing large scopes": callbacks that capture the whole request pile up in a static list.</summary>
internal static class RetryQueue
{
    private static readonly List<Action> Pending = [];

    public static Guid LastId { get; private set; }

    public static void Enqueue(RequestContext request) => Pending.Add(() => LastId = request.Id);

    public static void Clear() => Pending.Clear();
}
