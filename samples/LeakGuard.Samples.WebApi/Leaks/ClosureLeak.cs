using System.Runtime.CompilerServices;

namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>Callbacks kept in a list capture large buffers through their closures.</summary>
public sealed class ClosureLeak : ILeak
{
    private static readonly List<Func<int>> Callbacks = [];

    public string Name => "closures";

    public string Description => "Lambdas stored in a static List<Func<int>> capture a 16 KB buffer each (managed_heap; held through the closure class).";

    public long Held { get { lock (Callbacks) { return Callbacks.Count; } } }

    // Not inlined into LeakLab's timer callback (dynamic PGO devirtualises the interface call and would), so the
    // report's "allocated at" names this method; docs/investigation.md, "Inlined methods".
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Step()
    {
        var buffer = new byte[16 * 1024];
        lock (Callbacks)
        {
            Callbacks.Add(() => buffer.Length);
        }
    }

    public void Release()
    {
        lock (Callbacks)
        {
            Callbacks.Clear();
            Callbacks.TrimExcess();
        }
    }
}
