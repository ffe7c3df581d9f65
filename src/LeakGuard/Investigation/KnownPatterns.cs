namespace LeakGuard.Investigation;

/// <summary>
/// The catalogue of well-known .NET leak patterns, as data: each rule matches the shape of a retention path (root,
/// holder types in order, growing type) and names the pattern with its fix. Rules are tried in order, the most
/// specific first; the first that matches a growing type's most common path wins.
/// </summary>
internal static class KnownPatterns
{
    private const string Docs = "docs/investigation.md#";

    private static readonly KnownPattern LinkedTokenSource = new()
    {
        Id = "linked-cts-not-disposed",
        Title = "Linked CancellationTokenSource never disposed",
        Why = "CreateLinkedTokenSource registers the new source on each parent token; until it is disposed the long-lived parent keeps it, and everything its callbacks reach, alive.",
        Fix = "Dispose the linked source when the operation ends: using var linked = CancellationTokenSource.CreateLinkedTokenSource(a, b).",
        Docs = Docs + "linked-cts-not-disposed",
    };

    private static readonly KnownPattern TokenRegistration = new()
    {
        Id = "cancellation-registration-not-disposed",
        Title = "CancellationToken.Register registration never disposed",
        Why = "Each Register call adds a callback node to the token's source; a long-lived token keeps every callback and what it captures until the registration is disposed or the token is cancelled.",
        Fix = "Keep the CancellationTokenRegistration and dispose it when the operation completes (using var registration = token.Register(...)).",
        Docs = Docs + "cancellation-registration-not-disposed",
    };

    private static readonly KnownPattern RootScopeDisposable = new()
    {
        Id = "disposable-resolved-from-root-provider",
        Title = "Transient or scoped IDisposable resolved from the root service provider",
        Why = "The container disposes what it created when the scope ends; the root scope ends with the application, so every disposable service resolved from it is kept in its disposables list until then.",
        Fix = "Resolve per-operation services from a scope (using var scope = provider.CreateScope(); scope.ServiceProvider.GetRequiredService<T>()), or register them as singletons.",
        Docs = Docs + "disposable-resolved-from-root-provider",
    };

    private static readonly KnownPattern UnboundedMemoryCache = new()
    {
        Id = "memory-cache-unbounded",
        Title = "MemoryCache without SizeLimit or expiration",
        Why = "MemoryCache evicts only expired entries and, with SizeLimit set, the overflow; with neither, every distinct key stays for the life of the cache.",
        Fix = "Set MemoryCacheOptions.SizeLimit and give each entry a Size, and an AbsoluteExpirationRelativeToNow or SlidingExpiration.",
        Docs = Docs + "memory-cache-unbounded",
    };

    private static readonly KnownPattern PooledNotReturned = new()
    {
        Id = "pooled-object-not-returned",
        Title = "Pooled object rented and never returned",
        Why = "A pool that keeps track of what it lends (the leased connections, sessions or buffers it must close or count) holds every rented item until it is returned; a path that skips the return, usually an exception or an early exit, leaves the item leased for the life of the pool.",
        Fix = "Return the item in a finally block, or make the rented item IDisposable so that disposing it returns it, and rent it with using: every path, the failing ones included, then gives it back.",
        Docs = Docs + "pooled-object-not-returned",
    };

    private static readonly KnownPattern TimerCallback = new()
    {
        Id = "timer-not-disposed",
        Title = "Timer never disposed keeps its callback alive",
        Why = "The runtime's timer queue holds every started timer, its callback and the callback's state until the timer is disposed; a timer whose callback references its owner keeps both alive.",
        Fix = "Dispose the Timer (or PeriodicTimer) when its owner is done, for example in the owner's Dispose.",
        Docs = Docs + "timer-not-disposed",
    };

    private static readonly KnownPattern DiagnosticSubscription = new()
    {
        Id = "diagnostic-subscription-not-disposed",
        Title = "IObservable / DiagnosticListener / EventListener subscription never disposed",
        Why = "A DiagnosticListener subscription, an IObservable subscription and a live EventListener are held by process-wide lists until disposed, with the observer and what it references (an EventListener also adds a dispatcher to every EventSource in the process).",
        Fix = "Dispose the IDisposable that Subscribe returns (or the EventListener) when the observer is done.",
        Docs = Docs + "diagnostic-subscription-not-disposed",
    };

    private static readonly KnownPattern ThreadStatic = new()
    {
        Id = "thread-local-on-pool-threads",
        Title = "ThreadLocal / AsyncLocal values on pool threads",
        Why = "A value stored in a ThreadLocal<T> lives as long as the thread (pool threads live long) unless the ThreadLocal is disposed; an AsyncLocal<T> value flows into every execution context copied from it.",
        Fix = "Dispose ThreadLocal<T> instances you create per object, keep small values in them, and reset AsyncLocal<T>.Value to null when the operation ends.",
        Docs = Docs + "thread-local-on-pool-threads",
    };

    private static readonly KnownPattern EventHandler = new()
    {
        Id = "event-handler-not-removed",
        Title = "Event handler never removed from a long-lived publisher",
        Why = "An event's delegate references each subscriber; a static event, or an event of an object that lives long, keeps every subscriber alive until the handler is removed.",
        Fix = "Remove the handler (publisher.Changed -= OnChanged) when the subscriber is done, typically in its Dispose; or use a weak event pattern.",
        Docs = Docs + "event-handler-not-removed",
    };

    private static readonly KnownPattern CapturingClosure = new()
    {
        Id = "closure-kept-by-long-lived-callback",
        Title = "Closure kept by a long-lived callback list captures what it closes over",
        Why = "A lambda that captures variables is compiled to a closure object holding them (a request, a context, a buffer); a static or long-lived list of callbacks keeps every closure and its captures alive.",
        Fix = "Remove the callback when done, or capture only the values the callback needs (copy them to locals) instead of the whole request or context.",
        Docs = Docs + "closure-kept-by-long-lived-callback",
    };

    private static readonly KnownPattern StaticCollection = new()
    {
        Id = "static-collection-as-cache",
        Title = "Dictionary or list in a static field used as a cache",
        Why = "A collection in a static field lives for the whole process; entries added per request or per key and never removed accumulate without bound.",
        Fix = "Bound it: use MemoryCache with SizeLimit and expiration, or remove entries when their owner ends (ConditionalWeakTable for per-object data).",
        Docs = Docs + "static-collection-as-cache",
    };

    private static readonly KnownPattern XmlSerializerPerCall = new()
    {
        Id = "xml-serializer-per-call",
        Title = "XmlSerializer built per call with a non-caching constructor",
        Why = "Every XmlSerializer constructor except (Type) and (Type, string) generates a new serialization assembly (Microsoft.GeneratedCode) on each call, and a generated assembly is never unloaded: built per call, they pile up for the life of the process.",
        Fix = "Build the serializer once and keep it in a static field (or a dictionary keyed by type and root), or use the caching constructors new XmlSerializer(type) and new XmlSerializer(type, defaultNamespace).",
        Docs = Docs + "xml-serializer-per-call",
    };

    private static readonly KnownPattern HttpClientPerRequest = new()
    {
        Id = "http-client-per-request",
        Title = "HttpClient (or its handler) created per request",
        Why = "Each new HttpClient owns a handler with its own connection pool; created per request and never disposed, every pool's open connections, sockets and buffers wait for the finalizer (or the server's idle timeout) to close them, and closed sockets linger in TIME_WAIT until the ports run out.",
        Fix = "Share one static HttpClient for the process with SocketsHttpHandler.PooledConnectionLifetime set (so DNS changes are seen), or get clients from IHttpClientFactory (services.AddHttpClient).",
        Docs = Docs + "http-client-per-request",
    };

    /// <summary>Gets the rules, most specific first.</summary>
    public static IReadOnlyList<PatternRule> Rules { get; } =
    [
        new(LinkedTokenSource, Growing: "*Linked*CancellationTokenSource"),
        new(LinkedTokenSource, Holders: ["*CallbackNode*", "*Linked*CancellationTokenSource"]),
        new(TokenRegistration, Holders: ["*CallbackNode*"]),
        new(TokenRegistration, Growing: "*CallbackNode*"),
        new(RootScopeDisposable, Holders: ["*ServiceProviderEngineScope*"]),
        // Exact names (System.Net.Http's, namespace dropped): Kestrel's server-side HttpConnection is not a client.
        new(HttpClientPerRequest, Holders: ["HttpConnection"]),
        new(HttpClientPerRequest, Holders: ["HttpConnectionPool"]),
        new(HttpClientPerRequest, Holders: ["HttpConnectionPoolManager"]),
        new(HttpClientPerRequest, Holders: ["SocketsHttpHandler"]),
        new(HttpClientPerRequest, Growing: "HttpConnection"),
        // A type named *Pool (System.Net.Http's HttpConnectionPool is matched above; the framework's array and object pools
        // are generic, *Pool<T>, and hold what was returned, not what was rented) keeping a collection of its items.
        new(PooledNotReturned, Holders: ["*Pool", "HashSet<*"]),
        new(PooledNotReturned, Holders: ["*Pool", "*Dictionary<*"]),
        new(PooledNotReturned, Holders: ["*Pool", "List<*"]),
        new(PooledNotReturned, Holders: ["*Pool", "Concurrent*<*"]),
        new(UnboundedMemoryCache, Holders: ["*MemoryCache*"]),
        new(TimerCallback, Holders: ["*TimerQueueTimer*"]),
        new(DiagnosticSubscription, Holders: ["*DiagnosticSubscription*"]),
        new(DiagnosticSubscription, Growing: "*DiagnosticSubscription*"),
        new(DiagnosticSubscription, Holders: ["*AllListenerObservable*"]),
        new(DiagnosticSubscription, Root: "static field *EventListener.s_Listeners"),
        // Every EventListener adds a dispatcher to every EventSource: an EventListener leak grows these first.
        new(DiagnosticSubscription, Growing: "EventDispatcher"),
        new(DiagnosticSubscription, Holders: ["EventDispatcher*"]),
        new(ThreadStatic, Holders: ["ThreadLocal<*"]),
        new(ThreadStatic, Holders: ["*LinkedSlot*"]),
        new(ThreadStatic, Growing: "*LinkedSlot<*"),
        new(ThreadStatic, Holders: ["*AsyncLocalValueMap*"]),
        new(EventHandler, Holders: ["EventHandler*"]),
        new(CapturingClosure, Holders: ["closure in *"]),
        new(CapturingClosure, Growing: "closure in *", Root: "static field *"),
        new(StaticCollection, Root: "static field *", Holders: ["*Dictionary<*"]),
        new(StaticCollection, Root: "static field *", Holders: ["List<*"]),
        new(StaticCollection, Root: "static field *", Holders: ["HashSet<*"]),
        new(StaticCollection, Root: "static field *", Holders: ["Concurrent*<*"]),
    ];

    /// <summary>
    /// Gets the rules on the names of generated assemblies: code generators that name every assembly alike tell which API
    /// keeps generating them (the retention path of a generated assembly leads to the runtime, not to the caller).
    /// </summary>
    public static IReadOnlyList<(KnownPattern Pattern, string Name)> AssemblyRules { get; } =
    [
        (XmlSerializerPerCall, "Microsoft.GeneratedCode"),
    ];

    /// <summary>Finds the pattern that most of the newest generated assemblies match by name.</summary>
    /// <param name="newest">The newest loads.</param>
    /// <returns>The pattern, or <see langword="null"/> when no rule matches at least half of the dynamic ones.</returns>
    public static KnownPattern? MatchAssemblies(IReadOnlyList<LoadedAssembly> newest)
    {
        var dynamic = newest.Count(load => load.Dynamic);
        foreach (var (pattern, name) in AssemblyRules)
        {
            var matching = newest.Count(load => load.Dynamic && PatternRule.Glob(name, load.Name));
            if (matching > 0 && matching * 2 >= dynamic)
            {
                return pattern;
            }
        }

        return null;
    }

    /// <summary>Finds the pattern a growing type's most common retention path matches.</summary>
    /// <param name="growingType">The growing type's readable name.</param>
    /// <param name="paths">Its retention paths, most common first.</param>
    /// <returns>The pattern, or <see langword="null"/> when none matches.</returns>
    public static KnownPattern? Match(string growingType, IReadOnlyList<RetentionPath> paths)
    {
        if (paths.Count == 0)
        {
            return null;
        }

        foreach (var rule in Rules)
        {
            if (rule.Matches(growingType, paths[0]))
            {
                return rule.Pattern;
            }
        }

        return null;
    }

    /// <summary>
    /// Returns the report's main known pattern and what it explains: the generated assemblies' pattern when code was
    /// generated between the snapshots (a name tells which generator, where the heap shows only runtime types), else the
    /// growing type's most specific one.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <returns>The pattern and its subject (a type name, or the generated assemblies' name), or <see langword="null"/>.</returns>
    public static (KnownPattern Pattern, string Subject)? Explain(LeakReport report)
    {
        if (report.LoadedAssemblies is { Pattern: { } generated, Newest: [var newest, ..] })
        {
            return (generated, "generated assemblies " + newest.Name);
        }

        return MostSpecific(report.GrowingTypes) is { Pattern: { } pattern } explained ? (pattern, explained.Type) : null;
    }

    /// <summary>
    /// Picks the growing type whose pattern is the most specific (earliest in <see cref="Rules"/>): in a linked
    /// token source leak the callback nodes and the linked sources both grow, and the linked source says more.
    /// </summary>
    /// <param name="types">The report's growing types.</param>
    /// <returns>The type with the most specific pattern, or <see langword="null"/> when none has one.</returns>
    public static GrowingType? MostSpecific(IReadOnlyList<GrowingType> types)
    {
        GrowingType? best = null;
        var bestRank = int.MaxValue;
        foreach (var type in types)
        {
            if (type.Pattern is not { } pattern)
            {
                continue;
            }

            var rank = 0;
            while (rank < Rules.Count && !ReferenceEquals(Rules[rank].Pattern, pattern))
            {
                rank++;
            }

            if (rank < bestRank)
            {
                (best, bestRank) = (type, rank);
            }
        }

        return best;
    }
}
