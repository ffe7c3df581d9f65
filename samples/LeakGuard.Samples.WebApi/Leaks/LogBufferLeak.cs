using System.Runtime.CompilerServices;
using System.Text;

namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>An in-memory log buffer meant for "the last few lines", which nobody ever trims.</summary>
public sealed class LogBufferLeak : ILeak
{
    private static readonly List<string> Lines = [];

    public string Name => "logbuffer";

    public string Description => "A static List<string> of formatted log lines that is never trimmed (managed_heap; System.String).";

    public long Held { get { lock (Lines) { return Lines.Count; } } }

    // Not inlined into LeakLab's timer callback (dynamic PGO devirtualises the interface call and would), so the
    // report's "allocated at" names this method; docs/investigation.md, "Inlined methods".
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Step()
    {
        var line = new StringBuilder(4096)
            .Append("2026-11-24T06:00:00Z INFO Handled request ").Append(Guid.NewGuid()).Append(' ')
            .Append('.', 4000)
            .ToString();
        lock (Lines)
        {
            Lines.Add(line);
        }
    }

    public void Release()
    {
        lock (Lines)
        {
            Lines.Clear();
            Lines.TrimExcess();
        }
    }
}
