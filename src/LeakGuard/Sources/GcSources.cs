using Microsoft.Extensions.Logging;

namespace LeakGuard.Sources;

/// <summary>Chooses the GC event source: <see cref="GcMemoryInfoSource"/> with handle-count windows, else the
/// <see cref="GcEventListener"/> on every collection. Logs once which one is active.</summary>
internal static class GcSources
{
    /// <summary>Creates the production source.</summary>
    /// <param name="logger">The monitor's logger.</param>
    /// <param name="maxSamplesPerSecond">The preferred source's coalescing rate (<see cref="LeakGuardOptions.MaxGcSamplesPerSecond"/>;
    /// 0 observes every collection). The fallback listener observes every collection regardless.</param>
    /// <returns>The source.</returns>
    public static IGcEventSource Create(ILogger logger, int maxSamplesPerSecond = LeakGuardOptions.DefaultMaxGcSamplesPerSecond) =>
        Create(logger, () => CreatePreferred(logger, maxSamplesPerSecond), () => new GcEventListener(logger));

    /// <summary>Creates <paramref name="primary"/>, or <paramref name="fallback"/> when it throws.</summary>
    /// <param name="logger">Receives which source is active.</param>
    /// <param name="primary">The preferred source.</param>
    /// <param name="fallback">The source used when the preferred one cannot start.</param>
    /// <returns>The source.</returns>
    public static IGcEventSource Create(ILogger logger, Func<IGcEventSource> primary, Func<IGcEventSource> fallback)
    {
        try
        {
            var source = primary();
            SourcesLog.GcSourceActive(logger, source.GetType().Name);
            return source;
        }
#pragma warning disable CA1031 // Any failure of the preferred source means the fallback.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var source = fallback();
            SourcesLog.GcSourceFallback(logger, source.GetType().Name, e);
            return source;
        }
    }

    private static GcMemoryInfoSource CreatePreferred(ILogger logger, int maxSamplesPerSecond)
    {
        var refresher = CreateRefresher(logger);
        try
        {
            return new GcMemoryInfoSource(logger, TimeProvider.System, refresher, maxSamplesPerSecond);
        }
        catch
        {
            refresher?.Dispose();
            throw;
        }
    }

    private static GcHandleCountRefresher? CreateRefresher(ILogger logger)
    {
        try
        {
            return new GcHandleCountRefresher(new GcEventListener(logger), TimeProvider.System);
        }
#pragma warning disable CA1031 // Without the runtime's events the handle count is -1; the samples go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SourcesLog.GcHandleCountUnavailable(logger, e);
            return null;
        }
    }
}
