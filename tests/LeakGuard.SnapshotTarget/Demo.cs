using LeakGuard.Investigation;

namespace LeakGuard.SnapshotTarget;

/// <summary>A leak in miniature for the docs: a static dictionary of sessions grows between the two snapshots.</summary>
internal static class Demo
{
    public static async Task<int> RunAsync(string? directory)
    {
        // The sessions are opened by "requests" on the thread pool while the window between the snapshots is open, so the
        // report shows both who holds them and where they were allocated.
        using var investigator = new LeakInvestigator(
            new LeakGuardOptions { Snapshots = { Delay = TimeSpan.FromSeconds(4) }, Reports = { Directory = directory } },
            TimeProvider.System,
            new ConsoleLogger());
        var start = investigator.StartRecording;
        Task? traffic = null;
        investigator.StartRecording = async (kind, token) =>
        {
            var recording = await start(kind, token);
            traffic = Task.Run(() => Api.ServeRequests(20_000, TimeSpan.FromSeconds(2)), token);
            return recording;
        };

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);
        if (traffic is not null)
        {
            await traffic;
        }

        if (report is null)
        {
            return 1;
        }

        Console.WriteLine(LeakReportText.Tree(report));
        return 0;
    }

    private static class Api
    {
        public static void ServeRequests(int count, TimeSpan over)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                SessionStore.Open();
                if (i % 1000 == 999)
                {
                    // Spread over the window like real traffic.
                    var due = over * ((i + 1.0) / count);
                    if (due > clock.Elapsed)
                    {
                        Thread.Sleep(due - clock.Elapsed);
                    }
                }
            }
        }
    }

    private static class SessionStore
    {
        public static readonly Dictionary<Guid, Session> Sessions = [];

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static void Open()
        {
            var session = new Session();
            Sessions[session.Id] = session;
        }
    }
}
