using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class ReportStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 6, 6, 0, TimeSpan.Zero);

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("leakguard-reports-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Report_is_written_whole_and_leaves_no_temporary_file()
    {
        var path = await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, Now, CancellationToken.None);

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
            await ReportStore.WriteAsync(_directory, Reports.Sample(start.AddMinutes(i)), maxCount: 3, Now, CancellationToken.None);
        }

        var files = ReportStore.List(_directory).Select(Path.GetFileName).ToArray();
        Assert.That(files, Has.Length.EqualTo(3));
        Assert.That(files[0], Does.Contain("T060200000Z"));
    }

    [Test]
    public async Task Two_reports_of_the_same_moment_get_distinct_files()
    {
        await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, Now, CancellationToken.None);
        await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, Now, CancellationToken.None);

        Assert.That(ReportStore.List(_directory), Has.Length.EqualTo(2));
    }

    [Test]
    public void Cancelled_write_leaves_nothing_behind()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(
            async () => await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, Now, cancelled.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public async Task Write_removes_temporary_files_left_by_an_earlier_crash()
    {
        var truncated = Path.Combine(_directory, ".leakguard-report-20261124T050000000Z-managed_heap.json.tmp");
        var empty = Path.Combine(_directory, ".leakguard-report-20261124T050100000Z-managed_heap.json.tmp");
        await File.WriteAllTextAsync(truncated, "{\"signal\":\"managed_he");
        await File.WriteAllBytesAsync(empty, []);
        File.SetLastWriteTimeUtc(truncated, Now.UtcDateTime.AddHours(-1));
        File.SetLastWriteTimeUtc(empty, Now.UtcDateTime.AddHours(-1));

        var path = await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, Now, CancellationToken.None);

        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { path }));
    }

    [Test]
    public async Task Write_keeps_a_temporary_file_another_writer_may_still_be_filling()
    {
        var fresh = Path.Combine(_directory, ".leakguard-report-20261124T060559000Z-managed_heap.json.tmp");
        await File.WriteAllBytesAsync(fresh, []);
        File.SetLastWriteTimeUtc(fresh, Now.UtcDateTime.AddSeconds(-5));

        await ReportStore.WriteAsync(_directory, Reports.Sample(), maxCount: 5, Now, CancellationToken.None);

        Assert.That(File.Exists(fresh), Is.True);
    }
}
