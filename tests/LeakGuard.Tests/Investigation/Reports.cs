using NUnit.Framework;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Investigation;

/// <summary>Reports for tests.</summary>
internal static class Reports
{
    public static string FixturePath => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "Investigation", "report.json");

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
            },
        ],
    };
}
