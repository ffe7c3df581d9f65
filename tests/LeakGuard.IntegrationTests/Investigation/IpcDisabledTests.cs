using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Investigation;

public class IpcDisabledTests
{
    [Test]
    public async Task With_diagnostics_ipc_disabled_monitoring_continues_and_the_log_says_why_once()
    {
        Assert.That(File.Exists(SnapshotTargetProcess.AssemblyPath), Is.True, SnapshotTargetProcess.AssemblyPath);

        var (exitCode, output) = await SnapshotTargetProcess.RunAsync(
            "ipc-disabled",
            new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" },
            TimeSpan.FromMinutes(2));

        Assert.That(exitCode, Is.Zero, output);
        var lines = output.Split('\n');
        Assert.That(lines.Count(l => l.StartsWith("[104] Warning: Heap snapshots are unavailable: the diagnostics IPC channel is disabled", StringComparison.Ordinal)), Is.EqualTo(1), output);
        Assert.That(lines.Count(l => l.StartsWith("monitoring continues", StringComparison.Ordinal)), Is.EqualTo(3), output);
        Assert.That(output, Does.Contain("round 3: report none"));
        Assert.That(output, Does.Contain("capture: Heap snapshots are unavailable"));
    }

    [Test]
    public async Task With_diagnostics_ipc_enabled_the_same_process_takes_snapshots()
    {
        var (exitCode, output) = await SnapshotTargetProcess.RunAsync("ipc-disabled", new Dictionary<string, string>(), TimeSpan.FromMinutes(2));

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain("[104]"));
        Assert.That(output, Does.Contain("[101] Information: Heap snapshot taken"));
    }
}
