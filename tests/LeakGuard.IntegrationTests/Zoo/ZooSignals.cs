namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>Which signal names belong to which <see cref="ZooSignalClass"/>.</summary>
internal static class ZooSignals
{
    public static IReadOnlySet<string> Of(ZooSignalClass signalClass) => signalClass switch
    {
        ZooSignalClass.ManagedHeap => new HashSet<string>(StringComparer.Ordinal) { LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh },
        ZooSignalClass.NativeMemory => new HashSet<string>(StringComparer.Ordinal) { LeakSignals.NativeMemory, LeakSignals.ProcessMemory },
        ZooSignalClass.Threads => new HashSet<string>(StringComparer.Ordinal) { LeakSignals.Threads },
        ZooSignalClass.LoadedAssemblies => new HashSet<string>(StringComparer.Ordinal) { LeakSignals.LoadedAssemblies },
        _ => new HashSet<string>(StringComparer.Ordinal),
    };

    public static ZooSignalClass ClassOf(string signal) =>
        new[] { ZooSignalClass.ManagedHeap, ZooSignalClass.NativeMemory, ZooSignalClass.Threads, ZooSignalClass.LoadedAssemblies }
            .FirstOrDefault(c => Of(c).Contains(signal), ZooSignalClass.None);
}
