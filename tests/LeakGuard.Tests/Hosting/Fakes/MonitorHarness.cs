using System.Diagnostics.Metrics;
using LeakGuard.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LeakGuard.Tests.Hosting.Fakes;

/// <summary>A monitor over fakes, driven tick by tick with a fake clock.</summary>
internal sealed class MonitorHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public MonitorHarness(Action<LeakGuardOptions>? configure = null, IHostApplicationLifetime? lifetime = null, Func<int>? gen2Count = null)
    {
        Options = new LeakGuardOptions { WarmUp = TimeSpan.Zero, SampleInterval = TimeSpan.FromSeconds(1) };
        Options.Detection.Window = TimeSpan.FromSeconds(64); // finest bucket 1 s with the default settings
        configure?.Invoke(Options);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _services.GetRequiredService<IMeterFactory>();
        var components = new MonitorComponents
        {
            CreateGcEventSource = (_, _) => Gc,
            CreateMemoryProbe = _ => Probe,
            CreateEvaluator = Script.Factory,
            CreateInvestigator = (_, _, _) => Investigator,
            Gen2CollectionCount = gen2Count ?? (() => Gen2Count),
            SetExitCode = ExitCodes.Add,
            RequestFullCollection = RunRequestedCollection,
        };
        Monitor = new LeakMonitor(Options, components, Time, LoggerFactory, MeterFactory, lifetime);
    }

    public LeakGuardOptions Options { get; }

    /// <summary>Gets the exit codes a recycle set (never the test runner's own).</summary>
    public List<int> ExitCodes { get; } = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeGcEventSource Gc { get; } = new();

    public FakeMemoryProbe Probe { get; } = new();

    public ScriptedVerdicts Script { get; } = new();

    public FakeInvestigator Investigator { get; } = new();

    public FakeLogCollector Logs { get; } = new();

    public ILoggerFactory LoggerFactory => field ??= Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(Logs)).SetMinimumLevel(LogLevel.Trace));

    public IMeterFactory MeterFactory { get; }

    public LeakMonitor Monitor { get; }

    public int Gen2Count { get; set; }

    /// <summary>Gets how often the monitor asked the runtime for a full collection.</summary>
    public int FullCollectionRequests { get; private set; }

    /// <summary>
    /// Gets or sets whether a requested full collection runs (as the runtime's would): the probe's next samples show a new
    /// full-collection index. True by default; tests that control the collections themselves turn it off.
    /// </summary>
    public bool RuntimeRunsRequestedCollections { get; set; } = true;

    private void RunRequestedCollection()
    {
        FullCollectionRequests++;
        if (RuntimeRunsRequestedCollections)
        {
            Probe.Next = Probe.Next with { FullCollectionIndex = Probe.Next.FullCollectionIndex + 1 };
        }
    }

    public MonitorHarness Start()
    {
        Monitor.StartSampling(runLoop: false);
        return this;
    }

    /// <summary>Advances the clock by one sample interval and runs one step.</summary>
    public void Step(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            Time.Advance(Options.SampleInterval);
            Monitor.Tick();
        }
    }

    /// <summary>Advances the clock by one finest bucket width and runs one step, so every step after the first closes a bucket.</summary>
    public void StepBucket(int count = 1)
    {
        var width = LeakGuard.Detection.DetectorSettings.FromOptions(Options).BucketWidths[0];
        for (var i = 0; i < count; i++)
        {
            Time.Advance(width);
            Monitor.Tick();
        }
    }

    /// <summary>
    /// Waits (10 s at most) for the automatic investigation a step started to end, then runs the three steps after which
    /// the managed signals are judged again: the first sees its snapshots, the second sees it ended and asks for a full
    /// collection, the third sees the collection.
    /// </summary>
    public void FinishInvestigation()
    {
        if (!Eventually.Holds(() => Investigator.Calls.Count > 0 && Monitor.AutomaticInvestigation.IsCompleted, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1)))
        {
            throw new TimeoutException("no automatic investigation ended within 10 s");
        }

        StepBucket(3);
    }

    public IEnumerable<FakeLogRecord> LogsWithId(int eventId) => Logs.GetSnapshot().Where(r => r.Id.Id == eventId);

    public void Dispose()
    {
        Monitor.Dispose();
        _services.Dispose();
    }
}
