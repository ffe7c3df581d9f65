using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LeakGuard.IntegrationTests.Zoo;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Oom;

/// <summary>
/// Issue 21 item 6, second part: three short lifetimes of a leak in a real memory-limited cgroup on one
/// <c>StateDirectory</c> — a native leak each killed by the kernel's OOM killer, or a managed leak each ended by an
/// <c>OutOfMemoryException</c> at the GC's heap limit; the fourth start must call <c>restart_cadence</c> Leaking naming that
/// death (and the third must not yet). Runs only where a child memory cgroup can be created; skipped with the reason elsewhere.
/// </summary>
[Category("Oom")]
[NonParallelizable]
public sealed class RestartCadenceTests
{
    private const long MiB = 1024 * 1024;
    private const int Lifetimes = 3;

    // 256 MiB: the native leak fills the cgroup from a ~40 MiB start, the managed one the GC's 192 MiB heap limit (75 %)
    // from a few MiB; at these rates each lifetime lasts ~40–50 s.
    private const long CgroupLimit = 256 * MiB;
    private static readonly TimeSpan LifetimeDeadline = TimeSpan.FromMinutes(3);

    [TestCase("native-memory", 5 * MiB, "oom_killed")]
    [TestCase("unbounded-cache", 4 * MiB, "out_of_memory")]
    public async Task Three_lifetimes_ended_by_a_leak_are_a_restart_cadence_at_the_fourth_start(string scenario, double rate, string reason)
    {
        var problem = MemoryCgroup.TryCreate(CgroupLimit, out var created);
        if (problem is not null)
        {
            Assert.Ignore(problem);
        }

        using var cgroup = created!;
        using var state = new TempDirectory();
        var environment = RealOomTests.Environment(state.Path);
        var clock = Stopwatch.StartNew();
        var lengths = new List<double>();
        for (var i = 0; i < Lifetimes; i++)
        {
            var killsBefore = cgroup.OomKillCount;
            using var dying = ZooProcess.StartInCgroup(cgroup.ProcsFile, scenario, state.Path, environment, "--rate", rate.ToString(CultureInfo.InvariantCulture), "--verdicts-every", "1", "--no-stdin");
            Assert.That(await dying.WaitForExitAsync(LifetimeDeadline), Is.True, $"lifetime {i + 1} did not die within {LifetimeDeadline}:\n{Tail(dying.Log)}");
            Assert.That(dying.ExitCode, Is.Not.Zero, Tail(dying.Log));
            Assert.That(
                cgroup.OomKillCount,
                reason == "oom_killed" ? Is.GreaterThan(killsBefore) : Is.EqualTo(killsBefore),
                $"lifetime {i + 1}: {(reason == "oom_killed" ? "the kernel's OOM killer ended it" : "the GC's heap limit ended it, not the kernel")}");
            var snapshots = dying.Lines.Where(l => l.Tag == "LEAKGUARD-VERDICTS").ToList();
            Assert.That(snapshots, Is.Not.Empty, Tail(dying.Log));
            lengths.Add(snapshots[^1].T);

            // Before the third restart there is no cadence: two deaths are not one yet.
            var cadence = Cadence(snapshots[^1]);
            Assert.That(Text(cadence, "state"), Is.EqualTo(nameof(LeakState.InsufficientData)), $"lifetime {i + 1}: {cadence}");
            if (i > 0)
            {
                Assert.That(dying.Log, Does.Contain($"ended with reason {reason}"), Tail(dying.Log));
            }
        }

        using var fourth = ZooProcess.StartInCgroup(cgroup.ProcsFile, "lru-cache", state.Path, environment, "--verdicts-every", "1", "--no-stdin");
        var leaking = await fourth.WaitForLineAsync(l => l.Tag == "LEAKGUARD-VERDICTS" && Text(Cadence(l), "state") == nameof(LeakState.Leaking), TimeSpan.FromSeconds(60));
        await fourth.StopAsync(TimeSpan.FromSeconds(20));
        var verdict = leaking is null ? null : Cadence(leaking);
        var cadenceSeconds = verdict?.GetProperty("cadenceSeconds").GetDouble() ?? double.NaN;
        var growth = verdict?.GetProperty("growthPerLifetimeBytes").GetDouble() ?? double.NaN;
        TestContext.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{scenario}: lifetimes {string.Join(", ", lengths.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture)))} s (to the last verdict line); cadence {cadenceSeconds:0.0} s, growth per lifetime {growth / MiB:0.0} MiB; total {clock.Elapsed.TotalSeconds:0} s. {Text(verdict, "reason")}"));
        Assert.Multiple(() =>
        {
            Assert.That(leaking, Is.Not.Null, $"restart_cadence never Leaking at the fourth start:\n{Tail(fourth.Log)}");
            Assert.That(Text(verdict, "reason"), Does.StartWith($"3 of the last 3 lifetimes died of {reason} after "));
            Assert.That(cadenceSeconds, Is.InRange(lengths.Min() - 15, lengths.Max() + 15), "the cadence is a lifetime's length (from LeakGuard's start to its last sighting)");
            Assert.That(cadenceSeconds, Is.LessThan(90), "each lifetime lives about a minute or less");
            Assert.That(growth / MiB, Is.InRange(100, 256), "most of the binding limit grew in each lifetime");
            Assert.That(fourth.Log, Does.Contain($"Leak detected across restarts (restart_cadence): the last 3 lifetimes each grew from start until it ended by {reason}"));
        });
    }

    private static JsonElement? Cadence(ZooLine line)
    {
        foreach (var verdict in line.Data.GetProperty("verdicts").EnumerateArray())
        {
            if (verdict.GetProperty("signal").GetString() == LeakSignals.RestartCadence)
            {
                return verdict;
            }
        }

        return null;
    }

    private static string? Text(JsonElement? verdict, string name) =>
        verdict is { } v && v.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // The child's own lines (start, samples, errors, LeakGuard's logs) with only the last of its once-a-second verdict lines:
    // a lifetime that did not die otherwise shows nothing but verdicts.
    private static string Tail(string log)
    {
        var lines = log.Split('\n');
        var kept = lines.Where(l => !l.StartsWith("LEAKGUARD-VERDICTS", StringComparison.Ordinal)).ToList();
        if (lines.LastOrDefault(l => l.StartsWith("LEAKGUARD-VERDICTS", StringComparison.Ordinal)) is { } last)
        {
            kept.Add(last);
        }

        var text = string.Join('\n', kept);
        return text.Length > 6000 ? text[^6000..] : text;
    }
}
