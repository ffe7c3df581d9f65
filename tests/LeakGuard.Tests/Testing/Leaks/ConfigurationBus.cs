namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>Seed pattern "event listener never removed": a process-wide event every component subscribes to.</summary>
internal static class ConfigurationBus
{
    public static event EventHandler? Changed;

    public static void Subscribe(ReloadListener listener) => Changed += listener.OnChanged;

    public static void Unsubscribe(ReloadListener listener) => Changed -= listener.OnChanged;

    public static void Raise() => Changed?.Invoke(null, EventArgs.Empty);

    public static void Reset() => Changed = null;
}
