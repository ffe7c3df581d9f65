using LeakGuard.Detection;
using LeakGuard.Investigation;
using LeakGuard.Sources;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Hosting;

/// <summary>
/// The parts of the monitor that touch the runtime (sources, detector, investigator, GC counts), as factories so
/// tests replace them with fakes. Registered in dependency injection with <c>TryAdd</c>: a test registers its own first.
/// </summary>
internal sealed class MonitorComponents
{
    /// <summary>Gets the production components.</summary>
    public static MonitorComponents Default { get; } = new();

    /// <summary>Gets the factory of the GC event source (<see cref="GcSources.Create(ILogger, int)"/> with
    /// <see cref="LeakGuardOptions.MaxGcSamplesPerSecond"/>).</summary>
    public Func<LeakGuardOptions, ILogger, IGcEventSource> CreateGcEventSource { get; init; } =
        static (options, logger) => GcSources.Create(logger, options.MaxGcSamplesPerSecond);

    /// <summary>Gets the factory of the memory probe; it receives the GC event source, which tells it when a GC ran.</summary>
    public Func<IGcEventSource, IMemoryProbe> CreateMemoryProbe { get; init; } = static gcEvents => new MemoryProbe(gcEvents);

    /// <summary>Gets the factory of a signal's evaluator.</summary>
    public Func<string, DetectorSettings, ISignalEvaluator> CreateEvaluator { get; init; } =
        static (signal, settings) => new DetectorEvaluator(new SignalDetector(signal, settings));

    /// <summary>Gets the factory of the investigator.</summary>
    public Func<LeakGuardOptions, TimeProvider, ILogger, ILeakInvestigator> CreateInvestigator { get; init; } =
        static (options, time, logger) => new InvestigatorAdapter(new LeakInvestigator(options, time, logger));

    /// <summary>Gets what sets the process's exit code before a recycle stops the host (tests must not end their own runner with it).</summary>
    public Action<int> SetExitCode { get; init; } = static code => Environment.ExitCode = code;

    /// <summary>Gets the number of generation-2 collections so far (for the retention watch).</summary>
    public Func<int> Gen2CollectionCount { get; init; } = static () => GC.CollectionCount(2);

    /// <summary>
    /// Gets the request for one full collection that confirms or refutes a managed signal's rise: a background collection
    /// (a few milliseconds of pause; a blocking one where concurrent collection is disabled). Tests count the calls.
    /// </summary>
    public Action RequestFullCollection { get; init; } = static () => GC.Collect(2, GCCollectionMode.Forced, blocking: false);
}
