namespace LeakGuard.Investigation;

/// <summary>
/// What is leaking and who holds it: the result of diffing two heap snapshots taken while a signal grew.
/// Serialised as JSON in the shape documented in the README ("How to read a report").
/// </summary>
public sealed class LeakReport
{
    /// <summary>Gets the signal whose growth triggered the investigation (or <c>manual</c>).</summary>
    public required string Signal { get; init; }

    /// <summary>Gets when the growth was detected (or the investigation was requested).</summary>
    public DateTimeOffset DetectedAt { get; init; }

    /// <summary>Gets the signal's estimated growth rate when the investigation started, in bytes per second.</summary>
    public double GrowthBytesPerSecond { get; init; }

    /// <summary>Gets the projected seconds until the memory limit, or <see langword="null"/> when unknown.</summary>
    public double? TimeToLimitSeconds { get; init; }

    /// <summary>Gets the times of the two snapshots that were compared.</summary>
    public required SnapshotPair Snapshots { get; init; }

    /// <summary>Gets the types whose live instances grew the most between the snapshots, largest growth first.</summary>
    public required IReadOnlyList<GrowingType> GrowingTypes { get; init; }

    /// <summary>
    /// Gets how the allocations between the snapshots were recorded (each growing type's
    /// <see cref="GrowingType.AllocationSites"/>), or why they are missing; <see langword="null"/> in reports that
    /// never recorded allocations (the <c>retained_objects</c> signal's, and reports written before it existed).
    /// </summary>
    public RecordedAllocations? Allocations { get; init; }

    /// <summary>
    /// Gets the second snapshot's largest types by bytes when nothing grew beyond noise between the snapshots
    /// (<see cref="GrowingTypes"/> is empty), largest first; <see langword="null"/> otherwise and in older reports.
    /// </summary>
    public IReadOnlyList<TypeStatistics>? LargestTypes { get; init; }

    /// <summary>
    /// Gets where native memory and threads went between the start and the end of the window (two readings of the own
    /// process), for investigations of <c>native_memory</c>, <c>process_memory</c> and <c>threads</c> leaks and manual
    /// ones; <see langword="null"/> in managed leaks' reports and older reports.
    /// </summary>
    public NativeEvidence? Native { get; init; }

    /// <summary>
    /// Gets the generated assemblies loaded while the snapshots were taken (counts, the newest by name and the known pattern
    /// their names match), or <see langword="null"/> when none was loaded between the snapshots and in older reports.
    /// </summary>
    public LoadedAssemblies? LoadedAssemblies { get; init; }
}
