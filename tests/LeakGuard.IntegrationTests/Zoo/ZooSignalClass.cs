namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>The class of signal a scenario's leak must be reported under.</summary>
internal enum ZooSignalClass
{
    /// <summary>A healthy control: no signal may reach Leaking.</summary>
    None,

    /// <summary><c>managed_heap</c>, <c>gen2</c> or <c>loh</c>.</summary>
    ManagedHeap,

    /// <summary><c>native_memory</c> or <c>process_memory</c>.</summary>
    NativeMemory,

    /// <summary><c>threads</c>.</summary>
    Threads,

    /// <summary><c>loaded_assemblies</c>: code generated per call.</summary>
    LoadedAssemblies,
}
