namespace LeakGuard.Tests.Investigation;

// The leaks the real-heap tests grow between two snapshots: each is a pattern from the seed article.

internal sealed class LeakySession
{
    public Guid Id { get; } = Guid.NewGuid();

    public int[] State { get; } = new int[4];
}

internal static class SessionRegistry
{
    public static readonly Dictionary<Guid, LeakySession> Sessions = [];

    public static void Grow(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var session = new LeakySession();
            Sessions[session.Id] = session;
        }
    }
}

internal sealed class Publisher
{
    public static readonly Publisher Instance = new();

    public event EventHandler? Changed;

    public void Raise() => Changed?.Invoke(this, EventArgs.Empty);
}

internal sealed class ForgottenSubscriber
{
    private readonly byte[] _state = new byte[32];

    public ForgottenSubscriber() => Publisher.Instance.Changed += OnChanged;

    public static void Grow(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = new ForgottenSubscriber();
        }
    }

    private void OnChanged(object? sender, EventArgs e) => _state[0]++;
}

internal static class CallbackList
{
    public static readonly List<Func<int>> Callbacks = [];

    public static void AddCallbacks(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var scope = new int[8];
            var index = i;
            Callbacks.Add(() => scope.Length + index);
        }
    }
}

internal static class BufferPool
{
    public static readonly List<byte[]> Buffers = [];

    public static void Grow(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Buffers.Add(new byte[256]);
        }
    }
}
