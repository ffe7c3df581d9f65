using System.Runtime.InteropServices;

namespace LeakGuard.Investigation;

/// <summary>
/// Calls glibc's <c>mallinfo2</c> where the process runs on glibc 2.33 or later. glibc is recognised by its
/// <c>gnu_get_libc_version</c> export, looked up in the symbols the process already loaded — nothing is loaded by
/// name, so musl (Alpine), macOS and Windows find nothing and get a reason instead of a crash.
/// </summary>
internal static unsafe class GlibcMalloc
{
    private static readonly delegate* unmanaged<MallInfo2> s_mallinfo2 = Resolve(out s_missing);
    private static readonly string? s_missing;

    /// <summary>Gets why no malloc statistics are read here, or <see langword="null"/> when they are.</summary>
    public static string? Missing => s_missing;

    /// <summary>Reads the statistics now (walks every arena's free lists under its lock: cost grows with free chunks).</summary>
    /// <returns>The statistics, or <see langword="null"/> where <see cref="Missing"/> says why not.</returns>
    public static MallocStatistics? TryRead()
    {
        if (s_mallinfo2 == null)
        {
            return null;
        }

        var info = s_mallinfo2();
        return new MallocStatistics(
            InUseBytes: (long)(info.Uordblks + info.Hblkhd),
            FreeBytes: (long)info.Fordblks,
            MappedBytes: (long)info.Hblkhd,
            ArenaBytes: (long)info.Arena);
    }

    /// <summary>Says why a process offers no <c>mallinfo2</c>, from what its loaded symbols export (tests give their own).</summary>
    /// <param name="linux">Whether the process runs on Linux.</param>
    /// <param name="exports">Whether the symbols the process loaded include the named one.</param>
    /// <returns>The reason, or <see langword="null"/> when <c>mallinfo2</c> can be called.</returns>
    internal static string? MissingReason(bool linux, Func<string, bool> exports)
    {
        if (!linux)
        {
            return "malloc statistics come from glibc, which only Linux has";
        }

        if (!exports("gnu_get_libc_version"))
        {
            return "the C library is not glibc (musl?): it has no mallinfo2";
        }

        return exports("mallinfo2") ? null : "glibc is older than 2.33 (no mallinfo2; mallinfo's 32-bit counters wrap at 4 GiB)";
    }

    private static delegate* unmanaged<MallInfo2> Resolve(out string? missing)
    {
        var linux = OperatingSystem.IsLinux();
        try
        {
            var process = linux ? NativeLibrary.GetMainProgramHandle() : 0;
            missing = MissingReason(linux, name => NativeLibrary.TryGetExport(process, name, out _));
            return missing is null && NativeLibrary.TryGetExport(process, "mallinfo2", out var mallinfo2) ? (delegate* unmanaged<MallInfo2>)mallinfo2 : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or PlatformNotSupportedException)
        {
            missing = "glibc could not be looked up: " + ex.Message;
            return null;
        }
    }

    // struct mallinfo2: ten size_t fields, in this order.
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2
    {
        public readonly nuint Arena;
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;
        public readonly nuint Hblkhd;
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;
        public readonly nuint Fordblks;
        public readonly nuint Keepcost;
    }
}
