using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

public sealed class ReportsEndpointTests
{
    private static readonly DateTimeOffset FirstAfter = DashboardTestHost.Start - TimeSpan.FromHours(2);
    private static readonly DateTimeOffset SecondAfter = DashboardTestHost.Start - TimeSpan.FromMinutes(1);

    private static FakeLeakMonitor MonitorWithTwoReports()
    {
        var monitor = new FakeLeakMonitor();
        monitor.ReportList.Add(FakeLeakMonitor.Report("MyApp.OldThing", FirstAfter));
        monitor.ReportList.Add(FakeLeakMonitor.Report("MyApp.Session", SecondAfter));
        return monitor;
    }

    private static string Id(DateTimeOffset after) => after.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    [Test]
    public async Task Reports_lists_summaries_newest_first()
    {
        await using var host = await DashboardTestHost.StartAsync(MonitorWithTwoReports(), new FakeTimeProvider(DashboardTestHost.Start));

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/reports"));
        var reports = json.RootElement.GetProperty("reports").EnumerateArray().ToArray();

        Assert.That(reports.Select(r => r.GetProperty("topType").GetString()), Is.EqualTo(new[] { "MyApp.Session", "MyApp.OldThing" }));
        Assert.That(reports[0].GetProperty("id").GetString(), Is.EqualTo(Id(SecondAfter)));
        Assert.That(reports[0].GetProperty("growingTypeCount").GetInt32(), Is.EqualTo(1));
        Assert.That(reports[0].GetProperty("topTypeBytesDelta").GetInt64(), Is.EqualTo(4_800_000));
    }

    [Test]
    public async Task One_report_has_the_documented_shape()
    {
        await using var host = await DashboardTestHost.StartAsync(MonitorWithTwoReports(), new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync($"/leakguard/api/reports/{Id(FirstAfter)}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var type = root.GetProperty("growingTypes")[0];
        var path = type.GetProperty("retentionPaths")[0];

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(root.GetProperty("signal").GetString(), Is.EqualTo("managed_heap"));
        Assert.That(root.GetProperty("growthBytesPerSecond").GetDouble(), Is.EqualTo(1234.5));
        Assert.That(root.GetProperty("timeToLimitSeconds").GetDouble(), Is.EqualTo(5400));
        Assert.That(root.GetProperty("snapshots").GetProperty("after").GetDateTimeOffset(), Is.EqualTo(FirstAfter));
        Assert.That(type.GetProperty("type").GetString(), Is.EqualTo("MyApp.OldThing"));
        Assert.That(type.GetProperty("countDelta").GetInt64(), Is.EqualTo(120_000));
        Assert.That(type.GetProperty("bytesAfter").GetInt64(), Is.EqualTo(8_000_000));
        Assert.That(path.GetProperty("root").GetString(), Is.EqualTo("static field Sessions"));
        Assert.That(path.GetProperty("share").GetDouble(), Is.EqualTo(0.98));
        Assert.That(path.GetProperty("path").GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    public async Task Latest_names_the_newest_report()
    {
        await using var host = await DashboardTestHost.StartAsync(MonitorWithTwoReports(), new FakeTimeProvider(DashboardTestHost.Start));

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/reports/latest"));

        Assert.That(json.RootElement.GetProperty("growingTypes")[0].GetProperty("type").GetString(), Is.EqualTo("MyApp.Session"));
    }

    [TestCase("abc")]
    [TestCase("12.5")]
    [TestCase("99999999999999999999999")]
    public async Task A_malformed_report_id_answers_400_naming_id(string id)
    {
        await using var host = await DashboardTestHost.StartAsync(MonitorWithTwoReports(), new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync($"/leakguard/api/reports/{id}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json.RootElement.GetProperty("parameter").GetString(), Is.EqualTo("id"));
    }

    [Test]
    public async Task An_unknown_report_id_answers_404()
    {
        await using var host = await DashboardTestHost.StartAsync(MonitorWithTwoReports(), new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync("/leakguard/api/reports/12345");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Latest_without_reports_answers_404()
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync("/leakguard/api/reports/latest");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
