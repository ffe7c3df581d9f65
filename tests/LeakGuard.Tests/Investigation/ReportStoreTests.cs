using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class ReportStoreTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("leakguard-reports-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Report_is_written_whole_and_leaves_no_temporary_file()
    {
        var path = await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, CancellationToken.None);

        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { path }));
        Assert.That(Path.GetFileName(path), Does.StartWith("leakguard-report-20261124T060505000Z-managed_heap"));
        var back = await LeakReportSerializer.ReadFileAsync(path);
        Assert.That(back.GrowingTypes[0].Type, Is.EqualTo("MyApp.Session"));
    }

    [Test]
    public async Task Store_keeps_at_most_max_count_reports_deleting_the_oldest()
    {
        var start = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            await ReportStore.WriteAsync(_directory, Reports.Sample(start.AddMinutes(i)), maxCount: 3, CancellationToken.None);
        }

        var files = ReportStore.List(_directory).Select(Path.GetFileName).ToArray();
        Assert.That(files, Has.Length.EqualTo(3));
        Assert.That(files[0], Does.Contain("T060200000Z"));
    }

    [Test]
    public async Task Two_reports_of_the_same_moment_get_distinct_files()
    {
        await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, CancellationToken.None);
        await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, CancellationToken.None);

        Assert.That(ReportStore.List(_directory), Has.Length.EqualTo(2));
    }
}
