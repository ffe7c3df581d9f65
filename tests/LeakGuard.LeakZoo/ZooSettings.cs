namespace LeakGuard.LeakZoo;

/// <summary>The zoo's own command line: <c>&lt;scenario&gt; [--seconds N] [--rate R] [--sample-every S] [--verdicts-every S] [--no-stdin]</c>; the rest goes to the host.</summary>
internal sealed class ZooSettings
{
    public string? Scenario { get; private set; }

    public double? Seconds { get; private set; }

    public double? Rate { get; private set; }

    public bool WatchStdin { get; private set; } = true;

    /// <summary>Gets the interval between <c>ZOO-SAMPLE</c> lines (default 1 s; finer for offline replays of the series).</summary>
    public double SampleEverySeconds { get; private set; } = 1;

    /// <summary>Gets the interval between <c>LEAKGUARD-VERDICTS</c> lines (every memory signal's current verdict), or
    /// <see langword="null"/> for none: the real-OOM tests read the time to limit at a given time before the death.</summary>
    public double? VerdictsEverySeconds { get; private set; }

    public bool List { get; private set; }

    /// <summary>Gets a value indicating whether to run only the out-of-memory end's self-check (<c>--check-out-of-memory-end</c>):
    /// the bytes <see cref="Hosting.OutOfMemoryEnd.Crash"/> allocates, printed, with the crash thread not armed.</summary>
    public bool CheckOutOfMemoryEnd { get; private set; }

    public List<string> HostArgs { get; } = [];

    public static ZooSettings Parse(string[] args)
    {
        var settings = new ZooSettings();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds" when i + 1 < args.Length:
                    settings.Seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--rate" when i + 1 < args.Length:
                    settings.Rate = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--sample-every" when i + 1 < args.Length:
                    settings.SampleEverySeconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--verdicts-every" when i + 1 < args.Length:
                    settings.VerdictsEverySeconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--no-stdin":
                    settings.WatchStdin = false;
                    break;
                case "--check-out-of-memory-end":
                    settings.CheckOutOfMemoryEnd = true;
                    break;
                case "--list" or "-h" or "--help":
                    settings.List = true;
                    break;
                default:
                    if (settings.Scenario is null && !args[i].StartsWith('-'))
                    {
                        settings.Scenario = args[i];
                    }
                    else
                    {
                        settings.HostArgs.Add(args[i]);
                    }

                    break;
            }
        }

        return settings;
    }
}
