namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>One named workload: a leak or a healthy control, driven forward in time by <see cref="ScenarioDriver"/>.</summary>
internal interface IZooScenario
{
    /// <summary>Gets a one-line description for the start line.</summary>
    string Description { get; }

    /// <summary>Brings the workload up to <paramref name="elapsedSeconds"/> since the scenario started.</summary>
    /// <param name="elapsedSeconds">Seconds since the scenario started (monotonic).</param>
    /// <remarks>Called about every 100 ms; work is scheduled from the elapsed time, not per call, so a starved process keeps its average rate.</remarks>
    void Advance(double elapsedSeconds);

    /// <summary>Gets a progress figure for the sample lines (entries held, threads blocked, …).</summary>
    long Units { get; }

    /// <summary>Releases what blocks a clean exit (parked threads); leaked memory stays leaked.</summary>
    void Stop();
}
