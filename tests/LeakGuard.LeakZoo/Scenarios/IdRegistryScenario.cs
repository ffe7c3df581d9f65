using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: a module-level registry of request ids seen "to drop duplicates", never cleared.
/// Each id is a ~60-character string (~150 bytes with the set's entry).
/// Held by the static field <c>s_seenRequestIds</c> (a <c>HashSet&lt;string&gt;</c>).
/// </summary>
internal sealed class IdRegistryScenario : RateScenario
{
    private const int UnitBytes = 160;
    private static readonly HashSet<string> s_seenRequestIds = [];
    private static readonly string s_node = Guid.NewGuid().ToString("N");

    public IdRegistryScenario(double bytesPerSecond)
        : base(bytesPerSecond / UnitBytes)
    {
    }

    public override string Description => "HashSet<string> of seen request ids, never cleared (static field s_seenRequestIds)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var id = $"req-{s_node}-{sequence:D12}";
        s_seenRequestIds.Add(id);
    }
}
