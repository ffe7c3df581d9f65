using System.Net;
using System.Text.Json;
using LeakGuard.Hosting;
using LeakGuard.Investigation;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

/// <summary>A real monitor that cannot take heap snapshots: the dashboard says why and starts nothing.</summary>
public sealed class SnapshotAvailabilityTests
{
    private const string Investigate = "/leakguard/api/investigate";

    private static LeakMonitor Monitor(LeakGuardOptions options, Func<LeakGuardOptions, TimeProvider, Microsoft.Extensions.Logging.ILogger, ILeakInvestigator> investigator) =>
        new(options, new MonitorComponents { CreateInvestigator = investigator }, new FakeTimeProvider(DashboardTestHost.Start), NullLoggerFactory.Instance, meterFactory: null, lifetime: null);

    private static async Task<(HttpStatusCode Investigate, string Error, HttpStatusCode Again, string? Status)> AskAsync(ILeakMonitor monitor)
    {
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));
        using var first = await host.Client.PostAsync(Investigate, null);
        using var error = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using var again = await host.Client.PostAsync(Investigate, null);
        using var status = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/status"));
        return (first.StatusCode, error.RootElement.GetProperty("error").GetString()!, again.StatusCode, status.RootElement.GetProperty("snapshotsUnavailable").GetString());
    }

    [Test]
    public async Task With_the_diagnostics_channel_disabled_investigate_is_refused_with_the_reason_not_started()
    {
        static string? DiagnosticsOff(string name) => name == "DOTNET_EnableDiagnostics" ? "0" : null;
        await using var monitor = Monitor(new LeakGuardOptions(), (o, t, l) => new InvestigatorAdapter(new LeakInvestigator(o, t, l, DiagnosticsOff)));

        var (investigate, error, again, status) = await AskAsync(monitor);

        Assert.That(investigate, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(error, Does.Contain("DOTNET_EnableDiagnostics=0"));
        Assert.That(again, Is.EqualTo(HttpStatusCode.Conflict), "no cooldown began: nothing was started");
        Assert.That(status, Does.Contain("DOTNET_EnableDiagnostics=0"));
    }

    [Test]
    public async Task With_LeakGuard_disabled_no_heap_snapshot_is_taken_even_on_request()
    {
        var investigator = new FakeInvestigator();
        await using var monitor = Monitor(new LeakGuardOptions { Enabled = false }, (_, _, _) => investigator);

        var (investigate, error, _, status) = await AskAsync(monitor);
        var report = await monitor.InvestigateAsync();

        Assert.That(investigate, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(error, Does.Contain("LeakGuard:Enabled = false"));
        Assert.That(status, Does.Contain("LeakGuard:Enabled = false"));
        Assert.That(report, Is.Null);
        Assert.That(investigator.Calls, Is.Empty);
        Assert.That(async () => await monitor.CaptureHeapSnapshotAsync(), Throws.InvalidOperationException.With.Message.Contains("LeakGuard:Enabled = false"));
    }

    [Test]
    public async Task A_monitor_that_can_take_snapshots_reports_no_reason()
    {
        await using var monitor = Monitor(new LeakGuardOptions(), (_, _, _) => new FakeInvestigator());
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        using var status = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/status"));

        Assert.That(status.RootElement.GetProperty("snapshotsUnavailable").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
