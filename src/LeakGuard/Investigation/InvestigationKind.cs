namespace LeakGuard.Investigation;

/// <summary>What an automatic investigation looks for; each kind waits only for its own <c>Snapshots:Cooldown</c>.</summary>
internal enum InvestigationKind
{
    /// <summary>Managed objects (managed memory, loaded assemblies, retained objects): the heap diff.</summary>
    Managed = 0,

    /// <summary>Resident or native memory and threads: the native evidence beside the heap diff.</summary>
    Native = 1,
}
