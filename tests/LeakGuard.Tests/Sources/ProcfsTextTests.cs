using System.Text;
using LeakGuard.Sources;
using NUnit.Framework;

namespace LeakGuard.Tests.Sources;

public sealed class ProcfsTextTests
{
    [Test]
    public void Statm_resident_pages_are_multiplied_by_the_page_size() =>
        Assert.That(ProcfsText.ParseStatmResidentBytes(Fixture.Bytes("procfs", "statm"), 4096), Is.EqualTo(421L * 4096));

    [TestCase("")]
    [TestCase("765")]
    [TestCase("765 x4 393")]
    [TestCase("garbage")]
    public void Statm_garbage_reads_as_unavailable(string content) =>
        Assert.That(ProcfsText.ParseStatmResidentBytes(Encoding.ASCII.GetBytes(content), 4096), Is.EqualTo(-1));

    [Test]
    public void Stat_thread_count_is_field_20() =>
        Assert.That(ProcfsText.ParseStatThreadCount(Fixture.Bytes("procfs", "stat")), Is.EqualTo(1));

    [Test]
    public void Stat_thread_count_survives_a_command_name_with_spaces_and_parentheses() =>
        Assert.That(ProcfsText.ParseStatThreadCount(Fixture.Bytes("procfs", "stat-odd-name")), Is.EqualTo(17));

    [TestCase("")]
    [TestCase("12 (x) S 1 2")]
    [TestCase("no parenthesis at all 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20")]
    public void Stat_garbage_reads_as_unavailable(string content) =>
        Assert.That(ProcfsText.ParseStatThreadCount(Encoding.ASCII.GetBytes(content)), Is.EqualTo(-1));

    [TestCase("oom_kill 3\n", 3L)]
    [TestCase("low 0\nhigh 0\noom 7\noom_kill 5\noom_group_kill 9\n", 5L)]
    [TestCase("oom_kill_disable 1\nunder_oom 0\n", -1L)]
    [TestCase("oom_kill\n", -1L)]
    [TestCase("", -1L)]
    public void Keyed_values_match_the_whole_key(string content, long expected) =>
        Assert.That(ProcfsText.ParseKeyedValue(Encoding.ASCII.GetBytes(content), "oom_kill"u8), Is.EqualTo(expected));

    [Test]
    public void A_proc_file_reread_from_offset_zero_sees_new_content()
    {
        var path = Path.Combine(Path.GetTempPath(), $"leakguard-procfile-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(path, "1 2 3\n");
            using var file = ProcFile.TryOpen(path)!;
            var first = Encoding.ASCII.GetString(file.Read());
            File.WriteAllText(path, "4 5 6\n");

            Assert.That((first, Encoding.ASCII.GetString(file.Read())), Is.EqualTo(("1 2 3\n", "4 5 6\n")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_missing_proc_file_is_not_opened() =>
        Assert.That(ProcFile.TryOpen("/nonexistent/leakguard/statm"), Is.Null);

    [Test]
    public void Real_statm_rereads_without_allocating()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("procfs is Linux-only.");
        }

        using var file = ProcFile.TryOpen("/proc/self/statm")!;
        var rss = ProcfsText.ParseStatmResidentBytes(file.Read(), Environment.SystemPageSize);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            rss = ProcfsText.ParseStatmResidentBytes(file.Read(), Environment.SystemPageSize);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(rss, Is.GreaterThan(1 << 20));
            Assert.That(allocated, Is.Zero);
        });
    }

    [Test]
    public void Thread_count_from_the_task_link_count_matches_the_task_directory()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.That(ProcTaskCounter.TryCount(), Is.EqualTo(-1));
            return;
        }

        // Threads come and go (the runtime's own workers): retry until a listing falls between two equal counts.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var before = ProcTaskCounter.TryCount();
            var listed = Directory.GetDirectories("/proc/self/task").Length;
            if (before == ProcTaskCounter.TryCount())
            {
                Assert.That(before, Is.EqualTo(listed).And.GreaterThan(1));
                return;
            }
        }

        Assert.Fail("the thread count never held still");
    }
}
