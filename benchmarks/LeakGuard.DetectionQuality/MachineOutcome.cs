using LeakGuard.Detection;

namespace LeakGuard.DetectionQuality;

/// <summary>What <c>leakguard analyze</c> with defaults said about one Alibaba machine; times are hours after its first sample.</summary>
/// <param name="Machine">The file's name without extension.</param>
/// <param name="Days">The trace's span in days.</param>
/// <param name="FirstSuspected">The first hour the state was Suspected or Leaking.</param>
/// <param name="FirstLeaking">The first hour the state was Leaking.</param>
/// <param name="Final">The last verdict's state.</param>
/// <param name="Profile">The trace as a text plot: one character per <see cref="AlibabaReplay.ProfileHours"/> hours, the floor (minimum) of that span scaled between the trace's lowest and highest floor; a blank where data is missing.</param>
/// <param name="Low">The lowest floor.</param>
/// <param name="High">The highest floor.</param>
internal sealed record MachineOutcome(string Machine, double Days, double? FirstSuspected, double? FirstLeaking, LeakState? Final, string Profile, double Low, double High);
