namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>The scenarios by name, with their default rates (overridable with <c>--rate</c>).</summary>
internal static class ScenarioCatalog
{
    private const double MiB = 1024 * 1024;

    public static IReadOnlyList<ScenarioEntry> All { get; } =
    [
        new("unbounded-cache", true, 1.5 * MiB, "bytes/s", rate => new UnboundedCacheScenario(rate)),
        new("event-listener", true, 1.5 * MiB, "bytes/s", rate => new EventListenerScenario(rate)),
        new("closure-scope", true, 1.5 * MiB, "bytes/s", rate => new ClosureScopeScenario(rate)),
        new("id-registry", true, 1.5 * MiB, "bytes/s", rate => new IdRegistryScenario(rate)),
        new("blocked-threads", true, 5, "threads/s", rate => new BlockedThreadsScenario(rate, maxThreads: 400)),
        new("unreturned-pool", true, 1.5 * MiB, "bytes/s", rate => new UnreturnedPoolScenario(rate)),
        new("log-buffer", true, 1.5 * MiB, "bytes/s", rate => new LogBufferScenario(rate)),
        new("native-memory", true, 2 * MiB, "bytes/s", rate => new NativeMemoryScenario(rate)),
        new("serializer-per-call", true, 10, "serializers/s", rate => new SerializerPerCallScenario(rate)),
        new("lru-cache", false, 2 * MiB, "bytes/s churn", rate => new LruCacheScenario(rate, capacity: 4000)),
        new("short-lived-garbage", false, 40 * MiB, "bytes/s garbage", rate => new ShortLivedGarbageScenario(rate)),
        new("warm-up-cache", false, 1500, "lookups/s", rate => new WarmUpCacheScenario(rate, keySpace: 6000)),
        new("undisposed-timers", false, 50, "timers/s", rate => new UndisposedTimersScenario(rate)),
        new("loh-sawtooth", false, 0.5, "arrays/s", rate => new LohSawtoothScenario(rate, arrayBytes: 8 * 1024 * 1024, keep: 2)),
    ];

    public static ScenarioEntry? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
