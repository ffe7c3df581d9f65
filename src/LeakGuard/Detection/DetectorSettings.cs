namespace LeakGuard.Detection;

// CONTRACT STUB (owned by the detection work): the shape the pipeline codes against.
// The detection branch replaces this file; keep the members below (add freely).

/// <summary>The detector's tuning, derived from <see cref="LeakGuardOptions"/>.</summary>
internal sealed class DetectorSettings
{
    /// <summary>Gets the bucket widths of the signal histories, finest first (one per analysis horizon).</summary>
    public required IReadOnlyList<TimeSpan> BucketWidths { get; init; }

    /// <summary>Gets the number of closed buckets kept per width (a power of two).</summary>
    public int BucketCapacity { get; init; } = 256;

    /// <summary>Builds the settings for the given options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The settings.</returns>
    public static DetectorSettings FromOptions(LeakGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var finest = options.Detection.Window / 64;
        return new DetectorSettings { BucketWidths = [finest, finest * 8, finest * 64] };
    }
}
