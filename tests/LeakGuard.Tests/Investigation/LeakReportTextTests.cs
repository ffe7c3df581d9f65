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
    public void Top_finding_names_the_type_its_root_and_its_pattern_with_the_fix() =>
        Assert.That(
            LeakReportText.TopFinding(Reports.Sample()),
            Is.EqualTo("MyApp.Session +120,000 (4.58 MiB), held by static field Sessions — Dictionary or list in a static field used as a cache; fix: "
                + "Bound it: use MemoryCache with SizeLimit and expiration, or remove entries when their owner ends (ConditionalWeakTable for per-object data)."));

    [Test]
    public void Tree_names_a_managed_types_known_pattern_with_why_and_fix()
    {
        var report = Reports.Sample();
        var pattern = report.GrowingTypes[0].Pattern!;

        var text = LeakReportText.Tree(report);

        Assert.That(text, Does.Contain("  known pattern static-collection-as-cache (MyApp.Session): Dictionary or list in a static field used as a cache"));
        Assert.That(text, Does.Contain("  why: " + pattern.Why));
        Assert.That(text, Does.Contain("  fix: " + pattern.Fix));
        Assert.That(text, Does.Contain("  signature " + report.GrowingTypes[0].Signature));
    }

    private static readonly string[] Callers =
    [
        "MyApp!MyApp.Sessions.SessionRegistry.Register(class MyApp.Sessions.Session)",
        "MyApp!MyApp.Sessions.SessionService.Open(class System.String)",
        "MyApp!MyApp.Api.LoginController.Post(class MyApp.Api.LoginRequest)",
        "Microsoft.AspNetCore.Mvc.Core!Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute()",
        "Microsoft.AspNetCore.Mvc.Core!Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.InvokeActionMethodAsync()",
        "Microsoft.AspNetCore.Mvc.Core!Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.Next()",
        "Microsoft.AspNetCore.Mvc.Core!Microsoft.AspNetCore.Mvc.Infrastructure.ResourceInvoker.InvokeFilterPipelineAsync()",
        "Microsoft.AspNetCore.Routing!Microsoft.AspNetCore.Routing.EndpointMiddleware.Invoke(class Microsoft.AspNetCore.Http.HttpContext)",
        "Microsoft.AspNetCore.Server.Kestrel.Core!Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ProcessRequests()",
        "System.Private.CoreLib!System.Threading.ExecutionContext.RunInternal()",
        "System.Private.CoreLib!System.Threading.ThreadPoolWorkQueue.Dispatch()",
    ];

    private static AllocationSite Site(string innermost, double share, int samples) => new()
    {
        Frames = [innermost, .. Callers],
        Share = share,
        EstimatedBytes = (long)(share * 4_800_000),
        Samples = samples,
    };

    private static GrowingType Minor(string type, long count, string root, string[] path, string innermost) => new GrowingType
    {
        Type = type,
        CountDelta = count,
        BytesDelta = count * 40,
        CountAfter = count * 2,
        BytesAfter = count * 80,
        RetentionPaths = [new RetentionPath { Root = root, Share = 0.9, Path = path }, new RetentionPath { Root = "thread stack", Share = 0.1, Path = [type] }],
        AllocationSites = [new AllocationSite { Frames = [innermost, .. Callers], Share = 0.8, EstimatedBytes = count * 32, Samples = 4 }],
    }.Explained();

    /// <summary>
    /// A one-holder leak as the investigator reports it: sessions in a static dictionary, the top type with three chains
    /// and three allocation stacks of twelve frames, and the session's payload, the dictionary's entries and some runtime
    /// churn beside it.
    /// </summary>
    private static LeakReport OneHolderLeak()
    {
        const string Root = "static field MyApp.Sessions.SessionRegistry.Sessions";
        string[] chain = ["Dictionary<Guid, MyApp.Sessions.Session>", "Entry<Guid, MyApp.Sessions.Session>[]", "MyApp.Sessions.Session"];
        return new LeakReport
        {
            Signal = "managed_heap",
            DetectedAt = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero),
            GrowthBytesPerSecond = 40_000,
            TimeToLimitSeconds = 5400,
            Snapshots = new SnapshotPair
            {
                Before = new DateTimeOffset(2026, 12, 4, 9, 0, 5, TimeSpan.Zero),
                After = new DateTimeOffset(2026, 12, 4, 9, 5, 5, TimeSpan.Zero),
                BeforePauseMilliseconds = 180,
                AfterPauseMilliseconds = 210,
            },
            Allocations = new RecordedAllocations { Event = "AllocationSampled", Samples = 3120, DurationSeconds = 300 },
            GrowingTypes =
            [
                new GrowingType
                {
                    Type = "MyApp.Sessions.Session",
                    CountDelta = 120_000,
                    BytesDelta = 4_800_000,
                    CountAfter = 200_000,
                    BytesAfter = 8_000_000,
                    RetentionPaths =
                    [
                        new RetentionPath { Root = Root, Share = 0.96, Path = chain },
                        new RetentionPath { Root = "thread stack", Share = 0.03, Path = ["MyApp.Sessions.SessionService", "MyApp.Sessions.Session"] },
                        new RetentionPath { Root = "finalizer queue", Share = 0.01, Path = ["MyApp.Sessions.Session"] },
                    ],
                    AllocationSites =
                    [
                        Site("MyApp!MyApp.Sessions.Session..ctor(class System.String)", 0.7, 34),
                        Site("System.Private.CoreLib!System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(class System.Type)", 0.2, 10),
                        Site("MyApp!MyApp.Sessions.SessionCache.Clone(class MyApp.Sessions.Session)", 0.1, 4),
                    ],
                }.Explained(),
                Minor("Byte[]", 120_000, Root, [.. chain, "Byte[]"], "MyApp!MyApp.Sessions.Session..ctor(class System.String)"),
                Minor("Entry<Guid, MyApp.Sessions.Session>[]", 1, Root, chain[..2], "System.Private.CoreLib!System.Collections.Generic.Dictionary`2[System.Guid,System.__Canon].Resize()"),
                Minor("Int32[]", 9, "static field CultureData.Invariant", ["CultureData", "Int32[]"], "System.Private.CoreLib!System.Globalization.CultureData.GetCultureData()"),
            ],
        };
    }

    [Test]
    public void The_text_of_a_one_holder_leak_fits_on_a_screen_and_keeps_what_a_developer_acts_on()
    {
        var report = OneHolderLeak();
        var top = report.GrowingTypes[0];

        var text = LeakReportText.Tree(report);
        TestContext.Out.Write(text);
        var lines = text.TrimEnd('\n').Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.LessThanOrEqualTo(40));
            Assert.That(text, Does.Contain("held by static field MyApp.Sessions.SessionRegistry.Sessions"), "the holder");
            Assert.That(text, Does.Contain("known pattern static-collection-as-cache"));
            Assert.That(text, Does.Contain("fix: " + top.Pattern!.Fix));
            Assert.That(text, Does.Contain("70% allocated at"));
            Assert.That(text, Does.Contain("at MyApp!MyApp.Sessions.Session..ctor(class System.String)"), "the top allocation site");
            Assert.That(text, Does.Contain("at MyApp!MyApp.Api.LoginController.Post(class MyApp.Api.LoginRequest)"), "its first application frames");
            Assert.That(text, Does.Not.Contain("ThreadPoolWorkQueue"), "framework frames outside the application are the JSON's");
            Assert.That(text, Does.Contain("1 more chain holds 1%, see the JSON"));
            Assert.That(text, Does.Contain("allocated at MyApp!MyApp.Sessions.Session..ctor(class System.String) (80%)"), "a minor type's site in one line");
            Assert.That(text, Does.Contain("│  ├─ 90% held by the MyApp.Sessions.Session above → Byte[] (and 1 more chain, 10%)"), "a minor type held by the top one");
        });
    }

    [Test]
    public void The_json_of_a_one_holder_leak_keeps_every_chain_stack_and_frame()
    {
        var back = LeakReportSerializer.Deserialize(LeakReportSerializer.Serialize(OneHolderLeak()));

        var top = back.GrowingTypes[0];
        Assert.That(top.RetentionPaths, Has.Count.EqualTo(3));
        Assert.That(top.AllocationSites!.Select(site => site.Frames.Count), Is.EqualTo(new[] { 12, 12, 12 }));
        Assert.That(back.GrowingTypes, Has.Count.EqualTo(4));
    }

    [Test]
    public void The_main_pattern_is_told_once_above_the_types_and_another_types_own_pattern_in_its_branch()
    {
        var sample = OneHolderLeak();
        var timers = new GrowingType
        {
            Type = "MyApp.Poller",
            CountDelta = 500,
            RetentionPaths = [new RetentionPath { Root = "static field TimerQueue.s_queues", Share = 1, Path = ["TimerQueue[]", "TimerQueue", "System.Threading.TimerQueueTimer", "MyApp.Poller"] }],
        }.Explained();
        var report = new LeakReport { Signal = sample.Signal, Snapshots = sample.Snapshots, GrowingTypes = [sample.GrowingTypes[0], timers] };
        Assert.That(timers.Pattern?.Id, Is.EqualTo("timer-not-disposed"), "the more specific rule");

        var text = LeakReportText.Tree(report);

        Assert.That(text, Does.Contain("  known pattern timer-not-disposed (MyApp.Poller)"));
        Assert.That(text, Does.Contain("│  pattern static-collection-as-cache\n"), "the top type's own, in its branch");
        Assert.That(text, Does.Not.Contain("   pattern timer-not-disposed"), "told once, above");
    }

    [TestCase("managed_heap", false)]
    [TestCase("manual", false)]
    [TestCase("native_memory", true)]
    public void Native_readings_beside_managed_growth_are_told_by_their_finding_only(string signal, bool inFull)
    {
        var sample = OneHolderLeak();
        var report = new LeakReport
        {
            Signal = signal,
            Snapshots = sample.Snapshots,
            GrowingTypes = sample.GrowingTypes,
            Native = new NativeEvidence
            {
                Finding = "malloc free +5.69 MiB while in use changed by -2.67 MiB: fragmentation",
                SecondsApart = 4,
                Malloc = new NativeMalloc { InUseBytesBefore = 7_000_000, InUseBytesAfter = 4_400_000, FreeBytesBefore = 3_200_000, FreeBytesAfter = 8_900_000 },
            },
        };

        var text = LeakReportText.Tree(report);

        Assert.That(text, Does.Contain("  native: malloc free +5.69 MiB while in use changed by -2.67 MiB: fragmentation"));
        Assert.That(text.Contains("native readings 4 s apart", StringComparison.Ordinal), Is.EqualTo(inFull), text);
        Assert.That(text.Contains("(readings in the JSON)", StringComparison.Ordinal), Is.EqualTo(!inFull), text);
    }

    [Test]
    public void A_stack_shows_its_allocating_frame_then_its_first_application_frames()
    {
        Assert.That(
            LeakReportText.ShownFrames(["System.Private.CoreLib!System.Guid.NewGuid()", "System.Linq!System.Linq.Enumerable.Select()", "MyApp!A.F()", "System.Linq!X.Y()", "MyApp!A.G()", "MyApp!A.H()", "MyApp!A.I()"]),
            Is.EqualTo(new[] { "System.Private.CoreLib!System.Guid.NewGuid()", "MyApp!A.F()", "MyApp!A.G()", "MyApp!A.H()" }));
        Assert.That(LeakReportText.ShownFrames(["MyApp!A.F()", "MyApp!A.G()", "MyApp!A.H()", "MyApp!A.I()"]), Is.EqualTo(new[] { "MyApp!A.F()", "MyApp!A.G()", "MyApp!A.H()" }));
        Assert.That(
            LeakReportText.ShownFrames(["System.Private.CoreLib!A()", "System.Private.CoreLib!B()", "System.Private.CoreLib!C()", "System.Private.CoreLib!D()"]),
            Is.EqualTo(new[] { "System.Private.CoreLib!A()", "System.Private.CoreLib!B()", "System.Private.CoreLib!C()" }),
            "without application frames, the innermost ones");
    }

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
