namespace LeakGuard.Investigation;

/// <summary>
/// Tells from the environment whether the runtime's diagnostics IPC channel, which heap snapshots go through, was
/// switched off: known at start, so nothing promises an investigation that cannot run.
/// </summary>
internal static class DiagnosticsChannel
{
    private static readonly string[] Switches =
    [
        "DOTNET_EnableDiagnostics", "COMPlus_EnableDiagnostics", "DOTNET_EnableDiagnostics_IPC", "COMPlus_EnableDiagnostics_IPC",
    ];

    /// <summary>Finds the setting that disables the channel.</summary>
    /// <param name="environment">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <returns>Why snapshots are unavailable, or <see langword="null"/> when the channel is on.</returns>
    public static string? DisabledReason(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var name in Switches)
        {
            if (environment(name)?.Trim() == "0")
            {
                return $"the diagnostics IPC channel is disabled ({name}=0)";
            }
        }

        return null;
    }
}
