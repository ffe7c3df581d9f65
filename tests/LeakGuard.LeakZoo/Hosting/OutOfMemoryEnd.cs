using System.Runtime.ExceptionServices;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>
/// How the zoo ends when one of its loops runs out of memory: as an app whose unhandled exception reaches the top
/// (AppDomain.UnhandledException, then the runtime aborts). A background service's failure would instead stop the host
/// gracefully with exit code 0, and reporting it needs memory the leak still holds: measured in a 256 MiB cgroup, the
/// scenario's error line threw again and the host never stopped, and a failed verdict printer stopped the host with 0.
/// </summary>
/// <remarks>
/// The crash itself must not allocate: at the GC's heap limit any allocation may throw again. Queuing a thread-pool item
/// allocates, and one CI run kept a full heap alive for three minutes that way (the scenario loop's catch threw, its
/// task faulted, the host's failure log threw too, and nothing ended the process). So a thread started with the process
/// waits on an event created before any leak; <see cref="Crash"/> only stores the exception and sets the event, and that
/// thread rethrows it, unhandled. If rethrowing allocates and fails, the new <see cref="OutOfMemoryException"/> is just as
/// unhandled.
/// </remarks>
internal static class OutOfMemoryEnd
{
    private static readonly ManualResetEventSlim s_crash = new(initialState: false, spinCount: 0);
    private static Exception? s_exception;
    private static int s_armed;

    /// <summary>Starts the thread that ends the process; call once at start, before the leak allocates.</summary>
    public static void Arm()
    {
        if (Interlocked.Exchange(ref s_armed, 1) == 1)
        {
            return;
        }

        _ = s_crash.WaitHandle; // the kernel event exists before any leak: setting it later allocates nothing
        var thread = new Thread(static () =>
        {
            s_crash.Wait();
            ExceptionDispatchInfo.Throw(Volatile.Read(ref s_exception)!);
        })
        {
            IsBackground = true,
            Name = "zoo-out-of-memory-end",
        };
        thread.Start();
    }

    /// <summary>
    /// The self-check behind <c>--check-out-of-memory-end</c>: with the crash thread not armed, calls <see cref="Crash"/> (JIT-compiled
    /// first) and prints <c>ZOO-OOM-END {"allocatedBytes":n}</c>, the bytes the call allocated on this thread.
    /// </summary>
    /// <returns>The process exit code: 0.</returns>
    public static int SelfCheck()
    {
        var oom = new OutOfMemoryException();
        Crash(oom); // compiles it; the event is not waited on, so nothing ends
        s_crash.Reset();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Crash(oom);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        ZooOutput.Write(ZooOutput.OutOfMemoryEndCheck, new Dictionary<string, object?> { ["allocatedBytes"] = allocated });
        return 0;
    }

    /// <summary>Ends the process with <paramref name="oom"/> unhandled; allocates nothing.</summary>
    /// <param name="oom">The exception a loop caught.</param>
    public static void Crash(OutOfMemoryException oom)
    {
        _ = Interlocked.CompareExchange(ref s_exception, oom, null);
        s_crash.Set();
    }
}
