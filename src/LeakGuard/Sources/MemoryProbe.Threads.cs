using System.Diagnostics;

namespace LeakGuard.Sources;

/// <content>The operating-system thread count.</content>
internal sealed partial class MemoryProbe
{
    /// <summary>Outside Linux the only portable source is <see cref="Process.Threads"/>, which builds a
    /// collection of every thread (hundreds of microseconds, kilobytes): it is refreshed at most this often.</summary>
    private const long PortableThreadCountRefreshMilliseconds = 60_000;

    private int _portableThreadCount = -1;
    private long _portableThreadCountAt = long.MinValue;

    /// <summary>On the real system <see cref="ProcTaskCounter"/>, else (a fixture root, or no <c>statx</c>)
    /// <c>/proc/self/stat</c> field 20 costs one read of a kept handle, versus
    /// <see cref="Process.Threads"/> which enumerates <c>/proc/self/task</c> and allocates per thread.</summary>
    private int ReadThreadCount()
    {
        if (_useTaskLinkCount && ProcTaskCounter.TryCount() is var count and >= 0)
        {
            return count;
        }

        if (_stat is not null)
        {
            return ProcfsText.ParseStatThreadCount(_stat.Read());
        }

        if (OperatingSystem.IsLinux())
        {
            return -1;
        }

        var now = Environment.TickCount64;
        if (now - _portableThreadCountAt >= PortableThreadCountRefreshMilliseconds)
        {
            _portableThreadCountAt = now;
            try
            {
                using var process = Process.GetCurrentProcess();
                _portableThreadCount = process.Threads.Count;
            }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception or PlatformNotSupportedException)
            {
                _portableThreadCount = -1;
            }
        }

        return _portableThreadCount;
    }
}
