namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>
/// The configuration every zoo child runs with — ordinary <c>LeakGuard__*</c> environment variables,
/// nothing else — tuned so a leak of a few MB/s shows within seconds: a short warm-up and window,
/// and a short delay between the two heap snapshots.
/// </summary>
internal static class ZooEnvironment
{
    /// <summary>How long a leak may take to reach Leaking, on the child's clock (from its start).</summary>
    public static readonly TimeSpan DetectionDeadline = TimeSpan.FromSeconds(60);

    /// <summary>How long a managed leak's report may take after detection (snapshot delay, two snapshots, diff).</summary>
    public static readonly TimeSpan ReportDeadline = TimeSpan.FromSeconds(45);

    /// <summary>How long a control runs: at least as long as any leak may take to be detected.</summary>
    public static readonly TimeSpan ControlRun = DetectionDeadline;

    /// <summary>How long a child may take to exit after SIGTERM.</summary>
    public static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(20);

    public static IReadOnlyDictionary<string, string> For(string reportsDirectory) => new Dictionary<string, string>
    {
        ["LeakGuard__Enabled"] = "true",
        ["LeakGuard__SampleInterval"] = "00:00:00.050",
        ["LeakGuard__WarmUp"] = "00:00:20",

        // A container of 320 MiB: the zoo's leaks (1.5-3 MB/s on top of ~100 MB) would fill it within about two minutes
        // of their start, so urgency pages once a leak has been seen rising for a quarter of the time it has left
        // (SignalDetector.MaxExtrapolation: within 20-30 s of the warm-up's end); the controls (110-170 MB) never approach
        // it. With 4 GiB, half an hour away, urgency would wait for minutes of rise, as it does in production.
        ["LeakGuard__MemoryLimitBytes"] = "335544320",
        ["LeakGuard__Detection__Window"] = "00:00:05",

        // A rise must reach 10 % of the level (the default is 5 %): with a 5-s window the first minute of a healthy child
        // holds the runtime's start-up transient at full size (after the 20-s warm-up ~550 methods are compiled and
        // resident memory outside the GC's grows by ~3.5 MB, 6 % of it), and urgency extrapolates that 40-s rise to
        // hours: lru-cache went Leaking on native_memory in 3 of 4 full zoo runs (issue 16). The zoo's leaks pass 10 %
        // within seconds. With the default: LeakGuard__Detection__MinGrowthPercent=5 (see docs/detection-quality-real.md).
        ["LeakGuard__Detection__MinGrowthPercent"] = "10",
        ["LeakGuard__Snapshots__Mode"] = "OnSuspicion",
        ["LeakGuard__Snapshots__Delay"] = "00:00:05",
        ["LeakGuard__Snapshots__Cooldown"] = "00:10:00",
        ["LeakGuard__Reports__Directory"] = reportsDirectory,
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__LeakGuard"] = "Information",
        ["DOTNET_gcServer"] = "0",

        // A fixed generation-0 budget (hex: 2 MiB). The default is derived from the CPU's cache size, so on a
        // machine with a large L3 a scenario that allocates nothing but its 1.5 MB/s leak collects only every
        // ~6 s: ten heap-floor readings in a minute, and detection then depends on the machine. Real services
        // make garbage far faster than they leak; 2 MiB gives the zoo a collection every second or so anywhere.
        ["DOTNET_GCgen0size"] = "200000",
    };
}
