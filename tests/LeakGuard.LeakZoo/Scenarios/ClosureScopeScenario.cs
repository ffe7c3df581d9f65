using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: a deferred audit callback per request, kept in a long-lived list. The lambda only needs the
/// request's id but captures the whole request, so every request body stays alive.
/// Held by the static field <c>s_deferredAudits</c> (a <c>List&lt;Func&lt;string&gt;&gt;</c>).
/// </summary>
internal sealed class ClosureScopeScenario : RateScenario
{
    private static readonly List<Func<string>> s_deferredAudits = [];

    public ClosureScopeScenario(double bytesPerSecond)
        : base(bytesPerSecond / (17 * 1024))
    {
    }

    public override string Description => "List<Func<string>> of audit callbacks whose closures capture the whole UploadRequest (static field s_deferredAudits)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var request = new UploadRequest(sequence);
        s_deferredAudits.Add(() => $"uploaded {request.Id} ({request.Checksum})");
    }
}
