namespace LeakGuard.DetectionQuality;

/// <summary>What one evaluation ran: the seed range, the runs per family and how long it took.</summary>
/// <param name="SeedsName">"tuning" or "held-out".</param>
/// <param name="FirstSeed">The first seed of the range.</param>
/// <param name="Runs">The runs per family.</param>
/// <param name="Elapsed">The wall clock of the whole evaluation.</param>
/// <param name="Cpu">The processor time the process used.</param>
internal sealed record EvaluationRun(string SeedsName, long FirstSeed, int Runs, TimeSpan Elapsed, TimeSpan Cpu);
