namespace LeakGuard.Hosting;

/// <summary>One signal's value at one sample time.</summary>
/// <param name="Signal">The signal name.</param>
/// <param name="Value">The value, in the signal's unit.</param>
internal readonly record struct SignalReading(string Signal, double Value);
