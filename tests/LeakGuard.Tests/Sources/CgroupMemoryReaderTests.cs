using LeakGuard.Sources;
using NUnit.Framework;

namespace LeakGuard.Tests.Sources;

public sealed class CgroupMemoryReaderTests
{
    private static CgroupMemoryReader Open(string fixture) => new(Fixture.Path("cgroup", fixture));

    [Test]
    public void V1_nested_path_is_found_when_v2_is_mounted_without_the_memory_controller()
    {
        using var reader = Open("v1-nested");

        Assert.Multiple(() =>
        {
            Assert.That(reader.Version, Is.EqualTo(CgroupVersion.V1));
            Assert.That(reader.Directory, Does.EndWith("memory/process_api/75f3ba46d0b6abc04e6e8e7643fd0f5a"));
            Assert.That(reader.ReadUsageBytes(), Is.EqualTo(169455616));
            Assert.That(reader.ReadOomKillCount(), Is.EqualTo(0));
        });
    }

    [Test]
    public void V1_no_limit_sentinel_reads_as_no_limit()
    {
        using var reader = Open("v1-nested");

        Assert.That(reader.ReadLimitBytes(), Is.EqualTo(-1));
    }

    [Test]
    public void V1_limit_of_a_parent_cgroup_binds_the_process()
    {
        using var reader = Open("v1-parent-limit");

        Assert.Multiple(() =>
        {
            Assert.That(reader.ReadLimitBytes(), Is.EqualTo(268435456));
            Assert.That(reader.ReadOomKillCount(), Is.EqualTo(2));
        });
    }

    [Test]
    public void V2_literal_max_reads_as_no_limit_and_oom_kills_come_from_memory_events()
    {
        using var reader = Open("v2-container");

        Assert.Multiple(() =>
        {
            Assert.That(reader.Version, Is.EqualTo(CgroupVersion.V2));
            Assert.That(reader.ReadLimitBytes(), Is.EqualTo(-1));
            Assert.That(reader.ReadUsageBytes(), Is.EqualTo(52428800));
            Assert.That(reader.ReadOomKillCount(), Is.EqualTo(1));
        });
    }

    [Test]
    public void V2_nested_path_takes_the_smallest_limit_of_the_cgroup_and_its_ancestors()
    {
        using var reader = Open("v2-nested-limit");

        Assert.Multiple(() =>
        {
            Assert.That(reader.Directory, Does.EndWith("cri-containerd-abc.scope"));
            Assert.That(reader.ReadLimitBytes(), Is.EqualTo(536870912));
            Assert.That(reader.ReadUsageBytes(), Is.EqualTo(123456789));
        });
    }

    [Test]
    public void V2_mount_exposing_only_the_containers_subtree_is_read_at_the_mount_point()
    {
        using var reader = Open("v2-mount-subtree");

        Assert.Multiple(() =>
        {
            Assert.That(reader.Version, Is.EqualTo(CgroupVersion.V2));
            Assert.That(reader.ReadLimitBytes(), Is.EqualTo(268435456));
            Assert.That(reader.ReadUsageBytes(), Is.EqualTo(1000));
            Assert.That(reader.ReadOomKillCount(), Is.EqualTo(4));
        });
    }

    [TestCase("none")]
    [TestCase("does-not-exist")]
    public void Without_a_memory_cgroup_everything_is_unavailable(string fixture)
    {
        using var reader = Open(fixture);

        Assert.Multiple(() =>
        {
            Assert.That(reader.Version, Is.EqualTo(CgroupVersion.None));
            Assert.That(reader.Directory, Is.Null);
            Assert.That(reader.ReadLimitBytes(), Is.EqualTo(-1));
            Assert.That(reader.ReadUsageBytes(), Is.EqualTo(-1));
            Assert.That(reader.ReadOomKillCount(), Is.EqualTo(-1));
        });
    }

    [TestCase("v2-garbage")]
    [TestCase("v1-garbage")]
    public void Garbage_content_reads_as_unavailable(string fixture)
    {
        using var reader = Open(fixture);

        Assert.Multiple(() =>
        {
            Assert.That(reader.Version, Is.Not.EqualTo(CgroupVersion.None));
            Assert.That(reader.ReadLimitBytes(), Is.EqualTo(-1));
            Assert.That(reader.ReadUsageBytes(), Is.EqualTo(-1));
            Assert.That(reader.ReadOomKillCount(), Is.EqualTo(-1));
        });
    }

    [Test]
    public void Missing_files_are_unavailable_while_present_ones_are_read()
    {
        using var reader = Open("v2-only-limit");

        Assert.Multiple(() =>
        {
            Assert.That(reader.ReadLimitBytes(), Is.EqualTo(1048576000));
            Assert.That(reader.ReadUsageBytes(), Is.EqualTo(-1));
            Assert.That(reader.ReadOomKillCount(), Is.EqualTo(-1));
        });
    }

    [TestCase("max", -1L)]
    [TestCase("max\n", -1L)]
    [TestCase("9223372036854771712\n", -1L)]
    [TestCase("4611686018427387904", -1L)]
    [TestCase("4611686018427387903", 4611686018427387903L)]
    [TestCase("536870912\n", 536870912L)]
    [TestCase("", -1L)]
    [TestCase("-1", -1L)]
    [TestCase("99999999999999999999999", -1L)]
    public void Limit_parsing_treats_max_and_huge_values_as_no_limit(string content, long expected) =>
        Assert.That(CgroupMemoryReader.ParseLimit(System.Text.Encoding.ASCII.GetBytes(content)), Is.EqualTo(expected));

    [Test]
    public void The_real_host_is_read_without_throwing()
    {
        using var reader = new CgroupMemoryReader();

        if (!OperatingSystem.IsLinux())
        {
            Assert.That(reader.Version, Is.EqualTo(CgroupVersion.None));
            return;
        }

        Assert.That(reader.ReadLimitBytes(), Is.GreaterThanOrEqualTo(-1));
        if (reader.Version != CgroupVersion.None)
        {
            Assert.That(reader.ReadUsageBytes(), Is.GreaterThan(0));
        }
    }

    [Test]
    public void V1_working_set_is_the_usage_minus_the_hierarchical_inactive_file_pages()
    {
        using var reader = Open("v1-nested");

        // 169455616 − total_inactive_file 19455616 (the level's own inactive_file, 3010560, is not the hierarchy's).
        Assert.That(reader.ReadWorkingSetBytes(), Is.EqualTo(150000000));
    }

    [Test]
    public void V1_working_set_is_read_where_the_binding_limit_is_set_a_parent()
    {
        using var reader = Open("v1-parent-limit");
        reader.ReadLimitBytes();

        // The parent process_api holds the 256 MiB limit: its 209715200 − 20971520, not the process's own cgroup.
        Assert.That(reader.ReadWorkingSetBytes(), Is.EqualTo(188743680));
    }

    [Test]
    public void V2_working_set_is_memory_current_minus_inactive_file_of_the_binding_cgroup()
    {
        using var reader = Open("v2-nested-limit");
        reader.ReadLimitBytes();

        // The scope's own 512 MiB binds (the pod allows 1 GiB): 123456789 − 23456789.
        Assert.That(reader.ReadWorkingSetBytes(), Is.EqualTo(100000000));
    }

    [Test]
    public void Working_set_without_memory_stat_is_the_usage_and_without_a_cgroup_unknown()
    {
        using var subtree = Open("v2-mount-subtree");
        using var none = new CgroupMemoryReader(Fixture.Path("cgroup", "does-not-exist"));

        Assert.That(subtree.ReadWorkingSetBytes(), Is.EqualTo(1000));
        Assert.That(none.ReadWorkingSetBytes(), Is.EqualTo(-1));
    }
}
