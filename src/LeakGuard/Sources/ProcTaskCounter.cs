using System.Runtime.InteropServices;

namespace LeakGuard.Sources;

/// <summary>
/// Counts the process's threads from the link count of <c>/proc/self/task</c> (the kernel reports
/// 2 + number of threads), read with one <c>statx</c> call: no open, no read, no parsing. Measured here at a
/// fraction of reading field 20 of <c>/proc/self/stat</c>, which makes the kernel compute all 52 fields.
/// </summary>
internal static unsafe partial class ProcTaskCounter
{
    private const int AtFdCwd = -100;
    private const uint StatxNlink = 0x4;

    // struct statx is architecture-independent: stx_mask (u32), stx_blksize (u32), stx_attributes (u64), stx_nlink (u32).
    private const int NlinkOffset = 16;
    private const int StatxSize = 256;

    private static bool s_unavailable;

    /// <summary>Reads the thread count.</summary>
    /// <returns>The count, or -1 when <c>statx</c> is missing (old libc, not Linux) or fails.</returns>
    public static int TryCount()
    {
        if (s_unavailable || !OperatingSystem.IsLinux())
        {
            return -1;
        }

        try
        {
            var buffer = stackalloc byte[StatxSize];
            fixed (byte* path = "/proc/self/task\0"u8)
            {
                if (Statx(AtFdCwd, path, 0, StatxNlink, buffer) != 0)
                {
                    return -1;
                }
            }

            var links = *(uint*)(buffer + NlinkOffset);
            return links > 2 && links < int.MaxValue ? (int)links - 2 : -1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true;
            return -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = false)]
    private static partial int Statx(int directoryFd, byte* path, int flags, uint mask, byte* buffer);
}
