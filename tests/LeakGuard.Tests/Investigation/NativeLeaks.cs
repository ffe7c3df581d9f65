using System.Runtime.InteropServices;

namespace LeakGuard.Tests.Investigation;

/// <summary>Real native leaks in this process for the native-evidence tests: malloc'd blocks and blocked threads, both undone on dispose.</summary>
internal static class NativeLeaks
{
    /// <summary>Allocates blocks with <see cref="NativeMemory.Alloc(nuint)"/> and touches every page, so they are resident.</summary>
    /// <param name="blocks">How many blocks.</param>
    /// <param name="blockBytes">The size of each.</param>
    /// <returns>Frees the blocks when disposed.</returns>
    public static unsafe IDisposable Malloc(int blocks, int blockBytes)
    {
        var leaked = new nint[blocks];
        for (var b = 0; b < blocks; b++)
        {
            var block = (byte*)NativeMemory.Alloc((nuint)blockBytes);
            for (var offset = 0; offset < blockBytes; offset += 4096)
            {
                block[offset] = 1;
            }

            leaked[b] = (nint)block;
        }

        return new Undo(() =>
        {
            foreach (var block in leaked)
            {
                NativeMemory.Free((void*)block);
            }
        });
    }

    /// <summary>
    /// Gives the memory glibc keeps in its arenas back to the system (<c>malloc_trim(0)</c>), so that blocks allocated next
    /// take pages that are not resident yet: blocks freed by an earlier test stay resident in the arena and are reused.
    /// Does nothing where the C library has no <c>malloc_trim</c>.
    /// </summary>
    public static unsafe void TrimMalloc()
    {
        if (OperatingSystem.IsLinux() && NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "malloc_trim", out var trim))
        {
            _ = ((delegate* unmanaged<nuint, int>)trim)(0);
        }
    }

    /// <summary>Starts named threads that block until disposed, and returns once all of them run.</summary>
    /// <param name="count">How many threads.</param>
    /// <param name="name">Their name (the OS name too).</param>
    /// <returns>Releases and joins the threads when disposed.</returns>
    public static IDisposable BlockedThreads(int count, string name)
    {
        var release = new ManualResetEventSlim();
        using var running = new CountdownEvent(count);
        var threads = Enumerable.Range(0, count).Select(_ => new Thread(() =>
        {
            running.Signal();
            release.Wait();
        })
        { IsBackground = true, Name = name }).ToList();
        threads.ForEach(t => t.Start());
        if (!running.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"the {count} threads did not start within 30 s");
        }

        return new Undo(() =>
        {
            release.Set();
            threads.ForEach(t => t.Join());
            release.Dispose();
        });
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
