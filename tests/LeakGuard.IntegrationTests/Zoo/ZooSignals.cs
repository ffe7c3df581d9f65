namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>Which signal names belong to which <see cref="ZooSignalClass"/>.</summary>
internal static class ZooSignals
{
    public static IReadOnlySet<string> Of(ZooSignalClass signalClass) => signalClass switch
    {
        ZooSignalClass.ManagedHeap => new HashSet<string>(StringComparer.Ordinal) { LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh },
        ZooSignalClass.NativeMemory => new HashSet<string>(StringComparer.Ordinal) { LeakSignals.NativeMemory, LeakSignals.ProcessMemory },
        ZooSignalClass.Threads => new HashSet<string>(StringComparer.Ordinal) { LeakSignals.Threads },
        // Generated code is native memory too (~80 KB an assembly, measured): whichever of these pages first starts the
        // investigation, and the report (every report lists the assemblies generated between its snapshots) must name
        // the pattern. The count itself has no limit, so it is never urgent: in the zoo's minute it reached Suspected
        // at 28 s in one run and stayed Stable in another, while native memory was Leaking at 26–28 s in both.
        ZooSignalClass.LoadedAssemblies => new HashSet<string>(StringComparer.Ordinal) { LeakSignals.LoadedAssemblies, LeakSignals.NativeMemory, LeakSignals.ProcessMemory },
        _ => new HashSet<string>(StringComparer.Ordinal),
    };

    public static ZooSignalClass ClassOf(string signal) =>
        new[] { ZooSignalClass.ManagedHeap, ZooSignalClass.NativeMemory, ZooSignalClass.Threads, ZooSignalClass.LoadedAssemblies }
            .FirstOrDefault(c => Of(c).Contains(signal), ZooSignalClass.None);
}
