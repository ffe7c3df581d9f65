using LeakGuard.Detection;
using LeakGuard.Hosting;

namespace LeakGuard.Tests.Hosting.Fakes;

internal sealed class ScriptedVerdicts
{
    public Dictionary<string, LeakState> States { get; } = new();

    public Dictionary<string, TimeSpan> TimeToLimit { get; } = new();

    public Dictionary<string, double?> Limits { get; } = new();

    public Dictionary<string, double> Slacks { get; } = new();

    public int Evaluations { get; set; }

    /// <summary>Gets how often each signal was evaluated.</summary>
    public Dictionary<string, int> EvaluationsOf { get; } = new();

    /// <summary>Gets the earlier lifetimes' floors the monitor seeded each signal's evaluator with (signals never seeded are absent).</summary>
    public Dictionary<string, IReadOnlyList<PriorFloor>> PriorFloors { get; } = new();

    /// <summary>Gets the signals whose evaluator reports a rise awaiting a full collection.</summary>
    public HashSet<string> AwaitingFullCollection { get; } = [];

    /// <summary>Gets the last full collection the monitor told each signal's evaluator of (signals never told are absent).</summary>
    public Dictionary<string, FullCollection?> FullCollections { get; } = new();

    /// <summary>Gets the warm-up restarts the monitor asked for (signal, disturbed until), in order.</summary>
    public List<(string Signal, DateTimeOffset DisturbedUntil)> Restarts { get; } = [];

    public Func<string, DetectorSettings, ISignalEvaluator> Factory => (signal, _) => new ScriptedEvaluator(signal, this);
}
