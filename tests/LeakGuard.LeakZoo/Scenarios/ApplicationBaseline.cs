namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// The constant live state every zoo process holds, as a real service does (configuration, reference data,
/// warmed-up caches): 16 MiB in 4,096 objects, loaded before the scenario starts and never changed.
/// Without it the managed heap of the thread and native scenarios would be ~1 MB, and the detector's
/// relative minimum growth (a percentage of the level) would call a few KB of thread objects a managed leak.
/// </summary>
internal static class ApplicationBaseline
{
    private const int Entries = 4096;
    private static ReferenceData[]? s_referenceData;

    public static int Load()
    {
        var data = new ReferenceData[Entries];
        for (var i = 0; i < Entries; i++)
        {
            data[i] = new ReferenceData(i);
        }

        s_referenceData = data;
        return s_referenceData.Length;
    }
}
