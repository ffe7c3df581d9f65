namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>The zoo's scenarios (tests/LeakGuard.LeakZoo/Scenarios) and what LeakGuard must report for each.</summary>
internal static class ZooCatalog
{
    private const string Ns = "LeakGuard.LeakZoo.Scenarios.";

    public static IReadOnlyList<ZooExpectation> Leaks { get; } =
    [
        new("unbounded-cache", ZooSignalClass.ManagedHeap, Ns + "CachedResponse", @"s_responseCache|Dictionary<[^>]*CachedResponse", Pattern: "static-collection-as-cache", AllocatedIn: "UnboundedCacheScenario.RunOnce"),
        new("event-listener", ZooSignalClass.ManagedHeap, Ns + "CheckoutRequest", @"s_orderEvents|OrderEventHub", Pattern: "event-handler-not-removed", AllocatedIn: "EventListenerScenario.RunOnce"),
        new("closure-scope", ZooSignalClass.ManagedHeap, Ns + "UploadRequest", @"s_deferredAudits|List<[^>]*Func", Pattern: "closure-kept-by-long-lived-callback", AllocatedIn: "ClosureScopeScenario.RunOnce"),
        new("id-registry", ZooSignalClass.ManagedHeap, "System.String", @"s_seenRequestIds|HashSet<", Pattern: "static-collection-as-cache", AllocatedIn: "IdRegistryScenario.RunOnce"),
        new("blocked-threads", ZooSignalClass.Threads),
        new("unreturned-pool", ZooSignalClass.ManagedHeap, Ns + "PooledConnection", @"s_connectionPool|ConnectionPool", Pattern: "pooled-object-not-returned", AllocatedIn: "UnreturnedPoolScenario.RunOnce"),
        new("log-buffer", ZooSignalClass.ManagedHeap, "System.String", @"s_recentEvents|List<[^>]*String", Pattern: "static-collection-as-cache", AllocatedIn: "LogBufferScenario.RunOnce"),
        new("native-memory", ZooSignalClass.NativeMemory),
        new("serializer-per-call", ZooSignalClass.LoadedAssemblies, GeneratedPattern: "xml-serializer-per-call", GeneratedName: "Microsoft.GeneratedCode"),
    ];

    public static IReadOnlyList<ZooExpectation> Controls { get; } =
    [
        new("lru-cache", ZooSignalClass.None),
        new("short-lived-garbage", ZooSignalClass.None),
        new("warm-up-cache", ZooSignalClass.None),
        new("loh-sawtooth", ZooSignalClass.None),
        new("undisposed-timers", ZooSignalClass.None),
    ];

    public static IEnumerable<ZooExpectation> All => Leaks.Concat(Controls);
}
