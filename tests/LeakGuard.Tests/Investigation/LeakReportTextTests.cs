using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class LeakReportTextTests
{
    [Test]
    public void Tree_shows_types_roots_and_chains()
    {
        var text = LeakReportText.Tree(Reports.Sample());

        Assert.That(text, Does.Contain("└─ MyApp.Session  +120,000 objects, +4.58 MiB"));
        Assert.That(text, Does.Contain("98% held by static field Sessions"));
        Assert.That(text, Does.Contain("→ Dictionary<Guid, MyApp.Session>"));
        Assert.That(text, Does.Contain("limit reached in 1 h 30 min"));
    }

    [Test]
    public void Tree_and_top_finding_name_the_generated_assemblies_and_their_pattern()
    {
        var report = Reports.WithGeneratedAssemblies();

        var text = LeakReportText.Tree(report);

        Assert.That(text, Does.Contain("  known pattern xml-serializer-per-call (generated assemblies Microsoft.GeneratedCode): XmlSerializer built per call"));
        Assert.That(text, Does.Contain("  generated assemblies: +300 between the snapshots; loaded now 512 (340 dynamic, 0 collectible)"));
        Assert.That(text, Does.Contain("  newest: Microsoft.GeneratedCode ×10"));
        Assert.That(LeakReportText.TopFinding(report), Does.EndWith("fix: " + report.LoadedAssemblies!.Pattern!.Fix));
    }

    [Test]
    public void Generated_assemblies_of_an_unknown_generator_are_named_without_a_pattern()
    {
        LoadedAssembly[] newest =
        [
            new() { Name = "DynamicProxyGenAssembly2", Dynamic = true },
            new() { Name = "Microsoft.GeneratedCode", Dynamic = true },
            new() { Name = "DynamicProxyGenAssembly2", Dynamic = true },
        ];

        Assert.That(KnownPatterns.MatchAssemblies(newest), Is.Null, "one of three is not most of them");
        Assert.That(KnownPatterns.MatchAssemblies(newest[1..]), Is.Not.Null, "one of two is");
        Assert.That(LeakReportText.Names(newest), Is.EqualTo("DynamicProxyGenAssembly2 ×2, Microsoft.GeneratedCode"));
    }

    [Test]
    public void Top_finding_names_the_type_and_its_root() =>
        Assert.That(LeakReportText.TopFinding(Reports.Sample()), Is.EqualTo("MyApp.Session +120,000 (4.58 MiB), held by static field Sessions"));

    [Test]
    public void Report_without_growth_says_nothing_grew_beyond_noise_and_lists_the_largest_types()
    {
        var report = new LeakReport
        {
            Signal = "manual",
            Snapshots = new SnapshotPair(),
            GrowingTypes = [],
            LargestTypes = [new TypeStatistics { Type = "System.Byte[]", Count = 12, Bytes = 3 * 1024 * 1024 }, new TypeStatistics { Type = "System.String", Count = 1_506, Bytes = 90_000 }],
        };

        var text = LeakReportText.Tree(report);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("nothing grew beyond noise"));
            Assert.That(text, Does.Contain("├─ System.Byte[]  3.00 MiB in 12 objects"));
            Assert.That(text, Does.Contain("└─ System.String  87.9 KiB in 1,506 objects"));
            Assert.That(LeakReportText.TopFinding(report), Is.Empty);
        });
    }

    [Test]
    public void Tree_and_top_finding_show_where_the_type_was_allocated_beside_who_holds_it()
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
                    CountDelta = 10,
                    RetentionPaths = sample.GrowingTypes[0].RetentionPaths,
                    AllocationSites =
                    [
                        new AllocationSite { Frames = ["System.Private.CoreLib!System.Guid.NewGuid()", "MyApp!MyApp.Store.Add()", "MyApp!MyApp.Api.Post()"], Share = 0.9, EstimatedBytes = 900_000, Samples = 9 },
                    ],
                },
            ],
            Allocations = new RecordedAllocations { Event = "AllocationSampled", Samples = 120, DurationSeconds = 300 },
        };

        var text = LeakReportText.Tree(report);

        Assert.That(text, Does.Contain("├─ 98% held by static field Sessions"));
        Assert.That(text, Does.Contain("└─ 90% allocated at (~879 KiB, 9 samples)"));
        Assert.That(text, Does.Contain("at MyApp!MyApp.Store.Add()"));
        Assert.That(text, Does.Contain("allocation stacks from 120 AllocationSampled samples over 5 min"));
        Assert.That(LeakReportText.TopFinding(report), Does.Contain("held by static field Sessions, allocated at MyApp!MyApp.Store.Add() (90%)"));
    }

    [Test]
    public void Tree_says_why_allocation_stacks_are_missing()
    {
        var report = new LeakReport
        {
            Signal = "manual",
            Snapshots = new SnapshotPair(),
            GrowingTypes = [],
            Allocations = new RecordedAllocations { Missing = "the diagnostics IPC channel is disabled (DOTNET_EnableDiagnostics=0)." },
        };

        Assert.That(LeakReportText.Tree(report), Does.Contain("no allocation stacks: the diagnostics IPC channel is disabled"));
    }
}
