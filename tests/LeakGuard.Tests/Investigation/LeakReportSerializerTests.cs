using System.Text.Json;
using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class LeakReportSerializerTests
{
    [Test]
    public void Report_json_uses_the_documented_camel_case_shape()
    {
        var json = LeakReportSerializer.Serialize(Reports.Sample());

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.That(root.GetProperty("signal").GetString(), Is.EqualTo("managed_heap"));
        Assert.That(root.GetProperty("timeToLimitSeconds").GetDouble(), Is.EqualTo(5400));
        Assert.That(root.GetProperty("snapshots").TryGetProperty("before", out _), Is.True);
        var type = root.GetProperty("growingTypes")[0];
        Assert.That(type.GetProperty("countDelta").GetInt64(), Is.EqualTo(120000));
        var path = type.GetProperty("retentionPaths")[0];
        Assert.That(path.GetProperty("root").GetString(), Is.EqualTo("static field Sessions"));
        Assert.That(path.GetProperty("path")[1].GetString(), Is.EqualTo("MyApp.Session"));
    }

    [Test]
    public void Report_round_trips()
    {
        var report = Reports.Sample();

        var back = LeakReportSerializer.Deserialize(LeakReportSerializer.Serialize(report));

        Assert.That(LeakReportSerializer.Serialize(back), Is.EqualTo(LeakReportSerializer.Serialize(report)));
        Assert.That(back.GrowingTypes[0].RetentionPaths[0].Share, Is.EqualTo(0.98));
    }

    [Test]
    public void Allocation_sites_and_the_recording_are_new_fields_beside_the_retention_paths()
    {
        var sample = Reports.Sample();
        var report = new LeakReport
        {
            Signal = sample.Signal,
            Snapshots = sample.Snapshots,
            GrowingTypes =
            [
                new GrowingType
                {
                    Type = "MyApp.Session",
                    RetentionPaths = sample.GrowingTypes[0].RetentionPaths,
                    AllocationSites = [new AllocationSite { Frames = ["MyApp!MyApp.Store.Add()"], Share = 1, EstimatedBytes = 4096, Samples = 2 }],
                },
            ],
            Allocations = new RecordedAllocations { Event = "AllocationSampled", Samples = 2, DurationSeconds = 1.5 },
        };

        var json = LeakReportSerializer.Serialize(report);

        using var document = JsonDocument.Parse(json);
        var type = document.RootElement.GetProperty("growingTypes")[0];
        Assert.That(type.GetProperty("retentionPaths")[0].GetProperty("root").GetString(), Is.EqualTo("static field Sessions"));
        var site = type.GetProperty("allocationSites")[0];
        Assert.That(site.GetProperty("frames")[0].GetString(), Is.EqualTo("MyApp!MyApp.Store.Add()"));
        Assert.That(site.GetProperty("estimatedBytes").GetInt64(), Is.EqualTo(4096));
        Assert.That(document.RootElement.GetProperty("allocations").GetProperty("event").GetString(), Is.EqualTo("AllocationSampled"));
        Assert.That(LeakReportSerializer.Serialize(LeakReportSerializer.Deserialize(json)), Is.EqualTo(json));
    }

    [Test]
    public void Largest_types_of_a_report_without_growth_are_a_new_field_that_round_trips()
    {
        var report = new LeakReport
        {
            Signal = "manual",
            Snapshots = new SnapshotPair(),
            GrowingTypes = [],
            LargestTypes = [new TypeStatistics { Type = "System.Byte[]", Count = 12, Bytes = 3_145_728 }],
        };

        var json = LeakReportSerializer.Serialize(report);
        var back = LeakReportSerializer.Deserialize(json);

        Assert.Multiple(() =>
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var largest = document.RootElement.GetProperty("largestTypes")[0];
            Assert.That((largest.GetProperty("type").GetString(), largest.GetProperty("count").GetInt64(), largest.GetProperty("bytes").GetInt64()), Is.EqualTo(("System.Byte[]", 12L, 3_145_728L)));
            Assert.That(back.LargestTypes!.Single().Bytes, Is.EqualTo(3_145_728));
            Assert.That(LeakReportSerializer.Serialize(Reports.Sample()), Does.Not.Contain("largestTypes"), "absent where types grew");
        });
    }

    [Test]
    public void Generated_assemblies_are_a_new_field_that_round_trips()
    {
        var report = Reports.WithGeneratedAssemblies();

        var json = LeakReportSerializer.Serialize(report);
        var back = LeakReportSerializer.Deserialize(json);

        Assert.Multiple(() =>
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var loaded = document.RootElement.GetProperty("loadedAssemblies");
            Assert.That(loaded.GetProperty("dynamicBetweenSnapshots").GetInt64(), Is.EqualTo(300));
            Assert.That(loaded.GetProperty("newest")[0].GetProperty("name").GetString(), Is.EqualTo("Microsoft.GeneratedCode"));
            Assert.That(loaded.GetProperty("pattern").GetProperty("id").GetString(), Is.EqualTo("xml-serializer-per-call"));
            Assert.That(back.LoadedAssemblies!.Newest, Has.Count.EqualTo(10));
            Assert.That(LeakReportSerializer.Serialize(back), Is.EqualTo(json));
            Assert.That(LeakReportSerializer.Serialize(Reports.Sample()), Does.Not.Contain("loadedAssemblies"), "absent when no code was generated");
        });
    }

    [Test]
    public async Task Report_in_the_design_shape_is_readable()
    {
        var report = await LeakReportSerializer.ReadFileAsync(Reports.FixturePath);

        Assert.That(report.GrowingTypes, Has.Count.EqualTo(2));
        Assert.That(report.GrowingTypes[0].RetentionPaths[0].Path[0], Is.EqualTo("Dictionary<Guid, MyApp.Session>"));
        Assert.That(report.GrowingTypes[1].RetentionPaths, Has.Count.Zero);
        Assert.That(report.Snapshots.After - report.Snapshots.Before, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public void Json_without_required_members_is_rejected() =>
        Assert.Throws<JsonException>(() => LeakReportSerializer.Deserialize("{\"signal\":\"x\"}"));
}
