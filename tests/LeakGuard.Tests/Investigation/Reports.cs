using NUnit.Framework;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Investigation;

/// <summary>Reports for tests.</summary>
internal static class Reports
{
    public static string FixturePath => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "Investigation", "report.json");

    /// <summary>A report of a serializer generated per call: runtime types grow, and 300 Microsoft.GeneratedCode assemblies were loaded.</summary>
    public static LeakReport WithGeneratedAssemblies()
    {
        var newest = Enumerable.Range(0, 10)
            .Select(i => new LoadedAssembly { Name = "Microsoft.GeneratedCode", Dynamic = true, LoadedAt = new DateTimeOffset(2026, 11, 24, 6, 5, 0, TimeSpan.Zero).AddSeconds(-i) })
            .ToArray();
        return new LeakReport
        {
            Signal = LeakSignals.LoadedAssemblies,
            Snapshots = new SnapshotPair(),
            GrowingTypes =
            [
                new GrowingType
                {
                    Type = "RuntimeType",
                    CountDelta = 1800,
                    BytesDelta = 72_000,
                    CountAfter = 20_000,
                    BytesAfter = 800_000,
                    RetentionPaths = [new RetentionPath { Root = "unknown root (dependent handle or weak table)", Share = 0.99, Path = ["RuntimeType"] }],
                },
            ],
            LoadedAssemblies = new LoadedAssemblies
            {
                Count = 512,
                Dynamic = 340,
                Collectible = 0,
                DynamicBetweenSnapshots = 300,
                Newest = newest,
                Pattern = KnownPatterns.MatchAssemblies(newest),
            },
        };
    }

    /// <summary>
    /// A managed leak: sessions in a static dictionary, matched (as the investigator does) to the
    /// <c>static-collection-as-cache</c> pattern, with its signature.
    /// </summary>
    public static LeakReport Sample(DateTimeOffset? after = null, string signal = "managed_heap") => new()
    {
        Signal = signal,
        DetectedAt = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero),
        GrowthBytesPerSecond = 1234.5,
        TimeToLimitSeconds = 5400,
        Snapshots = new SnapshotPair { Before = new DateTimeOffset(2026, 11, 24, 6, 0, 5, TimeSpan.Zero), After = after ?? new DateTimeOffset(2026, 11, 24, 6, 5, 5, TimeSpan.Zero) },
        GrowingTypes =
        [
            new GrowingType
            {
                Type = "MyApp.Session",
                CountDelta = 120000,
                BytesDelta = 4800000,
                CountAfter = 200000,
                BytesAfter = 8000000,
                RetentionPaths = [new RetentionPath { Root = "static field Sessions", Share = 0.98, Path = ["Dictionary<Guid, MyApp.Session>", "MyApp.Session"] }],
            }.Explained(),
        ],
    };
}
