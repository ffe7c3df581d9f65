using LeakGuard.Investigation;

namespace LeakGuard.SnapshotTarget;

/// <summary>A leak in miniature for the docs: a static dictionary of sessions grows between the two snapshots.</summary>
internal static class Demo
{
    public static async Task<int> RunAsync(string? directory)
    {
        using var investigator = new LeakInvestigator(
            new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero }, Reports = { Directory = directory } },
            TimeProvider.System,
            new ConsoleLogger());
        var real = investigator.TakeSnapshot;
        var calls = 0;
        investigator.TakeSnapshot = (buffer, token) =>
        {
            if (calls++ == 1)
            {
                for (var i = 0; i < 20_000; i++)
                {
                    var session = new Session();
                    SessionStore.Sessions[session.Id] = session;
                }
            }

            return real(buffer, token);
        };

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);
        if (report is null)
        {
            return 1;
        }

        Console.WriteLine(LeakReportText.Tree(report));
        return 0;
    }

    private static class SessionStore
    {
        public static readonly Dictionary<Guid, Session> Sessions = [];
    }
}
