namespace LeakGuard.DetectionQuality.Generation;

/// <summary>A scenario family: a healthy shape, with or without a leak on top; every run draws its own parameters.</summary>
/// <param name="Name">The name used in tables and by <c>--family</c>.</param>
/// <param name="Shape">The healthy behaviour.</param>
/// <param name="Leak">Whether a leak starts at a drawn onset.</param>
internal sealed record Family(string Name, Shape Shape, bool Leak)
{
    /// <summary>Gets every family: each healthy shape, then each with a leak on top.</summary>
    public static IReadOnlyList<Family> All { get; } =
    [
        .. Enum.GetValues<Shape>().Select(s => new Family(NameOf(s), s, Leak: false)),
        .. Enum.GetValues<Shape>().Select(s => new Family("leak+" + NameOf(s), s, Leak: true)),
    ];

    private static string NameOf(Shape shape) => shape switch
    {
        Shape.Flat => "flat",
        Shape.WarmUp => "warm-up",
        Shape.Cache => "cache",
        Shape.LevelShifts => "level-shifts",
        Shape.DailyCycle => "daily-cycle",
        Shape.Sawtooth => "gc-sawtooth",
        Shape.Spikes => "spikes",
        _ => "mixed",
    };
}
