namespace LeakGuard.Investigation;

/// <summary>What a line of <c>/proc/self/smaps</c> says a mapping is backed by, from its pathname column alone.</summary>
internal enum MappingKind : byte
{
    /// <summary>No pathname: anonymous memory (malloc arenas and large blocks, the GC's range, thread stacks, …).</summary>
    Anonymous,

    /// <summary><c>[heap]</c>: the program break, where glibc's main arena lives.</summary>
    Heap,

    /// <summary><c>[stack]</c>: the main thread's stack.</summary>
    Stack,

    /// <summary><c>/memfd:doublemapper</c>: the runtime's executable memory (JIT code and stubs) under W^X.</summary>
    DoubleMapper,

    /// <summary>A file path: assemblies, shared libraries, memory-mapped files.</summary>
    File,

    /// <summary>Anonymous memory a component named with <c>prctl(PR_SET_VMA_ANON_NAME)</c> (<c>[anon:…]</c>).</summary>
    NamedAnonymous,

    /// <summary>The kernel's own pages: <c>[vdso]</c>, <c>[vvar]</c>, <c>[vsyscall]</c>.</summary>
    Kernel,
}
