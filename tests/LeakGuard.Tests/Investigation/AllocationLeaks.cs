using System.Runtime.CompilerServices;

namespace LeakGuard.Tests.Investigation;

internal sealed class AllocatedRecord
{
    public long A { get; set; }

    public long B { get; set; }

    public long C { get; set; }
}

internal static class RecordFactory
{
    private static readonly List<AllocatedRecord> Records = [];

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CreateRecords(int count)
    {
        Records.Capacity = Records.Count + count;
        for (var i = 0; i < count; i++)
        {
            Records.Add(new AllocatedRecord { A = i });
        }
    }

    // Short-lived records, as a hot path allocates them: only the last one is kept.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Churn(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < 1000; i++)
            {
                Last = new AllocatedRecord { A = i };
            }
        }
    }

    public static AllocatedRecord? Last { get; private set; }

    public static void Clear()
    {
        Records.Clear();
        Records.TrimExcess();
    }
}
