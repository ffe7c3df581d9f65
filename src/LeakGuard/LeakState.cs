namespace LeakGuard;

/// <summary>The detector's judgement of one signal, ordered from quiet to alarming.</summary>
public enum LeakState
{
    /// <summary>Not enough history yet (warm-up, too few points or too short a span) to judge the signal.</summary>
    InsufficientData = 0,

    /// <summary>No sustained growth: flat, plateaued, cyclic or noisy.</summary>
    Stable = 1,

    /// <summary>Sustained growth that passed the statistical tests but has not yet persisted long enough to be called a leak.</summary>
    Suspected = 2,

    /// <summary>Sustained, significant growth confirmed over consecutive evaluations.</summary>
    Leaking = 3,
}
