using System.Text.Json;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>
/// The leaks that are not managed objects, end to end: the zoo's native-memory and blocked-threads scenarios run in a
/// real process with LeakGuard inside, and the report file of their automatic investigation carries native evidence
/// that names the growth (read as plain JSON, the format users see).
/// </summary>
[TestFixture]
[Category("Zoo")]
public sealed class ZooNativeReportTests
{
    // Child start-up before its clock starts (see ZooTests), then detection and the investigation's window.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45) + ZooEnvironment.DetectionDeadline + ZooEnvironment.ReportDeadline;

    [Test]
    public async Task Native_leak_report_puts_the_growth_in_malloc_in_use()
    {
        using var reports = new TempDirectory();
        using var zoo = ZooProcess.Start("native-memory", reports.Path);
        var native = await NativeSectionAsync(zoo, LeakSignals.NativeMemory, LeakSignals.ProcessMemory);

        var malloc = native.GetProperty("malloc");
        var inUseGrowth = malloc.GetProperty("inUseBytesAfter").GetInt64() - malloc.GetProperty("inUseBytesBefore").GetInt64();
        Assert.Multiple(() =>
        {
            // 2 MiB/s of never-freed blocks over the zoo's 5 s window.
            Assert.That(inUseGrowth, Is.GreaterThan(4L * 1024 * 1024), native.ToString());
            Assert.That(native.GetProperty("finding").GetString(), Does.StartWith("malloc in use +").And.Contain("never freed"));
        });
    }

    [Test]
    public async Task Thread_leak_report_counts_the_new_threads_by_name()
    {
        using var reports = new TempDirectory();
        using var zoo = ZooProcess.Start("blocked-threads", reports.Path);
        // The threads' stacks are resident memory: process_memory may be Leaking first; its investigation serves both.
        var native = await NativeSectionAsync(zoo, LeakSignals.Threads, LeakSignals.ProcessMemory, LeakSignals.NativeMemory);

        var threads = native.GetProperty("threads");
        var top = threads.GetProperty("startedByName")[0];
        Assert.Multiple(() =>
        {
            // 5 threads/s over the zoo's 5 s window, each named by the scenario.
            Assert.That(top.GetProperty("name").GetString(), Is.EqualTo("zoo-stuck-job"), native.ToString());
            Assert.That(top.GetProperty("count").GetInt32(), Is.GreaterThanOrEqualTo(10));
            Assert.That(threads.GetProperty("after").GetInt32() - threads.GetProperty("before").GetInt32(), Is.GreaterThanOrEqualTo(10));
            Assert.That(native.GetProperty("finding").GetString(), Does.Contain("threads that start and never end").And.Contain("'zoo-stuck-job'"));
        });
    }

    private static async Task<JsonElement> NativeSectionAsync(ZooProcess zoo, params string[] signals)
    {
        string? SignalOf(string path)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("signal").GetString();
        }

        var line = await zoo.WaitForLineAsync(
            l => l.Tag == "LEAKGUARD-REPORT" && l.String("path") is { } path && signals.Contains(SignalOf(path)),
            Deadline);
        await zoo.StopAsync(ZooEnvironment.ExitDeadline);
        Assert.That(line, Is.Not.Null, $"no report of {string.Join(" or ", signals)} within {Deadline.TotalSeconds} s:\n{Tail(zoo.Log)}");
        ZooArtifacts.Keep(line!.String("path")!, $"{zoo.Scenario}-native-report.json");
        using var report = JsonDocument.Parse(File.ReadAllText(line.String("path")!));
        Assert.That(report.RootElement.TryGetProperty("native", out var native), Is.True, "the report has no native section");
        // Issue 17: no report of the run names anything of LeakGuard's; this one lists the largest types (nothing managed grew).
        var read = ZooReport.Read(line.String("path")!);
        Assert.That(read.LargestTypes.Count + read.GrowingTypes.Count, Is.Positive, "the report lists no types to check");
        Assert.That(ZooReport.OwnNamesInEveryReport(zoo.Lines), Is.Empty, "reports naming LeakGuard's own objects or its dependencies'");
        return native.Clone();
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));
}
