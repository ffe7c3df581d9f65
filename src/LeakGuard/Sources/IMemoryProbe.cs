namespace LeakGuard.Sources;

/// <summary>Reads the process's memory and resource counters once per sample interval.</summary>
/// <remarks>Implementations never throw: a counter they cannot read is reported as -1.</remarks>
internal interface IMemoryProbe : IDisposable
{
    /// <summary>Reads one sample.</summary>
    /// <param name="timestamp">The time to stamp the sample with (from the monitor's <see cref="TimeProvider"/>).</param>
    /// <param name="sample">The sample.</param>
    /// <returns><see langword="false"/> before the first garbage collection (nothing meaningful to report yet).</returns>
    bool TryRead(DateTimeOffset timestamp, out MemorySample sample);
}
