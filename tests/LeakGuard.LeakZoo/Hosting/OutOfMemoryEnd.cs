using System.Runtime.ExceptionServices;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>
/// How the zoo ends when one of its loops runs out of memory: as an app whose unhandled exception reaches the top
/// (AppDomain.UnhandledException, then the runtime aborts). A background service's failure would instead stop the host
/// gracefully with exit code 0, and reporting it needs memory the leak still holds: measured in a 256 MiB cgroup, the
/// scenario's error line threw again and the host never stopped, and a failed verdict printer stopped the host with 0.
/// </summary>
internal static class OutOfMemoryEnd
{
    public static void Crash(OutOfMemoryException oom) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => ExceptionDispatchInfo.Throw((Exception)state!), oom);
}
