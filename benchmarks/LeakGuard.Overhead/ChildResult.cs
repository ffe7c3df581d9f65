namespace LeakGuard.Overhead;

/// <summary>What one child process measured for one variant.</summary>
internal sealed record ChildResult(
    string Variant,
    double Seconds,
    long Operations,
    double CpuSeconds,
    long PeakRssBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long AllocatedBytes,
    long HeapAfterFullGcBytes,
    string Threads = "")
{
    /// <summary>Gets the CPU seconds per second of measurement spent by each group of threads (from <see cref="Threads"/>).</summary>
    public IReadOnlyDictionary<string, double> ThreadCpuPerSecond =>
        ThreadCpu.Parse(Threads).ToDictionary(g => g.Key, g => g.Value / 1e9 / Seconds);

    public double OperationsPerSecond => Operations / Seconds;

    public double CollectionsPerSecond => Gen0Collections / Seconds;

    public string ToLine() => string.Join(
        ';',
        "RESULT",
        Variant,
        Seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Operations,
        CpuSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        PeakRssBytes,
        Gen0Collections,
        Gen1Collections,
        Gen2Collections,
        AllocatedBytes,
        HeapAfterFullGcBytes,
        Threads);

    public static ChildResult? Parse(string line)
    {
        var parts = line.Split(';');
        if (parts.Length is not (11 or 12) || parts[0] != "RESULT")
        {
            return null;
        }

        var c = System.Globalization.CultureInfo.InvariantCulture;
        return new ChildResult(
            parts[1],
            double.Parse(parts[2], c),
            long.Parse(parts[3], c),
            double.Parse(parts[4], c),
            long.Parse(parts[5], c),
            int.Parse(parts[6], c),
            int.Parse(parts[7], c),
            int.Parse(parts[8], c),
            long.Parse(parts[9], c),
            long.Parse(parts[10], c),
            parts.Length > 11 ? parts[11] : "");
    }
}
