namespace LeakGuard.Investigation;

/// <summary>The classes a native reading splits resident memory into (see docs/investigation.md#native-evidence).</summary>
internal enum MappingClass
{
    /// <summary><c>[heap]</c>: glibc's main arena, grown with <c>brk</c>.</summary>
    MallocHeap,

    /// <summary>Anonymous mappings shaped like glibc's other arenas: 64 MiB-aligned, at most 64 MiB with their reserve.</summary>
    MallocArenas,

    /// <summary><c>[stack]</c> and anonymous mappings right above a small inaccessible guard: thread stacks.</summary>
    ThreadStacks,

    /// <summary>The contiguous anonymous range the GC reserved (found from an object of LeakGuard's own).</summary>
    GcHeap,

    /// <summary><c>/memfd:doublemapper</c> and anonymous executable mappings: JIT-compiled code and stubs.</summary>
    JitCode,

    /// <summary>Mappings of files: assemblies, native libraries, memory-mapped files.</summary>
    MappedFiles,

    /// <summary>Every other anonymous mapping: malloc's separately mapped large blocks, native libraries' own maps, …</summary>
    OtherAnonymous,

    /// <summary>The kernel's pages (<c>[vdso]</c>, <c>[vvar]</c>).</summary>
    Other,
}
