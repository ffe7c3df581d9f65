namespace LeakGuard.Investigation;

/// <summary>The permission column of a mapping (<c>rwxp</c>).</summary>
[Flags]
internal enum MappingAccess : byte
{
    /// <summary>No access (<c>---p</c>): reserved address space or a guard page.</summary>
    None = 0,

    /// <summary>Readable.</summary>
    Read = 1,

    /// <summary>Writable.</summary>
    Write = 2,

    /// <summary>Executable.</summary>
    Execute = 4,

    /// <summary>Shared rather than private.</summary>
    Shared = 8,
}
