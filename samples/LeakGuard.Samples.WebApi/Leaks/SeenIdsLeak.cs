using System.Runtime.CompilerServices;

namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>A de-duplication registry that remembers every request id it has ever seen.</summary>
public sealed class SeenIdsLeak : ILeak
{
    private static readonly HashSet<string> Seen = [];

    public string Name => "registry";

    public string Description => "A static HashSet<string> of every request id ever seen (managed_heap; report names System.String).";

    public long Held { get { lock (Seen) { return Seen.Count; } } }

    // Not inlined into LeakLab's timer callback (dynamic PGO devirtualises the interface call and would), so the
    // report's "allocated at" names this method; docs/investigation.md, "Inlined methods".
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Step()
    {
        lock (Seen)
        {
            for (var i = 0; i < 64; i++)
            {
                Seen.Add("request-" + Guid.NewGuid().ToString("N") + new string('x', 200));
            }
        }
    }

    public void Release()
    {
        lock (Seen)
        {
            Seen.Clear();
            Seen.TrimExcess();
        }
    }
}
